"""The one way every photo is stored: decoded, upright, scaled down, without metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image, ImageCms, PngImagePlugin

from buurtnet.activities.models import AttendancePhoto, PlacePhoto
from buurtnet.core.images import (
    MAX_SIDE,
    CleanImageField,
    CleanImageFormField,
    clean_image,
    is_clean,
)
from buurtnet.initiatives.models import Update
from buurtnet.media.checks import every_upload_has_a_rule
from buurtnet.people.models import User
from tests.core.photos import (
    assert_no_metadata,
    bomb_png,
    bomb_png_bytes,
    camera_jpeg,
    camera_jpeg_bytes,
    is_blue,
    is_red,
    opened,
    png_bytes,
)
from tests.factories import UserFactory


def cleaned(content: bytes):
    return clean_image(io.BytesIO(content))


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


# Cleaning --------------------------------------------------------------------------------------


def test_a_phone_photo_loses_location_camera_comment_and_xmp():
    result = cleaned(camera_jpeg_bytes())

    assert_no_metadata(result.content)
    assert (result.format, result.extension, result.content_type) == ("JPEG", ".jpg", "image/jpeg")


@pytest.mark.parametrize(
    ("orientation", "size", "red_at", "blue_at"),
    [
        (1, (40, 20), (5, 10), (35, 10)),  # as stored: red left
        (3, (40, 20), (35, 10), (5, 10)),  # upside down: red right
        (6, (20, 40), (10, 5), (10, 35)),  # turned a quarter: red on top
        (8, (20, 40), (10, 35), (10, 5)),  # the other quarter: red below
    ],
)
def test_the_orientation_is_applied_before_it_is_dropped(orientation, size, red_at, blue_at):
    image = opened(cleaned(camera_jpeg_bytes(orientation=orientation)).content)

    assert image.size == size
    assert is_red(image.getpixel(red_at)) and is_blue(image.getpixel(blue_at))


def test_the_format_comes_from_the_pixels_not_the_name():
    result = cleaned(png_bytes())
    assert (result.format, result.extension, result.content_type) == ("PNG", ".png", "image/png")


@pytest.mark.parametrize(
    ("size", "expected"),
    [((3000, 1500), (2048, 1024)), ((1000, 4096), (500, 2048)), ((2048, 10), (2048, 10))],
)
def test_photos_are_scaled_down_to_the_longest_side(size, expected):
    content = encoded(Image.new("RGB", size, "green"), "JPEG")
    assert opened(cleaned(content).content).size == expected


def test_png_text_and_exif_chunks_go_and_transparency_stays():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "Elskamp 12")
    exif = Image.Exif()
    exif[0x010F] = "Fairphone"
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    content = encoded(image, "PNG", pnginfo=text, exif=exif)

    result = opened(cleaned(content).content)

    assert result.mode == "RGBA" and result.getpixel((3, 3))[3] == 0
    assert_no_metadata(cleaned(content).content)


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_webp_and_gif_lose_their_metadata_too(fmt):
    exif = Image.Exif()
    exif[0x010F] = "Fairphone"
    options = {"exif": exif, "xmp": b"holiday-xmp"} if fmt == "WEBP" else {"comment": b"Elskamp 12"}
    content = encoded(Image.new("RGB", (30, 30), "red"), fmt, **options)
    assert b"Fairphone" in content or b"Elskamp 12" in content

    result = cleaned(content)

    assert result.format == fmt
    assert_no_metadata(result.content)


def test_the_colour_profile_stays():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = encoded(Image.new("RGB", (10, 10), "red"), "JPEG", icc_profile=profile)
    assert opened(cleaned(content).content).info.get("icc_profile") == profile


def test_a_cmyk_photo_becomes_rgb():
    content = encoded(Image.new("CMYK", (10, 10), (0, 255, 255, 0)), "JPEG")
    assert opened(cleaned(content).content).mode == "RGB"


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    with pytest.raises(ValidationError) as error:
        cleaned(bomb_png_bytes(20_000))
    assert error.value.code == "image_pixels"


def test_more_pixels_than_we_take_but_fewer_than_pillows_limit_is_refused_too():
    # 8000 × 8000 = 64 million: below Pillow's own bomb limit, above ours.
    with pytest.raises(ValidationError) as error:
        cleaned(bomb_png_bytes(8_000))
    assert error.value.code == "image_pixels"


def test_a_png_is_held_to_fewer_pixels_than_a_jpeg_as_it_is_decoded_whole():
    # 4500 × 4500 = 20 million: a PNG of one colour is a few kilobytes yet would take 80 MB and
    # more to decode; a JPEG of that size is scaled down while it is decoded.
    with pytest.raises(ValidationError) as error:
        cleaned(bomb_png_bytes(4_500))
    assert error.value.code == "image_pixels"
    assert "at most 16 million" in error.value.messages[0]

    big_jpeg = encoded(Image.new("L", (4_500, 4_500), 200), "JPEG")
    stored = opened(cleaned(big_jpeg).content)
    assert stored.size == (2048, 2048)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not an image at all", "invalid_image"),
        (camera_jpeg_bytes()[:400], "invalid_image"),
        (encoded(Image.new("RGB", (10, 10)), "BMP"), "image_format"),
        (encoded(Image.new("RGB", (10, 10)), "TIFF"), "image_format"),
    ],
    ids=["text", "truncated", "bmp", "tiff"],
)
def test_what_is_no_usable_photo_is_refused(content, code):
    with pytest.raises(ValidationError) as error:
        cleaned(content)
    assert error.value.code == code


def test_a_cleaned_photo_counts_as_clean_and_a_phone_photo_does_not():
    result = cleaned(camera_jpeg_bytes())
    assert is_clean(result.content, "people/a.jpg")
    assert not is_clean(result.content, "people/a.png")  # the wrong extension
    assert not is_clean(camera_jpeg_bytes(orientation=1), "people/a.jpg")
    big = encoded(Image.new("RGB", (MAX_SIDE + 1, 10)), "PNG")
    assert not is_clean(big, "people/a.png")
    assert not is_clean(bomb_png_bytes(20_000), "people/a.png")


# Every way a photo gets stored ------------------------------------------------------------------


def test_every_photo_field_cleans_and_has_a_rule_for_who_sees_it():
    fields = [
        User._meta.get_field("photo"),
        Update._meta.get_field("photo"),
        PlacePhoto._meta.get_field("image"),
        AttendancePhoto._meta.get_field("image"),
    ]
    assert all(isinstance(field, CleanImageField) and field.db_index for field in fields)
    assert every_upload_has_a_rule() == []


@pytest.mark.django_db
def test_saving_through_the_model_cleans_too():
    # What a service, the demo or a script does: no form in between.
    person = UserFactory()
    person.photo.save("IMG_0001.jpg", ContentFile(camera_jpeg_bytes()))

    person.refresh_from_db()
    with person.photo.open("rb") as stored:
        content = stored.read()
    assert_no_metadata(content)
    assert opened(content).size == (20, 40)
    assert person.photo.name.startswith("people/") and person.photo.name.endswith(".jpg")


@pytest.mark.django_db
def test_a_png_named_jpg_saved_through_the_model_is_stored_as_png():
    person = UserFactory()
    person.photo.save("holiday.jpg", ContentFile(png_bytes()))
    assert person.photo.name.endswith(".png")


@pytest.mark.django_db
def test_the_form_field_of_every_photo_is_the_cleaning_one():
    assert isinstance(User._meta.get_field("photo").formfield(), CleanImageFormField)


def test_the_form_field_refuses_a_bomb_with_its_own_message():
    field = CleanImageFormField()
    with pytest.raises(ValidationError) as error:
        field.clean(bomb_png())
    assert error.value.code == "image_pixels"
    assert "more pixels than we can handle" in error.value.messages[0]


@pytest.mark.django_db
def test_an_admin_upload_is_cleaned_and_a_bomb_is_a_form_error(client, personas):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, preferred_language="en"))
    url = reverse("admin:initiatives_update_add")
    data = {
        "initiative": personas.initiative.pk,
        "author": personas.fatima.pk,
        "body": "From the admin",
        "photo_description": "",
    }

    refused = client.post(url, {**data, "photo": bomb_png()})
    assert refused.status_code == 200
    assert "more pixels than we can handle" in refused.content.decode()
    assert not Update.objects.exists()

    assert client.post(url, {**data, "photo": camera_jpeg()}).status_code == 302
    with Update.objects.get().photo.open("rb") as stored:
        assert_no_metadata(stored.read())
