"""Every stored photo is decoded and written anew: upright, not too large, and without metadata.

A phone photo carries where and with what it was taken (EXIF: GPS, camera make and model, time),
and often XMP, comments or text chunks too. None of that is stored: the pixels are decoded with
Pillow, turned upright by their EXIF orientation, scaled down to at most MAX_SIDE pixels and
encoded again with only an ICC colour profile and transparency kept. The stored format is the
decoded one, so its file name extension and content type never come from the uploader.

`CleanImageField` is the model field every photo uses: whatever saves the file (a form, a
service, the admin, the demo) goes through `clean_image`, so no upload path can forget it.
"""

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Larger uploads are refused before they are decoded.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# The longest side of a stored photo: sharp on any screen, small to send.
MAX_SIDE = 2048
# Anything larger is refused before decoding: a decompression bomb (a tiny file that unpacks to
# gigabytes), or a photo far beyond any phone camera's.
MAX_PIXELS = 50_000_000
# A JPEG is scaled down while it is decoded (see `draft`), so even a large one costs little
# memory. PNG, GIF and WebP are decoded whole first: 16 million pixels is already 64 MB, and a
# tiny file of one colour can claim that much.
MAX_PIXELS_DECODED_WHOLE = 16_000_000

# Decoded format -> stored format. MPO is how Pillow reads many phones' JPEGs (a JPEG with a
# second, hidden picture and its own EXIF); only the first picture is kept, as a plain JPEG.
STORED_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
CONTENT_TYPE_BY_EXTENSION = {EXTENSIONS[f]: CONTENT_TYPES[f] for f in EXTENSIONS} | {
    ".jpeg": "image/jpeg"
}

# What Pillow reports about a file that says nothing about who took it, where or with what.
_HARMLESS_INFO = frozenset(
    {
        "jfif",
        "jfif_version",
        "jfif_unit",
        "jfif_density",
        "dpi",
        "progressive",
        "progression",
        "adobe",
        "adobe_transform",
        "icc_profile",
        "transparency",
        "gamma",
        "srgb",
        "chromaticity",
        "aspect",
        "background",
        "version",
        "duration",
        "loop",
        "interlace",
        "lossless",
        "timestamp",
    }
)
# JPEG segments Pillow itself writes: JFIF, an ICC profile, Adobe's colour transform.
_HARMLESS_JPEG_SEGMENTS = (("APP0", b"JFIF\0"), ("APP2", b"ICC_PROFILE\0"), ("APP14", b"Adobe"))
_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, TypeError)


def _message(code: str) -> str:
    return {
        "invalid_image": _(
            "This file is not a photo we can use. Please choose a JPEG, PNG, WebP or GIF image."
        ),
        "image_format": _("Please upload a JPEG, PNG, GIF or WebP photo."),
        "image_pixels": _(
            "This photo has more pixels than we can handle (at most %(max)s million). "
            "Please choose a smaller one."
        ),
        "image_too_large": _("The photo is too large: at most 5 MB, please."),
    }[code]


def _rejected(code: str, max_pixels: int = MAX_PIXELS) -> ValidationError:
    params = {"max": max_pixels // 1_000_000} if code == "image_pixels" else None
    return ValidationError(_message(code), code=code, params=params)


@dataclass(frozen=True)
class CleanImage:
    """A photo as it is stored: its encoded bytes and what they are."""

    content: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def upload(self, name: str) -> "CleanImageUpload":
        """An uploaded file holding these bytes, named like `name` with the right extension."""
        return CleanImageUpload(self, with_extension(name, self.extension))


class CleanImageUpload(InMemoryUploadedFile):
    """A photo that went through `clean_image`; saving it stores these bytes as they are."""

    def __init__(self, cleaned: CleanImage, name: str) -> None:
        super().__init__(
            file=io.BytesIO(cleaned.content),
            field_name=None,
            name=name,
            content_type=cleaned.content_type,
            size=len(cleaned.content),
            charset=None,
        )
        self.cleaned = cleaned
        # Like Django's forms.ImageField: form checks read the format from `.image`.
        self.image = Image.open(io.BytesIO(cleaned.content))


def with_extension(name: str, extension: str) -> str:
    path = PurePosixPath(name or "photo")
    stem = path.stem or "photo"
    return str(path.with_name(stem + extension))


def _open(source: IO[bytes]) -> Image.Image:
    source.seek(0)
    try:
        # Pillow only warns between its own limit and twice that; a bomb is an error here.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _rejected("image_pixels") from error
    except _DECODE_ERRORS as error:
        raise _rejected("invalid_image") from error
    if image.format not in STORED_FORMAT:
        raise _rejected("image_format")
    width, height = image.size
    if width < 1 or height < 1:
        raise _rejected("invalid_image")
    limit = MAX_PIXELS if STORED_FORMAT[image.format] == "JPEG" else MAX_PIXELS_DECODED_WHOLE
    if width * height > limit:
        raise _rejected("image_pixels", limit)
    return image


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except _DECODE_ERRORS + (KeyError, AttributeError):
        # A damaged EXIF block: the pixels are fine, only their turn is unknown.
        return image.copy()


def _fit_for(image: Image.Image, stored_format: str) -> tuple[Image.Image, bool]:
    """The image in a mode the stored format can hold; True when the colours were converted."""
    mode = image.mode
    if stored_format == "JPEG":
        keep = mode in ("L", "RGB")
        return (image, False) if keep else (image.convert("RGB"), mode == "CMYK")
    if stored_format == "WEBP":
        if mode in ("RGB", "RGBA"):
            return image, False
        alpha = "A" in mode or "transparency" in image.info
        return image.convert("RGBA" if alpha else "RGB"), mode == "CMYK"
    if stored_format == "GIF":
        return (image, False) if mode in ("P", "L") else (image.convert("RGBA"), mode == "CMYK")
    if mode in ("1", "L", "LA", "P", "RGB", "RGBA"):
        return image, False
    return image.convert("RGBA"), mode == "CMYK"


def clean_image(source: IO[bytes]) -> CleanImage:
    """Decode a photo and encode it again: upright, at most MAX_SIDE pixels, no metadata.

    Raises a ValidationError (codes invalid_image, image_format, image_pixels) for anything
    that is not a JPEG, PNG, GIF or WebP image we can decode within MAX_PIXELS.
    """
    image = _open(source)
    stored_format = STORED_FORMAT[image.format]
    try:
        if stored_format == "JPEG":
            # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 on the way: far less memory.
            image.draft(None, (MAX_SIDE, MAX_SIDE))
        image.load()
        icc_profile = image.info.get("icc_profile")
        image = _upright(image)
        if max(image.size) > MAX_SIDE:
            if image.mode == "P" and stored_format != "GIF":
                # A palette image would be scaled pixel by pixel; full colour scales smoothly.
                image = image.convert("RGBA")
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        image, converted = _fit_for(image, stored_format)
        if converted:
            # A CMYK profile would paint the converted RGB pixels in wrong colours.
            icc_profile = None
        # Pillow writes some of what it read (XMP, comments, GIF extensions) back on save, so
        # nothing read survives but the transparency the pixels need.
        image.info = {k: v for k, v in image.info.items() if k == "transparency"}
        options: dict = {"icc_profile": icc_profile} if icc_profile else {}
        if stored_format in ("JPEG", "WEBP"):
            options["quality"] = 85
        if stored_format == "JPEG":
            options["optimize"] = True
        buffer = io.BytesIO()
        image.save(buffer, stored_format, **options)
    except Image.DecompressionBombError as error:
        raise _rejected("image_pixels") from error
    except _DECODE_ERRORS as error:
        raise _rejected("invalid_image") from error
    return CleanImage(
        content=buffer.getvalue(),
        format=stored_format,
        width=image.width,
        height=image.height,
    )


def is_clean(content: bytes, name: str) -> bool:
    """Whether a stored photo is already as `clean_image` would store it: no metadata, not too
    large, its extension that of its format. Used to leave photos stored that way untouched."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
        with image:
            if image.width * image.height > MAX_PIXELS:
                return False
            image.load()
            stored_format = image.format
            if stored_format not in EXTENSIONS or stored_format != STORED_FORMAT[stored_format]:
                return False
            if PurePosixPath(name).suffix.lower() != EXTENSIONS[stored_format]:
                return False
            if max(image.size) > MAX_SIDE or len(image.getexif()) > 0:
                return False
            if not set(image.info) <= _HARMLESS_INFO:
                return False
            if getattr(image, "text", None):
                return False
            for marker, data in getattr(image, "applist", []):
                if not any(marker == m and data.startswith(p) for m, p in _HARMLESS_JPEG_SEGMENTS):
                    return False
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, *_DECODE_ERRORS):
        return False
    return True


class CleanImageFormField(forms.ImageField):
    """A photo upload: at most PHOTO_MAX_BYTES, then decoded and cleaned by `clean_image`.

    Its value is a CleanImageUpload, so the checks after it (and the model field) see the
    cleaned photo. A form chooses its own wording through error_messages, per code.
    """

    default_error_messages = {
        "image_format": _message("image_format"),
        "image_pixels": _message("image_pixels"),
        "image_too_large": _message("image_too_large"),
    }

    def to_python(self, data):
        # FileField's checks (a name, not empty); the decoding is ours, not forms.ImageField's.
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        if isinstance(upload, CleanImageUpload):
            return upload
        if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
            raise ValidationError(self.error_messages["image_too_large"], code="image_too_large")
        try:
            cleaned = clean_image(upload)
        except ValidationError as error:
            raise ValidationError(
                self.error_messages[error.code], code=error.code, params=error.params
            ) from error
        return cleaned.upload(upload.name)


class CleanImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        cleaned = content.cleaned if isinstance(content, CleanImageUpload) else None
        if cleaned is None:
            cleaned = clean_image(content)
            content = cleaned.upload(name)
        super().save(with_extension(name, cleaned.extension), content, save)

    save.alters_data = True


class CleanImageField(models.ImageField):
    """A photo on a model, stored through `clean_image` however it is saved.

    Indexed by default: the media view finds the row a file belongs to by its name.
    """

    attr_class = CleanImageFieldFile

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})
