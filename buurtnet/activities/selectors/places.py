"""Reads about places: the list, one place, its keys, its opening hours, who may be chosen as
keeper, and the series waiting for its keepers' approval."""

from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.dates import WEEKDAYS

from buurtnet.activities.models import (
    ACTIVE_BOOKING_STATUSES,
    Activity,
    Booking,
    BookingStatus,
    Place,
    PlaceKeeper,
    PlaceKey,
    PlacePhoto,
)
from buurtnet.activities.models.bookings import RESERVE_AHEAD, SeriesBooking
from buurtnet.activities.models.places import PlaceOpening
from buurtnet.activities.recurrence import Occurrence, occurrences
from buurtnet.neighbourhoods import names
from buurtnet.neighbourhoods.models import Membership, Neighbourhood, Role
from buurtnet.people.models import User


def place_in(neighbourhood: Neighbourhood, pk: int) -> Place:
    return get_object_or_404(Place, neighbourhood=neighbourhood, pk=pk)


def places_of(neighbourhood: Neighbourhood) -> QuerySet[Place]:
    """The neighbourhood's places with their keepers and photos: three queries for any number."""
    return Place.objects.filter(neighbourhood=neighbourhood).prefetch_related(
        Prefetch("keepers", queryset=PlaceKeeper.objects.select_related("user")),
        "photos",
    )


def place_detail(neighbourhood: Neighbourhood, pk: int) -> Place:
    """A place of the neighbourhood with its keepers, photos and opening hours; another's place
    is not found."""
    return get_object_or_404(
        places_of(neighbourhood).select_related("neighbourhood").prefetch_related("openings"),
        pk=pk,
    )


def opening_week(place: Place) -> list[dict]:
    """The place's opening hours per weekday, Monday first, from its (prefetched) openings:
    [{"weekday": "Monday", "periods": [(opens, closes), …]}, …]; empty when none were given."""
    openings = list(place.openings.all())
    if not openings:
        return []
    return [
        {
            "number": number,
            "weekday": WEEKDAYS[number],
            "periods": [(o.opens, o.closes) for o in openings if o.weekday == number],
        }
        for number in range(7)
    ]


def openings_of(place: Place) -> list[PlaceOpening]:
    return list(PlaceOpening.objects.filter(place=place).order_by("weekday", "opens"))


def awaiting_approval(place: Place) -> set[int]:
    """The activities at this place whose dates wait for its keepers' approval: one query."""
    return set(
        SeriesBooking.objects.filter(place=place, status=BookingStatus.REQUESTED).values_list(
            "activity_id", flat=True
        )
    )


def series_clashes(
    activity: Activity,
    taken: list[tuple[datetime, datetime, int | None, datetime | None]],
    now: datetime,
) -> list[Occurrence]:
    """The coming dates of the activity (within RESERVE_AHEAD) that hold no booking of their own
    because the place was booked by someone else then. `taken`: the place's active bookings in
    that window as (start, end, activity id, occurrence start). No query but the activity's
    changes (prefetch them)."""
    own = {original for _s, _e, activity_id, original in taken if activity_id == activity.pk}
    others = [(start, end) for start, end, activity_id, _o in taken if activity_id != activity.pk]
    clashes = []
    for occurrence in occurrences(activity, now, now + RESERVE_AHEAD):
        if occurrence.cancelled or occurrence.start <= now or occurrence.original_start in own:
            continue
        if any(start < occurrence.end and end > occurrence.start for start, end in others):
            clashes.append(occurrence)
    return clashes


def waiting_series(place: Place, *, now: datetime) -> list[SeriesBooking]:
    """The requests for all the dates of an activity at this place that wait for its keepers,
    oldest first, each with `first_waiting` (the booking of its next date, to decide by) and
    `next_start` (that date's start), `dates` (how many coming dates it holds) and `clashes`
    (its coming dates that someone else holds already). A request with neither coming dates nor
    clashes is left out: there is nothing left to decide. Three queries, however many requests
    and dates."""
    waiting = Booking.objects.filter(
        activity_id=OuterRef("activity_id"),
        status=BookingStatus.REQUESTED,
        ends_at__gt=now,
    )
    requests = list(
        SeriesBooking.objects.filter(place=place, status=BookingStatus.REQUESTED)
        .select_related("activity", "activity__neighbourhood", "activity__place", "requested_by")
        .prefetch_related("activity__changes")
        .annotate(
            first_waiting=Subquery(waiting.order_by("starts_at", "id").values("pk")[:1]),
            next_start=Subquery(waiting.order_by("starts_at", "id").values("starts_at")[:1]),
            dates=Coalesce(
                Subquery(
                    waiting.order_by().values("activity_id").annotate(n=Count("pk")).values("n")[:1]
                ),
                0,
            ),
        )
        .order_by("created_at", "id")
    )
    taken = list(
        Booking.objects.filter(
            place=place,
            status__in=ACTIVE_BOOKING_STATUSES,
            ends_at__gt=now,
            starts_at__lt=now + RESERVE_AHEAD,
        ).values_list("starts_at", "ends_at", "activity_id", "occurrence_start")
    )
    for request in requests:
        request.clashes = series_clashes(request.activity, taken, now)
    return [request for request in requests if request.dates or request.clashes]


def _place_ties(place: Place) -> Q:
    """Members whom the keepers and hosts of this place see named already.

    Keepers of any place here (the places page names them), the place's key holders, and members
    whose booking of it still stands (its keepers see who asked). A condition on memberships.
    """
    keepers = PlaceKeeper.objects.filter(place__neighbourhood_id=place.neighbourhood_id)
    holders = PlaceKey.objects.filter(place=place)
    bookers = Booking.objects.filter(place=place, status__in=ACTIVE_BOOKING_STATUSES)
    return (
        Q(user__in=keepers.values("user_id"))
        | Q(user__in=holders.values("holder_id"))
        | Q(user__in=bookers.values("requested_by_id"))
    )


def _place_choosable(place: Place, viewer: User) -> QuerySet[Membership]:
    """Active members a keeper or host of the place may pick (see neighbourhoods.names): those
    listed in the directory, the viewer, and those tied to the place; one query."""
    return names.with_shown_flat(
        Membership.objects.filter(neighbourhood_id=place.neighbourhood_id, user__is_active=True)
        .filter(names.findable(viewer=viewer, ties=_place_ties(place)))
        .order_by("user__display_name", "user_id")
    )


def keeper_candidates(place: Place, *, viewer: User) -> QuerySet[Membership]:
    """Residents (hosts included) the host may make keeper of the place: not keeping it yet."""
    return (
        _place_choosable(place, viewer)
        .filter(role__in=[Role.RESIDENT, Role.HOST])
        .exclude(user__in=PlaceKeeper.objects.filter(place=place).values("user_id"))
    )


def key_candidates(place: Place, *, viewer: User) -> QuerySet[Membership]:
    """Members a keeper or host may put on the key list: holding no key of the place yet."""
    return _place_choosable(place, viewer).exclude(
        user__in=PlaceKey.objects.filter(place=place).values("holder_id")
    )


def place_keys(place: Place) -> list[PlaceKey]:
    """The key list of a place, for its keepers and the hosts."""
    return list(PlaceKey.objects.filter(place=place).select_related("holder", "given_by"))


def place_photo_in(place: Place, pk: int) -> PlacePhoto:
    return get_object_or_404(PlacePhoto.objects.select_related("place"), place=place, pk=pk)


def series_booking_for(booking: Booking) -> SeriesBooking | None:
    """The request for all its activity's dates that a booking belongs to, if any."""
    if booking.activity_id is None:
        return None
    return SeriesBooking.objects.filter(activity_id=booking.activity_id).first()
