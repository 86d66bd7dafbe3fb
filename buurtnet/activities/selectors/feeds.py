"""What calendar feeds show: public activities, a member's own activities, feed tokens."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from buurtnet.activities.models import (
    Activity,
    CalendarToken,
    Rsvp,
    RsvpStatus,
)
from buurtnet.initiatives.models import (
    Initiative,
    Visibility,
)
from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import User


def with_schedule(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with what unfolding and showing them needs: place, initiative, changes."""
    return queryset.select_related("neighbourhood", "place", "initiative").prefetch_related(
        "changes", "languages"
    )


def public_activities(neighbourhood: Neighbourhood) -> QuerySet[Activity]:
    """What visitors may see: public activities, never those of members-only initiatives."""
    return with_schedule(
        Activity.objects.filter(neighbourhood=neighbourhood, is_public=True).filter(
            Q(initiative__isnull=True) | Q(initiative__visibility=Visibility.PUBLIC)
        )
    )


def feed_activities(queryset: QuerySet[Activity]) -> list[Activity]:
    """Series still to come or of the past year, without series that ended before they began."""
    year_ago = timezone.now() - timedelta(days=365)
    activities = queryset.filter(Q(until__isnull=True) | Q(until__gte=year_ago)).order_by(
        "start_date", "start_time", "id"
    )
    return [a for a in activities if a.until is None or a.until >= a.first_start]


def public_initiative_in(neighbourhood: Neighbourhood, pk: int) -> Initiative:
    """An initiative of the neighbourhood that visitors may see; members-only ones are not found."""
    return get_object_or_404(
        Initiative, neighbourhood=neighbourhood, pk=pk, visibility=Visibility.PUBLIC
    )


def calendar_token_of(user: User) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


def calendar_owner(token: str) -> User:
    """The active person whose calendar address holds this token; unknown tokens are not found."""
    found = get_object_or_404(
        CalendarToken.objects.select_related("user"), token=token, user__is_active=True
    )
    return found.user


def going_activities(user: User) -> QuerySet[Activity]:
    """The series in which the person has a place ("going", not waiting), loaded for a calendar.

    Only in neighbourhoods the person still belongs to.
    """
    going = Rsvp.objects.filter(user=user, status=RsvpStatus.GOING, waitlisted=False)
    return with_schedule(
        Activity.objects.filter(
            pk__in=going.values("activity_id"),
            neighbourhood__in=Membership.objects.filter(user=user).values("neighbourhood_id"),
        )
    )
