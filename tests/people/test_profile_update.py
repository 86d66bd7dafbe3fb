import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from buurtnet.people.models import Language
from buurtnet.people.services import profile_update
from tests.people.helpers import image_upload


def _update(user, **changes):
    values = {"display_name": user.display_name, "preferred_language": user.preferred_language}
    values.update(changes)
    return profile_update(user=user, **values)


def test_it_strips_and_saves_the_name(personas):
    updated = _update(personas.daan, display_name="  Daan  ")
    assert updated.display_name == "Daan"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 61}, "display_name"),
        ({"display_name": "Da\x00an"}, "display_name"),
        ({"passions": "x" * 1001}, "passions"),
        ({"talents_other": "x" * 301}, "talents_other"),
        ({"preferred_language": "xx"}, "preferred_language"),
    ],
)
def test_it_refuses_invalid_values_before_writing(personas, changes, field):
    with pytest.raises(ValidationError) as caught:
        _update(
            personas.daan,
            **{"passions": "Kept as it was", **changes} if field != "passions" else changes,
        )
    assert field in caught.value.error_dict
    personas.daan.refresh_from_db()
    assert personas.daan.passions == ""


def test_it_refuses_unknown_privacy_settings(personas):
    with pytest.raises(ValidationError):
        _update(personas.daan, privacy={"is_staff": True})
    personas.daan.refresh_from_db()
    assert personas.daan.is_staff is False


def test_privacy_settings_not_given_stay_as_they_were(personas):
    _update(personas.daan, privacy={"show_photo": False})
    personas.daan.refresh_from_db()
    assert personas.daan.show_photo is False
    assert personas.daan.show_talents is True


def test_it_refuses_a_photo_that_is_not_an_image(personas):
    with pytest.raises(ValidationError):
        _update(personas.daan, photo=SimpleUploadedFile("x.png", b"not an image"))
    personas.daan.refresh_from_db()
    assert not personas.daan.photo


def test_it_sets_languages(personas):
    languages = list(Language.objects.filter(code__in=["so", "ti"]))
    _update(personas.daan, languages=languages)
    assert set(personas.daan.languages.all()) == set(languages)


def test_the_old_photo_is_deleted_only_after_commit(personas, django_capture_on_commit_callbacks):
    first = _update(personas.daan, photo=image_upload())
    old = first.photo.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = _update(personas.daan, photo=image_upload("b.png"))
    storage = second.photo.storage
    assert storage.exists(old)
    for callback in callbacks:
        callback()
    assert not storage.exists(old)
