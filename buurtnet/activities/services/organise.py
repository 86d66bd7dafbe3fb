"""Planning activities: create and change a series, cancel or move one date, and keep the
place reserved for every coming occurrence.

An activity planned at a place by someone who does not keep it asks the keepers once for all its
dates (services.bookings.series_booking_request): until they approve, its dates hold the place as
requested bookings. Rules written by hand are for hosts and place keepers; residents choose one
of the plain repeats (recurrence.PLAIN_REPEATS), and a hand-written rule from them is refused."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from buurtnet.activities.models import (
    ACTIVE_BOOKING_STATUSES,
    Activity,
    Audience,
    Booking,
    BookingStatus,
    Dish,
    OccurrenceChange,
    Place,
    Rsvp,
    RsvpStatus,
    Task,
    TaskSignup,
)
from buurtnet.activities.models.places import PlaceKeeper
from buurtnet.activities.recurrence import (
    Occurrence,
    first_naive,
    occurrence_at,
    original_starts,
    plain_repeat,
    validate_rrule,
)
from buurtnet.activities.services.bookings import (
    RESERVE_AHEAD,
    needs_keepers,
    refuse_overlap,
    reservation_status,
    reserve_dates,
    series_booking_carry,
    series_booking_request,
)
from buurtnet.activities.services.common import (
    aware,
    clean_text,
    deny_unless_organiser,
    lock_place,
    locked_activity,
    membership_of,
)
from buurtnet.activities.services.rsvps import promote_waiting
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import Language, User
from buurtnet.people.services import written_in

logger = logging.getLogger(__name__)


MAX_DURATION_MINUTES = 24 * 60


class _Keep:
    """Marks an argument of activity_change_from that keeps the series' current value."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def _validate_schedule(activity: Activity) -> None:
    """The rule is sound and the first date is the first time the rule gives."""
    if activity.duration_minutes is None or not (
        1 <= activity.duration_minutes <= MAX_DURATION_MINUTES
    ):
        raise ValidationError(
            {"duration_minutes": _("An activity lasts between one minute and 24 hours.")}
        )
    try:
        activity.rrule = validate_rrule(activity.rrule, first=first_naive(activity))
    except ValidationError as exc:
        raise ValidationError({"rrule": exc.messages}) from exc
    if activity.rrule:
        first = original_starts(
            activity, activity.first_start, activity.first_start + timedelta(days=366 * 10)
        )
        if not first or first[0] != activity.first_start:
            raise ValidationError(
                {
                    "start_date": _(
                        "The first date does not fit the repeat rule. The first time the rule "
                        "gives is %(date)s."
                    )
                    % {"date": first[0].date().isoformat() if first else "-"}
                }
            )
    if activity.until is not None and activity.until < activity.first_start:
        raise ValidationError({"until": _("The series cannot end before it starts.")})


def _validate_where(
    *, neighbourhood: Neighbourhood, initiative: Initiative | None, place: Place | None
) -> None:
    if initiative is not None and initiative.neighbourhood_id != neighbourhood.pk:
        raise ValidationError({"initiative": _("Choose an initiative of this neighbourhood.")})
    if place is not None and place.neighbourhood_id != neighbourhood.pk:
        raise ValidationError({"place": _("Choose a place of this neighbourhood.")})


def _validate_languages(languages: Iterable[Language]) -> list[Language]:
    languages = list(languages)
    if any(not isinstance(lang, Language) or not lang.pk for lang in languages):
        raise ValidationError({"languages": _("Choose languages from the list.")})
    return languages


def may_write_rules(membership: Membership | None) -> bool:
    """Hosts and the keepers of a place write repeat rules by hand; residents choose from the
    plain repeats."""
    if membership is None:
        return False
    if membership.is_host:
        return True
    return (
        membership.is_resident
        and PlaceKeeper.objects.filter(
            user_id=membership.user_id, place__neighbourhood_id=membership.neighbourhood_id
        ).exists()
    )


def _refuse_rule_by_hand(user: User, activity: Activity) -> None:
    """A rule that no plain repeat gives, from someone who may not write rules by hand."""
    if not activity.rrule or plain_repeat(activity.rrule, activity.start_date) is not None:
        return
    if not may_write_rules(membership_of(user, activity.neighbourhood)):
        raise ValidationError(
            {
                "rrule": ValidationError(
                    _(
                        "Only hosts and place keepers write their own repeat rules. Choose one "
                        "of the plain repeats, or ask a host."
                    ),
                    code="rule_by_hand",
                )
            }
        )


def _reserve(activity: Activity, *, until: datetime) -> list[Occurrence]:
    """Book the activity's place for each coming occurrence up to `until` that is not held yet
    (see services.bookings.reserve_dates), as approved or as requested from the keepers."""
    return reserve_dates(activity, until=until)


def _release(activity: Activity, *, from_start: datetime) -> None:
    """Free the place for the activity's reserved dates from `from_start` on."""
    Booking.objects.filter(
        activity=activity,
        status__in=ACTIVE_BOOKING_STATUSES,
        occurrence_start__gte=from_start,
    ).update(status=BookingStatus.CANCELLED)
    shared_cache.bump(activity.neighbourhood_id)


def reservations_extend() -> int:
    """Move the reservation horizon of every repeating activity at a place along; returns how
    many dates could not be reserved because the place was booked then."""
    now = timezone.now()
    clashes = 0
    series = (
        Activity.objects.filter(place__isnull=False)
        .exclude(rrule="")
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .exclude(place_request__status__in=[BookingStatus.DECLINED, BookingStatus.CANCELLED])
        .select_related("neighbourhood", "place", "place_request")
        .prefetch_related("changes")
    )
    for activity in series:
        try:
            with transaction.atomic():
                clashes += len(_reserve(activity, until=now + RESERVE_AHEAD))
        except DatabaseError:
            # One series' trouble (a lock timeout, say) must not keep the others unreserved;
            # tomorrow's run tries it again.
            logger.exception("Could not extend the reservations of activity %s", activity.pk)
    return clashes


@transaction.atomic
def activity_create(
    *,
    user: User,
    neighbourhood: Neighbourhood,
    title: str,
    start_date: date,
    start_time: time,
    duration_minutes: int,
    initiative: Initiative | None = None,
    place: Place | None = None,
    location: str = "",
    description: str = "",
    rrule: str = "",
    until: datetime | None = None,
    languages: Iterable[Language] = (),
    cost_cents: int = 0,
    audience: str = Audience.EVERYONE,
    capacity: int | None = None,
    is_public: bool = True,
    bring_a_dish: bool = False,
    language: str = "",
) -> Activity:
    """An initiative's initiators (or a place's keepers) plan an activity or a series.

    At a place with keepers, planned by someone else, the keepers are asked once for all its
    dates; meanwhile they hold the place as requested. `activity.unreserved` names the dates the
    place was booked by someone else already."""
    _validate_where(neighbourhood=neighbourhood, initiative=initiative, place=place)
    activity = Activity(
        neighbourhood=neighbourhood,
        initiative=initiative,
        place=place,
        location=clean_text(location),
        title=clean_text(title),
        description=clean_text(description),
        start_date=start_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        rrule=rrule,
        until=until,
        cost_cents=cost_cents,
        audience=audience,
        capacity=capacity,
        is_public=is_public,
        bring_a_dish=bring_a_dish,
        created_by=user,
        language=written_in(user, language),
    )
    if initiative is None and place is None:
        raise ValidationError(
            {"initiative": _("Choose the initiative that organises it, or the place it is for.")}
        )
    deny_unless_organiser(user, activity)
    activity.full_clean(exclude=["neighbourhood", "initiative", "place", "created_by", "previous"])
    _validate_schedule(activity)
    _refuse_rule_by_hand(user, activity)
    languages = _validate_languages(languages)
    activity.save()
    activity.languages.set(languages)
    if needs_keepers(user, place):
        series_booking_request(user=user, activity=activity)
    else:
        activity.unreserved = _reserve(activity, until=timezone.now() + RESERVE_AHEAD)
    return activity


def _refuse_capacity_below_going(
    activity: Activity, capacity: int | None, *, since: datetime | None = None
) -> None:
    """A lower capacity may not leave people who were told "you are going" without a seat."""
    if capacity is None:
        return
    busiest = (
        Rsvp.objects.filter(
            activity=activity,
            occurrence_start__gte=max(since or timezone.now(), timezone.now()),
            status=RsvpStatus.GOING,
            waitlisted=False,
        )
        .values("occurrence_start")
        .annotate(seats=Sum(F("guests") + 1))
        .order_by("-seats", "occurrence_start")
        .first()
    )
    if busiest and busiest["seats"] > capacity:
        day = busiest["occurrence_start"].astimezone(activity.tz).date()
        raise ValidationError(
            {
                "capacity": _(
                    "%(seats)s people are already going on %(date)s; the capacity cannot be "
                    "lower than that."
                )
                % {"seats": busiest["seats"], "date": date_format(day, "DATE_FORMAT")}
            },
            code="capacity_below_going",
        )


@transaction.atomic
def activity_update(
    *,
    user: User,
    activity: Activity,
    title: str = KEEP,
    description: str = KEEP,
    location: str = KEEP,
    capacity: int | None = KEEP,
    cost_cents: int = KEEP,
    audience: str = KEEP,
    is_public: bool = KEEP,
    bring_a_dish: bool = KEEP,
    languages: Iterable[Language] = KEEP,
    language: str = KEEP,
) -> Activity:
    """The organisers change what the whole activity is (not when): title, seats, cost…"""
    activity = locked_activity(activity)
    deny_unless_organiser(user, activity)
    changes = {
        "language": language if language is KEEP else written_in(user, language),
        "title": title if title is KEEP else clean_text(title),
        "description": description if description is KEEP else clean_text(description),
        "location": location if location is KEEP else clean_text(location),
        "capacity": capacity,
        "cost_cents": cost_cents,
        "audience": audience,
        "is_public": is_public,
        "bring_a_dish": bring_a_dish,
    }
    changes = {name: value for name, value in changes.items() if value is not KEEP}
    for name, value in changes.items():
        setattr(activity, name, value)
    activity.full_clean(exclude=["neighbourhood", "initiative", "place", "created_by", "previous"])
    if "capacity" in changes:
        _refuse_capacity_below_going(activity, activity.capacity)
    if languages is not KEEP:
        languages = _validate_languages(languages)
    if changes:
        activity.save(update_fields=list(changes))
    if languages is not KEEP:
        activity.languages.set(languages)
    if "capacity" in changes:
        # More seats: the first in line on each coming date move up.
        starts = (
            Rsvp.objects.filter(
                activity=activity, waitlisted=True, occurrence_start__gte=timezone.now()
            )
            .values_list("occurrence_start", flat=True)
            .distinct()
        )
        for start in list(starts):
            promote_waiting(activity, start, actor=user)
    return activity


def _coming_occurrence(activity: Activity, original_start: datetime) -> Occurrence:
    occurrence = occurrence_at(activity, aware(original_start, "occurrence_start"))
    if occurrence is None:
        raise ValidationError(_("This activity does not take place at that time."), code="none")
    if occurrence.start <= timezone.now():
        raise ValidationError(
            _("This time has already begun or passed; it can no longer be changed."), code="past"
        )
    return occurrence


@transaction.atomic
def occurrence_cancel(
    *, user: User, activity: Activity, original_start: datetime, note: str = ""
) -> OccurrenceChange:
    """The organisers call off one occurrence; the rest of the series stays as it is."""
    activity = locked_activity(activity)
    deny_unless_organiser(user, activity)
    occurrence = _coming_occurrence(activity, original_start)
    change, _created = OccurrenceChange.objects.update_or_create(
        activity=activity,
        original_start=occurrence.original_start,
        defaults={
            "cancelled": True,
            "new_start": None,
            "new_end": None,
            "note": clean_text(note)[:300],
        },
    )
    Booking.objects.filter(
        activity=activity,
        occurrence_start=occurrence.original_start,
        status__in=ACTIVE_BOOKING_STATUSES,
    ).update(status=BookingStatus.CANCELLED)
    shared_cache.bump(activity.neighbourhood_id)
    return change


@transaction.atomic
def occurrence_move(
    *,
    user: User,
    activity: Activity,
    original_start: datetime,
    new_start: datetime,
    new_end: datetime,
    note: str = "",
) -> OccurrenceChange:
    """The organisers move one occurrence to another time; the rest of the series stays."""
    activity = locked_activity(activity)
    deny_unless_organiser(user, activity)
    occurrence = _coming_occurrence(activity, original_start)
    new_start = aware(new_start, "new_start")
    new_end = aware(new_end, "new_end")
    if new_end <= new_start:
        raise ValidationError({"new_end": _("The end must come after the start.")})
    if new_end - new_start > timedelta(minutes=MAX_DURATION_MINUTES):
        raise ValidationError({"new_end": _("An activity lasts between one minute and 24 hours.")})
    if new_start <= timezone.now():
        raise ValidationError({"new_start": _("Move it to a time that is still to come.")})
    status = reservation_status(activity) if activity.place_id is not None else None
    if status is not None:
        lock_place(activity.place)
        held = Booking.objects.filter(
            activity=activity,
            occurrence_start=occurrence.original_start,
            status__in=ACTIVE_BOOKING_STATUSES,
        ).first()
        try:
            refuse_overlap(activity.place, new_start, new_end, exclude=held.pk if held else None)
        except ValidationError as exc:
            raise ValidationError({"new_start": exc.messages}) from exc
        if held is not None:
            held.starts_at, held.ends_at = new_start, new_end
            held.save(update_fields=["starts_at", "ends_at"])
        else:
            Booking.objects.create(
                place_id=activity.place_id,
                requested_by=user,
                initiative_id=activity.initiative_id,
                activity=activity,
                occurrence_start=occurrence.original_start,
                starts_at=new_start,
                ends_at=new_end,
                purpose=activity.title[:300],
                status=status,
                decided_at=timezone.now() if status == BookingStatus.APPROVED else None,
            )
    change, _created = OccurrenceChange.objects.update_or_create(
        activity=activity,
        original_start=occurrence.original_start,
        defaults={
            "cancelled": False,
            "new_start": new_start,
            "new_end": new_end,
            "note": clean_text(note)[:300],
        },
    )
    return change


@dataclass
class _Carry:
    """Where the answers and changes of the old series' coming dates go in the new one."""

    by_date: dict[date, datetime]

    def target(self, old_start: datetime, tz) -> datetime | None:
        return self.by_date.get(old_start.astimezone(tz).date())


@transaction.atomic
def activity_change_from(
    *,
    user: User,
    activity: Activity,
    from_start: datetime,
    title: str = KEEP,
    description: str = KEEP,
    start_time: time = KEEP,
    duration_minutes: int = KEEP,
    rrule: str = KEEP,
    until: datetime | None = KEEP,
    place: Place | None = KEEP,
    location: str = KEEP,
    capacity: int | None = KEEP,
    cost_cents: int = KEEP,
    audience: str = KEEP,
    is_public: bool = KEEP,
    bring_a_dish: bool = KEEP,
    languages: Iterable[Language] = KEEP,
    language: str = KEEP,
) -> Activity:
    """Change a series from one occurrence on: the old series ends just before it, a new one
    carries the new values, and coming RSVPs and changes move along on the same dates."""
    old = locked_activity(activity)
    deny_unless_organiser(user, old)
    from_start = aware(from_start, "from_start")
    if not old.rrule:
        raise ValidationError(_("Only a repeating activity can be changed from a date on."))
    occurrence = occurrence_at(old, from_start)
    if occurrence is None:
        message = _("This activity does not take place at that time.")
        raise ValidationError({"from_start": ValidationError(message, code="none")})
    if occurrence.original_start <= timezone.now():
        message = _("Past occurrences stay as they were; choose a coming date.")
        raise ValidationError({"from_start": ValidationError(message, code="past")})
    from_start = occurrence.original_start
    tz = old.tz

    def pick(value: Any, current: Any) -> Any:
        return current if value is KEEP else value

    new_place = pick(place, old.place)
    if new_place is not None:
        _validate_where(neighbourhood=old.neighbourhood, initiative=old.initiative, place=new_place)
    if old.initiative_id is None and new_place != old.place:
        raise ValidationError({"place": _("An activity of the keepers stays at its place.")})
    new = Activity(
        neighbourhood=old.neighbourhood,
        initiative=old.initiative,
        place=new_place,
        location=clean_text(pick(location, old.location)),
        title=clean_text(pick(title, old.title)),
        description=clean_text(pick(description, old.description)),
        start_date=from_start.astimezone(tz).date(),
        start_time=pick(start_time, old.start_time),
        duration_minutes=pick(duration_minutes, old.duration_minutes),
        rrule=pick(rrule, old.rrule),
        until=pick(until, old.until),
        cost_cents=pick(cost_cents, old.cost_cents),
        audience=pick(audience, old.audience),
        capacity=pick(capacity, old.capacity),
        is_public=pick(is_public, old.is_public),
        bring_a_dish=pick(bring_a_dish, old.bring_a_dish),
        language=old.language if language is KEEP else written_in(user, language),
        previous=old,
        created_by=user,
    )
    new.full_clean(exclude=["neighbourhood", "initiative", "place", "created_by", "previous"])
    # The new rule may begin on another weekday: the series starts on its first date from here.
    try:
        new.rrule = validate_rrule(new.rrule, first=first_naive(new))
    except ValidationError as exc:
        raise ValidationError({"rrule": exc.messages}) from exc
    if new.rrule:
        firsts = original_starts(new, new.first_start, new.first_start + timedelta(days=366 * 10))
        if firsts:
            new.start_date = firsts[0].astimezone(tz).date()
    _validate_schedule(new)
    if new.rrule != old.rrule:
        _refuse_rule_by_hand(user, new)
    new_languages = _validate_languages(old.languages.all() if languages is KEEP else languages)

    if new.capacity != old.capacity:
        _refuse_capacity_below_going(old, new.capacity, since=from_start)
    old_until = old.until
    old.until = from_start - timedelta(seconds=1)
    old.save(update_fields=["until"])
    new.save()
    new.languages.set(new_languages)

    coming_rsvps = list(Rsvp.objects.filter(activity=old, occurrence_start__gte=from_start))
    coming_changes = list(
        OccurrenceChange.objects.filter(activity=old, original_start__gte=from_start)
    )
    # The jobs of every date come along; who helps or brings a dish on a coming date too.
    task_copies = {
        task.pk: Task(
            activity=new,
            kind=task.kind,
            description=task.description,
            hands_needed=task.hands_needed,
            created_by=task.created_by,
        )
        for task in Task.objects.filter(activity=old, occurrence_start__isnull=True)
    }
    Task.objects.bulk_create(task_copies.values())
    shared_cache.bump(new.neighbourhood_id)
    coming_tasks = list(Task.objects.filter(activity=old, occurrence_start__gte=from_start))
    coming_signups = list(
        TaskSignup.objects.filter(task__activity=old, occurrence_start__gte=from_start)
    )
    coming_dishes = list(Dish.objects.filter(activity=old, occurrence_start__gte=from_start))
    dated = (
        [r.occurrence_start for r in coming_rsvps]
        + [c.original_start for c in coming_changes]
        + [t.occurrence_start for t in coming_tasks]
        + [x.occurrence_start for x in [*coming_signups, *coming_dishes]]
    )
    if dated:
        last = max(dated)
        carry = _Carry(
            {
                s.astimezone(tz).date(): s
                for s in original_starts(
                    new, from_start - timedelta(days=1), last + timedelta(days=2)
                )
            }
        )
        for change in coming_changes:
            target = carry.target(change.original_start, tz)
            if target is not None:
                change.activity = new
                change.original_start = target
                change.save(update_fields=["activity", "original_start"])
        moved_to: set[datetime] = set()
        for rsvp in coming_rsvps:
            target = carry.target(rsvp.occurrence_start, tz)
            if target is not None:
                rsvp.activity = new
                rsvp.occurrence_start = target
                rsvp.save(update_fields=["activity", "occurrence_start"])
                moved_to.add(target)
        for target in moved_to:
            promote_waiting(new, target)
        moved_tasks: set[int] = set()
        for task in coming_tasks:
            target = carry.target(task.occurrence_start, tz)
            if target is not None:
                task.activity, task.occurrence_start = new, target
                task.save(update_fields=["activity", "occurrence_start"])
                moved_tasks.add(task.pk)
        for signup in coming_signups:
            target = carry.target(signup.occurrence_start, tz)
            copy = task_copies.get(signup.task_id)
            if target is not None and (copy is not None or signup.task_id in moved_tasks):
                signup.occurrence_start = target
                if copy is not None:
                    signup.task = copy
                signup.save(update_fields=["task", "occurrence_start"])
        for dish in coming_dishes:
            target = carry.target(dish.occurrence_start, tz)
            if target is not None:
                dish.activity, dish.occurrence_start = new, target
                dish.save(update_fields=["activity", "occurrence_start"])
    _release(old, from_start=from_start)
    series_booking_carry(user=user, old=old, new=new, old_until=old_until)
    return new
