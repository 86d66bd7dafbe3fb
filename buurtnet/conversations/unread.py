"""How many conversations with something new a member has in a neighbourhood, for the "Messages"
link in the header of every member page, kept in the shared cache between pages.

Counted once (one query) and then read from the cache until a service in conversations/services.py
changes it (a new message, a question, a conversation read) and forgets it. Changes made outside
the services (a host hiding a message, the admin) are caught up with after TIMEOUT at the latest.
The keys hold the person's id, and a value is only read for that person.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from buurtnet.conversations.selectors import unread_conversation_count
from buurtnet.neighbourhoods.models import Membership

TIMEOUT = 5 * 60  # seconds
VERSION = 1  # raise when what is kept under the key changes shape


def _key(user_id: int, neighbourhood_id: int) -> str:
    return f"conversations:unread:v{VERSION}:{neighbourhood_id}:{user_id}"


def unread_count(*, membership: Membership) -> int:
    """The member's number of conversations with something unread here, from the cache."""
    key = _key(membership.user_id, membership.neighbourhood_id)
    count = cache.get(key)
    if count is None:
        count = unread_conversation_count(membership=membership)
        cache.set(key, count, TIMEOUT)
    return count


def unread_count_refresh(*, user) -> None:
    """Count afresh, for each of the person's neighbourhoods (at login: see apps.py)."""
    for membership in Membership.objects.filter(user_id=user.pk).only(
        "user_id", "neighbourhood_id", "role", "organisation_id"
    ):
        cache.set(
            _key(user.pk, membership.neighbourhood_id),
            unread_conversation_count(membership=membership),
            TIMEOUT,
        )


def unread_count_forget(*, user_ids: Iterable[int], neighbourhood_id: int) -> None:
    """Drop the kept numbers of these people: now, and again once the change is committed (a
    request may have counted the old number meanwhile)."""
    keys = [_key(pk, neighbourhood_id) for pk in set(user_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
