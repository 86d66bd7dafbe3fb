"""What the activity services share: who the member is, locking an activity or a place."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.activities import permissions
from buurtnet.activities.models import (
    Activity,
    Place,
)
from buurtnet.neighbourhoods.access import get_membership
from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import User


def membership_of(user: User, neighbourhood: Neighbourhood) -> Membership | None:
    return get_membership(user=user, neighbourhood=neighbourhood)


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def deny_unless_organiser(user: User, activity: Activity) -> None:
    if not permissions.can_organise(membership_of(user, activity.neighbourhood), activity):
        raise PermissionDenied(
            _(
                "Only the organisers of this activity (its initiators or the keepers of its "
                "place) can do that."
            )
        )


def locked_activity(activity: Activity) -> Activity:
    """Serialise changes to one activity and its RSVPs (and see its current state)."""
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "place", "initiative")
        .get(pk=activity.pk)
    )


def lock_place(place: Place) -> None:
    """Bookings of one place queue on its row (see booking_request)."""
    Place.objects.select_for_update().filter(pk=place.pk).first()


def aware(moment: datetime, field: str) -> datetime:
    if not isinstance(moment, datetime) or timezone.is_naive(moment):
        raise ValidationError({field: _("Give a date and a time.")})
    return moment
