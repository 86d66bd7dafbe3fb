"""The foundation's annual report: the year's figures in one object, and that object as a PDF
for the board, the municipality and a work visit.

`annual_report()` reads everything from the ledger and the decisions (a fixed number of queries
for any number of grants); `annual_report_pdf()` renders it with WeasyPrint from the template
funding/report/annual.html, which carries its own print style.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from buurtnet.funding import ledger
from buurtnet.funding.models import (
    Account,
    BoardRole,
    BoardSeat,
    Decision,
    DecisionOutcome,
    EntryKind,
    Foundation,
    Fund,
    GrantRequest,
    LedgerLine,
)
from buurtnet.funding.selectors.public import Received, decided_at_subquery, received_per_kind

FIRST_YEAR = 2000


def year_in_range(year: int) -> bool:
    """A report exists for 2000 up to next year."""
    return FIRST_YEAR <= year <= timezone.localdate().year + 1


@dataclass(frozen=True)
class FundYear:
    name: str
    purpose: str
    earmarked: bool
    received: int
    at_start: int
    at_end: int


@dataclass(frozen=True)
class GrantYear:
    pk: int
    initiative: str
    fund: str
    decided_at: datetime | None
    # Up to the end of the year.
    granted: int
    paid: int
    spent: int
    returned: int


@dataclass(frozen=True)
class BoardMember:
    name: str
    role: str
    since: date
    until: date | None


@dataclass
class AnnualReport:
    foundation: Foundation
    year: int
    start: date
    end: date
    made_on: date
    received: list[Received] = field(default_factory=list)
    received_total: int = 0
    granted_count: int = 0
    declined_count: int = 0
    # Money moved during the year, from the ledger (corrections counted back).
    granted: int = 0
    paid: int = 0
    spent: int = 0
    returned: int = 0
    funds: list[FundYear] = field(default_factory=list)
    bank_at_start: int = 0
    bank_at_end: int = 0
    grants: list[GrantYear] = field(default_factory=list)
    board: list[BoardMember] = field(default_factory=list)

    @property
    def funds_at_start(self) -> int:
        return sum(f.at_start for f in self.funds)

    @property
    def funds_at_end(self) -> int:
        return sum(f.at_end for f in self.funds)


def _movements(foundation: Foundation, year: int) -> dict[str, int]:
    """Granted, paid, accounted for and returned during the year (one query)."""
    moved = ledger.movements(foundation, year=year)
    return {
        "granted": moved.granted,
        "paid": moved.paid,
        "spent": moved.spent,
        "returned": moved.returned,
    }


def _decided(foundation: Foundation, year: int) -> dict[str, int]:
    """Standing decisions made during the year, per outcome (one query)."""
    rows = (
        Decision.objects.filter(
            request__foundation=foundation, created_at__year=year, reversed_by__isnull=True
        )
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["outcome"]: row["n"] for row in rows}


def _funds(foundation: Foundation, start: date, end: date) -> list[FundYear]:
    """Each fund at the start and end of the year, and what came in on it (two queries)."""
    rows = (
        LedgerLine.objects.filter(
            entry__foundation=foundation, account=Account.FUND, entry__booked_on__lte=end
        )
        .values("fund_id")
        .annotate(
            before=Sum("amount_cents", filter=Q(entry__booked_on__lt=start)),
            until=Sum("amount_cents"),
            received=Sum(
                "amount_cents",
                filter=Q(entry__booked_on__gte=start, entry__kind=EntryKind.RECEIVED),
            ),
        )
        .order_by()
    )
    by_fund = {row["fund_id"]: row for row in rows}
    funds = []
    for fund in Fund.objects.filter(foundation=foundation).order_by("name", "pk"):
        row = by_fund.get(fund.pk, {})
        funds.append(
            FundYear(
                name=fund.name,
                purpose=fund.purpose,
                earmarked=fund.earmarked,
                received=-(row.get("received") or 0),
                at_start=-(row.get("before") or 0),
                at_end=-(row.get("until") or 0),
            )
        )
    return funds


def _bank(foundation: Foundation, start: date, end: date) -> tuple[int, int]:
    totals = LedgerLine.objects.filter(
        entry__foundation=foundation, account=Account.BANK, entry__booked_on__lte=end
    ).aggregate(
        before=Sum("amount_cents", filter=Q(entry__booked_on__lt=start)),
        until=Sum("amount_cents"),
    )
    return totals["before"] or 0, totals["until"] or 0


def _grants(foundation: Foundation, start: date, end: date) -> list[GrantYear]:
    """Grants with money moving during the year, with their figures up to its end (two
    queries for any number of grants)."""
    moved = LedgerLine.objects.filter(
        entry__foundation=foundation,
        grant__isnull=False,
        entry__booked_on__gte=start,
        entry__booked_on__lte=end,
    ).values("grant_id")
    grants = list(
        GrantRequest.objects.filter(foundation=foundation, pk__in=moved)
        .select_related("initiative", "fund")
        .annotate(decided_at=decided_at_subquery())
        .order_by("initiative__title", "pk")
    )
    figures = ledger.grant_figures([g.pk for g in grants], until=end)
    result = []
    for grant in grants:
        figure = figures[grant.pk]
        result.append(
            GrantYear(
                pk=grant.pk,
                initiative=grant.initiative.title,
                fund=grant.fund.name if grant.fund else "",
                decided_at=grant.decided_at,
                granted=figure.granted,
                paid=figure.paid,
                spent=figure.spent,
                returned=figure.returned,
            )
        )
    return result


def _board(foundation: Foundation, start: date, end: date) -> list[BoardMember]:
    """Who sat on the board during the year, with their role (public in their role)."""
    seats = (
        BoardSeat.objects.filter(foundation=foundation, created_at__date__lte=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=start))
        .select_related("user")
        .order_by("created_at", "pk")
    )
    order = {role: n for n, role in enumerate(BoardRole.values)}
    seats = sorted(seats, key=lambda s: (order.get(s.role, 9), s.user.display_name.lower()))
    return [
        BoardMember(
            name=seat.user.display_name,
            role=str(seat.get_role_display()),
            since=timezone.localdate(seat.created_at),
            until=timezone.localdate(seat.ended_at) if seat.ended_at else None,
        )
        for seat in seats
    ]


def annual_report(foundation: Foundation, *, year: int) -> AnnualReport:
    """The year's figures of one foundation (a fixed number of queries)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    received = [r for r in received_per_kind(foundation, year) if r.this_year]
    movements = _movements(foundation, year)
    decided = _decided(foundation, year)
    bank_at_start, bank_at_end = _bank(foundation, start, end)
    return AnnualReport(
        foundation=foundation,
        year=year,
        start=start,
        end=end,
        made_on=timezone.localdate(),
        received=received,
        received_total=sum(r.this_year for r in received),
        granted_count=decided.get(DecisionOutcome.GRANTED, 0),
        declined_count=decided.get(DecisionOutcome.DECLINED, 0),
        granted=movements["granted"],
        paid=movements["paid"] - movements["returned"],
        spent=movements["spent"],
        returned=movements["returned"],
        funds=_funds(foundation, start, end),
        bank_at_start=bank_at_start,
        bank_at_end=bank_at_end,
        grants=_grants(foundation, start, end),
        board=_board(foundation, start, end),
    )


REPORT_CSS = Path(__file__).resolve().parent / "report.css"


def _no_fetching(url: str, *args, **kwargs):
    """The report carries everything it shows: WeasyPrint fetches nothing."""
    raise ValueError(f"the annual report fetches no resources: {url}")


def annual_report_html(report: AnnualReport) -> str:
    return render_to_string("funding/report/annual.html", {"report": report})


def annual_report_pdf(report: AnnualReport) -> bytes:
    """The report as PDF bytes."""
    from weasyprint import CSS, HTML

    html = annual_report_html(report)
    return HTML(string=html, base_url=None, url_fetcher=_no_fetching).write_pdf(
        stylesheets=[CSS(filename=str(REPORT_CSS))]
    )
