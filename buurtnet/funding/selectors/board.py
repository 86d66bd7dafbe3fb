"""What the board's pages read: open requests with their count, funds, seats and the to-do.

Every list here costs a fixed number of queries, whatever the number of rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum

from buurtnet.funding import ledger
from buurtnet.funding.conflicts import Conflict, conflicts_of_requests
from buurtnet.funding.models import (
    BankLine,
    BoardRole,
    BoardSeat,
    Decision,
    Foundation,
    Fund,
    GrantRequest,
    GrantStatus,
    GrantVersion,
    Payment,
    PaymentStatus,
    Receipt,
    ReceiptStatus,
    Vote,
)
from buurtnet.funding.tally import Next, Tally, count
from buurtnet.neighbourhoods import names
from buurtnet.neighbourhoods.models import Membership, Role

RECENT_DECISIONS = 10


# ------------------------------------------------------------------------- open requests


@dataclass
class OpenRequest:
    """One submitted request on the desk, with where it stands for the reader."""

    grant: GrantRequest
    version: GrantVersion | None
    tally: Tally
    my_conflicts: list[Conflict] = field(default_factory=list)
    i_may_vote: bool = False
    i_voted: bool = False
    i_decide: bool = False

    @property
    def needed_by(self) -> date | None:
        return self.version.needed_by if self.version else None

    @property
    def amount_cents(self) -> int | None:
        return self.version.amount_cents if self.version else None

    @property
    def approvals(self) -> int:
        return len(self.tally.approvals)

    @property
    def declines(self) -> int:
        return len(self.tally.declines)

    @property
    def votes(self) -> int:
        return len(self.tally.votes)

    @property
    def waiting_for_chair(self) -> bool:
        return self.tally.next == Next.CHAIR

    @property
    def conflict_reasons(self) -> list[str]:
        return [conflict.reason for conflict in self.my_conflicts]


def _latest_versions(grant_ids: list[int]) -> dict[int, GrantVersion]:
    latest: dict[int, GrantVersion] = {}
    versions = GrantVersion.objects.filter(
        request_id__in=grant_ids, submitted_at__isnull=False
    ).only("id", "request_id", "number", "amount_cents", "needed_by", "submitted_at")
    for version in versions:
        known = latest.get(version.request_id)
        if known is None or version.number > known.number:
            latest[version.request_id] = version
    return latest


def open_requests(foundation: Foundation, *, user_id: int) -> list[OpenRequest]:
    """Requests waiting for the board, soonest needed first, each with its count as
    tally.tally gives it, and what it asks of this reader. Six queries for any number."""
    grants = list(
        GrantRequest.objects.filter(foundation=foundation, status=GrantStatus.SUBMITTED)
        .select_related("initiative")
        .order_by("submitted_at", "pk")
    )
    if not grants:
        return []
    versions = _latest_versions([grant.pk for grant in grants])
    seats = list(
        BoardSeat.objects.filter(foundation=foundation, ended_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    chair = next((seat for seat in seats if seat.role == BoardRole.CHAIR), None)
    conflicts = conflicts_of_requests(grants, [seat.user_id for seat in seats])
    votes_by_version: dict[int, list[Vote]] = defaultdict(list)
    for vote in Vote.objects.filter(version_id__in=[v.pk for v in versions.values()]):
        votes_by_version[vote.version_id].append(vote)

    rows = []
    for grant in grants:
        version = versions.get(grant.pk)
        grant_conflicts = conflicts[grant.pk]
        eligible = [seat for seat in seats if not grant_conflicts[seat.user_id]]
        result = Tally(
            version=version,
            needed=foundation.approvals_needed,
            eligible=eligible,
            conflicts=grant_conflicts,
            chair=chair,
        )
        if version is not None:
            eligible_ids = {seat.user_id for seat in eligible}
            result.votes = [
                vote for vote in votes_by_version[version.pk] if vote.voter_id in eligible_ids
            ]
            count(result, chair_decides_tie=foundation.chair_decides_tie)
        rows.append(
            OpenRequest(
                grant=grant,
                version=version,
                tally=result,
                my_conflicts=grant_conflicts.get(user_id, []),
                i_may_vote=version is not None and result.may_vote(user_id),
                i_voted=any(vote.voter_id == user_id for vote in result.votes),
                i_decide=result.chair_may_decide(user_id),
            )
        )
    far = date.max
    rows.sort(key=lambda row: row.needed_by or far)
    return rows


# ------------------------------------------------------------------------ money and decisions


def funds_with_balance(foundation: Foundation) -> list[Fund]:
    """The foundation's funds, each with `balance_cents` (two queries)."""
    balances = ledger.fund_balances(foundation)
    funds = list(Fund.objects.filter(foundation=foundation).order_by("name", "pk"))
    for fund in funds:
        fund.balance_cents = balances.get(fund.pk, 0)
    return funds


def recent_decisions(foundation: Foundation, *, limit: int = RECENT_DECISIONS) -> list[Decision]:
    return list(
        Decision.objects.filter(request__foundation=foundation)
        .select_related("request__initiative", "fund")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass
class ToPay:
    grant: GrantRequest
    to_pay_cents: int
    pending_cents: int

    @property
    def left_cents(self) -> int:
        """Not yet marked for payment."""
        return max(self.to_pay_cents - self.pending_cents, 0)


@dataclass
class ReceiptsWaiting:
    grant_id: int
    title: str
    count: int


@dataclass
class TreasurerWork:
    to_pay: list[ToPay]
    receipts_waiting: list[ReceiptsWaiting]
    unmatched_lines: int

    @property
    def receipts_count(self) -> int:
        return sum(row.count for row in self.receipts_waiting)

    @property
    def to_pay_cents(self) -> int:
        return sum(row.to_pay_cents for row in self.to_pay)

    @property
    def is_empty(self) -> bool:
        return not self.to_pay and not self.receipts_waiting and not self.unmatched_lines


def treasurer_work(foundation: Foundation) -> TreasurerWork:
    """Granted money still to pay, receipts to check, bank lines to match (five queries)."""
    granted = list(
        GrantRequest.objects.filter(foundation=foundation, status=GrantStatus.GRANTED)
        .select_related("initiative")
        .order_by("submitted_at", "pk")
    )
    figures = ledger.grant_figures(grant.pk for grant in granted)
    pending = (
        dict(
            Payment.objects.filter(
                grant__in=granted, status__in=[PaymentStatus.TO_PAY, PaymentStatus.IN_FILE]
            )
            .values("grant_id")
            .annotate(total=Sum("amount_cents"))
            .values_list("grant_id", "total")
        )
        if granted
        else {}
    )
    to_pay = [
        ToPay(
            grant=grant,
            to_pay_cents=figures[grant.pk].to_pay,
            pending_cents=pending.get(grant.pk, 0),
        )
        for grant in granted
        if figures[grant.pk].to_pay > 0
    ]
    receipts = [
        ReceiptsWaiting(
            grant_id=row["grant_id"], title=row["grant__initiative__title"], count=row["n"]
        )
        for row in Receipt.objects.filter(
            grant__foundation=foundation, status=ReceiptStatus.SUBMITTED
        )
        .values("grant_id", "grant__initiative__title")
        .annotate(n=Count("pk"))
        .order_by("grant_id")
    ]
    lines = BankLine.objects.filter(
        statement__foundation=foundation,
        donation__isnull=True,
        payment__isnull=True,
        refund_of__isnull=True,
    ).count()
    return TreasurerWork(to_pay=to_pay, receipts_waiting=receipts, unmatched_lines=lines)


# ------------------------------------------------------------------------------------- seats


def current_seats(foundation: Foundation) -> list[BoardSeat]:
    return list(
        BoardSeat.objects.filter(foundation=foundation, ended_at__isnull=True)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def ended_seats(foundation: Foundation) -> list[BoardSeat]:
    return list(
        BoardSeat.objects.filter(foundation=foundation, ended_at__isnull=False)
        .select_related("user")
        .order_by("-ended_at", "-pk")
    )


def seat_candidates(foundation: Foundation):
    """Residents of the neighbourhood who may be given a seat, by name, with the flat when they
    show it (never the door). Those not in the directory only when they sit on the board."""
    seated = BoardSeat.objects.filter(
        foundation=foundation, user=OuterRef("user"), ended_at__isnull=True
    )
    members = Membership.objects.filter(
        neighbourhood_id=foundation.neighbourhood_id,
        role__in=[Role.RESIDENT, Role.HOST],
        user__is_active=True,
    ).filter(names.findable(ties=Q(Exists(seated))))
    return names.with_shown_flat(members).order_by("user__display_name", "pk")
