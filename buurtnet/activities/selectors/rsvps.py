"""Reads about who comes to one occurrence: seats taken, waiting list, dietary summary."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, Q, Sum

from buurtnet.activities.models import (
    Activity,
    OccurrenceChange,
    Rsvp,
    RsvpStatus,
    TaskSignup,
    localize,
)
from buurtnet.activities.recurrence import Occurrence, is_original_start
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.people.models import User


def dietary_summary(activity: Activity, occurrence_start: datetime) -> dict:
    """What the cooks need to know for one occurrence, counted per person (guests included).

    {"people": 14, "halal": 6, "vegetarian": 3, "vegan": 0, "no_pork": 2,
     "allergies": [{"text": "nuts", "people": 1}], "waiting": 2}
    """
    summary: dict = {
        "people": 0,
        "halal": 0,
        "vegetarian": 0,
        "vegan": 0,
        "no_pork": 0,
        "allergies": [],
        "waiting": 0,
    }
    allergies: dict[str, int] = {}
    answers = Rsvp.objects.filter(
        activity=activity, occurrence_start=occurrence_start, status=RsvpStatus.GOING
    ).only("guests", "halal", "vegetarian", "vegan", "no_pork", "allergies", "waitlisted")
    for rsvp in answers:
        if rsvp.waitlisted:
            summary["waiting"] += rsvp.seats
            continue
        summary["people"] += rsvp.seats
        for need in ("halal", "vegetarian", "vegan", "no_pork"):
            if getattr(rsvp, need):
                summary[need] += rsvp.seats
        if rsvp.allergies:
            key = rsvp.allergies.strip().lower()
            allergies[key] = allergies.get(key, 0) + rsvp.seats
    summary["allergies"] = [
        {"text": text, "people": people} for text, people in sorted(allergies.items())
    ]
    return summary


def seats_going(activity: Activity, occurrence_start: datetime) -> int:
    """Seats taken at one occurrence (guests included), the waiting list not counted."""
    return (
        Rsvp.objects.filter(
            activity=activity,
            occurrence_start=occurrence_start,
            status=RsvpStatus.GOING,
            waitlisted=False,
        ).aggregate(seats=Sum(F("guests") + 1))["seats"]
        or 0
    )


def rsvp_of(user: User, activity: Activity, occurrence_start: datetime) -> Rsvp | None:
    return Rsvp.objects.filter(
        activity=activity, occurrence_start=occurrence_start, user=user
    ).first()


def waiting_position(rsvp: Rsvp) -> int | None:
    """Where a waiting answer stands in line (1 is next), or None when it is not waiting."""
    if not rsvp.waitlisted:
        return None
    ahead = (
        Rsvp.objects.filter(
            activity_id=rsvp.activity_id, occurrence_start=rsvp.occurrence_start, waitlisted=True
        )
        .filter(
            Q(waiting_since__lt=rsvp.waiting_since)
            | Q(waiting_since=rsvp.waiting_since, id__lt=rsvp.pk)
        )
        .count()
    )
    return ahead + 1


def attendees(activity: Activity, occurrence_start: datetime) -> dict[str, list[Rsvp]]:
    """Who is going and who waits, in line order, for the organisers."""
    answers = (
        Rsvp.objects.filter(
            activity=activity, occurrence_start=occurrence_start, status=RsvpStatus.GOING
        )
        .select_related("user")
        .order_by("waiting_since", "created_at", "id")
    )
    going: list[Rsvp] = []
    waiting: list[Rsvp] = []
    for rsvp in answers:
        (waiting if rsvp.waitlisted else going).append(rsvp)
    return {"going": going, "waiting": waiting}


# A date is named by its original start; one moved by up to this much may still lie ahead.
MOVED_MARGIN = timedelta(days=1)


@dataclass
class MyDate:
    """One date a member takes part in: their answer ("going" or waiting) and their tasks."""

    occurrence: Occurrence
    going: bool = False
    waiting: bool = False
    tasks: list[str] = field(default_factory=list)


def _occurrence_of(activity: Activity, original: datetime, change: OccurrenceChange | None):
    tz = activity.tz
    original = original.astimezone(tz)
    if change is not None and not change.cancelled:
        start, end = change.new_start.astimezone(tz), change.new_end.astimezone(tz)
        return Occurrence(activity, original, start, end, moved=True, note=change.note)
    end = localize(original.replace(tzinfo=None) + activity.duration, tz)
    cancelled = change is not None
    return Occurrence(
        activity, original, original, end, cancelled=cancelled, note=change.note if change else ""
    )


def coming_dates_of(
    user: User, neighbourhood: Neighbourhood, *, since: datetime, limit: int = 5
) -> list[MyDate]:
    """The member's own dates from `since` on, by start: what they said they go to (a place or
    the waiting list) and the tasks they took. Three queries at most, however many there are.

    At most `limit` answers and `limit` tasks are read, so a few more than `limit` dates may come
    back; the caller leaves out what ended since. A date the series no longer has (the series
    was changed from an earlier date on) is left out; a cancelled one stays, flagged.
    """
    lower = since - MOVED_MARGIN
    answers = list(
        Rsvp.objects.filter(
            user=user,
            activity__neighbourhood=neighbourhood,
            status=RsvpStatus.GOING,
            occurrence_start__gte=lower,
        )
        .select_related("activity__neighbourhood", "activity__place")
        .order_by("occurrence_start", "id")[:limit]
    )
    signups = list(
        TaskSignup.objects.filter(
            user=user,
            task__activity__neighbourhood=neighbourhood,
            occurrence_start__gte=lower,
        )
        .select_related("task__activity__neighbourhood", "task__activity__place")
        .order_by("occurrence_start", "id")[:limit]
    )
    dates: dict[tuple[int, datetime], MyDate] = {}
    activities: dict[int, Activity] = {}

    def date_of(activity: Activity, original: datetime) -> MyDate:
        activity = activities.setdefault(activity.pk, activity)
        key = (activity.pk, original)
        if key not in dates:
            dates[key] = MyDate(Occurrence(activity, original, original, original))
        return dates[key]

    for answer in answers:
        found = date_of(answer.activity, answer.occurrence_start)
        found.going, found.waiting = not answer.waitlisted, answer.waitlisted
    for signup in signups:
        date_of(signup.task.activity, signup.occurrence_start).tasks.append(
            signup.task.get_kind_display()
        )
    if not dates:
        return []
    changes = {
        (change.activity_id, change.original_start): change
        for change in OccurrenceChange.objects.filter(
            activity_id__in=activities,
            original_start__gte=min(original for _, original in dates),
            original_start__lte=max(original for _, original in dates),
        )
    }
    found = []
    for (activity_pk, original), mine in dates.items():
        activity = activities[activity_pk]
        if not is_original_start(activity, original):
            continue
        mine.occurrence = _occurrence_of(activity, original, changes.get((activity_pk, original)))
        found.append(mine)
    found.sort(key=lambda d: (d.occurrence.start, d.occurrence.activity.pk))
    return found
