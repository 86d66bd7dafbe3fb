"""Check the ledger's rules against what is stored: `buurtnet ledger verify`.

Every rule is one query that returns only what breaks it; nothing walks the lines one by one.

- Each entry has at least two lines and they add up to zero.
- No fund is below zero unless it may go below zero.
- Per grant: paid (before money returned) at most granted; spent at most paid; accepted
  receipts at most paid plus the foundation's tolerance.
- A bank line is booked by at most one standing entry (neither reversed nor a reversal), and
  that entry moves the bank line's amount on the bank.
- A reversal has the kind of what it reverses and its lines mirrored.
- A standing entry is linked to what it books (money received, a decision, a payment, a receipt
  or a bank line).
- A paid payment has one standing payment entry of its amount; any other payment has none.
- A granted decision that stands is committed in the ledger for its amount; any other decision
  has nothing committed.
"""

from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from buurtnet.core.money import euros
from buurtnet.funding.ledger import FIGURE_LINES
from buurtnet.funding.models import (
    Account,
    Decision,
    DecisionOutcome,
    EntryKind,
    Foundation,
    Fund,
    GrantRequest,
    LedgerEntry,
    LedgerLine,
    Payment,
    PaymentStatus,
    Receipt,
    ReceiptStatus,
)


@dataclass(frozen=True)
class Breach:
    """One broken rule: `kind` is a short code, `message` says what is wrong, readably."""

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


UNBALANCED = "unbalanced"
TOO_FEW_LINES = "too_few_lines"
FUND_BELOW_ZERO = "fund_below_zero"
PAID_ABOVE_GRANTED = "paid_above_granted"
SPENT_ABOVE_PAID = "spent_above_paid"
RECEIPTS_ABOVE_PAID = "receipts_above_paid"
BANK_LINE_TWICE = "bank_line_twice"
BANK_LINE_AMOUNT = "bank_line_amount"
REVERSAL_MISMATCH = "reversal_mismatch"
UNLINKED = "unlinked"
PAYMENT_ENTRY = "payment_entry"
DECISION_ENTRY = "decision_entry"

# What a standing entry of each kind must be linked to.
LINK_OF_KIND = {
    EntryKind.RECEIVED: "donation",
    EntryKind.COMMITTED: "decision",
    EntryKind.PAID: "payment",
    EntryKind.SPENT: "receipt",
    EntryKind.REFUND: "bank_line",
}


def _sum(lines: QuerySet, key: str) -> Coalesce:
    """The sum of the lines' amounts, as a correlated subquery (0 when there are none)."""
    total = lines.order_by().values(key).annotate(total=Sum("amount_cents")).values("total")
    return Coalesce(Subquery(total, output_field=BigIntegerField()), Value(0))


def _count(rows: QuerySet, key: str) -> Coalesce:
    number = rows.order_by().values(key).annotate(number=Count("pk")).values("number")
    return Coalesce(Subquery(number, output_field=IntegerField()), Value(0))


def _standing(entries: QuerySet) -> QuerySet:
    """Entries that are neither a reversal nor reversed."""
    return entries.filter(reverses__isnull=True, reversed_by__isnull=True)


def _entry_name(entry: LedgerEntry) -> str:
    return _("Entry %(id)s (%(kind)s, %(date)s)") % {
        "id": entry.pk,
        "kind": entry.kind,
        "date": entry.booked_on.isoformat(),
    }


def _grant_name(grant: GrantRequest) -> str:
    return _("Grant %(id)s (“%(initiative)s”)") % {
        "id": grant.pk,
        "initiative": grant.initiative.title,
    }


class _Scope:
    """The rows of one foundation, or of all of them."""

    def __init__(self, foundation: Foundation | None) -> None:
        self.foundation = foundation

    def _of(self, queryset: QuerySet, path: str) -> QuerySet:
        if self.foundation is None:
            return queryset
        return queryset.filter(**{path: self.foundation})

    def entries(self) -> QuerySet:
        return self._of(LedgerEntry.objects.all(), "foundation")

    def lines(self) -> QuerySet:
        return self._of(LedgerLine.objects.all(), "entry__foundation")

    def funds(self) -> QuerySet:
        return self._of(Fund.objects.all(), "foundation")

    def grants(self) -> QuerySet:
        return self._of(GrantRequest.objects.all(), "foundation")

    def payments(self) -> QuerySet:
        return self._of(Payment.objects.all(), "grant__foundation")

    def decisions(self) -> QuerySet:
        return self._of(Decision.objects.all(), "request__foundation")


def _entries(scope: _Scope) -> list[Breach]:
    found = []
    entries = (
        scope.entries()
        .annotate(line_count=Count("lines"), total=Coalesce(Sum("lines__amount_cents"), Value(0)))
        .filter(Q(line_count__lt=2) | ~Q(total=0))
        .order_by("pk")
    )
    for entry in entries:
        if entry.total != 0:
            found.append(
                Breach(
                    UNBALANCED,
                    _("%(entry)s does not balance: its lines add up to %(total)s.")
                    % {"entry": _entry_name(entry), "total": euros(entry.total)},
                )
            )
        if entry.line_count < 2:
            found.append(
                Breach(
                    TOO_FEW_LINES,
                    _("%(entry)s has %(count)s line(s); an entry needs at least two.")
                    % {"entry": _entry_name(entry), "count": entry.line_count},
                )
            )
    return found


def _funds(scope: _Scope) -> list[Breach]:
    lines = LedgerLine.objects.filter(fund_id=OuterRef("pk"), account=Account.FUND)
    funds = (
        scope.funds()
        .filter(may_go_below_zero=False)
        .annotate(booked=_sum(lines, "fund_id"))
        .filter(booked__gt=0)  # fund lines are credits: a debit balance is below zero
        .order_by("pk")
    )
    return [
        Breach(
            FUND_BELOW_ZERO,
            _("Fund %(id)s (“%(fund)s”) is at %(balance)s and may not go below zero.")
            % {"id": fund.pk, "fund": fund.name, "balance": euros(-fund.booked)},
        )
        for fund in funds
    ]


def _grants(scope: _Scope) -> list[Breach]:
    def booked(figure: str):
        kind, account, sign = FIGURE_LINES[figure]
        lines = LedgerLine.objects.filter(
            grant_id=OuterRef("pk"), account=account, entry__kind=kind
        )
        return sign * _sum(lines, "grant_id")

    accepted = Receipt.objects.filter(grant_id=OuterRef("pk"), status=ReceiptStatus.ACCEPTED)
    grants = (
        scope.grants()
        .select_related("initiative", "foundation")
        .annotate(
            granted=booked("granted"),
            paid_gross=booked("paid"),
            spent=booked("spent"),
            returned=booked("returned"),
            accepted=_sum(accepted, "grant_id"),
        )
        .annotate(paid=F("paid_gross") - F("returned"))
        .filter(
            Q(paid_gross__gt=F("granted"))
            | Q(spent__gt=F("paid"))
            | Q(accepted__gt=F("paid") + F("foundation__receipt_tolerance_cents"))
        )
        .order_by("pk")
    )
    found = []
    for grant in grants:
        name = _grant_name(grant)
        if grant.paid_gross > grant.granted:
            found.append(
                Breach(
                    PAID_ABOVE_GRANTED,
                    _("%(grant)s: %(paid)s paid, more than the %(granted)s granted.")
                    % {
                        "grant": name,
                        "paid": euros(grant.paid_gross),
                        "granted": euros(grant.granted),
                    },
                )
            )
        if grant.spent > grant.paid:
            found.append(
                Breach(
                    SPENT_ABOVE_PAID,
                    _("%(grant)s: %(spent)s booked as spent, more than the %(paid)s paid.")
                    % {"grant": name, "spent": euros(grant.spent), "paid": euros(grant.paid)},
                )
            )
        if grant.accepted > grant.paid + grant.foundation.receipt_tolerance_cents:
            found.append(
                Breach(
                    RECEIPTS_ABOVE_PAID,
                    _(
                        "%(grant)s: receipts of %(accepted)s accepted, more than the %(paid)s "
                        "paid and the %(tolerance)s allowed above it."
                    )
                    % {
                        "grant": name,
                        "accepted": euros(grant.accepted),
                        "paid": euros(grant.paid),
                        "tolerance": euros(grant.foundation.receipt_tolerance_cents),
                    },
                )
            )
    return found


def _bank_lines(scope: _Scope) -> list[Breach]:
    booked = (
        _standing(scope.entries())
        .filter(bank_line__isnull=False)
        .values("bank_line_id")
        .annotate(entry_count=Count("pk"))
        .filter(entry_count__gt=1)
        .order_by("bank_line_id")
    )
    found = [
        Breach(
            BANK_LINE_TWICE,
            _("Bank line %(line)s is booked by %(count)s entries; it may be booked once.")
            % {"line": row["bank_line_id"], "count": row["entry_count"]},
        )
        for row in booked
    ]
    bank = LedgerLine.objects.filter(entry_id=OuterRef("pk"), account=Account.BANK)
    entries = (
        _standing(scope.entries())
        .filter(bank_line__isnull=False)
        .annotate(on_bank=_sum(bank, "entry_id"))
        .exclude(on_bank=F("bank_line__amount_cents"))
        .select_related("bank_line")
        .order_by("pk")
    )
    found += [
        Breach(
            BANK_LINE_AMOUNT,
            _("%(entry)s books %(booked)s on the bank for bank line %(line)s of %(amount)s.")
            % {
                "entry": _entry_name(entry),
                "booked": euros(entry.on_bank),
                "line": entry.bank_line_id,
                "amount": euros(entry.bank_line.amount_cents),
            },
        )
        for entry in entries
    ]
    return found


def _reversals(scope: _Scope) -> list[Breach]:
    pair = LedgerLine.objects.filter(
        Q(entry_id=OuterRef("pk")) | Q(entry_id=OuterRef("reverses_id"))
    )
    not_mirrored = (
        pair.order_by()
        .values("account", "fund_id", "grant_id")
        .annotate(total=Sum("amount_cents"))
        .exclude(total=0)
    )
    own = LedgerLine.objects.filter(entry_id=OuterRef("pk"))
    original = LedgerLine.objects.filter(entry_id=OuterRef("reverses_id"))
    reversals = (
        scope.entries()
        .filter(reverses__isnull=False)
        .annotate(
            not_mirrored=Exists(not_mirrored),
            own_lines=_count(own, "entry_id"),
            original_lines=_count(original, "entry_id"),
        )
        .filter(
            ~Q(kind=F("reverses__kind")) | Q(not_mirrored=True) | ~Q(own_lines=F("original_lines"))
        )
        .select_related("reverses")
        .order_by("pk")
    )
    return [
        Breach(
            REVERSAL_MISMATCH,
            _("%(entry)s reverses %(original)s but does not mirror it.")
            % {"entry": _entry_name(entry), "original": _entry_name(entry.reverses)},
        )
        for entry in reversals
    ]


def _unlinked(scope: _Scope) -> list[Breach]:
    missing = Q()
    for kind, link in LINK_OF_KIND.items():
        missing |= Q(kind=kind, **{f"{link}__isnull": True})
        if kind != EntryKind.RECEIVED:
            missing |= Q(kind=kind, grant__isnull=True)
    entries = _standing(scope.entries()).filter(missing).order_by("pk")
    return [
        Breach(
            UNLINKED,
            _("%(entry)s is not linked to what it books.") % {"entry": _entry_name(entry)},
        )
        for entry in entries
    ]


def _payments(scope: _Scope) -> list[Breach]:
    entries = _standing(LedgerEntry.objects.filter(payment_id=OuterRef("pk"), kind=EntryKind.PAID))
    lines = LedgerLine.objects.filter(
        entry__payment_id=OuterRef("pk"), entry__kind=EntryKind.PAID, account=Account.ADVANCE
    )
    payments = (
        scope.payments()
        .annotate(
            entry_count=_count(entries, "payment_id"), booked=_sum(lines, "entry__payment_id")
        )
        .filter(
            Q(status=PaymentStatus.PAID) & (~Q(entry_count=1) | ~Q(booked=F("amount_cents")))
            | ~Q(status=PaymentStatus.PAID) & (~Q(entry_count=0) | ~Q(booked=0))
        )
        .order_by("pk")
    )
    return [
        Breach(
            PAYMENT_ENTRY,
            _(
                "Payment %(id)s (%(status)s, %(amount)s) has %(count)s standing payment "
                "entries, booking %(booked)s."
            )
            % {
                "id": payment.pk,
                "status": payment.status,
                "amount": euros(payment.amount_cents),
                "count": payment.entry_count,
                "booked": euros(payment.booked),
            },
        )
        for payment in payments
    ]


def _decisions(scope: _Scope) -> list[Breach]:
    lines = LedgerLine.objects.filter(
        entry__decision_id=OuterRef("pk"),
        entry__kind=EntryKind.COMMITTED,
        account=Account.PAYABLE,
    )
    stands = Q(outcome=DecisionOutcome.GRANTED, reversed=False)
    decisions = (
        scope.decisions()
        .annotate(
            committed=-_sum(lines, "entry__decision_id"),
            reversed=Exists(Decision.objects.filter(reverses_id=OuterRef("pk"))),
        )
        .filter(stands & ~Q(committed=F("amount_cents")) | ~stands & ~Q(committed=0))
        .order_by("pk")
    )
    return [
        Breach(
            DECISION_ENTRY,
            _(
                "Decision %(id)s (%(outcome)s, %(amount)s, reversed: %(reversed)s) has "
                "%(committed)s committed in the ledger."
            )
            % {
                "id": decision.pk,
                "outcome": decision.outcome,
                "amount": euros(decision.amount_cents),
                "reversed": _("yes") if decision.reversed else _("no"),
                "committed": euros(decision.committed),
            },
        )
        for decision in decisions
    ]


CHECKS = (_entries, _funds, _grants, _bank_lines, _reversals, _unlinked, _payments, _decisions)


def breaches(foundation: Foundation | None = None) -> list[Breach]:
    """Everything in the ledger (of one foundation, or of all) that breaks one of its rules."""
    scope = _Scope(foundation)
    return [breach for check in CHECKS for breach in check(scope)]


def counted(foundation: Foundation | None = None) -> tuple[int, int]:
    """How many entries and lines a check reads."""
    scope = _Scope(foundation)
    return scope.entries().count(), scope.lines().count()
