"""Translations of what members wrote, by neighbours who speak both languages."""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtnet.core.models import TimeStamped
from buurtnet.neighbourhoods.models import Neighbourhood

TEXT_MAX_LENGTH = 4000


def digest(text: str) -> str:
    """A fingerprint of an original text: a translation of an older version is marked as such."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Translation(TimeStamped):
    """One field of one post (an initiative's wish, an update, an activity's description) in
    another interface language, written by a member who speaks both."""

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=40)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    text = models.TextField(_("translation"), max_length=TEXT_MAX_LENGTH)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="translations",
        verbose_name=_("translated by"),
    )
    source_digest = models.CharField(max_length=64, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_translation_per_text_and_language",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="translation_of")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}.{self.field} → {self.language}"

    def is_outdated(self, original: str) -> bool:
        return self.source_digest != digest(original)
