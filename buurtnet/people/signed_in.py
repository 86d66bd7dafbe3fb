"""Who is signed in, without reading their row from the database on every page.

Django's authentication reads the person's row on every request. Here the row is kept in the
shared cache by person, and used only when the session's authentication hash matches the kept
row's: the same check Django makes. Any save or deletion of the person (a new password, being
deactivated, a new name) forgets the kept row at once and again after commit, and it is kept for
TIMEOUT at most. Whatever does not match goes through Django's own `get_user`, which verifies the
session in full (secret key fallbacks included) and ends a session that no longer holds.
"""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

TIMEOUT = 5 * 60  # seconds
VERSION = 1  # raise when the kept row changes shape (a migration of the user model)


def _key(user_id) -> str:
    return f"people:signed-in:v{VERSION}:{user_id}"


def signed_in_user(request: HttpRequest):
    """The person this session belongs to, or AnonymousUser."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if user_id is not None and backend in settings.AUTHENTICATION_BACKENDS and session_hash:
        kept = cache.get(_key(user_id))
        if (
            kept is not None
            and kept.is_active
            and constant_time_compare(session_hash, kept.get_session_auth_hash())
        ):
            return kept
    user = auth.get_user(request)
    if user.is_authenticated:
        cache.set(_key(user.pk), user, TIMEOUT)
    return user


def forget(user_id) -> None:
    """Forget the kept row of this person: now, and again once the change is committed."""
    key = _key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_on_change(sender, instance, **kwargs) -> None:
    forget(instance.pk)


def keep_on_login(sender, request, user, **kwargs) -> None:
    """Keep the row as it is now in the database (not the object the caller passed, which may be
    older), so the first page after signing in does not read it again. Connected after Django's
    own receiver that records the time of this login."""
    fresh = type(user)._default_manager.filter(pk=user.pk).first()
    if fresh is not None:
        cache.set(_key(fresh.pk), fresh, TIMEOUT)


class SignedInMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, reading the signed-in person through the cache."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: signed_in_user(request))
