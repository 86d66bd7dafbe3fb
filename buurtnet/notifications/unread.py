"""How many unread notifications a person has, and their newest few, kept in the shared cache
between pages.

Every member page shows the number (and the member home the newest few), so they are read once
and then from the cache until a service in notifications/services.py changes them (a
notification made, one or all read) and forgets them. The keys hold the person's id and the
values are only ever read for the person asking, so nobody sees another's. Writes outside the
services (the admin, the demo loader) are caught up with after TIMEOUT at the latest.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from buurtnet.notifications.models import Notification
from buurtnet.notifications.selectors import recent_notifications

TIMEOUT = 5 * 60  # seconds
VERSION = 1  # raise when what is kept under the key changes shape


def _key(user_id: int) -> str:
    return f"notifications:unread:v{VERSION}:{user_id}"


def _recent_key(user_id: int, limit: int) -> str:
    return f"notifications:recent:v{VERSION}:{user_id}:{limit}"


RECENT_LIMITS = (5,)  # the lengths pages ask for; each is forgotten with the count


def recent(*, user, limit: int) -> list[Notification]:
    """The person's newest `limit` notifications, from the cache when they are there."""
    key = _recent_key(user.pk, limit)
    found = cache.get(key)
    if found is None:
        found = recent_notifications(user=user, limit=limit)
        if limit in RECENT_LIMITS:
            cache.set(key, found, TIMEOUT)
    return found


def unread_count(*, user) -> int:
    """The person's number of unread notifications, from the cache when it is there."""
    count = cache.get(_key(user.pk))
    if count is None:
        count = unread_count_refresh(user=user)
    return count


def unread_count_refresh(*, user) -> int:
    """Count afresh and keep the number. At login too: a new session starts from the exact
    number, whatever changed outside the services since (see TIMEOUT), and its pages all find
    the number kept."""
    count = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
    cache.set(_key(user.pk), count, TIMEOUT)
    return count


def unread_count_forget(*, user_ids: Iterable[int]) -> None:
    """Drop the kept numbers of these people: now, and again once the change is committed.

    Now, so that the rest of this request counts afresh; after the commit as well, because another
    request may have counted (and kept) the old number while the change was not yet visible to it.
    """
    keys = [
        key
        for pk in set(user_ids)
        for key in (_key(pk), *(_recent_key(pk, limit) for limit in RECENT_LIMITS))
    ]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
