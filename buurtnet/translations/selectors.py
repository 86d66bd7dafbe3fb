"""Reading translations: one query for a whole list of posts, none when nothing can apply."""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import get_language_info

from buurtnet.translations.models import Translation
from buurtnet.translations.registry import entry_for

# Set on each post by attach(): {field: Translation} for the reader's language.
ATTRIBUTE = "_translations"


def attach(objects: Iterable, *, language: str) -> None:
    """Fetch the translations into `language` of every listed post in one query.

    Posts already written in that language need none and cost nothing.
    """
    wanted: dict[int, dict[int, object]] = defaultdict(dict)  # content type id -> pk -> post
    for obj in objects:
        setattr(obj, ATTRIBUTE, {})
        if entry_for(obj) is None or getattr(obj, "language", "") in ("", language):
            continue
        content_type = ContentType.objects.get_for_model(obj)  # cached by Django
        wanted[content_type.pk][obj.pk] = obj
    if not wanted:
        return
    condition = Q()
    for content_type_id, posts in wanted.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=list(posts))
    rows = Translation.objects.filter(condition, language=language).select_related("translator")
    for row in rows:
        getattr(wanted[row.content_type_id][row.object_id], ATTRIBUTE)[row.field] = row


def translation_shown(obj, field: str, *, language: str) -> Translation | None:
    """The translation of `obj.field` a reader of `language` sees, if any."""
    if getattr(obj, "language", "") in ("", language) or entry_for(obj) is None:
        return None
    if not hasattr(obj, ATTRIBUTE):
        attach([obj], language=language)
    return getattr(obj, ATTRIBUTE).get(field)


def translations_of(obj, field: str) -> list[Translation]:
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        Translation.objects.filter(content_type=content_type, object_id=obj.pk, field=field)
        .select_related("translator")
        .order_by("language")
    )


def languages_spoken(user) -> set[str]:
    return set(user.languages.values_list("code", flat=True))


def target_languages(*, spoken: set[str], source: str) -> list[str]:
    """Interface languages a member may translate into: they speak it and the original's."""
    if not source or source not in spoken:
        return []
    return [code for code, _name in settings.LANGUAGES if code in spoken and code != source]


def language_name(code: str) -> str:
    """A language's name in the reader's language; the code itself when Django knows none."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
