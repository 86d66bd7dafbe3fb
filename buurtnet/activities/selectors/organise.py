"""Reads for the organisers' pages: what a member may organise, and what is coming."""

from datetime import datetime, timedelta

from django.utils import timezone

from buurtnet.activities.models import Activity, BookingStatus, Place
from buurtnet.activities.models.bookings import SeriesBooking
from buurtnet.activities.recurrence import Occurrence, activities_between, occurrences
from buurtnet.initiatives.models import Initiative, ParticipantRole, ParticipationStatus, Status
from buurtnet.neighbourhoods.models import Membership, Neighbourhood

# How far ahead the organisers' pages look for an activity's coming dates.
LOOK_AHEAD = timedelta(days=366 * 2)
# The initiative page lists the coming dates of this stretch of time.
INITIATIVE_AHEAD = timedelta(days=183)


def initiatives_led_by(membership: Membership | None) -> list[Initiative]:
    """The initiatives of the neighbourhood this member leads (and that have not ended)."""
    if membership is None or not membership.is_resident:
        return []
    return list(
        Initiative.objects.filter(
            neighbourhood_id=membership.neighbourhood_id,
            participations__user_id=membership.user_id,
            participations__role=ParticipantRole.INITIATOR,
            participations__status=ParticipationStatus.ACCEPTED,
        )
        .exclude(status=Status.ENDED)
        .order_by("title", "id")
        .distinct()
    )


def places_kept_by(membership: Membership | None) -> list[Place]:
    """The places of the neighbourhood this member keeps."""
    if membership is None or not membership.is_resident:
        return []
    return list(
        Place.objects.filter(
            neighbourhood_id=membership.neighbourhood_id, keepers__user_id=membership.user_id
        )
        .order_by("name", "id")
        .distinct()
    )


def places_of(neighbourhood: Neighbourhood) -> list[Place]:
    return list(Place.objects.filter(neighbourhood=neighbourhood).order_by("name", "id"))


def activity_in(neighbourhood: Neighbourhood, pk: int) -> Activity | None:
    """An activity of the neighbourhood, loaded for the organisers' pages; None when unknown."""
    return (
        Activity.objects.select_related("neighbourhood", "place", "initiative")
        .prefetch_related("languages")
        .filter(neighbourhood=neighbourhood, pk=pk)
        .first()
    )


def next_occurrence(activity: Activity, *, now: datetime | None = None) -> Occurrence | None:
    """The activity's next date that is not over and not cancelled, if it has one."""
    now = now or timezone.now()
    for occurrence in occurrences(activity, now, now + LOOK_AHEAD):
        if not occurrence.cancelled:
            return occurrence
    return None


def coming_occurrences_of_initiative(
    initiative: Initiative, *, limit: int = 5, now: datetime | None = None
) -> list[Occurrence]:
    """The initiative's next dates (cancelled ones included, flagged): two queries in all."""
    now = now or timezone.now()
    end = now + INITIATIVE_AHEAD
    activities = activities_between(
        Activity.objects.filter(initiative=initiative)
        .select_related("neighbourhood", "place", "initiative")
        .prefetch_related("changes"),
        now,
        end,
    )
    found = [o for activity in activities for o in occurrences(activity, now, end)]
    found.sort(key=lambda o: (o.start, o.activity.pk))
    return found[:limit]


def waiting_for_keepers(activity_ids) -> set[int]:
    """Which of these activities have dates that wait for their place's keepers to approve them
    (see services.bookings.series_booking_request): one query, for the agenda and a date's page
    to say "waiting for the keepers' approval"."""
    ids = list(activity_ids)
    if not ids:
        return set()
    return set(
        SeriesBooking.objects.filter(
            activity_id__in=ids, status=BookingStatus.REQUESTED
        ).values_list("activity_id", flat=True)
    )
