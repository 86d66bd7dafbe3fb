"""What calendar feeds show: public activities, the dates a member signed up for, feed tokens."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from buurtnet.activities.models import (
    Activity,
    CalendarToken,
    OccurrenceChange,
    Rsvp,
    RsvpStatus,
    Task,
    TaskSignup,
)
from buurtnet.activities.recurrence import MARGIN, Occurrence, occurrences
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


def public_activity_in(neighbourhood: Neighbourhood, pk: int) -> Activity:
    """An activity of the neighbourhood that visitors may see (as in its public feed); others,
    members-only ones included, are not found."""
    return get_object_or_404(
        public_activities(neighbourhood).prefetch_related(None).prefetch_related("languages"),
        pk=pk,
    )


# A person's own calendar holds the dates they signed up for in this window around today,
# and at most this many of each kind (places taken, tasks taken): a feed that calendar programs
# fetch every few minutes reads a bounded number of rows in a fixed number of queries.
PERSONAL_PAST = timedelta(days=60)
PERSONAL_AHEAD = timedelta(days=365)
PERSONAL_MAX_ROWS = 1000

# Activities loaded along with each row, so no query is needed per date.
_SCHEDULE = ("neighbourhood", "place", "initiative")


@dataclass
class PersonalDate:
    """One date in a person's own calendar: they have a place ("going"), help, or both."""

    occurrence: Occurrence
    going: bool = False
    tasks: list[Task] = field(default_factory=list)


def personal_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - PERSONAL_PAST, now + PERSONAL_AHEAD


def personal_dates(user: User, *, now: datetime | None = None) -> list[PersonalDate]:
    """The dates the person signed up for, each as it stands now (moved, cancelled), by start.

    A date counts when their answer is "going" with a place (not waiting, not cancelled by them)
    or when they took a task on it, in a neighbourhood they still belong to, with its original
    start within the window. Four queries, however many dates: places taken, tasks taken, then
    the activities' changes and languages. A date the series no longer has (its rule or end
    changed) is left out.
    """
    start, end = personal_window(now)
    mine = Membership.objects.filter(user=user).values("neighbourhood_id")
    rsvps = list(
        Rsvp.objects.filter(
            user=user,
            status=RsvpStatus.GOING,
            waitlisted=False,
            occurrence_start__gte=start,
            occurrence_start__lt=end,
            activity__neighbourhood_id__in=mine,
        )
        .select_related(*(f"activity__{name}" for name in _SCHEDULE))
        .order_by("occurrence_start", "id")[:PERSONAL_MAX_ROWS]
    )
    signups = list(
        TaskSignup.objects.filter(
            user=user,
            occurrence_start__gte=start,
            occurrence_start__lt=end,
            task__activity__neighbourhood_id__in=mine,
        )
        .select_related(*(f"task__activity__{name}" for name in _SCHEDULE))
        .order_by("occurrence_start", "id")[:PERSONAL_MAX_ROWS]
    )
    # One object per activity, whichever row brought it, and the dates wanted of each.
    activities: dict[int, Activity] = {}
    wanted: dict[int, set[datetime]] = {}
    for activity, original in [
        *((rsvp.activity, rsvp.occurrence_start) for rsvp in rsvps),
        *((signup.task.activity, signup.occurrence_start) for signup in signups),
    ]:
        activities.setdefault(activity.pk, activity)
        wanted.setdefault(activity.pk, set()).add(original)
    if not activities:
        return []
    # Only changes to dates in the window matter; a long series may have many more.
    changes = OccurrenceChange.objects.filter(
        original_start__gte=start - MARGIN, original_start__lt=end + MARGIN
    )
    prefetch_related_objects(
        list(activities.values()), Prefetch("changes", queryset=changes), "languages"
    )
    found: dict[tuple[int, datetime], PersonalDate] = {}
    for pk, activity in activities.items():
        by_original = {o.original_start: o for o in occurrences(activity, start, end)}
        for original in wanted[pk]:
            occurrence = by_original.get(original) or _moved_away(activity, original)
            if occurrence is not None:
                found[(pk, original)] = PersonalDate(occurrence)
    for rsvp in rsvps:
        entry = found.get((rsvp.activity_id, rsvp.occurrence_start))
        if entry is not None:
            entry.going = True
    for signup in signups:
        entry = found.get((signup.task.activity_id, signup.occurrence_start))
        if entry is not None:
            entry.tasks.append(signup.task)
    return sorted(found.values(), key=lambda d: (d.occurrence.start, d.occurrence.activity.pk))


def _moved_away(activity: Activity, original: datetime) -> Occurrence | None:
    """A date of the window that was moved to a time outside it."""
    for change in activity.changes.all():
        if change.original_start == original and not change.cancelled:
            for occurrence in occurrences(
                activity, change.new_start, change.new_end, changes=[change]
            ):
                if occurrence.original_start == original:
                    return occurrence
    return None
