"""After the event the organisers write down how many came, a line about it, and photos."""

import io
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from buurtnet.activities.models import Attendance, AttendancePhoto
from buurtnet.activities.selectors.helping import attendance_of
from buurtnet.activities.services import helping as helping_services
from buurtnet.activities.services import organise as services
from tests.activities.conftest import local

MARCH = local(2027, 3, 26, 18)
APRIL = local(2027, 4, 30, 18)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def after_march(monkeypatch):
    """The March dinner has been; the April one is still to come."""
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))


def png(name: str = "IMG_2041 Fatima's kitchen.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def record(activity, who, came=23, *, start=MARCH, note="A full room."):
    return helping_services.attendance_record(
        user=who, activity=activity, occurrence_start=start, came=came, note=note
    )


def test_organisers_write_down_how_many_came(personas, dinner, after_march):
    attendance = record(dinner, personas.fatima, 23, note="  Soup ran out. ")

    assert (attendance.came, attendance.note, attendance.recorded_by) == (
        23,
        "Soup ran out.",
        personas.fatima,
    )


def test_recording_again_corrects_the_one_attendance(personas, dinner, after_march):
    record(dinner, personas.fatima, 23)

    record(dinner, personas.fatima, 25, note="Two walked in late.")

    attendance = Attendance.objects.get()
    assert (attendance.came, attendance.note) == (25, "Two walked in late.")


def test_nobody_coming_is_worth_writing_down(personas, dinner, after_march):
    assert record(dinner, personas.fatima, 0).came == 0


@pytest.mark.parametrize("who", ["priya", "daan", "henk", "anna", "sem", "olga"])
def test_only_organisers_record_attendance(personas, dinner, after_march, who):
    with pytest.raises(PermissionDenied):
        record(dinner, getattr(personas, who))
    assert not Attendance.objects.exists()


def test_not_before_it_has_begun(personas, dinner, after_march):
    with pytest.raises(ValidationError) as exc:
        record(dinner, personas.fatima, start=APRIL)

    assert exc.value.messages == ["You can write down how many came once it has begun."]


def test_not_for_a_cancelled_date(personas, dinner):
    services.occurrence_cancel(user=personas.fatima, activity=dinner, original_start=MARCH)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))
        with pytest.raises(ValidationError) as exc:
            record(dinner, personas.fatima)

    assert exc.value.code == "cancelled"


@pytest.mark.parametrize("came", [-1, 5001, 10**15, True, "23", None])
def test_the_number_is_plausible(personas, dinner, after_march, came):
    with pytest.raises(ValidationError) as exc:
        record(dinner, personas.fatima, came)

    assert exc.value.message_dict["came"] == ["Give a number between 0 and 5000."]


def test_the_note_is_one_line(personas, dinner, after_march):
    with pytest.raises(ValidationError) as exc:
        record(dinner, personas.fatima, note="x" * 201)

    assert "note" in exc.value.message_dict


def test_a_photo_gets_a_random_name_and_its_description(personas, dinner, after_march):
    attendance = record(dinner, personas.fatima)

    photo = helping_services.attendance_photo_add(
        user=personas.fatima, attendance=attendance, image=png(), alt=" Neighbours at the table "
    )

    assert photo.alt == "Neighbours at the table"
    assert photo.image.name.startswith("attendance/")
    assert "Fatima" not in photo.image.name and photo.image.name.endswith(".png")
    assert [p.alt for p in attendance_of(dinner, MARCH).photos.all()] == ["Neighbours at the table"]


@pytest.mark.parametrize("alt", ["", "   "])
def test_a_photo_needs_a_description(personas, dinner, after_march, alt):
    attendance = record(dinner, personas.fatima)

    with pytest.raises(ValidationError) as exc:
        helping_services.attendance_photo_add(
            user=personas.fatima, attendance=attendance, image=png(), alt=alt
        )

    assert "alt" in exc.value.message_dict
    assert not AttendancePhoto.objects.exists()


def test_a_file_that_is_no_photo_is_refused(personas, dinner, after_march):
    attendance = record(dinner, personas.fatima)
    fake = SimpleUploadedFile("party.png", b"not an image at all", content_type="image/png")

    with pytest.raises(ValidationError) as exc:
        helping_services.attendance_photo_add(
            user=personas.fatima, attendance=attendance, image=fake, alt="A party"
        )

    assert "not a photo we can use" in exc.value.message_dict["image"][0]


def test_a_photo_over_5_mb_is_refused(personas, dinner, after_march):
    attendance = record(dinner, personas.fatima)
    big = SimpleUploadedFile("big.png", b"\0" * (5 * 1024 * 1024 + 1), content_type="image/png")

    with pytest.raises(ValidationError) as exc:
        helping_services.attendance_photo_add(
            user=personas.fatima, attendance=attendance, image=big, alt="A party"
        )

    assert "at most 5 MB" in exc.value.message_dict["image"][0]


def test_at_most_twelve_photos(personas, dinner, after_march):
    attendance = record(dinner, personas.fatima)
    for number in range(helping_services.MAX_PHOTOS):
        helping_services.attendance_photo_add(
            user=personas.fatima, attendance=attendance, image=png(), alt=f"Photo {number}"
        )

    with pytest.raises(ValidationError) as exc:
        helping_services.attendance_photo_add(
            user=personas.fatima, attendance=attendance, image=png(), alt="One more"
        )

    assert exc.value.code == "too_many"


@pytest.mark.parametrize("who", ["priya", "daan", "henk", "anna"])
def test_only_organisers_add_or_remove_photos(personas, dinner, after_march, who):
    attendance = record(dinner, personas.fatima)
    photo = helping_services.attendance_photo_add(
        user=personas.fatima, attendance=attendance, image=png(), alt="At the table"
    )
    user = getattr(personas, who)

    with pytest.raises(PermissionDenied):
        helping_services.attendance_photo_add(
            user=user, attendance=attendance, image=png(), alt="Mine"
        )
    with pytest.raises(PermissionDenied):
        helping_services.attendance_photo_remove(user=user, photo=photo)
    assert AttendancePhoto.objects.count() == 1


def test_removing_a_photo_removes_its_file(
    personas, dinner, after_march, django_capture_on_commit_callbacks
):
    attendance = record(dinner, personas.fatima)
    photo = helping_services.attendance_photo_add(
        user=personas.fatima, attendance=attendance, image=png(), alt="At the table"
    )
    name = photo.image.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        helping_services.attendance_photo_remove(user=personas.fatima, photo=photo)

    assert not AttendancePhoto.objects.exists()
    assert not default_storage.exists(name)
