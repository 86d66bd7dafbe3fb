"""Who may report what, and what a host may do about a report.

- A member reports only what they can see: an ask or offer they may view, a message of a
  conversation they take part in (a private one: a Participant row; a question: its starter or
  a professional of the organisation asked), or a member of the same neighbourhood.
- Nobody reports themselves or what they wrote.
- Hosts act on reports in their neighbourhood, never on a report about themselves (another host
  decides), and a host never suspends another host.
"""

from buurtnet.conversations.models import Message
from buurtnet.neighbourhoods.models import Membership
from buurtnet.people.models import User
from buurtnet.sharing import permissions as sharing_permissions
from buurtnet.sharing.models import Post


def can_see_post(membership: Membership, post: Post) -> bool:
    return post.neighbourhood_id == membership.neighbourhood_id and sharing_permissions.can_view(
        membership, post
    )


def can_see_message(membership: Membership, message: Message) -> bool:
    conversation = message.conversation
    if conversation.neighbourhood_id != membership.neighbourhood_id or membership.is_suspended:
        return False
    if message.hidden_at is not None and message.author_id != membership.user_id:
        return False
    if conversation.organisation_id is not None:
        return conversation.started_by_id == membership.user_id or (
            membership.is_professional
            and membership.organisation_id == conversation.organisation_id
        )
    return conversation.participants.filter(user_id=membership.user_id).exists()


def can_see_member(membership: Membership, user: User) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(
            user_id=user.pk, neighbourhood_id=membership.neighbourhood_id
        ).exists()
    )


def may_act_on(host: Membership, about: User) -> bool:
    """A host decides about anyone here but themselves."""
    return host.is_host and host.user_id != about.pk


def may_suspend(host: Membership, about_membership: Membership | None) -> bool:
    return about_membership is not None and not about_membership.is_host
