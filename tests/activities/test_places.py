"""The places of a neighbourhood: the list, a place's page, its keepers, details and photos."""

import io
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from buurtnet.activities.models import Place, PlaceKeeper, PlacePhoto
from buurtnet.activities.services import places as services
from buurtnet.neighbourhoods.models import Home
from tests.factories import MembershipFactory, UserFactory

PLACES = reverse("activities:places", args=["ede-zuid"])


def place_url(place, name: str = "activities:place", *extra) -> str:
    return reverse(name, args=[place.neighbourhood.slug, place.pk, *extra])


def edit_url(place) -> str:
    return place_url(place, "activities:place_edit")


def image_file(name: str = "kamer.png", *, size=(40, 30), fmt: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 93, 75)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def noisy_png(megabytes: float) -> SimpleUploadedFile:
    """A real PNG that does not compress: random pixels of about this many megabytes."""
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def detailed_room(room):
    room.opening_hours = "Monday to Friday 9:00–17:00"
    room.house_rules = "Leave the kitchen clean.\nNo smoking."
    room.save()
    PlacePhoto.objects.create(place=room, image=image_file(), alt="The big table by the window")
    return room


@pytest.fixture
def elsewhere(personas):
    """A place of the other neighbourhood."""
    return Place.objects.create(neighbourhood=personas.other, name="Buurthuis Elders")


# The list


def test_anonymous_visitors_are_sent_to_log_in(client, personas, room):
    for url in (PLACES, place_url(room), edit_url(room)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_members_of_another_neighbourhood_get_404(as_user, personas, room):
    client = as_user(personas.olga)

    assert client.get(PLACES).status_code == 404
    assert client.get(place_url(room)).status_code == 404
    assert client.get(edit_url(room)).status_code == 404


def test_residents_see_the_places_with_their_keepers(as_user, personas, detailed_room, elsewhere):
    response = as_user(personas.daan).get(PLACES)

    assert response.status_code == 200
    assert "Huiskamer de Elskamp" in response.text
    assert place_url(detailed_room) in response.text
    assert "Room for 40 people" in response.text
    assert "Kept by Fatima" in response.text
    assert 'alt="The big table by the window"' in response.text
    assert "Buurthuis Elders" not in response.text


def test_the_list_runs_the_same_queries_for_2_or_20_places(as_user, personas):
    client = as_user(personas.daan)

    def add_places(start: int, count: int) -> None:
        for n in range(start, start + count):
            place = services.place_create(
                user=personas.henk, neighbourhood=personas.ede, name=f"Ruimte {n}"
            )
            services.place_keeper_assign(user=personas.henk, place=place, keeper=personas.fatima)
            PlacePhoto.objects.create(place=place, image=image_file(), alt=f"Ruimte {n}")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PLACES).status_code == 200
        return len(queries)

    add_places(0, 2)
    few = count()
    add_places(2, 18)
    assert count() == few


# A place's page


def test_residents_see_everything_about_a_place(as_user, personas, detailed_room, coffee):
    response = as_user(personas.daan).get(place_url(detailed_room))

    assert response.status_code == 200
    text = response.text
    assert "Elskamp 1, Ede" in text
    assert "40 people" in text
    assert "Step-free entrance, lift to the first floor." in text
    assert "Monday to Friday 9:00–17:00" in text
    assert "Leave the kitchen clean.<br>No smoking." in text
    assert 'alt="The big table by the window"' in text
    assert "Fatima" in text
    assert "Koffieochtend" in text
    assert reverse("bookings:place", args=["ede-zuid", detailed_room.pk]) in text
    assert f"?place={detailed_room.pk}" in text


def test_keepers_are_names_only(as_user, personas, room):
    Home.objects.filter(members__user=personas.fatima).update(number="77B")

    response = as_user(personas.daan).get(place_url(room))

    assert "Fatima" in response.text
    assert "fatima@example.org" not in response.text
    assert "77B" not in response.text
    assert reverse("neighbourhoods:member", args=["ede-zuid", personas.fatima.pk]) not in (
        response.text
    )


@pytest.mark.parametrize("who", ["daan", "priya", "anna"])
def test_residents_and_professionals_see_no_way_to_change_it(as_user, personas, room, who):
    response = as_user(getattr(personas, who)).get(place_url(room))

    assert response.status_code == 200
    assert edit_url(room) not in response.text
    assert "Add a keeper" not in response.text
    assert 'name="keeper"' not in response.text


def test_keepers_may_change_the_details_but_not_the_keepers(as_user, personas, room):
    response = as_user(personas.fatima).get(place_url(room))

    assert edit_url(room) in response.text
    assert 'name="keeper"' not in response.text


def test_hosts_may_change_the_details_and_choose_keepers(as_user, personas, room):
    response = as_user(personas.henk).get(place_url(room))

    assert edit_url(room) in response.text
    assert "Add a keeper" in response.text
    remove = place_url(room, "activities:place_keeper_remove", personas.fatima.pk)
    assert remove in response.text


def test_a_place_of_another_neighbourhood_is_not_found(as_user, personas, elsewhere):
    client = as_user(personas.daan)
    url = reverse("activities:place", args=["ede-zuid", elsewhere.pk])

    assert client.get(url).status_code == 404
    assert client.get(reverse("activities:place", args=["ede-zuid", 2**62])).status_code == 404


def test_the_page_runs_the_same_queries_however_much_it_shows(as_user, personas, room, coffee):
    client = as_user(personas.henk)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(place_url(room)).status_code == 200
        return len(queries)

    few = count()
    for n in range(8):
        neighbour = UserFactory(display_name=f"Buur {n}")
        MembershipFactory(user=neighbour, neighbourhood=personas.ede, building=personas.elskamp)
        services.place_keeper_assign(user=personas.henk, place=room, keeper=neighbour)
        PlacePhoto.objects.create(place=room, image=image_file(), alt=f"Photo {n}")
    assert count() == few


def test_the_bookings_page_links_back_to_the_place(as_user, personas, room):
    response = as_user(personas.daan).get(reverse("bookings:place", args=["ede-zuid", room.pk]))

    assert f'href="{place_url(room)}"' in response.text


# Keepers


def test_the_host_picks_keepers_from_the_residents_only(as_user, personas, room):
    response = as_user(personas.henk).get(place_url(room))

    options = response.context["keeper_form"].fields["keeper"].queryset
    names = {membership.user.display_name for membership in options}
    # Fatima keeps it already; professionals and other neighbourhoods are no candidates.
    assert names == {"Priya", "Daan", "Henk"}
    assert "Daan (de Elskamp)" in response.text


def test_the_host_assigns_a_keeper(as_user, personas, room):
    daan = personas.ede.memberships.get(user=personas.daan)

    response = as_user(personas.henk).post(
        place_url(room, "activities:place_keeper_add"), {"keeper": daan.pk}, follow=True
    )

    assert response.status_code == 200
    assert "Daan now keeps this place." in response.text
    assert PlaceKeeper.objects.filter(place=room, user=personas.daan).exists()


@pytest.mark.parametrize("choice", ["", "not-a-number", "ANNA", "OLGA", "FATIMA", str(2**70)])
def test_a_keeper_who_cannot_be_one_gets_400(as_user, personas, room, choice):
    memberships = {
        "ANNA": personas.anna.memberships.get().pk,
        "OLGA": personas.olga.memberships.get().pk,
        "FATIMA": personas.fatima.memberships.get().pk,
    }

    response = as_user(personas.henk).post(
        place_url(room, "activities:place_keeper_add"), {"keeper": memberships.get(choice, choice)}
    )

    assert response.status_code == 400
    assert "Choose a resident from the list." in response.text
    assert list(room.keepers.values_list("user__display_name", flat=True)) == ["Fatima"]


@pytest.mark.parametrize(("who", "status"), [("fatima", 403), ("daan", 403), ("olga", 404)])
def test_only_hosts_assign_keepers(as_user, personas, room, who, status):
    daan = personas.ede.memberships.get(user=personas.daan)

    response = as_user(getattr(personas, who)).post(
        place_url(room, "activities:place_keeper_add"), {"keeper": daan.pk}
    )

    assert response.status_code == status
    assert not PlaceKeeper.objects.filter(place=room, user=personas.daan).exists()


def test_the_host_removes_a_keeper(as_user, personas, room):
    response = as_user(personas.henk).post(
        place_url(room, "activities:place_keeper_remove", personas.fatima.pk), follow=True
    )

    assert response.status_code == 200
    assert "Fatima no longer keeps this place." in response.text
    assert not room.keepers.exists()


def test_removing_someone_who_keeps_nothing_is_not_found(as_user, personas, room):
    url = place_url(room, "activities:place_keeper_remove", personas.daan.pk)

    assert as_user(personas.henk).post(url).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("fatima", 403), ("daan", 403), ("olga", 404)])
def test_only_hosts_remove_keepers(as_user, personas, room, who, status):
    url = place_url(room, "activities:place_keeper_remove", personas.fatima.pk)

    assert as_user(getattr(personas, who)).post(url).status_code == status
    assert room.keepers.filter(user=personas.fatima).exists()


def test_removing_needs_post(as_user, personas, room):
    url = place_url(room, "activities:place_keeper_remove", personas.fatima.pk)

    assert as_user(personas.henk).get(url).status_code == 405


def test_the_service_refuses_non_hosts_and_non_keepers(personas, room):
    with pytest.raises(PermissionDenied):
        services.place_keeper_remove(user=personas.fatima, place=room, keeper=personas.fatima)
    with pytest.raises(ValidationError) as error:
        services.place_keeper_remove(user=personas.henk, place=room, keeper=personas.daan)
    assert error.value.message_dict == {"keeper": ["Daan does not keep this place."]}


def test_a_removed_keeper_no_longer_decides_bookings(as_user, personas, room):
    services.place_keeper_remove(user=personas.henk, place=room, keeper=personas.fatima)

    response = as_user(personas.fatima).get(edit_url(room))

    assert response.status_code == 403


# Details


DETAILS = {
    "name": "Huiskamer de Elskamp",
    "address": "Elskamp 1, Ede",
    "capacity": "35",
    "accessibility": "Step-free entrance. Lift to the first floor.",
    "opening_hours": "Every weekday from 9:00",
    "house_rules": "Leave it as you found it.",
}


@pytest.mark.parametrize("who", ["fatima", "henk"])
def test_keepers_and_hosts_change_the_details(as_user, personas, room, who):
    client = as_user(getattr(personas, who))
    assert client.get(edit_url(room)).status_code == 200

    response = client.post(edit_url(room), {**DETAILS, "name": "  De Huiskamer  "}, follow=True)

    assert response.status_code == 200
    assert "The details of the place are saved." in response.text
    room.refresh_from_db()
    assert (room.name, room.capacity, room.opening_hours) == (
        "De Huiskamer",
        35,
        "Every weekday from 9:00",
    )


def test_an_empty_capacity_means_unknown(as_user, personas, room):
    as_user(personas.fatima).post(edit_url(room), {**DETAILS, "capacity": ""})

    room.refresh_from_db()
    assert room.capacity is None


@pytest.mark.parametrize(("who", "status"), [("daan", 403), ("anna", 403), ("olga", 404)])
def test_others_cannot_change_the_details(as_user, personas, room, who, status):
    client = as_user(getattr(personas, who))

    assert client.get(edit_url(room)).status_code == status
    assert client.post(edit_url(room), {**DETAILS, "name": "Mine"}).status_code == status
    room.refresh_from_db()
    assert room.name == "Huiskamer de Elskamp"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"capacity": "0"}, "capacity", "Between 1 and 10000 people, or leave it empty."),
        ({"capacity": "-3"}, "capacity", "Between 1 and 10000 people, or leave it empty."),
        ({"capacity": str(10**30)}, "capacity", "Between 1 and 10000 people, or leave it empty."),
        ({"capacity": "forty"}, "capacity", "Enter a whole number."),
        ({"name": "x" * 121}, "name", "Ensure this value has at most 120 characters"),
        ({"house_rules": "x" * 4001}, "house_rules", "Ensure this value has at most 4000"),
        ({"name": "buurtkeuken"}, "name", "The neighbourhood already has a place called"),
    ],
)
def test_bad_details_get_400_and_keep_what_was_typed(
    as_user, personas, room, changes, field, message
):
    services.place_create(user=personas.henk, neighbourhood=personas.ede, name="Buurtkeuken")
    data = {**DETAILS, "opening_hours": "Typed, not saved", **changes}

    response = as_user(personas.fatima).post(edit_url(room), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "Please check what you filled in" in response.text
    assert "Typed, not saved" in response.text
    room.refresh_from_db()
    assert room.opening_hours == ""


def test_the_service_refuses_a_resident(personas, room):
    with pytest.raises(PermissionDenied):
        services.place_update(user=personas.daan, place=room, name="Mine")


# Photos


def photo_add(client, place, **data):
    return client.post(place_url(place, "activities:place_photo_add"), data)


def test_a_keeper_adds_a_photo_with_its_description(as_user, personas, room):
    client = as_user(personas.fatima)

    response = photo_add(
        client, room, image=image_file("IMG_2024 my flat.jpg", fmt="JPEG"), alt=" The kitchen "
    )

    assert response.status_code == 302
    assert response.url == edit_url(room) + "#photos"
    photo = room.photos.get()
    assert photo.alt == "The kitchen"
    assert photo.added_by == personas.fatima
    # The uploaded name tells nothing; the stored one is random.
    assert "IMG" not in photo.image.name and photo.image.name.endswith(".jpg")
    page = client.get(place_url(room)).text
    assert f'src="{photo.image.url}" alt="The kitchen"' in page


def test_the_host_adds_a_photo(as_user, personas, room):
    response = photo_add(as_user(personas.henk), room, image=image_file(), alt="Front door")

    assert response.status_code == 302
    assert room.photos.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"alt": ""}, "alt", "Describe what the photo shows"),
        ({"alt": "   "}, "alt", "Describe what the photo shows"),
        ({"alt": "x" * 201}, "alt", "at most 200 characters"),
        ({"image": None}, "image", "Choose a photo to upload."),
        ({"image": "TEXT"}, "image", "This file is not a photo we can show."),
        ({"image": "BMP"}, "image", "Please upload a JPEG, PNG, GIF or WebP photo."),
    ],
)
def test_bad_photos_get_400_and_keep_the_description(as_user, personas, room, data, field, message):
    files = {
        "TEXT": SimpleUploadedFile("kamer.png", b"not an image at all", content_type="image/png"),
        "BMP": image_file("kamer.bmp", fmt="BMP"),
    }
    values = {"image": image_file(), "alt": "The kitchen, typed"}
    values.update({key: files.get(value, value) for key, value in data.items()})
    values = {key: value for key, value in values.items() if value is not None}

    response = photo_add(as_user(personas.fatima), room, **values)

    assert response.status_code == 400
    assert message in " ".join(response.context["photo_form"].errors[field])
    if field == "image":
        assert 'value="The kitchen, typed"' in response.text
    assert not room.photos.exists()


def test_a_photo_over_5_mb_gets_400_with_a_clear_message(as_user, personas, room):
    response = photo_add(as_user(personas.fatima), room, image=noisy_png(5.2), alt="Too big")

    assert response.status_code == 400
    assert "The photo is too large: at most 5 MB, please." in response.text
    assert not room.photos.exists()


def test_the_service_checks_the_size_too(personas, room):
    with pytest.raises(ValidationError) as error:
        services.place_photo_add(
            user=personas.fatima, place=room, image=noisy_png(5.2), alt="Too big"
        )
    assert error.value.message_dict == {"image": ["The photo is too large: at most 5 MB, please."]}


def test_a_place_has_a_limited_number_of_photos(as_user, personas, room):
    for n in range(services.MAX_PHOTOS_PER_PLACE):
        PlacePhoto.objects.create(place=room, image=image_file(), alt=f"Photo {n}")

    response = photo_add(as_user(personas.fatima), room, image=image_file(), alt="One more")

    assert response.status_code == 400
    assert "A place has at most 12 photos. Remove one first." in response.text


@pytest.mark.parametrize(("who", "status"), [("daan", 403), ("anna", 403), ("olga", 404)])
def test_others_cannot_add_photos(as_user, personas, room, who, status):
    response = photo_add(as_user(getattr(personas, who)), room, image=image_file(), alt="Mine")

    assert response.status_code == status
    assert not room.photos.exists()


def test_a_keeper_removes_a_photo(as_user, personas, detailed_room):
    photo = detailed_room.photos.get()
    url = place_url(detailed_room, "activities:place_photo_remove", photo.pk)

    response = as_user(personas.fatima).post(url, follow=True)

    assert response.status_code == 200
    assert "The photo is removed." in response.text
    assert not detailed_room.photos.exists()


@pytest.mark.parametrize(("who", "status"), [("daan", 403), ("olga", 404)])
def test_others_cannot_remove_photos(as_user, personas, detailed_room, who, status):
    photo = detailed_room.photos.get()
    url = place_url(detailed_room, "activities:place_photo_remove", photo.pk)

    assert as_user(getattr(personas, who)).post(url).status_code == status
    assert detailed_room.photos.exists()


def test_a_photo_of_another_place_is_not_found(as_user, personas, detailed_room):
    other = services.place_create(user=personas.henk, neighbourhood=personas.ede, name="Keuken")
    services.place_keeper_assign(user=personas.henk, place=other, keeper=personas.fatima)
    photo = detailed_room.photos.get()

    url = place_url(other, "activities:place_photo_remove", photo.pk)

    assert as_user(personas.fatima).post(url).status_code == 404
    assert detailed_room.photos.exists()


def test_the_photo_services_refuse_residents(personas, detailed_room):
    with pytest.raises(PermissionDenied):
        services.place_photo_add(
            user=personas.daan, place=detailed_room, image=image_file(), alt="Mine"
        )
    with pytest.raises(PermissionDenied):
        services.place_photo_remove(user=personas.daan, photo=detailed_room.photos.get())
