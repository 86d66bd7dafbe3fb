"""Shared parts of pages, cached per neighbourhood, language and audience under a version.

This module owns every key and every version; views read through `shared()`, and nothing else
builds a cache key for a neighbourhood's pages.

- **What goes in:** only what every member (or every visitor) of one neighbourhood sees alike:
  the agenda's days, initiative cards, the directory's pages, counts. Nothing that belongs to one
  person (their RSVP, their notifications, what they may do) is ever stored here: the key names
  a neighbourhood, a language and an audience ("members", "public"), never a person.
- **When it changes:** each neighbourhood has a version, a random token kept in the shared cache
  (files in the data directory by default, so all gunicorn workers on one machine see the same
  token; Redis with `REDIS_URL`, across app servers). Any row saved or deleted that belongs to a
  neighbourhood bumps its version (`connect()`: every save through the ORM, the admin and
  commands included); services that write with `update()` or `bulk_create()` call `bump()`
  themselves. Old keys are never read again and fall out of the cache by their timeout.
- **Across releases:** keys carry a hash of the code and templates, so a new release never
  reads a part stored by the previous one.
- **Why it holds:** a bump happens at once and again after the transaction commits. A page
  built by another process while the write was still open may be stored under the in-between
  version, which the second bump makes unreachable; the writer's own next request comes after
  the commit, so the person who made a change always sees it. A lost version token (the cache
  was cleared or culled) becomes a new random one, never an old value.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

T = TypeVar("T")

PREFIX = "bn"
# Shared parts live a day at most; a bump makes them unreachable long before that.
TIMEOUT = 24 * 60 * 60
# Vocabularies that every neighbourhood shows (talents, languages, themes): one global version.
GLOBAL = 0


def _version_key(neighbourhood_id: int) -> str:
    return f"{PREFIX}:v:{neighbourhood_id}"


# Tokens read during the current request: a page asks for the same few several times. Kept only
# between request_started and request_finished (not in the task worker, which has no requests),
# and dropped whenever this process bumps one.
_seen = threading.local()


def _memo() -> dict[int, str]:
    if not hasattr(_seen, "tokens"):
        _seen.tokens = {}
    return _seen.tokens


def _request_started(**kwargs: Any) -> None:
    _memo().clear()
    _seen.active = True


def _request_finished(**kwargs: Any) -> None:
    _memo().clear()
    _seen.active = False


def version(neighbourhood_id: int) -> str:
    """The neighbourhood's current version token (made on first use)."""
    memo = _memo() if getattr(_seen, "active", False) else {}
    token = memo.get(neighbourhood_id)
    if token is not None:
        return token
    key = _version_key(neighbourhood_id)
    token = cache.get(key)
    if token is None:
        token = secrets.token_hex(6)
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token
    memo[neighbourhood_id] = token
    return token


def _new_versions(ids: Iterable[int]) -> None:
    _memo().clear()
    cache.set_many({_version_key(i): secrets.token_hex(6) for i in set(ids)}, timeout=None)


def bump(*neighbourhood_ids: int) -> None:
    """Make every shared part of these neighbourhoods stale: now, and again after commit."""
    ids = [i for i in neighbourhood_ids if i is not None]
    if not ids:
        return
    _new_versions(ids)
    transaction.on_commit(lambda: _new_versions(ids))


def bump_all() -> None:
    """A vocabulary every neighbourhood shows changed."""
    bump(GLOBAL)


def _code_fingerprint() -> str:
    """A hash of the code, templates and compiled translations that build the shared parts. A
    new release reads none of what the previous one stored (whose shape or wording may differ),
    while app servers running the same release share everything."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.blake2b(digest_size=4)
    for folder in ("buurtnet", "templates", "locale", "locale_django"):
        folder = root / folder
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".mo") and "migrations" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


CODE = _code_fingerprint()


def key(neighbourhood_id: int, part: str, *args: Any, audience: str = "members") -> str:
    """The key of one shared part; `args` say which variant (a period, a filter, a page)."""
    variant = hashlib.blake2b(repr(args).encode(), digest_size=10).hexdigest() if args else "-"
    versions = f"{CODE}.{version(GLOBAL)}.{version(neighbourhood_id)}"
    return f"{PREFIX}:{neighbourhood_id}:{versions}:{get_language()}:{audience}:{part}:{variant}"


def shared(
    neighbourhood_id: int,
    part: str,
    *args: Any,
    build: Callable[[], T],
    audience: str = "members",
    lasts: Callable[[T], float] | None = None,
) -> T:
    """The shared part from the cache, built (and stored) when it is not there yet.

    `lasts`, given the built value, says for how many seconds it holds by itself (a part that
    shows an ask until it expires): it is kept that long at most."""
    name = key(neighbourhood_id, part, *args, audience=audience)
    value = cache.get(name)
    if value is None:
        value = build()
        timeout = TIMEOUT if lasts is None else max(1, min(TIMEOUT, int(lasts(value))))
        cache.set(name, value, timeout)
    return value


def personal(
    neighbourhood_id: int,
    user_id: int,
    part: str,
    *args: Any,
    build: Callable[[], T],
    lasts: Callable[[T], float] | None = None,
) -> T:
    """What one member's own pages need again and again (their membership, whether they may
    plan, the asks and offers they may see), under a key that names them: only their own
    requests read it. It goes stale with the neighbourhood's version, like the shared parts."""
    return shared(
        neighbourhood_id, part, *args, build=build, audience=f"person-{user_id}", lasts=lasts
    )


def _slug_key(slug: str) -> str:
    return f"{PREFIX}:slug:{slug}"


def neighbourhood_id_of(slug: str) -> int | None:
    """The neighbourhood a slug named when last seen; callers check the slug of what they load."""
    return cache.get(_slug_key(slug))


def remember_slug(slug: str, neighbourhood_id: int) -> None:
    cache.set(_slug_key(slug), neighbourhood_id, TIMEOUT)


# --- Which rows belong to which neighbourhood ----------------------------------------------------

# Apps whose rows show on a neighbourhood's pages (asks and offers in each member's own kept list).
# Conversations and reports are read for one person at a time and never kept.
NEIGHBOURHOOD_APPS = (
    "neighbourhoods",
    "initiatives",
    "activities",
    "translations",
    "funding",
    "sharing",
)
# A person's own rows (name, talents, languages, photo) show in every neighbourhood they belong to.
PERSON_MODELS = ("people.User",)
# Rows about two people (a block hides each one's asks and offers from the other): both count.
PAIR_MODELS = {"people.Block": ("blocker_id", "blocked_id")}
# Saving only these (at every log-in) changes nothing any page shows.
UNSHOWN_USER_FIELDS = {"last_login", "password"}
# Private or bookkeeping rows that no shared part shows: writing them keeps the caches warm.
NEVER_SHOWN = ("activities.SentReminder", "sharing.Loan", "sharing.Thanks")
# Vocabularies shared by every neighbourhood.
GLOBAL_MODELS = ("people.Talent", "people.Language", "initiatives.Theme")


def _path_to_neighbourhood(model: type[models.Model], depth: int = 0) -> list[str] | None:
    """Foreign keys to follow from `model` to its neighbourhood, e.g. ["task", "activity"]."""
    neighbourhood = apps.get_model("neighbourhoods", "Neighbourhood")
    if model is neighbourhood:
        return []
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    for field in fields:
        if field.related_model is neighbourhood:
            return [field.name]
    if depth >= 3:
        return None
    for field in fields:
        if field.related_model._meta.app_label in NEIGHBOURHOOD_APPS:
            rest = _path_to_neighbourhood(field.related_model, depth + 1)
            if rest is not None:
                return [field.name, *rest]
    return None


def _neighbourhood_of(instance: models.Model, path: list[str]) -> int | None:
    if not path:
        return instance.pk
    obj: Any = instance
    for n, name in enumerate(path):
        field = obj._meta.get_field(name)
        if n == len(path) - 1:
            return getattr(obj, field.attname)
        if field.is_cached(obj):
            obj = getattr(obj, name)
            continue
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None
        lookup = "__".join([*path[n + 1 :]]) + "_id"
        return (
            field.related_model._default_manager.filter(pk=related_id)
            .values_list(lookup, flat=True)
            .first()
        )
    return None


def _person_id(instance: models.Model) -> int | None:
    user_model = apps.get_model("people", "User")
    if isinstance(instance, user_model):
        return instance.pk
    return getattr(instance, "user_id", None)


def _bump_for_person(user_id: int | None) -> None:
    if user_id is None:
        return
    membership = apps.get_model("neighbourhoods", "Membership")
    bump(*membership.objects.filter(user_id=user_id).values_list("neighbourhood_id", flat=True))


def connect() -> None:
    """Bump the right version whenever a row that a shared part may show is saved or deleted."""
    request_started.connect(_request_started, dispatch_uid="shared-cache:request-started")
    request_finished.connect(_request_finished, dispatch_uid="shared-cache:request-finished")
    for model in apps.get_models():
        label = model._meta.label
        if label in NEVER_SHOWN:
            continue
        if label in GLOBAL_MODELS:
            receiver = _global_receiver
        elif label in PERSON_MODELS:
            receiver = _person_receiver
        elif label in PAIR_MODELS:
            receiver = _pair_receiver(PAIR_MODELS[label])
        elif model._meta.app_label in NEIGHBOURHOOD_APPS:
            path = _path_to_neighbourhood(model)
            if path is None:
                continue
            receiver = _neighbourhood_receiver(path)
        else:
            continue
        uid = f"shared-cache:{label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _m2m_receiver(receiver, model),
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}:{field.name}",
            )


def _global_receiver(sender, instance, **kwargs) -> None:
    bump_all()


def _person_receiver(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= UNSHOWN_USER_FIELDS:
        return
    _bump_for_person(_person_id(instance))


def _pair_receiver(fields: tuple[str, ...]) -> Callable[..., None]:
    def receiver(sender, instance, raw: bool = False, **kwargs) -> None:
        if raw:
            return
        for name in fields:
            _bump_for_person(getattr(instance, name, None))

    return receiver


def _neighbourhood_receiver(path: list[str]) -> Callable[..., None]:
    def receiver(sender, instance, raw: bool = False, **kwargs) -> None:
        if raw:  # loading fixtures: nothing is cached for rows that did not exist
            return
        bump(_neighbourhood_of(instance, path))

    return receiver


def _m2m_receiver(receiver: Callable[..., None], model: type[models.Model]) -> Callable[..., None]:
    def changed(sender, instance, action: str, pk_set=None, **kwargs) -> None:
        if not action.startswith("post_"):
            return
        if isinstance(instance, model):
            receiver(sender=model, instance=instance)
            return
        # Changed from the other side (a talent's people): each row on this side changed.
        for row in model._default_manager.filter(pk__in=pk_set or ()):
            receiver(sender=model, instance=row)

    return changed
