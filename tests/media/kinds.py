"""The four kinds of photo, each uploaded the way people upload it: through its own form."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.urls import reverse
from django.utils import timezone

from buurtnet.activities.models import AttendancePhoto, PlacePhoto
from buurtnet.initiatives.models import Update
from buurtnet.people.models import User
from tests.people.helpers import profile_data

PROFILE = reverse("profile")
WHEN = "20270326T1800"  # the March dinner (tests/activities/conftest.py)
TYPED = "Words typed next to the photo"


@dataclass(frozen=True)
class Upload:
    """Posts a file through the kind's form as its usual uploader; finds the stored file."""

    name: str
    post: Callable  # (as_user, personas, fixtures, upload) -> response
    stored: Callable  # (personas) -> FieldFile | None


def _profile(as_user, personas, fixtures, upload):
    client = as_user(personas.daan)
    return client.post(PROFILE, profile_data(personas.daan, passions=TYPED, photo=upload))


def _profile_stored(personas):
    photo = User.objects.get(pk=personas.daan.pk).photo
    return photo or None


def _place(as_user, personas, fixtures, upload):
    room = fixtures["room"]
    url = reverse("activities:place_photo_add", args=[room.neighbourhood.slug, room.pk])
    return as_user(personas.fatima).post(url, {"image": upload, "alt": TYPED})


def _place_stored(personas):
    photo = PlacePhoto.objects.first()
    return photo.image if photo else None


def _update(as_user, personas, fixtures, upload):
    initiative = personas.initiative
    url = reverse("initiatives:update_post", args=[initiative.neighbourhood.slug, initiative.pk])
    return as_user(personas.priya).post(
        url, {"body": TYPED, "photo": upload, "photo_description": "The tables"}
    )


def _update_stored(personas):
    update = Update.objects.first()
    return update.photo if update else None


def _attendance(as_user, personas, fixtures, upload):
    dinner = fixtures["dinner"]
    fixtures["monkeypatch"].setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))
    client = as_user(personas.fatima)

    def helping(name: str) -> str:
        return reverse(f"helping:{name}", args=["ede-zuid", dinner.pk, WHEN])

    client.post(helping("attendance_record"), {"attendance-came": "23", "attendance-note": ""})
    return client.post(helping("attendance_photo_add"), {"photo-image": upload, "photo-alt": TYPED})


def _attendance_stored(personas):
    photo = AttendancePhoto.objects.first()
    return photo.image if photo else None


KINDS = [
    Upload("profile", _profile, _profile_stored),
    Upload("place", _place, _place_stored),
    Upload("update", _update, _update_stored),
    Upload("attendance", _attendance, _attendance_stored),
]
