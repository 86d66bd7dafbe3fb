"""Booking a place for a time slot: free slots, requests, the keepers' decisions, cancelling;
and an activity's dates held at its place, asked for once for a whole series.

Two active bookings of one place never overlap; the database holds that rule too. Free time is
suggested only while the place is open (its opening hours, when the keepers gave them)."""

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtnet.activities import permissions
from buurtnet.activities.models import (
    ACTIVE_BOOKING_STATUSES,
    Activity,
    Booking,
    BookingStatus,
    Place,
    PlaceKeeper,
    localize,
)
from buurtnet.activities.models.bookings import RESERVE_AHEAD, SeriesBooking
from buurtnet.activities.models.places import PlaceOpening
from buurtnet.activities.recurrence import Occurrence, occurrences
from buurtnet.activities.services.common import aware, clean_text, lock_place, membership_of
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import User

logger = logging.getLogger(__name__)


BOOKING_MAX_DURATION = timedelta(hours=12)


# The part of a day in which free time is suggested, in the neighbourhood's time zone, at a place
# whose keepers gave no opening hours.
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


def opening_periods(place: Place, day: date) -> list[tuple[datetime, datetime]]:
    """When the place is open on `day`, in order: its opening hours for that weekday (none on a
    closed day), or the whole suggestion day when its keepers gave no opening hours."""
    tz = ZoneInfo(place.neighbourhood.timezone)
    rows = list(PlaceOpening.objects.filter(place=place).values_list("weekday", "opens", "closes"))
    if not rows:
        hours = [(BOOKING_DAY_OPENS, BOOKING_DAY_CLOSES)]
    else:
        hours = sorted(
            (opens, closes) for weekday, opens, closes in rows if weekday == day.weekday()
        )
    return [
        (localize(datetime.combine(day, opens), tz), localize(datetime.combine(day, closes), tz))
        for opens, closes in hours
    ]


def booking_free_slots(*, place: Place, day: date) -> list[tuple[datetime, datetime]]:
    """The still-to-come stretches of at least half an hour on `day` that no active booking
    of the place holds, while the place is open (see opening_periods), in the neighbourhood's
    time. Nothing on a day the place is closed."""
    periods = opening_periods(place, day)
    if not periods:
        return []
    day_opens, day_closes = periods[0][0], periods[-1][1]
    busy = list(
        Booking.objects.filter(
            place=place,
            status__in=ACTIVE_BOOKING_STATUSES,
            starts_at__lt=day_closes,
            ends_at__gt=day_opens,
        )
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )
    now = _round_up(timezone.now(), BOOKING_STEP)
    free: list[tuple[datetime, datetime]] = []
    for opens, closes in periods:
        cursor = max(opens, now)
        for start, end in busy:
            if end <= cursor or start >= closes:
                continue
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
    """A keeper of the place approves a requested booking, or declines it with a reason.

    A date held for an activity whose keepers were asked for all its dates at once is decided
    with all of them (series_booking_decide)."""
    if booking.activity_id is not None:
        series = SeriesBooking.objects.filter(activity_id=booking.activity_id).first()
        if series is not None:
            series_booking_decide(keeper=keeper, series=series, approve=approve, reason=reason)
            booking.refresh_from_db()
            return booking
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


# --- An activity's dates held at its place -------------------------------------------------------


def series_booking_of(activity: Activity) -> SeriesBooking | None:
    """The request for the activity's dates at its place, if it needed one (a query unless
    loaded with select_related("place_request"))."""
    try:
        return activity.place_request
    except SeriesBooking.DoesNotExist:
        return None


def reservation_status(activity: Activity) -> str | None:
    """The status the activity's dates are booked with: approved when nobody had to be asked
    or the keepers approved, requested while they have not decided; None after a decline."""
    series = series_booking_of(activity)
    if series is None or series.status == BookingStatus.APPROVED:
        return BookingStatus.APPROVED
    if series.status == BookingStatus.REQUESTED:
        return BookingStatus.REQUESTED
    return None


def needs_keepers(user: User, place: Place | None) -> bool:
    """Whether the place's keepers decide on the dates an activity of this member holds there:
    yes at a place with keepers, unless the member is one of them."""
    if place is None:
        return False
    if not PlaceKeeper.objects.filter(place=place, user__is_active=True).exists():
        return False
    return not permissions.is_keeper(membership_of(user, place.neighbourhood), place)


def reserve_dates(
    activity: Activity, *, until: datetime, status: str | None = None
) -> list[Occurrence]:
    """Book the activity's place for each coming occurrence up to `until` that is not held yet,
    with the activity's reservation status (approved, or requested while the keepers decide).

    Returns the occurrences whose time was booked by someone else already: the organisers (and
    the keepers) hear which dates lack the room; nothing else is touched. The caller runs in a
    transaction; the place's row is locked for the rest of it."""
    if activity.place_id is None:
        return []
    status = status or reservation_status(activity)
    if status is None:
        return []
    now = timezone.now()
    lock_place(activity.place)
    coming = [
        o
        for o in occurrences(activity, now, until, changes=activity.changes.all())
        if not o.cancelled and o.start > now
    ]
    if not coming:
        return []
    held = set(
        Booking.objects.filter(
            activity=activity,
            status__in=ACTIVE_BOOKING_STATUSES,
            occurrence_start__in=[o.original_start for o in coming],
        ).values_list("occurrence_start", flat=True)
    )
    taken = list(
        Booking.objects.filter(
            place_id=activity.place_id,
            status__in=ACTIVE_BOOKING_STATUSES,
            starts_at__lt=max(o.end for o in coming),
            ends_at__gt=min(o.start for o in coming),
        ).values_list("starts_at", "ends_at")
    )
    series = series_booking_of(activity)
    unreserved: list[Occurrence] = []
    new: list[Booking] = []
    for occurrence in coming:
        if occurrence.original_start in held:
            continue
        if any(start < occurrence.end and end > occurrence.start for start, end in taken):
            unreserved.append(occurrence)
            continue
        taken.append((occurrence.start, occurrence.end))
        approved = status == BookingStatus.APPROVED
        new.append(
            Booking(
                place_id=activity.place_id,
                requested_by_id=(series.requested_by_id if series else None)
                or activity.created_by_id,
                initiative_id=activity.initiative_id,
                activity=activity,
                occurrence_start=occurrence.original_start,
                starts_at=occurrence.start,
                ends_at=occurrence.end,
                purpose=activity.title[:300],
                status=status,
                decided_by_id=series.decided_by_id if series and approved else None,
                decided_at=now if approved else None,
            )
        )
    Booking.objects.bulk_create(new)
    shared_cache.bump(activity.neighbourhood_id)
    return unreserved


def _series_params(series: SeriesBooking, first: datetime | None) -> dict:
    activity = series.activity
    dates = Booking.objects.filter(
        activity=activity, status__in=ACTIVE_BOOKING_STATUSES, ends_at__gt=timezone.now()
    ).count()
    purpose = activity.title
    if activity.rrule:
        purpose = ngettext(
            "%(title)s: a series, %(count)s date held in the coming year",
            "%(title)s: a series, %(count)s dates held in the coming year",
            dates,
        ) % {"title": activity.title, "count": dates}
    return {
        "place": series.place.name,
        "purpose": purpose,
        "when_iso": (first or activity.first_start).isoformat(),
        "tz": series.place.neighbourhood.timezone,
    }


def series_booking_request(*, user: User, activity: Activity) -> SeriesBooking:
    """The place of a newly planned activity asked for, for all its dates at once: its coming
    dates are held as requested bookings, and the keepers hear of it. Called by the planning
    services, in their transaction, when `needs_keepers` says so; `activity.unreserved` then
    names the dates that were booked by someone else already."""
    series = SeriesBooking.objects.create(
        activity=activity, place=activity.place, requested_by=user
    )
    activity.place_request = series
    activity.unreserved = reserve_dates(
        activity, until=timezone.now() + RESERVE_AHEAD, status=BookingStatus.REQUESTED
    )
    first = (
        Booking.objects.filter(activity=activity, status=BookingStatus.REQUESTED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    notify(
        recipients=User.objects.filter(places_kept__place=activity.place, is_active=True),
        kind=Kind.BOOKING_REQUESTED,
        actor=user,
        params=_series_params(series, first),
        url=_bookings_url(activity.place),
    )
    return series


def series_booking_carry(
    *, user: User, old: Activity, new: Activity, old_until: datetime | None
) -> None:
    """A series changed from a date on (services.organise.activity_change_from): the new series
    keeps the keepers' decision when it is at the same place at the same times, and asks again
    otherwise; `new.unreserved` names the dates the place was booked by someone else."""
    previous = series_booking_of(old)
    if (
        previous is not None
        and previous.status == BookingStatus.REQUESTED
        and not Booking.objects.filter(
            activity=old, status=BookingStatus.REQUESTED, ends_at__gt=timezone.now()
        ).exists()
    ):
        # The old series has no dates left to decide on: its request is withdrawn.
        previous.status = BookingStatus.CANCELLED
        previous.save(update_fields=["status"])
    same_times = (
        new.place_id == old.place_id
        and new.start_time == old.start_time
        and new.duration_minutes == old.duration_minutes
        and new.rrule == old.rrule
        and (old_until is None or (new.until is not None and new.until <= old_until))
    )
    if not needs_keepers(user, new.place):
        new.unreserved = reserve_dates(new, until=timezone.now() + RESERVE_AHEAD)
        return
    if (
        previous is not None
        and same_times
        and previous.status in (BookingStatus.APPROVED, BookingStatus.DECLINED)
    ):
        new.place_request = SeriesBooking.objects.create(
            activity=new,
            place=new.place,
            requested_by=previous.requested_by,
            status=previous.status,
            decided_by=previous.decided_by,
            decided_at=previous.decided_at,
            decline_reason=previous.decline_reason,
        )
        new.unreserved = reserve_dates(new, until=timezone.now() + RESERVE_AHEAD)
        return
    series_booking_request(user=user, activity=new)


@transaction.atomic
def series_booking_decide(
    *, keeper: User, series: SeriesBooking, approve: bool, reason: str = ""
) -> SeriesBooking:
    """A keeper of the place approves the dates of a series (or a planned activity) at once, or
    declines them all with a reason. After an approval, `series.unreserved` names the coming
    dates that could still not be booked, because someone else holds the place then."""
    series = (
        SeriesBooking.objects.select_for_update(of=("self",))
        .select_related("place", "place__neighbourhood", "activity", "activity__neighbourhood")
        .get(pk=series.pk)
    )
    place = series.place
    activity = series.activity
    if not permissions.is_keeper(membership_of(keeper, place.neighbourhood), place):
        raise PermissionDenied(_("Only the keepers of this place can decide on its bookings."))
    if series.status != BookingStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."), code="already_decided")
    reason = clean_text(reason)
    now = timezone.now()
    waiting = Booking.objects.filter(activity=activity, status=BookingStatus.REQUESTED)
    first = waiting.filter(starts_at__gt=now).order_by("starts_at").first()
    if approve:
        lock_place(place)
        if first is None and not any(
            not o.cancelled and o.start > now
            for o in occurrences(activity, now, now + RESERVE_AHEAD)
        ):
            raise ValidationError(
                _("All its dates have begun or passed; there is nothing left to approve."),
                code="past",
            )
        series.status = BookingStatus.APPROVED
        series.decline_reason = ""
    else:
        if not reason:
            raise ValidationError({"reason": _("Say why you decline, so they can try again.")})
        if len(reason) > 300:
            raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
        series.status = BookingStatus.DECLINED
        series.decline_reason = reason
    series.decided_by = keeper
    series.decided_at = now
    series.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    activity.place_request = series
    waiting.update(
        status=series.status,
        decided_by=keeper,
        decided_at=now,
        decline_reason=series.decline_reason,
    )
    shared_cache.bump(place.neighbourhood_id)
    series.unreserved = (
        reserve_dates(activity, until=now + RESERVE_AHEAD, status=BookingStatus.APPROVED)
        if approve
        else []
    )
    if series.requested_by_id is not None:
        notify(
            recipients=User.objects.filter(pk=series.requested_by_id, is_active=True),
            kind=Kind.BOOKING_DECIDED,
            actor=keeper,
            params=_series_params(series, first.starts_at if first else None)
            | {"decision_code": series.status, "reason": series.decline_reason},
            url=_bookings_url(place),
        )
    return series
