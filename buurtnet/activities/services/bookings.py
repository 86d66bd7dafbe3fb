"""Booking a place for a time slot: free slots, requests, the keepers' decisions, cancelling.

Two active bookings of one place never overlap; the database holds that rule too."""

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.activities import permissions
from buurtnet.activities.models import (
    ACTIVE_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    Place,
    localize,
)
from buurtnet.activities.services.common import aware, clean_text, lock_place, membership_of
from buurtnet.initiatives.models import Initiative
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import User

logger = logging.getLogger(__name__)


BOOKING_MAX_DURATION = timedelta(hours=12)


# The part of a day in which free time is suggested, in the neighbourhood's time zone.
BOOKING_DAY_OPENS = time(8, 0)


BOOKING_DAY_CLOSES = time(23, 0)


BOOKING_MIN_FREE = timedelta(minutes=30)


BOOKING_STEP = timedelta(minutes=15)


def _round_up(moment: datetime, step: timedelta) -> datetime:
    seconds = step.total_seconds()
    epoch = moment.timestamp()
    rounded = -(-epoch // seconds) * seconds
    return moment + timedelta(seconds=rounded - epoch)


def _hhmm(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M")


def _span(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    return f"{_hhmm(start, tz)}–{_hhmm(end, tz)}"


def booking_free_slots(*, place: Place, day: date) -> list[tuple[datetime, datetime]]:
    """The still-to-come stretches of at least half an hour on `day` that no active booking
    of the place holds, between the day's opening and closing in the neighbourhood's time."""
    tz = ZoneInfo(place.neighbourhood.timezone)
    opens = localize(datetime.combine(day, BOOKING_DAY_OPENS), tz)
    closes = localize(datetime.combine(day, BOOKING_DAY_CLOSES), tz)
    cursor = max(opens, _round_up(timezone.now(), BOOKING_STEP))
    busy = (
        Booking.objects.filter(
            place=place,
            status__in=ACTIVE_BOOKING_STATUSES,
            starts_at__lt=closes,
            ends_at__gt=opens,
        )
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )
    free: list[tuple[datetime, datetime]] = []
    for start, end in busy:
        if start - cursor >= BOOKING_MIN_FREE:
            free.append((cursor, start))
        cursor = max(cursor, end)
    if closes - cursor >= BOOKING_MIN_FREE:
        free.append((cursor, closes))
    return free


def refuse_overlap(
    place: Place, starts_at: datetime, ends_at: datetime, *, exclude: int | None = None
) -> None:
    """Raise a ValidationError naming the taken and the free times if the slot is held."""
    taken = Booking.objects.filter(
        place=place,
        status__in=ACTIVE_BOOKING_STATUSES,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).order_by("starts_at")
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    taken = list(taken.values_list("starts_at", "ends_at"))
    if not taken:
        return
    tz = ZoneInfo(place.neighbourhood.timezone)
    busy = ", ".join(_span(start, end, tz) for start, end in taken)
    free = booking_free_slots(place=place, day=starts_at.astimezone(tz).date())
    if free:
        message = _("%(place)s is already booked %(busy)s. Free nearby: %(free)s.") % {
            "place": place.name,
            "busy": busy,
            "free": ", ".join(_span(start, end, tz) for start, end in free),
        }
    else:
        message = _("%(place)s is already booked %(busy)s. Nothing else is free that day.") % {
            "place": place.name,
            "busy": busy,
        }
    raise ValidationError(message, code="overlap")


@transaction.atomic
def booking_request(
    *,
    user: User,
    place: Place,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    initiative: Initiative | None = None,
) -> Booking:
    """A member asks to use a place for a time slot; the place's keepers decide."""
    if membership_of(user, place.neighbourhood) is None:
        raise PermissionDenied(_("Only members of the neighbourhood can book its places."))
    starts_at = aware(starts_at, "starts_at")
    ends_at = aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    if ends_at - starts_at > BOOKING_MAX_DURATION:
        raise ValidationError({"ends_at": _("A booking lasts at most 12 hours.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Book a time that is still to come.")})
    purpose = clean_text(purpose)
    if not purpose:
        raise ValidationError({"purpose": _("Say what you would like to use the place for.")})
    if len(purpose) > 300:
        raise ValidationError({"purpose": _("Keep the purpose under 300 characters.")})
    if initiative is not None and initiative.neighbourhood_id != place.neighbourhood_id:
        raise ValidationError({"initiative": _("Choose an initiative of this neighbourhood.")})
    booking = Booking(
        place=place,
        requested_by=user,
        initiative=initiative,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
    )
    try:
        with transaction.atomic():
            # Requests for one place queue on its row, so the second of two simultaneous
            # requests sees the first and gets the friendly message. The exclusion constraint
            # (PostgreSQL) and the triggers (SQLite) remain the net under every other path.
            lock_place(place)
            refuse_overlap(place, starts_at, ends_at)
            booking.save()
            notify(
                recipients=User.objects.filter(places_kept__place=place, is_active=True),
                kind=Kind.BOOKING_REQUESTED,
                actor=user,
                params=_booking_params(booking),
                url=_bookings_url(place),
            )
    except IntegrityError as exc:
        refuse_overlap(place, starts_at, ends_at)
        raise ValidationError(
            _("This time was just booked by someone else. Please choose another time."),
            code="overlap",
        ) from exc
    return booking


def _booking_params(booking: Booking) -> dict:
    """What a notification about a booking keeps: names, and the time as data."""
    return {
        "place": booking.place.name,
        "purpose": booking.purpose,
        "when_iso": booking.starts_at.isoformat(),
        "tz": booking.place.neighbourhood.timezone,
    }


def _bookings_url(place: Place) -> str:
    return reverse("bookings:place", args=[place.neighbourhood.slug, place.pk])


def _locked_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("place", "place__neighbourhood")
        .get(pk=booking.pk)
    )


@transaction.atomic
def booking_decide(*, keeper: User, booking: Booking, approve: bool, reason: str = "") -> Booking:
    """A keeper of the place approves a requested booking, or declines it with a reason."""
    booking = _locked_booking(booking)
    place = booking.place
    if not permissions.is_keeper(membership_of(keeper, place.neighbourhood), place):
        raise PermissionDenied(_("Only the keepers of this place can decide on its bookings."))
    if booking.status != BookingStatus.REQUESTED:
        raise ValidationError(_("This booking has already been decided or cancelled."))
    reason = clean_text(reason)
    if approve:
        if booking.starts_at <= timezone.now():
            raise ValidationError(_("This time has already begun or passed."))
        refuse_overlap(place, booking.starts_at, booking.ends_at, exclude=booking.pk)
        booking.status = BookingStatus.APPROVED
        booking.decline_reason = ""
    else:
        if not reason:
            raise ValidationError({"reason": _("Say why you decline, so they can try again.")})
        if len(reason) > 300:
            raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
        booking.status = BookingStatus.DECLINED
        booking.decline_reason = reason
    booking.decided_by = keeper
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    notify(
        recipients=[booking.requested_by],
        kind=Kind.BOOKING_DECIDED,
        actor=keeper,
        params=_booking_params(booking)
        | {"decision_code": booking.status, "reason": booking.decline_reason},
        url=_bookings_url(place),
    )
    return booking


@transaction.atomic
def booking_cancel(*, user: User, booking: Booking) -> Booking:
    """The member who asked, or a keeper of the place, calls off a booking; the slot is free."""
    booking = _locked_booking(booking)
    place = booking.place
    membership = membership_of(user, place.neighbourhood)
    if membership is None or not (
        booking.requested_by_id == user.pk or permissions.is_keeper(membership, place)
    ):
        raise PermissionDenied(
            _("Only the person who asked or the keepers of this place can cancel this booking.")
        )
    if not booking.is_active:
        raise ValidationError(_("This booking is no longer active."))
    if booking.activity_id is not None:
        raise ValidationError(
            _(
                "This time is reserved for an activity; its organisers cancel that date in the "
                "agenda."
            )
        )
    if booking.ends_at <= timezone.now():
        raise ValidationError(_("This booking is over; it can no longer be cancelled."))
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    return booking
