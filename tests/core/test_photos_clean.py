"""`buurtnet photos_clean` and the upgrade's migration: photos stored before cleaning lose
their metadata too, once, and what is clean stays as it is."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from buurtnet.activities.models import Place, PlacePhoto
from buurtnet.people.models import User
from tests.core.photos import assert_no_metadata, camera_jpeg_bytes, opened, png_bytes


def stored_as_uploaded(name: str, content: bytes) -> str:
    """A file written the way uploads were stored before: byte for byte."""
    return default_storage.save(name, ContentFile(content))


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("photos_clean", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


@pytest.fixture
def old_photos(personas):
    """Daan's phone photo and a PNG called .jpg on a place, both as they were uploaded."""
    old_jpeg = stored_as_uploaded("people/0ld0ld.jpg", camera_jpeg_bytes())
    User.objects.filter(pk=personas.daan.pk).update(photo=old_jpeg)
    old_png = stored_as_uploaded("places/2024/05/kamer.jpg", png_bytes())
    room = Place.objects.create(neighbourhood=personas.ede, name="Huiskamer")
    PlacePhoto.objects.bulk_create([PlacePhoto(place=room, image=old_png, alt="The room")])
    return old_jpeg, old_png


def test_old_photos_are_stored_again_without_metadata(
    personas, old_photos, django_capture_on_commit_callbacks
):
    old_jpeg, old_png = old_photos

    with django_capture_on_commit_callbacks(execute=True):
        output = run()

    assert "All photos: 2 cleaned, 0 already clean, 0 missing, 0 unreadable." in output
    photo = User.objects.get(pk=personas.daan.pk).photo
    assert photo.name != old_jpeg and photo.name.startswith("people/")
    content = read(photo.name)
    assert_no_metadata(content)
    assert opened(content).size == (20, 40)
    place_photo = PlacePhoto.objects.get()
    assert place_photo.image.name.startswith("places/") and place_photo.image.name.endswith(".png")
    # The files with the location in them are gone.
    assert not default_storage.exists(old_jpeg)
    assert not default_storage.exists(old_png)


def test_a_second_run_changes_nothing(personas, old_photos, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run()
    name = User.objects.get(pk=personas.daan.pk).photo.name
    content = read(name)

    output = run()

    assert "All photos: 0 cleaned, 2 already clean, 0 missing, 0 unreadable." in output
    assert User.objects.get(pk=personas.daan.pk).photo.name == name
    assert read(name) == content


def test_a_dry_run_only_counts(personas, old_photos):
    old_jpeg, _old_png = old_photos

    output = run("--dry-run")

    assert "All photos: 2 would be cleaned" in output
    assert User.objects.get(pk=personas.daan.pk).photo.name == old_jpeg
    assert read(old_jpeg) == camera_jpeg_bytes()


def test_missing_and_unreadable_files_are_counted_and_left(personas):
    User.objects.filter(pk=personas.daan.pk).update(photo="people/gone.jpg")
    broken = stored_as_uploaded("people/broken.jpg", b"not a photo")
    User.objects.filter(pk=personas.fatima.pk).update(photo=broken)

    output = run()

    assert "people.User.photo: 0 cleaned, 0 already clean, 1 missing, 1 unreadable" in output
    assert User.objects.get(pk=personas.fatima.pk).photo.name == broken


def test_the_upgrade_migration_cleans_with_the_same_code(
    personas, old_photos, django_capture_on_commit_callbacks
):
    migration = importlib.import_module("buurtnet.media.migrations.0001_clean_stored_photos")
    old_jpeg, _old_png = old_photos

    with django_capture_on_commit_callbacks(execute=True):
        migration.clean_photos(apps, None)

    photo = User.objects.get(pk=personas.daan.pk).photo
    assert photo.name != old_jpeg
    assert_no_metadata(read(photo.name))
