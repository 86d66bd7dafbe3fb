"""How many unread notifications a person has, kept in the shared cache between pages.

Every member page shows the number, so it is counted once and then read from the cache until a
service in notifications/services.py changes it (a notification made, one or all read) and
forgets it. The key holds the person's id and the value is only ever read for the person asking,
so nobody sees another's number. Writes outside the services (the admin, the demo loader) are
caught up with after TIMEOUT at the latest.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from buurtnet.notifications.models import Notification

TIMEOUT = 5 * 60  # seconds
VERSION = 1  # raise when what is kept under the key changes shape


def _key(user_id: int) -> str:
    return f"notifications:unread:v{VERSION}:{user_id}"


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
    keys = [_key(pk) for pk in set(user_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
