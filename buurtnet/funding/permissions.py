"""Who may see and do what with a foundation's money. Views, templates and services ask here.

- The board (members with a seat) reads every request, asks questions, votes and edits the
  rules. The treasurer records money, imports statements, pays and checks receipts. The chair
  or a host gives and ends seats, and the chair decides when the votes cannot.
- Initiators of an initiative apply for it and read their requests; the people on board of the
  initiative read them; every member of the neighbourhood reads a request once it is granted.
- A board seat is held by a resident and adds to what a resident may do; it takes nothing away.
"""

from buurtnet.funding.models import BoardRole, BoardSeat, Foundation, GrantRequest, GrantStatus
from buurtnet.initiatives import permissions as initiative_permissions
from buurtnet.neighbourhoods.models import Membership


def seat_of(foundation: Foundation, user) -> BoardSeat | None:
    """The person's current seat on the board (memoised on the foundation for one request)."""
    if user is None or not user.is_authenticated:
        return None
    memo = foundation.__dict__.setdefault("_seat_memo", {})
    if user.pk not in memo:
        memo[user.pk] = (
            BoardSeat.objects.filter(foundation=foundation, user=user, ended_at__isnull=True)
            .order_by("pk")
            .first()
        )
    return memo[user.pk]


def _member_here(membership: Membership | None, foundation: Foundation) -> bool:
    return membership is not None and membership.neighbourhood_id == foundation.neighbourhood_id


def is_board(membership: Membership | None, foundation: Foundation) -> bool:
    return _member_here(membership, foundation) and seat_of(foundation, membership.user) is not None


def has_role(membership: Membership | None, foundation: Foundation, *roles: str) -> bool:
    if not _member_here(membership, foundation):
        return False
    seat = seat_of(foundation, membership.user)
    return seat is not None and seat.role in roles


def is_treasurer(membership: Membership | None, foundation: Foundation) -> bool:
    return has_role(membership, foundation, BoardRole.TREASURER)


def is_chair(membership: Membership | None, foundation: Foundation) -> bool:
    return has_role(membership, foundation, BoardRole.CHAIR)


def can_manage_seats(membership: Membership | None, foundation: Foundation) -> bool:
    return _member_here(membership, foundation) and (
        membership.is_host or is_chair(membership, foundation)
    )


def can_edit_rules(membership: Membership | None, foundation: Foundation) -> bool:
    return is_board(membership, foundation)


def can_apply(membership: Membership | None, initiative) -> bool:
    return initiative_permissions.is_initiator(membership, initiative)


def is_applicant(membership: Membership | None, grant: GrantRequest) -> bool:
    return initiative_permissions.is_initiator(membership, grant.initiative)


def can_view_request(membership: Membership | None, grant: GrantRequest) -> bool:
    foundation = grant.foundation
    if not _member_here(membership, foundation):
        return False
    if is_board(membership, foundation):
        return _sent(grant) or is_applicant(membership, grant)
    if initiative_permissions.is_on_board(membership, grant.initiative):
        return True
    return grant.status == GrantStatus.GRANTED and initiative_permissions.can_view(
        membership, grant.initiative
    )


def _sent(grant: GrantRequest) -> bool:
    """Sent to the board at least once: a draft (also one withdrawn unsent) is the initiators'."""
    return grant.submitted_at is not None


def can_see_account(membership: Membership | None, grant: GrantRequest) -> bool:
    """The IBAN: the board (once the request is sent) and the initiators who typed it."""
    return is_applicant(membership, grant) or (
        _sent(grant) and is_board(membership, grant.foundation)
    )


def can_see_files(membership: Membership | None, grant: GrantRequest) -> bool:
    """Quotes, photos and receipts: the initiators and the board."""
    return can_see_account(membership, grant)


def can_edit_request(membership: Membership | None, grant: GrantRequest) -> bool:
    return is_applicant(membership, grant) and grant.status in (
        GrantStatus.DRAFT,
        GrantStatus.SUBMITTED,
    )


def can_write_message(membership: Membership | None, grant: GrantRequest) -> bool:
    if grant.status == GrantStatus.DRAFT:
        return False
    return is_board(membership, grant.foundation) or is_applicant(membership, grant)


def can_upload_receipt(membership: Membership | None, grant: GrantRequest) -> bool:
    return is_applicant(membership, grant) and grant.status == GrantStatus.GRANTED
