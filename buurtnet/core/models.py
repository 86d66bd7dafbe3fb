import uuid
from pathlib import PurePath

from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True


@deconstructible
class RandomUploadPath:
    """upload_to that stores each file under a random name, so one URL tells nothing of another."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: models.Model, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()[:8]
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomUploadPath) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def random_upload_path(folder: str) -> RandomUploadPath:
    return RandomUploadPath(folder)


def written_in_field() -> models.CharField:
    """The language a post is written in (ISO 639-1), chosen by its writer; "" when not known.

    Readers' pages mark the text with it (lang="…") and neighbours translate from it.
    """
    return models.CharField(
        _("written in"),
        max_length=10,
        blank=True,
        help_text=_("The language you write this in."),
    )
