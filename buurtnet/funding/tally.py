"""Where a request stands with the board: who may vote, the votes so far, what happens next.

Only votes on the latest submitted version count, and only those of members who may vote on it
now (a member who became conflicted since is left out). The rule of the foundation:
- `approvals_needed` approvals (approve, or approve a lower amount) grant it, for the lowest
  amount approved;
- as many declines decline it;
- when fewer eligible members remain than approvals are needed, or every eligible member has
  voted and approvals and declines are level while the rules let the chair decide a tie, the
  request waits for the chair.
"""

import enum
from dataclasses import dataclass, field

from buurtnet.funding.conflicts import Conflict, eligible_seats
from buurtnet.funding.models import BoardRole, BoardSeat, GrantRequest, GrantVersion, Vote
from buurtnet.funding.models import VoteChoice as Choice


class Next(enum.Enum):
    GRANT = "grant"
    DECLINE = "decline"
    CHAIR = "chair"  # the chair decides: a tie, or too few eligible members
    WAIT = "wait"  # more votes are needed


@dataclass
class Tally:
    version: GrantVersion | None
    needed: int
    eligible: list[BoardSeat]
    conflicts: dict[int, list[Conflict]]
    votes: list[Vote] = field(default_factory=list)  # counted votes
    approvals: list[Vote] = field(default_factory=list)
    declines: list[Vote] = field(default_factory=list)
    next: Next = Next.WAIT
    too_few_eligible: bool = False
    chair: BoardSeat | None = None

    @property
    def amount_cents(self) -> int | None:
        """The lowest amount approved (the asked amount when nobody approved a lower one)."""
        if not self.approvals or self.version is None:
            return None
        amounts = [self.version.amount_cents] + [
            vote.amount_cents
            for vote in self.approvals
            if vote.choice == Choice.APPROVE_LOWER and vote.amount_cents
        ]
        return min(amounts)

    def may_vote(self, user_id: int) -> bool:
        voted = {vote.voter_id for vote in self.votes}
        return user_id not in voted and any(seat.user_id == user_id for seat in self.eligible)

    def chair_may_decide(self, user_id: int) -> bool:
        return (
            self.next == Next.CHAIR
            and self.chair is not None
            and self.chair.user_id == user_id
            and not self.conflicts.get(user_id)
        )


def tally(grant: GrantRequest, version: GrantVersion | None = None) -> Tally:
    foundation = grant.foundation
    if version is None:
        version = grant.versions.filter(submitted_at__isnull=False).order_by("-number").first()
    eligible, conflicts = eligible_seats(grant)
    result = Tally(
        version=version, needed=foundation.approvals_needed, eligible=eligible, conflicts=conflicts
    )
    seats = BoardSeat.objects.filter(foundation=foundation, ended_at__isnull=True)
    result.chair = next(
        (seat for seat in seats.select_related("user") if seat.role == BoardRole.CHAIR), None
    )
    if version is None:
        return result
    eligible_ids = {seat.user_id for seat in eligible}
    result.votes = [
        vote
        for vote in Vote.objects.filter(version=version).select_related("voter")
        if vote.voter_id in eligible_ids
    ]
    return count(result, chair_decides_tie=foundation.chair_decides_tie)


def count(result: Tally, *, chair_decides_tie: bool) -> Tally:
    """The foundation's rule on the counted votes of `result` (its votes, eligible seats and
    approvals needed are filled in): sets approvals, declines and what happens next."""
    result.approvals = [
        v for v in result.votes if v.choice in (Choice.APPROVE, Choice.APPROVE_LOWER)
    ]
    result.declines = [v for v in result.votes if v.choice == Choice.DECLINE]
    needed = result.needed
    if len(result.approvals) >= needed:
        result.next = Next.GRANT
    elif len(result.declines) >= needed:
        result.next = Next.DECLINE
    elif len(result.eligible) < needed:
        result.too_few_eligible = True
        result.next = Next.CHAIR
    elif (
        len(result.votes) == len(result.eligible)
        and result.approvals
        and len(result.approvals) == len(result.declines)
        and chair_decides_tie
    ):
        # A tie is as many approvals as declines; questions alone are no tie (the initiators
        # answer, and a new version is voted on anew).
        result.next = Next.CHAIR
    return result
