"""Who may see and do what with asks, offers and loans. Views, templates and services ask here.

- An ask or offer for the whole neighbourhood is seen by its members; one for a flat by the
  members living in that flat and the hosts (who print the flat's notice board); one for
  "only the neighbours Buurtnet suggests" by the neighbours it was sent to, and by hosts only
  while someone has reported it.
- The author always sees their own; nobody else sees one a host has hidden.
- A block works both ways: people who blocked each other never see each other's posts.
- A suspended member sees nothing (the access layer already turns them away).
"""

from buurtnet.neighbourhoods.models import Membership
from buurtnet.people.selectors import blocked_between
from buurtnet.sharing.models import HOLDING, Audience, Loan, LoanStatus, Post


def _member_here(membership: Membership | None, post: Post) -> bool:
    return (
        membership is not None
        and membership.neighbourhood_id == post.neighbourhood_id
        and not membership.is_suspended
    )


def is_author(membership: Membership | None, post: Post) -> bool:
    return _member_here(membership, post) and membership.user_id == post.author_id


def was_sent_to(membership: Membership, post: Post) -> bool:
    return post.invitations.filter(user_id=membership.user_id).exists()


def _reported(post: Post) -> bool:
    from django.contrib.contenttypes.models import ContentType

    from buurtnet.moderation.models import Report, ReportStatus

    return Report.objects.filter(
        target_type=ContentType.objects.get_for_model(Post),
        target_id=post.pk,
        status=ReportStatus.OPEN,
    ).exists()


def can_view(membership: Membership | None, post: Post) -> bool:
    if not _member_here(membership, post):
        return False
    if membership.user_id == post.author_id:
        return True
    if post.hidden_at is not None:
        return False
    if blocked_between(membership.user_id, post.author_id):
        return False
    if post.audience == Audience.NEIGHBOURHOOD:
        return True
    if post.audience == Audience.FLAT:
        return membership.is_host or (
            post.building_id is not None and membership.building_id == post.building_id
        )
    # Only the neighbours Buurtnet suggested and the author chose.
    if was_sent_to(membership, post):
        return True
    return membership.is_host and _reported(post)


def can_edit(membership: Membership | None, post: Post) -> bool:
    """Change, renew or close: the author only (also for an ask made on someone's behalf)."""
    return is_author(membership, post)


def can_answer(membership: Membership | None, post: Post) -> bool:
    """Offer help with an ask, or take up an offer: while it is live, not one's own."""
    return can_view(membership, post) and membership.user_id != post.author_id and post.is_live


def can_send_to_suggestions(membership: Membership | None, post: Post) -> bool:
    return is_author(membership, post) and post.is_ask and post.is_live


def can_request_loan(membership: Membership | None, post: Post) -> bool:
    return post.is_lendable and can_answer(membership, post)


def can_decide_loan(membership: Membership | None, loan: Loan) -> bool:
    """Accept, decline, hand over and take back: the owner of the item."""
    return is_author(membership, loan.post)


def can_follow_loan(membership: Membership | None, loan: Loan) -> bool:
    """See a loan: its owner and its borrower."""
    return _member_here(membership, loan.post) and membership.user_id in (
        loan.post.author_id,
        loan.borrower_id,
    )


def can_cancel_loan(membership: Membership | None, loan: Loan) -> bool:
    return (
        _member_here(membership, loan.post)
        and membership.user_id == loan.borrower_id
        and loan.status in (LoanStatus.REQUESTED, LoanStatus.ACCEPTED)
    )


__all__ = [
    "HOLDING",
    "can_answer",
    "can_cancel_loan",
    "can_decide_loan",
    "can_edit",
    "can_follow_loan",
    "can_request_loan",
    "can_send_to_suggestions",
    "can_view",
    "is_author",
]
