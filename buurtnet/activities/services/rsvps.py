"""Saying you come, with guests and dietary wishes, and the waiting list that fills freed seats."""

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.activities import permissions
from buurtnet.activities.links import occurrence_url
from buurtnet.activities.models import (
    Activity,
    Rsvp,
    RsvpStatus,
)
from buurtnet.activities.recurrence import (
    occurrence_at,
)
from buurtnet.activities.services.common import aware, clean_text, locked_activity, membership_of
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import User

logger = logging.getLogger(__name__)


MAX_GUESTS = 20


def _seats_taken(activity: Activity, occurrence_start: datetime, *, exclude_user=None) -> int:
    qs = Rsvp.objects.filter(
        activity=activity,
        occurrence_start=occurrence_start,
        status=RsvpStatus.GOING,
        waitlisted=False,
    )
    if exclude_user is not None:
        qs = qs.exclude(user=exclude_user)
    return qs.aggregate(n=Sum(F("guests") + 1))["n"] or 0


def promote_waiting(activity: Activity, occurrence_start: datetime, *, actor=None) -> list[Rsvp]:
    """Move people up from the waiting list, first come first served, while their party fits;
    each of them hears it (not the person whose own change it was)."""
    waiting = (
        Rsvp.objects.filter(activity=activity, occurrence_start=occurrence_start, waitlisted=True)
        .select_related("user")
        .order_by("waiting_since", "id")
    )
    promoted: list[Rsvp] = []
    if activity.capacity is None:
        free = None
    else:
        free = activity.capacity - _seats_taken(activity, occurrence_start)
    now = timezone.now()
    for rsvp in waiting:
        if free is not None and rsvp.seats > free:
            break
        rsvp.waitlisted = False
        rsvp.waiting_since = None
        rsvp.promoted_at = now
        rsvp.save(update_fields=["waitlisted", "waiting_since", "promoted_at", "updated_at"])
        promoted.append(rsvp)
        if free is not None:
            free -= rsvp.seats
    if promoted:
        occurrence = occurrence_at(activity, occurrence_start)
        start = occurrence.start if occurrence is not None else occurrence_start
        notify(
            recipients=[rsvp.user for rsvp in promoted],
            kind=Kind.WAITLIST_PROMOTED,
            actor=actor,
            params={
                "activity": activity.title,
                "when_iso": start.isoformat(),
                "tz": activity.neighbourhood.timezone,
            },
            url=occurrence_url(activity.neighbourhood.slug, occurrence) if occurrence else "",
        )
    return promoted


@transaction.atomic
def rsvp_set(
    *,
    user: User,
    activity: Activity,
    occurrence_start: datetime,
    status: str,
    guests: int = 0,
    halal: bool = False,
    vegetarian: bool = False,
    vegan: bool = False,
    no_pork: bool = False,
    allergies: str = "",
) -> Rsvp:
    """A member says whether they come to one occurrence, with guests and dietary needs;
    past capacity they join the waiting list."""
    if status not in RsvpStatus.values:
        raise ValidationError({"status": _("Choose going, maybe or not going.")})
    if not isinstance(guests, int) or isinstance(guests, bool) or guests < 0:
        raise ValidationError({"guests": _("The number of guests cannot be negative.")})
    if guests > MAX_GUESTS:
        raise ValidationError(
            {"guests": _("You can bring at most %(max)s guests.") % {"max": MAX_GUESTS}}
        )
    allergies = clean_text(allergies)
    if len(allergies) > 200:
        raise ValidationError({"allergies": _("Keep allergies under 200 characters.")})
    if not permissions.can_rsvp(membership_of(user, activity.neighbourhood), activity):
        raise PermissionDenied(_("Only members of the neighbourhood can sign up."))

    activity = locked_activity(activity)
    occurrence = occurrence_at(activity, aware(occurrence_start, "occurrence_start"))
    if occurrence is None:
        raise ValidationError(_("This activity does not take place at that time."), code="none")
    if occurrence.cancelled:
        raise ValidationError(_("This time is cancelled."), code="cancelled")
    if occurrence.start <= timezone.now():
        raise ValidationError(
            _("This time has already begun or passed; answers are closed."), code="past"
        )
    start = occurrence.original_start
    rsvp = Rsvp.objects.filter(activity=activity, occurrence_start=start, user=user).first()
    if rsvp is None:
        rsvp = Rsvp(activity=activity, occurrence_start=start, user=user)
    seated = rsvp.pk is not None and rsvp.status == RsvpStatus.GOING and not rsvp.waitlisted
    waiting = rsvp.pk is not None and rsvp.waitlisted

    waitlisted = False
    if status == RsvpStatus.GOING and activity.capacity is not None:
        free = activity.capacity - _seats_taken(activity, start, exclude_user=user)
        fits = 1 + guests <= free
        if seated and not fits:
            message = _(
                "There is room for %(free)s people in your party; you keep the places you had."
            ) % {"free": max(free, 0)}
            raise ValidationError({"guests": ValidationError(message, code="full")})
        if not seated:
            others_waiting = (
                Rsvp.objects.filter(activity=activity, occurrence_start=start, waitlisted=True)
                .exclude(user=user)
                .exists()
            )
            waitlisted = waiting or not fits or others_waiting
    elif status == RsvpStatus.GOING:
        waitlisted = False

    rsvp.status = status
    rsvp.guests = guests
    rsvp.halal = bool(halal)
    rsvp.vegetarian = bool(vegetarian)
    rsvp.vegan = bool(vegan)
    rsvp.no_pork = bool(no_pork)
    rsvp.allergies = allergies
    if waitlisted and not waiting:
        rsvp.waiting_since = timezone.now()
    elif not waitlisted:
        rsvp.waiting_since = None
    rsvp.waitlisted = waitlisted
    rsvp.save()
    # Fewer guests, "maybe" or "not going" free places, and a place of one's own in line may fit.
    promoted = promote_waiting(activity, start, actor=user)
    for moved_up in promoted:
        if moved_up.pk == rsvp.pk:
            return moved_up
    return rsvp


@transaction.atomic
def rsvp_cancel(*, user: User, activity: Activity, occurrence_start: datetime) -> Rsvp:
    """A member is not coming after all; their places go to the first in line."""
    rsvp = Rsvp.objects.filter(
        activity=activity, occurrence_start=aware(occurrence_start, "occurrence_start"), user=user
    ).first()
    if rsvp is None:
        raise ValidationError(_("You had not signed up for this time."), code="no_rsvp")
    return rsvp_set(
        user=user,
        activity=activity,
        occurrence_start=occurrence_start,
        status=RsvpStatus.NOT_GOING,
        guests=0,
        halal=rsvp.halal,
        vegetarian=rsvp.vegetarian,
        vegan=rsvp.vegan,
        no_pork=rsvp.no_pork,
        allergies=rsvp.allergies,
    )
