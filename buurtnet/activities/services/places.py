"""Changes to a place and the people who keep it.

Hosts assign and remove keepers; hosts and keepers change the place's details, its opening hours
and its photos.
"""

from collections.abc import Iterable
from datetime import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from buurtnet.activities import permissions
from buurtnet.activities.models import (
    Place,
    PlaceKeeper,
    PlaceKey,
    PlacePhoto,
)
from buurtnet.activities.models.places import PlaceOpening
from buurtnet.activities.services.common import clean_text, membership_of
from buurtnet.initiatives.services import validate_photo
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import User

# Enough to show a room from every side; more only makes the page long on a phone.
MAX_PHOTOS_PER_PLACE = 12
# A meeting place of a neighbourhood, not a stadium; a bigger number is a typing mistake.
MAX_PLACE_CAPACITY = 10_000


def capacity_message() -> str:
    return _("Between 1 and %(limit)s people, or leave it empty.") % {"limit": MAX_PLACE_CAPACITY}


def can_edit_place(membership: Membership | None, place: Place) -> bool:
    """Hosts of the neighbourhood and the place's own keepers look after its details."""
    if membership is None or membership.neighbourhood_id != place.neighbourhood_id:
        return False
    return permissions.can_manage_places(membership) or permissions.is_keeper(membership, place)


def _deny_unless_editor(user: User, place: Place) -> None:
    if not can_edit_place(membership_of(user, place.neighbourhood), place):
        raise PermissionDenied(_("Only hosts and the keepers of this place can change it."))


def _validate_openings(openings: Iterable[tuple[int, time, time]]) -> list[PlaceOpening]:
    """Stretches of weekdays (0 is Monday) that close after they open, the same day, and do not
    overlap; ValidationError on "openings" otherwise."""
    rows = sorted(openings, key=lambda row: (row[0], row[1]))
    for weekday, opens, closes in rows:
        if not (isinstance(weekday, int) and 0 <= weekday <= 6):
            raise ValidationError({"openings": _("Give the opening hours per weekday.")})
        if not (isinstance(opens, time) and isinstance(closes, time) and opens < closes):
            raise ValidationError(
                {"openings": _("Each stretch of opening hours closes after it opens.")}
            )
    for (day, _opens, closes), (next_day, next_opens, _closes) in zip(rows, rows[1:], strict=False):
        if day == next_day and next_opens < closes:
            raise ValidationError(
                {"openings": _("Two stretches of opening hours of the same day overlap.")}
            )
    return [PlaceOpening(weekday=day, opens=opens, closes=closes) for day, opens, closes in rows]


def _locked(place: Place) -> Place:
    """Serialise changes to one place, its keepers and its photos."""
    return Place.objects.select_for_update().select_related("neighbourhood").get(pk=place.pk)


@transaction.atomic
def place_update(
    *,
    user: User,
    place: Place,
    name: str,
    address: str = "",
    capacity: int | None = None,
    accessibility: str = "",
    opening_hours: str = "",
    house_rules: str = "",
    openings: Iterable[tuple[int, time, time]] | None = None,
) -> Place:
    """A host or keeper changes what people need to know about the place.

    `openings`: its opening hours as (weekday, opens, closes), Monday being 0; they replace the
    ones it had (none: no fixed hours). Left as they are when not given."""
    _deny_unless_editor(user, place)
    if capacity is not None and not 1 <= capacity <= MAX_PLACE_CAPACITY:
        raise ValidationError({"capacity": capacity_message()})
    new_openings = None if openings is None else _validate_openings(openings)
    place = _locked(place)
    place.name = clean_text(name)
    place.address = clean_text(address)
    place.capacity = capacity
    place.accessibility = clean_text(accessibility)
    place.opening_hours = clean_text(opening_hours)
    place.house_rules = clean_text(house_rules)
    taken = Place.objects.filter(neighbourhood_id=place.neighbourhood_id, name__iexact=place.name)
    if place.name and taken.exclude(pk=place.pk).exists():
        message = _("The neighbourhood already has a place called %(name)s.") % {"name": place.name}
        raise ValidationError({"name": message})
    place.full_clean()
    place.save()
    if new_openings is not None:
        PlaceOpening.objects.filter(place=place).delete()
        for opening in new_openings:
            opening.place = place
        PlaceOpening.objects.bulk_create(new_openings)
        shared_cache.bump(place.neighbourhood_id)
    return place


@transaction.atomic
def place_keeper_remove(*, user: User, place: Place, keeper: User) -> None:
    """A host takes a resident off the keepers of a place."""
    if not permissions.can_manage_places(membership_of(user, place.neighbourhood)):
        raise PermissionDenied(_("Only hosts of the neighbourhood can remove keepers."))
    place = _locked(place)
    deleted, _kinds = PlaceKeeper.objects.filter(place=place, user=keeper).delete()
    if not deleted:
        message = _("%(name)s does not keep this place.") % {"name": keeper.display_name}
        raise ValidationError({"keeper": ValidationError(message, code="not_keeper")})


@transaction.atomic
def place_photo_add(*, user: User, place: Place, image: UploadedFile, alt: str) -> PlacePhoto:
    """A host or keeper adds a photo of the place, with a description of what it shows."""
    _deny_unless_editor(user, place)
    place = _locked(place)
    alt = clean_text(alt)
    if not alt:
        raise ValidationError(
            {"alt": _("Describe what the photo shows, for people who cannot see it.")}
        )
    if PlacePhoto.objects.filter(place=place).count() >= MAX_PHOTOS_PER_PLACE:
        message = _("A place has at most %(count)s photos. Remove one first.") % {
            "count": MAX_PHOTOS_PER_PLACE
        }
        raise ValidationError({"image": message})
    try:
        validate_photo(image)
    except ValidationError as exc:
        raise ValidationError({"image": exc.message_dict["photo"]}) from exc
    photo = PlacePhoto(place=place, image=image, alt=alt, added_by=user)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def place_photo_remove(*, user: User, photo: PlacePhoto) -> None:
    """A host or keeper takes a photo off the place's page, and its file off the server."""
    _deny_unless_editor(user, photo.place)
    _locked(photo.place)
    photo = PlacePhoto.objects.filter(pk=photo.pk).first()
    if photo is None:
        return
    image = photo.image
    photo.delete()
    transaction.on_commit(lambda: image.delete(save=False))


@transaction.atomic
def place_key_give(*, user: User, place: Place, holder: User, note: str = "") -> PlaceKey:
    """A keeper (or host) writes down that a member holds a key of the place."""
    _deny_unless_editor(user, place)
    place = _locked(place)
    if membership_of(holder, place.neighbourhood) is None:
        message = _("Keys go to members of the neighbourhood.")
        raise ValidationError({"holder": ValidationError(message, code="not_member")})
    note = clean_text(note)
    if len(note) > 120:
        raise ValidationError({"note": _("Keep it under 120 characters.")})
    if PlaceKey.objects.filter(place=place, holder=holder).exists():
        message = _("%(name)s is on the key list already.") % {"name": holder.display_name}
        raise ValidationError({"holder": ValidationError(message, code="has_key")})
    return PlaceKey.objects.create(place=place, holder=holder, note=note, given_by=user)


@transaction.atomic
def place_key_return(*, user: User, key: PlaceKey) -> None:
    """A keeper (or host) takes someone off the key list: the key came back."""
    _deny_unless_editor(user, key.place)
    PlaceKey.objects.filter(pk=key.pk).delete()


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
    if not permissions.can_manage_places(membership_of(user, neighbourhood)):
        raise PermissionDenied(_("Only hosts of the neighbourhood can add places."))
    place = Place(
        neighbourhood=neighbourhood,
        name=clean_text(name),
        address=clean_text(address),
        capacity=capacity,
        accessibility=clean_text(accessibility),
        opening_hours=clean_text(opening_hours),
        house_rules=clean_text(house_rules),
    )
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def place_keeper_assign(*, user: User, place: Place, keeper: User) -> PlaceKeeper:
    """A host makes a resident one of the keepers of a place."""
    if not permissions.can_manage_places(membership_of(user, place.neighbourhood)):
        raise PermissionDenied(_("Only hosts of the neighbourhood can assign keepers."))
    membership = membership_of(keeper, place.neighbourhood)
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
