import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from buurtnet.people.models import Language, Talent
from buurtnet.people.services import PRIVACY_FIELDS
from tests.people.helpers import image_upload, is_checked, profile_data

PROFILE = "/me/profile/"


@pytest.fixture
def daan(client, personas):
    client.force_login(personas.daan)
    return personas.daan


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for response in (client.get(PROFILE), client.post(PROFILE, {"display_name": "X"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_page_has_labelled_sections_and_explains_house_numbers(client, daan):
    response = client.get(PROFILE)
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("profile") == PROFILE
    for section in ("about", "talents", "site-language", "privacy", "email", "password"):
        assert f'id="{section}"' in html
    for legend in (
        "About me",
        "Languages and talents",
        "Language of Buurtnet",
        "What neighbours see",
    ):
        assert f"<legend>{legend}</legend>" in html
    assert "Your house number is never shown to anyone but the hosts" in html
    assert '<label for="id_display_name">' in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize("persona", ["fatima", "priya", "henk", "anna", "sem", "olga"])
def test_every_role_edits_their_own_profile(client, personas, persona):
    user = getattr(personas, persona)
    client.force_login(user)
    response = client.post(PROFILE, profile_data(user, passions="Neighbours meeting each other"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.passions == "Neighbours meeting each other"
    assert personas.daan.passions == ""


def test_it_saves_everything_and_says_so(client, daan):
    arabic, dutch = Language.objects.get(code="ar"), Language.objects.get(code="nl")
    cooking = Talent.objects.get(slug="cooking")
    data = profile_data(
        daan,
        display_name="  Daan de Vries ",
        languages=[arabic.pk, dutch.pk],
        talents=[cooking.pk],
        talents_other="Fixing radios",
        passions="Cooking for many people",
    )
    data.pop("show_building")
    data.pop("listed_in_directory")
    response = client.post(PROFILE, data, follow=True)
    assert response.redirect_chain == [(PROFILE, 302)]
    assert "Your profile is saved." in response.content.decode()
    daan.refresh_from_db()
    assert daan.display_name == "Daan de Vries"
    assert set(daan.languages.all()) == {arabic, dutch}
    assert list(daan.talents.all()) == [cooking]
    assert daan.talents_other == "Fixing radios"
    assert daan.passions == "Cooking for many people"
    assert daan.show_building is False
    assert daan.listed_in_directory is False
    assert daan.show_talents is True
    html = response.content.decode()
    assert is_checked(html, "languages", "ar")
    assert not is_checked(html, "languages", "tr")
    assert is_checked(html, "talents", cooking.pk)


def test_unticking_everything_clears_languages_and_talents(client, daan):
    daan.languages.set(Language.objects.filter(code="tr"))
    daan.talents.set(Talent.objects.filter(slug="music"))
    client.post(PROFILE, profile_data(daan, languages=[], talents=[]))
    assert not daan.languages.exists()
    assert not daan.talents.exists()


def test_every_privacy_flag_can_be_switched_off(client, daan):
    data = profile_data(daan)
    for name in PRIVACY_FIELDS:
        data.pop(name)
    client.post(PROFILE, data)
    daan.refresh_from_db()
    assert not any(getattr(daan, name) for name in PRIVACY_FIELDS)


def test_language_names_follow_the_readers_language(client, daan):
    daan.preferred_language = "nl"
    daan.save()
    html = client.get(PROFILE).content.decode()
    # Django's own catalogue names the languages in Dutch.
    assert "Arabisch" in html
    assert '<span lang="ar">(العربية)</span>' in html


def test_choosing_a_language_switches_the_site_at_once(client, daan):
    response = client.post(PROFILE, profile_data(daan, preferred_language="nl"))
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    daan.refresh_from_db()
    assert daan.preferred_language == "nl"
    page = client.get(PROFILE)
    assert page["Content-Language"] == "nl"
    assert '<html lang="nl"' in page.content.decode()


def test_a_missing_name_is_refused_with_400_and_keeps_what_was_typed(client, daan):
    cooking = Talent.objects.get(slug="cooking")
    data = profile_data(
        daan,
        display_name="   ",
        talents_other="Juggling <b>",
        talents=[cooking.pk],
        passions="Bikes",
        photo=image_upload(),
    )
    response = client.post(PROFILE, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your profile is not saved yet" in html
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Juggling &lt;b&gt;"' in html
    assert "Bikes</textarea>" in html
    assert is_checked(html, "talents", cooking.pk)
    assert "please choose it again before you save" in html
    daan.refresh_from_db()
    assert daan.display_name == "Daan"
    assert not daan.photo
    assert daan.talents_other == ""


def test_too_long_texts_are_refused_with_400(client, daan):
    response = client.post(PROFILE, profile_data(daan, talents_other="x" * 301))
    assert response.status_code == 400
    assert "at most 300 characters" in response.content.decode()


def test_an_unknown_site_language_is_refused_with_400(client, daan):
    response = client.post(PROFILE, profile_data(daan, preferred_language="xx"))
    assert response.status_code == 400
    daan.refresh_from_db()
    assert daan.preferred_language == "en"


def test_a_photo_can_be_added_shown_and_removed(client, daan, django_capture_on_commit_callbacks):
    response = client.post(PROFILE, profile_data(daan, photo=image_upload()))
    assert response.status_code == 302
    daan.refresh_from_db()
    name = daan.photo.name
    assert name.startswith("people/") and name.endswith(".png")
    assert default_storage.exists(name)
    assert daan.photo.url in client.get(PROFILE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PROFILE, profile_data(daan, remove_photo="on"))
    assert response.status_code == 302
    daan.refresh_from_db()
    assert not daan.photo
    assert not default_storage.exists(name)


def test_a_new_photo_replaces_the_old_file(client, daan, django_capture_on_commit_callbacks):
    client.post(PROFILE, profile_data(daan, photo=image_upload()))
    daan.refresh_from_db()
    old = daan.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PROFILE, profile_data(daan, photo=image_upload("new.jpg", "JPEG")))
    daan.refresh_from_db()
    assert daan.photo.name != old and daan.photo.name.endswith(".jpg")
    assert not default_storage.exists(old)
    assert default_storage.exists(daan.photo.name)


def test_a_file_that_is_not_an_image_is_refused_clearly(client, daan):
    fake = SimpleUploadedFile("me.jpg", b"this is not a picture", content_type="image/jpeg")
    response = client.post(PROFILE, profile_data(daan, passions="Kept", photo=fake))
    html = response.content.decode()
    assert response.status_code == 400
    assert "This file is not a photo we can use" in html
    assert "please choose it again before you save" not in html
    assert "Kept</textarea>" in html
    daan.refresh_from_db()
    assert not daan.photo


def test_an_image_type_browsers_do_not_show_is_refused(client, daan):
    response = client.post(PROFILE, profile_data(daan, photo=image_upload("me.bmp", "BMP")))
    assert response.status_code == 400
    assert "Please choose a JPEG, PNG, WebP or GIF image" in response.content.decode()


def test_a_photo_over_5_mb_is_refused_clearly(client, daan):
    big = SimpleUploadedFile(
        "big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024), content_type="image/png"
    )
    response = client.post(PROFILE, profile_data(daan, photo=big))
    assert response.status_code == 400
    assert "photos can be at most 5 MB" in response.content.decode()
    daan.refresh_from_db()
    assert not daan.photo


def test_other_methods_are_not_allowed(client, daan):
    assert client.put(PROFILE).status_code == 405
