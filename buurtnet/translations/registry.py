"""Which posts can be translated, and who may read and manage them.

Each app registers its own models in its AppConfig.ready(), so this app knows nothing of
initiatives or activities: `register("update", Update, fields=("body",), ...)`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.http import Http404

from buurtnet.neighbourhoods.models import Membership


@dataclass(frozen=True)
class Translatable:
    kind: str  # in URLs: /translate/<kind>/<pk>/<field>/
    model: type[models.Model]
    fields: tuple[str, ...]
    # May this member read the post? (The same rule as the post's own page.)
    can_read: Callable[[Membership, models.Model], bool]
    # Did this member write it (so may remove its translations)?
    is_writer: Callable[[Membership, models.Model], bool]
    # The neighbourhood the post belongs to.
    neighbourhood_id: Callable[[models.Model], int]
    # Where the post is read (the translation page leads back there).
    url: Callable[[models.Model], str]
    # Joins the queryset needs for the rules above.
    select_related: tuple[str, ...] = ()


_REGISTRY: dict[str, Translatable] = {}
_BY_MODEL: dict[type[models.Model], Translatable] = {}


def register(kind: str, model: type[models.Model], **options) -> None:
    entry = Translatable(kind=kind, model=model, **options)
    _REGISTRY[kind] = entry
    _BY_MODEL[model] = entry


def entry_for_kind(kind: str) -> Translatable:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise Http404 from None


def entry_for(obj: models.Model) -> Translatable | None:
    return _BY_MODEL.get(type(obj))


def find(kind: str, pk: int, field: str, *, neighbourhood_id: int) -> tuple[Translatable, object]:
    """The post behind a translation URL, or 404 (also for another neighbourhood's post)."""
    entry = entry_for_kind(kind)
    if field not in entry.fields:
        raise Http404
    obj = entry.model.objects.select_related(*entry.select_related).filter(pk=pk).first()
    if obj is None or entry.neighbourhood_id(obj) != neighbourhood_id:
        raise Http404
    return entry, obj


def entry_for_kind_of_model(model: type[models.Model] | None) -> Translatable:
    entry = _BY_MODEL.get(model)
    if entry is None:
        raise Http404
    return entry


def all_entries() -> list[Translatable]:
    return list(_REGISTRY.values())
