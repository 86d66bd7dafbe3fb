"""Photos as phones and odd uploaders make them, and ways to look inside stored ones."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

RED = (220, 20, 20)
BLUE = (20, 20, 220)
# What a phone writes about itself and where the photo was taken.
MAKE = "Fairphone"
MODEL = "FP5 Buurtcamera"
LATITUDE = (52.0, 2.0, 3.0)  # Ede: 52° 2′ 3″ N
GPS_IFD = 0x8825
SECRETS = (MAKE.encode(), MODEL.encode(), b"Elskamp 12", b"holiday-xmp")


def camera_jpeg_bytes(size=(40, 20), orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: GPS, make and model, a comment and XMP, and the pixels
    stored sideways with the EXIF orientation that turns them upright. The stored left half is
    red and the right half blue, so after turning (orientation 6) red is on top."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[0x010F] = MAKE  # Make
    exif[0x0110] = MODEL  # Model
    exif[0x0112] = orientation  # Orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = LATITUDE
    gps[3] = "E"
    gps[4] = (5.0, 40.0, 1.0)
    buffer = io.BytesIO()
    image.save(
        buffer,
        "JPEG",
        quality=95,
        exif=exif,
        comment=b"Elskamp 12",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">holiday-xmp</x:xmpmeta>',
    )
    return buffer.getvalue()


def camera_jpeg(name: str = "IMG_2024 at home.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, camera_jpeg_bytes(**kwargs), content_type="image/jpeg")


def png_bytes(size=(30, 20), colour=BLUE) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def png_named_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("holiday.jpg", png_bytes(), content_type="image/jpeg")


def large_jpeg(size=(3000, 1500)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, RED).save(buffer, "JPEG")
    return SimpleUploadedFile("wide.jpg", buffer.getvalue(), content_type="image/jpeg")


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def bomb_png_bytes(side: int = 20_000) -> bytes:
    """A real decompression bomb: a few kilobytes that unpack to side × side black pixels."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit grey
    row = b"\0" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def bomb_png(side: int = 20_000) -> SimpleUploadedFile:
    return SimpleUploadedFile("cute-cat.png", bomb_png_bytes(side), content_type="image/png")


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def assert_no_metadata(content: bytes) -> None:
    """No EXIF (so no GPS, make or model), no XMP, no comment, no text: only pixels."""
    image = opened(content)
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(GPS_IFD) == {}
    assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(image.info)
    assert not getattr(image, "text", None)
    for secret in SECRETS:
        assert secret not in content, secret


def is_red(pixel) -> bool:
    return pixel[0] > 150 and pixel[2] < 100


def is_blue(pixel) -> bool:
    return pixel[2] > 150 and pixel[0] < 100
