"""A photo uploaded through any of the four forms is stored without its location or camera,
upright, not too large, and with the extension of what it really is."""

import pytest

from tests.core.photos import (
    SECRETS,
    assert_no_metadata,
    bomb_png,
    camera_jpeg,
    camera_jpeg_bytes,
    is_blue,
    is_red,
    large_jpeg,
    opened,
    png_named_jpg,
)
from tests.media.kinds import KINDS, TYPED


@pytest.fixture
def fixtures(room, dinner, monkeypatch) -> dict:
    return {"room": room, "dinner": dinner, "monkeypatch": monkeypatch}


def stored_after(kind, as_user, personas, fixtures, upload):
    response = kind.post(as_user, personas, fixtures, upload)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = kind.stored(personas)
    assert stored is not None
    with stored.open("rb") as file:
        return stored.name, file.read()


def test_the_phone_photo_does_carry_location_and_camera():
    # Without this the tests below could pass on a photo that had nothing to strip.
    content = camera_jpeg_bytes()
    assert all(secret in content for secret in SECRETS)
    assert opened(content).getexif().get_ifd(0x8825)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_phone_photo_is_stored_without_location_or_camera_and_upright(
    kind, as_user, personas, fixtures
):
    name, content = stored_after(kind, as_user, personas, fixtures, camera_jpeg())

    assert_no_metadata(content)
    image = opened(content)
    assert image.format == "JPEG" and name.endswith(".jpg")
    # 40×20 stored sideways with orientation 6: upright it is 20×40, the red half on top.
    assert image.size == (20, 40)
    assert is_red(image.getpixel((10, 5))) and is_blue(image.getpixel((10, 35)))
    assert "IMG" not in name and "home" not in name


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_png_named_jpg_is_stored_as_png(kind, as_user, personas, fixtures):
    name, content = stored_after(kind, as_user, personas, fixtures, png_named_jpg())

    assert name.endswith(".png")
    assert opened(content).format == "PNG"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_photo_with_too_many_pixels_is_scaled_down(kind, as_user, personas, fixtures):
    name, content = stored_after(kind, as_user, personas, fixtures, large_jpeg((3000, 1500)))

    assert opened(content).size == (2048, 1024)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_decompression_bomb_gets_400_and_keeps_what_was_typed(kind, as_user, personas, fixtures):
    response = kind.post(as_user, personas, fixtures, bomb_png())

    assert response.status_code == 400
    html = response.content.decode()
    assert "This photo has more pixels than we can handle (at most 50 million)." in html
    assert TYPED in html
    assert kind.stored(personas) is None
