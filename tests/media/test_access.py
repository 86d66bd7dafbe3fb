"""Who gets an uploaded file: the people who see the page that shows it, and nobody else.

Everyone else gets the same 404 as for a file that does not exist.
"""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from buurtnet.activities.models import Attendance, AttendancePhoto, PlacePhoto
from buurtnet.initiatives.models import Participation, Update
from buurtnet.people.models import User
from tests.core.photos import camera_jpeg, png_bytes
from tests.factories import UserFactory

EVERYONE = ["anonymous", "olga", "daan", "priya", "fatima", "henk", "anna"]
EDE = ["daan", "priya", "fatima", "henk", "anna"]
MARCH = datetime(2027, 3, 26, 17, tzinfo=UTC)


@pytest.fixture
def fetch(as_user, personas):
    """GET a file's URL as one of the personas (or anonymous)."""

    def get(who: str, url: str, **headers):
        user = None if who == "anonymous" else getattr(personas, who)
        return as_user(user).get(url, headers=headers)

    return get


def profile_photo(person: User) -> str:
    person.photo.save("me.png", ContentFile(png_bytes()))
    return person.photo.url


@pytest.fixture
def update_photo(personas) -> Update:
    return Update.objects.create(
        initiative=personas.initiative, author=personas.priya, body="Full", photo=camera_jpeg()
    )


@pytest.fixture
def place_photo(room) -> PlacePhoto:
    return PlacePhoto.objects.create(place=room, image=camera_jpeg(), alt="The table")


@pytest.fixture
def attendance_photo(personas, dinner) -> AttendancePhoto:
    attendance = Attendance.objects.create(activity=dinner, occurrence_start=MARCH, came=12)
    return AttendancePhoto.objects.create(attendance=attendance, image=camera_jpeg(), alt="Us")


def assert_sees(fetch, who: str, url: str, cache: str) -> None:
    response = fetch(who, url)
    assert response.status_code == 200, who
    served = b"".join(response.streaming_content)
    name = url.removeprefix("/media/")
    with default_storage.open(name, "rb") as stored:
        assert served == stored.read()
    assert response["Content-Type"] == ("image/jpeg" if name.endswith(".jpg") else "image/png")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == f"{cache}, max-age=3600"


def assert_not_found(fetch, who: str, url: str) -> None:
    response = fetch(who, url)
    assert response.status_code == 404, who
    # A forbidden file and a file that never existed answer alike.
    unknown = fetch(who, "/media/people/0123456789abcdef.png")
    assert page_of(response, url) == page_of(unknown, "/media/people/0123456789abcdef.png")


def page_of(response, path: str) -> str:
    """The page without what differs by nature: the CSRF token (masked anew in every response)
    and the address asked for (which the language switcher sends back)."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode().replace(path, "PATH"))


def check(fetch, url: str, allowed: list[str], cache: str = "private") -> None:
    for who in EVERYONE:
        if who in allowed:
            assert_sees(fetch, who, url, cache)
        else:
            assert_not_found(fetch, who, url)


# Profile photos ---------------------------------------------------------------------------------


def test_a_profile_photo_is_for_the_neighbours_who_see_the_profile(fetch, personas):
    check(fetch, profile_photo(personas.daan), EDE)


def test_a_hidden_profile_photo_is_only_for_its_owner(fetch, personas):
    url = profile_photo(personas.daan)
    User.objects.filter(pk=personas.daan.pk).update(show_photo=False)
    check(fetch, url, ["daan"])


def test_someone_not_in_the_directory_shows_their_photo_to_nobody_else(fetch, personas):
    url = profile_photo(personas.daan)
    User.objects.filter(pk=personas.daan.pk).update(listed_in_directory=False)
    check(fetch, url, ["daan"])


def test_someone_on_board_shows_their_photo_on_the_initiative_page_unlisted(fetch, personas):
    # The initiative's page shows the people on board, listed in the directory or not.
    url = profile_photo(personas.priya)
    User.objects.filter(pk=personas.priya.pk).update(listed_in_directory=False)
    check(fetch, url, EDE)
    Participation.objects.filter(user=personas.priya).update(status="left")
    check(fetch, url, ["priya"])


def test_a_deactivated_persons_photo_is_not_served_to_others(fetch, personas):
    url = profile_photo(personas.daan)
    User.objects.filter(pk=personas.daan.pk).update(is_active=False)
    assert_not_found(fetch, "fatima", url)


def test_staff_who_may_view_people_in_the_admin_open_a_hidden_photo(client, personas):
    url = profile_photo(personas.daan)
    User.objects.filter(pk=personas.daan.pk).update(show_photo=False)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 404  # staff without the permission
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200


# Update photos ----------------------------------------------------------------------------------


def test_an_update_photo_of_a_members_only_initiative_is_for_its_neighbourhood(
    fetch, personas, update_photo
):
    personas.initiative.visibility = "members"
    personas.initiative.save()
    check(fetch, update_photo.photo.url, EDE)


def test_an_update_photo_of_a_public_initiative_is_for_everyone(fetch, update_photo):
    check(fetch, update_photo.photo.url, EVERYONE, cache="public")


# Place photos -----------------------------------------------------------------------------------


def test_a_place_photo_is_for_the_members_of_its_neighbourhood(fetch, place_photo):
    check(fetch, place_photo.image.url, EDE)


# Attendance photos ------------------------------------------------------------------------------


def test_a_photo_of_a_public_activity_is_for_everyone(fetch, attendance_photo):
    check(fetch, attendance_photo.image.url, EVERYONE, cache="public")


def test_a_photo_of_a_members_activity_is_for_its_neighbourhood(fetch, dinner, attendance_photo):
    dinner.is_public = False
    dinner.save()
    check(fetch, attendance_photo.image.url, EDE)


def test_a_public_activity_of_a_members_only_initiative_keeps_its_photos_in(
    fetch, personas, attendance_photo
):
    personas.initiative.visibility = "members"
    personas.initiative.save()
    check(fetch, attendance_photo.image.url, EDE)


# Unknown names, the web server hand-off and caching ------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/media/people/",
        "/media/people/nothing.png",
        "/media/elsewhere/abc.png",
        "/media/../config/settings.py",
        "/media/people/%2e%2e/%2e%2e/secret_key",
    ],
)
def test_unknown_names_are_404(fetch, personas, path):
    profile_photo(personas.daan)
    assert fetch("daan", path).status_code == 404


def test_a_row_whose_file_is_gone_is_404(fetch, personas):
    url = profile_photo(personas.daan)
    default_storage.delete(personas.daan.photo.name)
    assert fetch("daan", url).status_code == 404


def test_nginx_sends_the_file_after_the_check(fetch, personas, settings):
    settings.MEDIA_ACCEL = "nginx"
    url = profile_photo(personas.daan)

    response = fetch("fatima", url)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + personas.daan.photo.name
    assert response.content == b""
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=3600"
    refused = fetch("olga", url)
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_the_nginx_location_is_configurable(fetch, personas, settings):
    settings.MEDIA_ACCEL = "nginx"
    settings.MEDIA_ACCEL_PREFIX = "/internal/uploads/"
    url = profile_photo(personas.daan)
    expected = "/internal/uploads/" + personas.daan.photo.name
    assert fetch("daan", url)["X-Accel-Redirect"] == expected


def test_apache_sends_the_file_named_in_x_sendfile(fetch, personas, settings):
    settings.MEDIA_ACCEL = "sendfile"
    url = profile_photo(personas.daan)

    response = fetch("henk", url)

    assert response.status_code == 200
    path = Path(settings.MEDIA_ROOT) / personas.daan.photo.name
    assert response["X-Sendfile"] == str(path)
    assert response.content == b""
    assert fetch("anonymous", url).status_code == 404


def test_a_browser_with_the_file_gets_304_but_only_if_it_may_see_it(fetch, personas):
    url = profile_photo(personas.daan)
    etag = fetch("fatima", url)["ETag"]

    again = fetch("fatima", url, if_none_match=etag)
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, max-age=3600"
    assert fetch("olga", url, if_none_match=etag).status_code == 404


def test_posting_to_a_file_is_not_allowed(client, personas):
    url = profile_photo(personas.daan)
    client.force_login(personas.daan)
    assert client.post(url).status_code == 405


def test_a_file_costs_a_few_queries_whatever_its_kind(
    client, personas, update_photo, place_photo, attendance_photo, django_assert_max_num_queries
):
    # A page with twenty photos asks for twenty files: each must stay cheap.
    urls = [
        profile_photo(personas.daan),
        update_photo.photo.url,
        place_photo.image.url,
        attendance_photo.image.url,
    ]
    client.force_login(personas.fatima)
    for url in urls:
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/people/%00.png",
        "/media/people/abc%00def.jpg",
        "/media/updates/%0A.jpg",
        "/media/people/" + "a" * 300 + ".png",
    ],
)
def test_a_name_no_stored_file_can_have_is_404_on_every_database(fetch, personas, path):
    # PostgreSQL refuses a NUL in a query: the name must never reach it.
    assert fetch("daan", path).status_code == 404
    assert fetch("anonymous", path).status_code == 404


def test_djangos_own_language_switch_is_not_served(client, db):
    # Buurtnet's own switch (people.views.language_switch) vets `next`; Django's would not.
    assert client.post("/i18n/setlang/", {"language": "en", "next": "abc"}).status_code == 404
