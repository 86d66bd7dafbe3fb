"""Every change to places, activities and RSVPs goes through one of these functions."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from buurtnet.activities import permissions
from buurtnet.activities.links import occurrence_url
from buurtnet.activities.models import (
    ACTIVE_BOOKING_STATUSES,
    Activity,
    Audience,
    Booking,
    BookingStatus,
    CalendarToken,
    Dish,
    OccurrenceChange,
    Place,
    PlaceKeeper,
    Rsvp,
    RsvpStatus,
    Task,
    TaskSignup,
    localize,
    new_calendar_token,
)
from buurtnet.activities.recurrence import (
    Occurrence,
    first_naive,
    occurrence_at,
    occurrences,
    original_starts,
    validate_rrule,
)
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods.access import get_membership
from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import Language, User

logger = logging.getLogger(__name__)

MAX_DURATION_MINUTES = 24 * 60
MAX_GUESTS = 20


class _Keep:
    """Marks an argument of activity_change_from that keeps the series' current value."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def _membership(user: User, neighbourhood: Neighbourhood) -> Membership | None:
    return get_membership(user=user, neighbourhood=neighbourhood)


def _clean_text(value: str) -> str:
    return (value or "").strip()


def _deny_unless_organiser(user: User, activity: Activity) -> None:
    if not permissions.can_organise(_membership(user, activity.neighbourhood), activity):
        raise PermissionDenied(
            _(
                "Only the organisers of this activity (its initiators or the keepers of its "
                "place) can do that."
            )
        )


def _locked(activity: Activity) -> Activity:
    """Serialise changes to one activity and its RSVPs (and see its current state)."""
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "place", "initiative")
        .get(pk=activity.pk)
    )


@transaction.atomic
def place_create(
    *,
    user: User,
    neighbourhood: Neighbourhood,
    name: str,
    address: str = "",
    capacity: int | None = None,
    accessibility: str = "",
    opening_hours: str = "",
    house_rules: str = "",
) -> Place:
    """A host adds a place of the neighbourhood (a room, a kitchen, a courtyard)."""
    if not permissions.can_manage_places(_membership(user, neighbourhood)):
        raise PermissionDenied(_("Only hosts of the neighbourhood can add places."))
    place = Place(
        neighbourhood=neighbourhood,
        name=_clean_text(name),
        address=_clean_text(address),
        capacity=capacity,
        accessibility=_clean_text(accessibility),
        opening_hours=_clean_text(opening_hours),
        house_rules=_clean_text(house_rules),
    )
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def place_keeper_assign(*, user: User, place: Place, keeper: User) -> PlaceKeeper:
    """A host makes a resident one of the keepers of a place."""
    if not permissions.can_manage_places(_membership(user, place.neighbourhood)):
        raise PermissionDenied(_("Only hosts of the neighbourhood can assign keepers."))
    membership = _membership(keeper, place.neighbourhood)
    if membership is None or not membership.is_resident:
        message = _("Keepers are residents of the neighbourhood.")
        raise ValidationError({"keeper": ValidationError(message, code="not_resident")})
    assigned, created = PlaceKeeper.objects.get_or_create(
        place=place, user=keeper, defaults={"assigned_by": user}
    )
    if not created:
        message = _("%(name)s already keeps this place.") % {"name": keeper.display_name}
        raise ValidationError({"keeper": ValidationError(message, code="already_keeper")})
    return assigned


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


# Repeating activities at a place hold its coming dates this far ahead; a daily job moves the
# horizon along (reservations_extend).
RESERVE_AHEAD = timedelta(days=365)


def _lock_place(place: Place) -> None:
    """Bookings of one place queue on its row (see booking_request)."""
    Place.objects.select_for_update().filter(pk=place.pk).first()


def _reserve(activity: Activity, *, until: datetime) -> list[Occurrence]:
    """Book the activity's place for each coming occurrence up to `until` that is not held yet.

    Returns the occurrences whose time was booked by someone else already: the organisers hear
    which dates lack the room; nothing else is touched."""
    if activity.place_id is None:
        return []
    now = timezone.now()
    _lock_place(activity.place)
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
    unreserved: list[Occurrence] = []
    new: list[Booking] = []
    for occurrence in coming:
        if occurrence.original_start in held:
            continue
        if any(start < occurrence.end and end > occurrence.start for start, end in taken):
            unreserved.append(occurrence)
            continue
        taken.append((occurrence.start, occurrence.end))
        new.append(
            Booking(
                place_id=activity.place_id,
                requested_by_id=activity.created_by_id,
                initiative_id=activity.initiative_id,
                activity=activity,
                occurrence_start=occurrence.original_start,
                starts_at=occurrence.start,
                ends_at=occurrence.end,
                purpose=activity.title[:300],
                status=BookingStatus.APPROVED,
                decided_at=now,
            )
        )
    Booking.objects.bulk_create(new)
    return unreserved


def _release(activity: Activity, *, from_start: datetime) -> None:
    """Free the place for the activity's reserved dates from `from_start` on."""
    Booking.objects.filter(
        activity=activity,
        status__in=ACTIVE_BOOKING_STATUSES,
        occurrence_start__gte=from_start,
    ).update(status=BookingStatus.CANCELLED)


def reservations_extend() -> int:
    """Move the reservation horizon of every repeating activity at a place along; returns how
    many dates could not be reserved because the place was booked then."""
    now = timezone.now()
    clashes = 0
    series = (
        Activity.objects.filter(place__isnull=False)
        .exclude(rrule="")
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .select_related("neighbourhood", "place")
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
) -> Activity:
    """An initiative's initiators (or a place's keepers) plan an activity or a series."""
    _validate_where(neighbourhood=neighbourhood, initiative=initiative, place=place)
    activity = Activity(
        neighbourhood=neighbourhood,
        initiative=initiative,
        place=place,
        location=_clean_text(location),
        title=_clean_text(title),
        description=_clean_text(description),
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
    )
    if initiative is None and place is None:
        raise ValidationError(
            {"initiative": _("Choose the initiative that organises it, or the place it is for.")}
        )
    _deny_unless_organiser(user, activity)
    activity.full_clean(exclude=["neighbourhood", "initiative", "place", "created_by", "previous"])
    _validate_schedule(activity)
    languages = _validate_languages(languages)
    activity.save()
    activity.languages.set(languages)
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
) -> Activity:
    """The organisers change what the whole activity is (not when): title, seats, cost…"""
    activity = _locked(activity)
    _deny_unless_organiser(user, activity)
    changes = {
        "title": title if title is KEEP else _clean_text(title),
        "description": description if description is KEEP else _clean_text(description),
        "location": location if location is KEEP else _clean_text(location),
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
            _promote(activity, start, actor=user)
    return activity


def _aware(moment: datetime, field: str) -> datetime:
    if not isinstance(moment, datetime) or timezone.is_naive(moment):
        raise ValidationError({field: _("Give a date and a time.")})
    return moment


def _coming_occurrence(activity: Activity, original_start: datetime) -> Occurrence:
    occurrence = occurrence_at(activity, _aware(original_start, "occurrence_start"))
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
    activity = _locked(activity)
    _deny_unless_organiser(user, activity)
    occurrence = _coming_occurrence(activity, original_start)
    change, _created = OccurrenceChange.objects.update_or_create(
        activity=activity,
        original_start=occurrence.original_start,
        defaults={
            "cancelled": True,
            "new_start": None,
            "new_end": None,
            "note": _clean_text(note)[:300],
        },
    )
    Booking.objects.filter(
        activity=activity,
        occurrence_start=occurrence.original_start,
        status__in=ACTIVE_BOOKING_STATUSES,
    ).update(status=BookingStatus.CANCELLED)
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
    activity = _locked(activity)
    _deny_unless_organiser(user, activity)
    occurrence = _coming_occurrence(activity, original_start)
    new_start = _aware(new_start, "new_start")
    new_end = _aware(new_end, "new_end")
    if new_end <= new_start:
        raise ValidationError({"new_end": _("The end must come after the start.")})
    if new_end - new_start > timedelta(minutes=MAX_DURATION_MINUTES):
        raise ValidationError({"new_end": _("An activity lasts between one minute and 24 hours.")})
    if new_start <= timezone.now():
        raise ValidationError({"new_start": _("Move it to a time that is still to come.")})
    if activity.place_id is not None:
        _lock_place(activity.place)
        held = Booking.objects.filter(
            activity=activity,
            occurrence_start=occurrence.original_start,
            status__in=ACTIVE_BOOKING_STATUSES,
        ).first()
        try:
            _refuse_overlap(activity.place, new_start, new_end, exclude=held.pk if held else None)
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
                status=BookingStatus.APPROVED,
                decided_at=timezone.now(),
            )
    change, _created = OccurrenceChange.objects.update_or_create(
        activity=activity,
        original_start=occurrence.original_start,
        defaults={
            "cancelled": False,
            "new_start": new_start,
            "new_end": new_end,
            "note": _clean_text(note)[:300],
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
) -> Activity:
    """Change a series from one occurrence on: the old series ends just before it, a new one
    carries the new values, and coming RSVPs and changes move along on the same dates."""
    old = _locked(activity)
    _deny_unless_organiser(user, old)
    from_start = _aware(from_start, "from_start")
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
        location=_clean_text(pick(location, old.location)),
        title=_clean_text(pick(title, old.title)),
        description=_clean_text(pick(description, old.description)),
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
    new_languages = _validate_languages(old.languages.all() if languages is KEEP else languages)

    if new.capacity != old.capacity:
        _refuse_capacity_below_going(old, new.capacity, since=from_start)
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
            _promote(new, target)
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
    new.unreserved = _reserve(new, until=timezone.now() + RESERVE_AHEAD)
    return new


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


def _promote(activity: Activity, occurrence_start: datetime, *, actor=None) -> list[Rsvp]:
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
    allergies = _clean_text(allergies)
    if len(allergies) > 200:
        raise ValidationError({"allergies": _("Keep allergies under 200 characters.")})
    if not permissions.can_rsvp(_membership(user, activity.neighbourhood), activity):
        raise PermissionDenied(_("Only members of the neighbourhood can sign up."))

    activity = _locked(activity)
    occurrence = occurrence_at(activity, _aware(occurrence_start, "occurrence_start"))
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
    promoted = _promote(activity, start, actor=user)
    for moved_up in promoted:
        if moved_up.pk == rsvp.pk:
            return moved_up
    return rsvp


@transaction.atomic
def rsvp_cancel(*, user: User, activity: Activity, occurrence_start: datetime) -> Rsvp:
    """A member is not coming after all; their places go to the first in line."""
    rsvp = Rsvp.objects.filter(
        activity=activity, occurrence_start=_aware(occurrence_start, "occurrence_start"), user=user
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


# Bookings of places. A slot is [starts_at, ends_at): one booking may begin when another ends.

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


def _refuse_overlap(
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
    if _membership(user, place.neighbourhood) is None:
        raise PermissionDenied(_("Only members of the neighbourhood can book its places."))
    starts_at = _aware(starts_at, "starts_at")
    ends_at = _aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    if ends_at - starts_at > BOOKING_MAX_DURATION:
        raise ValidationError({"ends_at": _("A booking lasts at most 12 hours.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Book a time that is still to come.")})
    purpose = _clean_text(purpose)
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
            _lock_place(place)
            _refuse_overlap(place, starts_at, ends_at)
            booking.save()
            notify(
                recipients=User.objects.filter(places_kept__place=place, is_active=True),
                kind=Kind.BOOKING_REQUESTED,
                actor=user,
                params=_booking_params(booking),
                url=_bookings_url(place),
            )
    except IntegrityError as exc:
        _refuse_overlap(place, starts_at, ends_at)
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
    if not permissions.is_keeper(_membership(keeper, place.neighbourhood), place):
        raise PermissionDenied(_("Only the keepers of this place can decide on its bookings."))
    if booking.status != BookingStatus.REQUESTED:
        raise ValidationError(_("This booking has already been decided or cancelled."))
    reason = _clean_text(reason)
    if approve:
        if booking.starts_at <= timezone.now():
            raise ValidationError(_("This time has already begun or passed."))
        _refuse_overlap(place, booking.starts_at, booking.ends_at, exclude=booking.pk)
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
    membership = _membership(user, place.neighbourhood)
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


@transaction.atomic
def calendar_token_renew(*, user: User) -> CalendarToken:
    """Give the person a new secret calendar address; the old one stops working."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to get your own calendar address."))
    # Lock the person, so two renewals at once wait for each other instead of colliding.
    User.objects.select_for_update().only("pk").get(pk=user.pk)
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": new_calendar_token(), "created_at": timezone.now()}
    )
    return token
