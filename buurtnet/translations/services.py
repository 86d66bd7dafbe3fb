"""Writing translations: adding one (or correcting your own) and removing one."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from buurtnet.neighbourhoods.models import Membership
from buurtnet.translations.models import TEXT_MAX_LENGTH, Translation, digest
from buurtnet.translations.registry import Translatable
from buurtnet.translations.selectors import languages_spoken, target_languages


def _check_readable(membership: Membership, entry: Translatable, obj) -> None:
    if entry.neighbourhood_id(obj) != membership.neighbourhood_id or not entry.can_read(
        membership, obj
    ):
        raise PermissionDenied


def translation_add(
    *, membership: Membership, entry: Translatable, obj, field: str, language: str, text: str
) -> Translation:
    """A member who speaks both languages translates one text for their neighbours.

    One translation per text and language: its translator may correct it; anyone else gets a
    clear message (the writer can remove a translation, after which another can be added).
    """
    _check_readable(membership, entry, obj)
    if field not in entry.fields:
        raise PermissionDenied
    source = getattr(obj, "language", "")
    original = getattr(obj, field) or ""
    if not original.strip():
        raise ValidationError(_("There is no text to translate."))
    allowed = target_languages(spoken=languages_spoken(membership.user), source=source)
    if language not in allowed:
        raise ValidationError(
            {
                "language": _(
                    "You can translate into a language when your profile lists it and "
                    "the language of the original."
                )
            }
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the translation.")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": _("The translation is too long.")})
    content_type = ContentType.objects.get_for_model(obj)
    try:
        with transaction.atomic():
            existing = (
                Translation.objects.select_for_update()
                .filter(content_type=content_type, object_id=obj.pk, field=field, language=language)
                .first()
            )
            if existing is not None and existing.translator_id != membership.user_id:
                raise ValidationError(
                    _(
                        "This text already has a translation into this language. Its writer can "
                        "remove that one; then you can add yours."
                    )
                )
            if existing is None:
                existing = Translation(
                    neighbourhood_id=membership.neighbourhood_id,
                    content_type=content_type,
                    object_id=obj.pk,
                    field=field,
                    language=language,
                    translator=membership.user,
                )
            existing.text = text
            existing.source_digest = digest(original)
            existing.save()
    except IntegrityError:  # two translators at the same moment: the other was first
        raise ValidationError(
            _(
                "This text already has a translation into this language. Its writer can remove "
                "that one; then you can add yours."
            )
        ) from None
    return existing


def can_remove(membership: Membership, entry: Translatable, obj, translation: Translation) -> bool:
    return translation.neighbourhood_id == membership.neighbourhood_id and (
        translation.translator_id == membership.user_id
        or membership.is_host
        or entry.is_writer(membership, obj)
    )


def translation_remove(
    *, membership: Membership, entry: Translatable, obj, translation: Translation
) -> None:
    """The writer of the original (or the translator, or a host) takes a translation down."""
    if not can_remove(membership, entry, obj, translation):
        raise PermissionDenied
    translation.delete()
