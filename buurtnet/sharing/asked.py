"""How many asks wait for a member's answer, for the "Asked to you" link on the member home and
the list of asks, kept in the shared cache between pages.

Counted once (one query) and then read from the cache until a service changes it and forgets
it: an ask sent to the member (invitations_send), their answer (invitation_answer), an ask of
theirs closed, renewed or hidden (sharing.services.posts, moderation). What changes without a
service of this app (an ask that expires, an initiative's need that is met) is caught up with
after TIMEOUT at the latest; the list of asks itself always reads the database. The keys hold
the person's id, and a value is only read for that person.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from buurtnet.neighbourhoods.models import Membership
from buurtnet.sharing.models import Invitation
from buurtnet.sharing.selectors.invitations import waiting_count

TIMEOUT = 5 * 60  # seconds
VERSION = 1  # raise when what is kept under the key changes shape


def _key(user_id: int, neighbourhood_id: int) -> str:
    return f"sharing:asked:v{VERSION}:{neighbourhood_id}:{user_id}"


def asked_counts(*, membership: Membership) -> tuple[int, int]:
    """How many asks wait for the member's answer here, and how many were ever sent to them."""
    key = _key(membership.user_id, membership.neighbourhood_id)
    counts = cache.get(key)
    if counts is None:
        counts = waiting_count(
            user_id=membership.user_id, neighbourhood_id=membership.neighbourhood_id
        )
        cache.set(key, counts, TIMEOUT)
    return counts


def asked_counts_forget(*, user_ids: Iterable[int], neighbourhood_id: int) -> None:
    """Drop the kept numbers of these people: now, and again once the change is committed (a
    request may have counted the old number meanwhile)."""
    keys = [_key(pk, neighbourhood_id) for pk in set(user_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def asked_counts_forget_for_post(post) -> None:
    """The ask changed whether it can be answered: everyone it was sent to counts again."""
    asked = Invitation.objects.filter(post_id=post.pk).values_list("user_id", flat=True)
    asked_counts_forget(user_ids=list(asked), neighbourhood_id=post.neighbourhood_id)
