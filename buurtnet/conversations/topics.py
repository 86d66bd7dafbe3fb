"""What a conversation can be about: a small registry, so this app never imports the apps above it.

An app whose things members talk about (an ask or offer, an initiative, a member's profile)
registers its model once, in its AppConfig.ready():

    from buurtnet.conversations.topics import register

    register(
        Initiative,
        can_view=permissions.can_view,          # (membership, obj) -> bool
        title=lambda initiative: initiative.title,
        url=lambda initiative: initiative.get_absolute_url(),
    )

A link that starts a conversation names its topic as ``about=<app_label.model>:<pk>``, for
example ``about=initiatives.initiative:12`` (see ``about``); ``resolve`` turns it back into the
object, for one member, and only when that member may see it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

ABOUT = re.compile(r"(?P<label>[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*):(?P<pk>[0-9]{1,18})")


@dataclass(frozen=True)
class TopicType:
    model: type[models.Model]
    can_view: Callable[[Any, Any], bool]
    title: Callable[[Any], str]
    url: Callable[[Any], str]


@dataclass(frozen=True)
class Topic:
    """A topic as a page shows it: its title, and where it lives ("" for no link)."""

    obj: models.Model
    title: str
    url: str


_types: dict[str, TopicType] = {}


def label_of(model_or_obj: type[models.Model] | models.Model) -> str:
    """`initiatives.initiative` for the Initiative model or one of its objects."""
    return model_or_obj._meta.label_lower


def register(
    model: type[models.Model],
    *,
    can_view: Callable[[Any, Any], bool],
    title: Callable[[Any], str],
    url: Callable[[Any], str],
) -> None:
    """Members may talk about objects of `model`: those `can_view(membership, obj)` allows."""
    _types[label_of(model)] = TopicType(model=model, can_view=can_view, title=title, url=url)


def is_registered(model_or_obj: type[models.Model] | models.Model) -> bool:
    return label_of(model_or_obj) in _types


def about(obj: models.Model) -> str:
    """How a link names this object as a topic: `initiatives.initiative:12`."""
    return f"{label_of(obj)}:{obj.pk}"


def _visible(entry: TopicType, pk: int, membership) -> models.Model | None:
    if membership is None:
        return None
    obj = entry.model._default_manager.filter(pk=pk).first()
    if obj is None or not entry.can_view(membership, obj):
        return None
    return obj


def resolve(about: str, membership) -> models.Model | None:
    """The object `about` names, or None when its kind is unknown, it does not exist or this
    member may not see it (all three look the same from outside)."""
    match = ABOUT.fullmatch(about or "")
    if match is None:
        return None
    entry = _types.get(match["label"])
    if entry is None:
        return None
    return _visible(entry, int(match["pk"]), membership)


def title(obj: models.Model) -> str:
    return _types[label_of(obj)].title(obj)


def describe(obj: models.Model) -> Topic:
    """A registered object as a page shows it (the caller checked that the member may see it)."""
    entry = _types[label_of(obj)]
    return Topic(obj=obj, title=entry.title(obj), url=entry.url(obj))


def topic_of(conversation, membership) -> Topic | None:
    """A conversation's topic for this member's page, when it is still there for them to see."""
    if conversation.topic_type_id is None:
        return None
    content_type = ContentType.objects.get_for_id(conversation.topic_type_id)
    entry = _types.get(f"{content_type.app_label}.{content_type.model}")
    if entry is None:
        return None
    obj = _visible(entry, conversation.topic_id, membership)
    if obj is None:
        return None
    return Topic(obj=obj, title=entry.title(obj), url=entry.url(obj))
