"""The double-entry ledger: posting balanced entries and deriving every figure from them.

Accounts (a line's `account`, with its fund or grant):
- BANK: the foundation's bank account (debit = money in).
- FUND(f): what a fund holds and has not promised (credit balance).
- PAYABLE(g): granted and not yet accounted for by receipts or returned (credit balance).
- ADVANCE(g): paid to the initiative and not yet accounted for (debit balance).

Movements:
- received:  Dr BANK / Cr FUND(f)
- committed: Dr FUND(f) / Cr PAYABLE(g)
- paid:      Dr ADVANCE(g) / Cr BANK
- spent:     Dr PAYABLE(g) / Cr ADVANCE(g)            (a receipt accepted)
- refund:    Dr BANK / Cr ADVANCE(g) and Dr PAYABLE(g) / Cr FUND(f)   (money returned)
A reversal mirrors the lines of what it reverses and keeps its kind.

Nothing here stores a balance: fund balances and each grant's granted, paid, spent and
returned are sums over the lines, one query for any number of funds or grants.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from buurtnet.funding.models import (
    Account,
    EntryKind,
    Foundation,
    Fund,
    GrantRequest,
    LedgerEntry,
    LedgerLine,
)


class Unbalanced(ValueError):
    """An entry whose lines do not add up to zero (or that has none)."""


@dataclass(frozen=True)
class Line:
    account: str
    amount_cents: int  # debit positive, credit negative
    fund: Fund | None = None
    grant: GrantRequest | None = None


def debit(account: str, cents: int, **where) -> Line:
    return Line(account, int(cents), **where)


def credit(account: str, cents: int, **where) -> Line:
    return Line(account, -int(cents), **where)


def post(
    *,
    foundation: Foundation,
    kind: str,
    booked_on: date,
    memo: str,
    lines: Iterable[Line],
    created_by=None,
    reverses: LedgerEntry | None = None,
    **links,
) -> LedgerEntry:
    """Write one balanced entry with its lines. Call inside the service's transaction."""
    lines = [line for line in lines if line.amount_cents != 0]
    if not lines or sum(line.amount_cents for line in lines) != 0:
        raise Unbalanced(_("The lines of a ledger entry must add up to zero."))
    with transaction.atomic():
        entry = LedgerEntry.objects.create(
            foundation=foundation,
            kind=EntryKind(kind),
            booked_on=booked_on,
            memo=memo[:300],
            created_by=created_by,
            reverses=reverses,
            **links,
        )
        LedgerLine.objects.bulk_create(
            LedgerLine(
                entry=entry,
                account=line.account,
                fund=line.fund,
                grant=line.grant,
                amount_cents=line.amount_cents,
            )
            for line in lines
        )
    return entry


def reverse(*, entry: LedgerEntry, booked_on: date, memo: str, created_by=None) -> LedgerEntry:
    """A new entry with the mirrored lines of `entry`, linked to what the original was about."""
    lines = [
        Line(line.account, -line.amount_cents, fund=line.fund, grant=line.grant)
        for line in entry.lines.select_related("fund", "grant")
    ]
    links = {
        name: getattr(entry, f"{name}_id")
        for name in ("grant", "donation", "decision", "payment", "receipt", "bank_line")
    }
    return post(
        foundation=entry.foundation,
        kind=entry.kind,
        booked_on=booked_on,
        memo=memo,
        lines=lines,
        created_by=created_by,
        reverses=entry,
        **{f"{name}_id": value for name, value in links.items()},
    )


# ----------------------------------------------------------------------------- derived figures


def fund_balances(foundation: Foundation) -> dict[int, int]:
    """Each fund's balance in cents (credit positive): money received less money promised."""
    rows = (
        LedgerLine.objects.filter(entry__foundation=foundation, account=Account.FUND)
        .values("fund_id")
        .annotate(total=Sum("amount_cents"))
    )
    return {row["fund_id"]: -row["total"] for row in rows}


def bank_balance(foundation: Foundation) -> int:
    total = LedgerLine.objects.filter(entry__foundation=foundation, account=Account.BANK).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return total or 0


@dataclass
class GrantFigures:
    granted: int = 0
    paid: int = 0  # net of money returned
    spent: int = 0
    returned: int = 0

    @property
    def to_pay(self) -> int:
        """Granted and not yet paid (nothing once the rest was returned)."""
        return max(self.granted - self.paid - self.returned, 0)

    @property
    def to_account_for(self) -> int:
        """Paid and not yet shown spent or returned."""
        return self.paid - self.spent


# Which lines make each figure of a grant: the entry's kind, the account, and the sign that turns
# their sum (debit positive) into the figure. The pages, the report, the check and the initiative
# page's piece all count by this one table.
FIGURE_LINES = {
    "granted": (EntryKind.COMMITTED, Account.PAYABLE, -1),
    "paid": (EntryKind.PAID, Account.ADVANCE, 1),
    "spent": (EntryKind.SPENT, Account.ADVANCE, -1),
    "returned": (EntryKind.REFUND, Account.ADVANCE, -1),
}


def _classify(figure: GrantFigures, kind: str, account: str, total: int) -> None:
    """Add one sum of lines to the figure it counts for (paid here is before money returned)."""
    for name, (figure_kind, figure_account, sign) in FIGURE_LINES.items():
        if kind == figure_kind and account == figure_account:
            setattr(figure, name, getattr(figure, name) + sign * total)


def grant_figures(
    grant_ids: Iterable[int], *, until: date | None = None
) -> dict[int, GrantFigures]:
    """granted / paid / spent / returned per grant, from the ledger, in one query (with `until`,
    as they stood at the end of that day)."""
    ids = list(grant_ids)
    figures: dict[int, GrantFigures] = defaultdict(GrantFigures)
    if not ids:
        return figures
    lines = LedgerLine.objects.filter(grant_id__in=ids)
    if until is not None:
        lines = lines.filter(entry__booked_on__lte=until)
    rows = (
        lines.values("grant_id", "account", "entry__kind")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    for row in rows:
        _classify(figures[row["grant_id"]], row["entry__kind"], row["account"], row["total"])
    for figure in figures.values():
        figure.paid -= figure.returned
    return figures


def movements(foundation: Foundation, *, year: int) -> GrantFigures:
    """What was granted, paid (before money returned), spent and returned during one year,
    over all grants, in one query."""
    rows = (
        LedgerLine.objects.filter(
            entry__foundation=foundation,
            entry__booked_on__year=year,
            account__in=[Account.PAYABLE, Account.ADVANCE],
        )
        .values("entry__kind", "account")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    figure = GrantFigures()
    for row in rows:
        _classify(figure, row["entry__kind"], row["account"], row["total"])
    return figure


def grant_figures_of(grant: GrantRequest) -> GrantFigures:
    return grant_figures([grant.pk])[grant.pk]


def received_by_kind(foundation: Foundation, year: int | None = None) -> dict[str, int]:
    """Money received per source kind (donation, subsidy, …), reversals counted back."""
    lines = LedgerLine.objects.filter(
        entry__foundation=foundation, entry__kind=EntryKind.RECEIVED, account=Account.BANK
    )
    if year is not None:
        lines = lines.filter(entry__booked_on__year=year)
    rows = lines.values("entry__donation__source_kind").annotate(total=Sum("amount_cents"))
    return {row["entry__donation__source_kind"]: row["total"] for row in rows if row["total"]}


def reversed_entry_ids(foundation: Foundation) -> set[int]:
    return set(
        LedgerEntry.objects.filter(foundation=foundation, reverses__isnull=False).values_list(
            "reverses_id", flat=True
        )
    )


def is_reversed(entry: LedgerEntry) -> bool:
    return LedgerEntry.objects.filter(reverses=entry).exists()


def standing(entries):
    """Entries that are neither a reversal nor reversed."""
    return entries.filter(reverses__isnull=True).exclude(Q(reversed_by__isnull=False))
