"""Quotes, photos and receipts with a grant: checked by type and size, photos without metadata.

A PDF is kept as it is (it is served only to the initiators and the board, as a download); a
photo goes through the same cleaning as every photo on Buurtnet (core.images), which drops its
location and camera data.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from buurtnet.core.images import clean_image, with_extension

FILE_MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"RIFF")


def checked_file(upload: UploadedFile) -> tuple[ContentFile, str]:
    """The file to store and its original name; ValidationError for anything else."""
    if upload is None:
        raise ValidationError(_("Please choose a file."), code="required")
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    if upload.size is not None and upload.size > FILE_MAX_BYTES:
        raise ValidationError(
            _("The file is too large: at most 10 MB, please."), code="file_too_large"
        )
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        content = upload.read(FILE_MAX_BYTES + 1)
        if len(content) > FILE_MAX_BYTES:
            raise ValidationError(
                _("The file is too large: at most 10 MB, please."), code="file_too_large"
            )
        return ContentFile(content, name=with_extension(name, ".pdf")), name
    if head.startswith(IMAGE_MAGIC):
        cleaned = clean_image(upload)
        return ContentFile(cleaned.content, name=with_extension(name, cleaned.extension)), name
    raise ValidationError(
        _("Please upload a PDF or a photo (JPEG, PNG, WebP or GIF)."), code="file_type"
    )
