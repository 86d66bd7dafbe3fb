"""Reads about places: the list, one place, its keys, and who may be chosen as keeper."""

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from buurtnet.activities.models import (
    ACTIVE_BOOKING_STATUSES,
    Booking,
    Place,
    PlaceKeeper,
    PlaceKey,
    PlacePhoto,
)
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
    """A place of the neighbourhood with its keepers and photos; another's place is not found."""
    return get_object_or_404(places_of(neighbourhood).select_related("neighbourhood"), pk=pk)


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
