"""Everything the page of one grant request shows, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from buurtnet.funding import ledger, permissions
from buurtnet.funding.conflicts import Conflict
from buurtnet.funding.ledger import GrantFigures
from buurtnet.funding.models import (
    BoardSeat,
    BudgetLine,
    Decision,
    DecisionOutcome,
    GrantAttachment,
    GrantMessage,
    GrantRequest,
    GrantStatus,
    GrantVersion,
    Receipt,
    ReceiptStatus,
    Vote,
)
from buurtnet.funding.tally import Next, Tally, tally
from buurtnet.initiatives import permissions as initiative_permissions
from buurtnet.neighbourhoods.models import Membership


@dataclass(frozen=True)
class RequestPermissions:
    """What the reader may see and do on the page."""

    is_applicant: bool
    is_board: bool
    is_chair: bool
    is_treasurer: bool
    can_see_account: bool
    can_see_files: bool
    can_read_messages: bool
    can_write_message: bool
    can_edit: bool
    can_add_files: bool
    can_upload_receipt: bool


def permissions_for(membership: Membership, grant: GrantRequest) -> RequestPermissions:
    foundation = grant.foundation
    is_applicant = permissions.is_applicant(membership, grant)
    is_board = permissions.is_board(membership, foundation)
    return RequestPermissions(
        is_applicant=is_applicant,
        is_board=is_board,
        is_chair=permissions.is_chair(membership, foundation),
        is_treasurer=permissions.is_treasurer(membership, foundation),
        can_see_account=permissions.can_see_account(membership, grant),
        can_see_files=permissions.can_see_files(membership, grant),
        # The conversation is between the board and the people of the initiative.
        can_read_messages=is_board
        or initiative_permissions.is_on_board(membership, grant.initiative),
        can_write_message=permissions.can_write_message(membership, grant),
        can_edit=permissions.can_edit_request(membership, grant),
        can_add_files=is_applicant
        and grant.status not in (GrantStatus.DECLINED, GrantStatus.WITHDRAWN),
        can_upload_receipt=permissions.can_upload_receipt(membership, grant),
    )


@dataclass
class SeatRow:
    """One board member on the board's panel: their vote on the current version, or why they
    may not vote."""

    seat: BoardSeat
    vote: Vote | None
    conflicts: list[Conflict]


@dataclass
class BoardPanel:
    tally: Tally
    rows: list[SeatRow]
    my_conflicts: list[Conflict]
    my_vote: Vote | None
    may_vote: bool
    chair_may_decide: bool
    can_reverse: bool

    @property
    def waits_for_chair(self) -> bool:
        return self.tally.next == Next.CHAIR

    @property
    def eligible_count(self) -> int:
        return len(self.tally.eligible)

    @property
    def my_reasons(self) -> str:
        return " ".join(conflict.reason for conflict in self.my_conflicts)


@dataclass
class BudgetRow:
    """A line of the granted budget against the receipts accepted for it."""

    what: str
    budget_cents: int
    spent_cents: int

    @property
    def left_cents(self) -> int:
        return self.budget_cents - self.spent_cents

    @property
    def over(self) -> bool:
        return self.spent_cents > self.budget_cents


@dataclass
class RequestPage:
    grant: GrantRequest
    perms: RequestPermissions
    versions: list[GrantVersion]
    submitted: list[GrantVersion]
    draft: GrantVersion | None
    shown: GrantVersion | None
    messages: list[GrantMessage]
    attachments: list[GrantAttachment]
    decisions: list[Decision]
    standing: Decision | None
    receipts: list[Receipt]
    board: BoardPanel | None = None
    figures: GrantFigures | None = None
    granted_version: GrantVersion | None = None
    budget_rows: list[BudgetRow] = field(default_factory=list)
    other_spent_cents: int = 0

    @property
    def latest_submitted(self) -> GrantVersion | None:
        return self.submitted[-1] if self.submitted else None

    @property
    def is_draft(self) -> bool:
        return self.grant.status == GrantStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.grant.status == GrantStatus.SUBMITTED

    @property
    def is_granted(self) -> bool:
        return self.grant.status == GrantStatus.GRANTED

    @property
    def budget_total_cents(self) -> int:
        return sum(row.budget_cents for row in self.budget_rows)

    @property
    def spent_total_cents(self) -> int:
        return sum(row.spent_cents for row in self.budget_rows) + self.other_spent_cents

    @property
    def receipt_line_choices(self) -> list[str]:
        return [row.what for row in self.budget_rows]


def granted_line_texts(grant: GrantRequest) -> list[str]:
    """The budget lines of the version the standing grant decision is about."""
    decision = (
        Decision.objects.filter(
            request=grant, outcome=DecisionOutcome.GRANTED, reversed_by__isnull=True
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if decision is None:
        return []
    return list(
        BudgetLine.objects.filter(version_id=decision.version_id)
        .order_by("position", "pk")
        .values_list("what", flat=True)
    )


def _budget_rows(version: GrantVersion, receipts: list[Receipt]) -> tuple[list[BudgetRow], int]:
    spent: dict[str, int] = defaultdict(int)
    for receipt in receipts:
        if receipt.status == ReceiptStatus.ACCEPTED:
            spent[receipt.budget_line] += receipt.amount_cents
    rows = []
    for line in version.lines.all():
        rows.append(BudgetRow(line.what, line.amount_cents, spent.pop(line.what, 0)))
    return rows, sum(spent.values())


def _board_panel(
    grant: GrantRequest, membership: Membership, latest: GrantVersion | None, standing
) -> BoardPanel:
    count = tally(grant, latest) if latest is not None else tally(grant)
    seats = list(
        BoardSeat.objects.filter(foundation_id=grant.foundation_id, ended_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    votes = {}
    if latest is not None:
        votes = {vote.voter_id: vote for vote in Vote.objects.filter(version=latest)}
    user_id = membership.user_id
    rows = [
        SeatRow(
            seat=seat, vote=votes.get(seat.user_id), conflicts=count.conflicts.get(seat.user_id, [])
        )
        for seat in seats
    ]
    my_conflicts = count.conflicts.get(user_id, [])
    submitted = grant.status == GrantStatus.SUBMITTED
    is_chair = permissions.is_chair(membership, grant.foundation)
    return BoardPanel(
        tally=count,
        rows=rows,
        my_conflicts=my_conflicts,
        my_vote=votes.get(user_id),
        may_vote=submitted and latest is not None and count.may_vote(user_id),
        chair_may_decide=submitted and latest is not None and count.chair_may_decide(user_id),
        can_reverse=is_chair and not my_conflicts and standing is not None,
    )


def request_page(grant: GrantRequest, membership: Membership) -> RequestPage:
    """The request with its versions (and their lines), messages, files, decisions, receipts,
    and for the board the votes and the tally. The number of queries does not grow with the
    number of versions, messages or receipts."""
    perms = permissions_for(membership, grant)
    versions = list(
        GrantVersion.objects.filter(request=grant)
        .prefetch_related(Prefetch("lines", queryset=BudgetLine.objects.order_by("position", "pk")))
        .order_by("number")
    )
    submitted = [version for version in versions if not version.is_draft]
    draft = next((version for version in versions if version.is_draft), None)
    if draft is not None and (perms.is_applicant or not submitted):
        shown = draft
    else:
        shown = submitted[-1] if submitted else None
    messages = []
    if perms.can_read_messages:
        messages = list(
            GrantMessage.objects.filter(request=grant)
            .select_related("author")
            .order_by("created_at", "pk")
        )
    attachments = []
    if perms.can_see_files:
        attachments = list(
            GrantAttachment.objects.filter(request=grant).select_related("uploaded_by")
        )
    decisions = list(
        Decision.objects.filter(request=grant)
        .select_related("decided_by", "fund")
        .order_by("created_at", "pk")
    )
    reversed_ids = {decision.reverses_id for decision in decisions if decision.reverses_id}
    by_pk = {decision.pk: decision for decision in decisions}
    for decision in decisions:
        decision.reversed_decision = by_pk.get(decision.reverses_id)
        decision.is_reversed = decision.pk in reversed_ids
    standing = next(
        (decision for decision in reversed(decisions) if decision.pk not in reversed_ids), None
    )
    receipts = list(Receipt.objects.filter(grant=grant).order_by("spent_on", "pk"))
    page = RequestPage(
        grant=grant,
        perms=perms,
        versions=versions,
        submitted=submitted,
        draft=draft,
        shown=shown,
        messages=messages,
        attachments=attachments,
        decisions=decisions,
        standing=standing,
        receipts=receipts,
    )
    if perms.is_board:
        page.board = _board_panel(grant, membership, page.latest_submitted, standing)
    if grant.status == GrantStatus.GRANTED:
        page.figures = ledger.grant_figures_of(grant)
        if standing is not None and standing.outcome == DecisionOutcome.GRANTED:
            by_id = {version.pk: version for version in versions}
            page.granted_version = by_id.get(standing.version_id)
        if page.granted_version is not None:
            page.budget_rows, page.other_spent_cents = _budget_rows(page.granted_version, receipts)
    return page
