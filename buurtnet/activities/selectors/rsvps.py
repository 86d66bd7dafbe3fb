"""Reads about who comes to one occurrence: seats taken, waiting list, dietary summary."""

from datetime import datetime

from django.db.models import F, Q, Sum

from buurtnet.activities.models import (
    Activity,
    Rsvp,
    RsvpStatus,
)
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
