"""What the treasurer's pages read: money received, bank lines, payments and the ledger.

Each function runs a fixed number of queries, however many rows it returns.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Sum
from django.db.models import Value as V
from django.db.models.functions import Coalesce

from buurtnet.funding import ledger
from buurtnet.funding.models import (
    Account,
    BankLine,
    BankStatement,
    Donation,
    Foundation,
    GrantRequest,
    GrantStatus,
    LedgerEntry,
    LedgerLine,
    Payment,
    PaymentBatch,
    PaymentStatus,
)
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods import names
from buurtnet.neighbourhoods.models import Role
from buurtnet.people.models import User

PENDING = (PaymentStatus.TO_PAY, PaymentStatus.IN_FILE)
RECENTLY_MATCHED = 20


# ------------------------------------------------------------------------------------- money in


def money_received(foundation: Foundation):
    """Money received, newest first; `is_reversed` when its booking was corrected."""
    reversal = LedgerEntry.objects.filter(donation=OuterRef("pk"), reverses__isnull=False)
    return (
        Donation.objects.filter(foundation=foundation)
        .select_related("fund")
        .annotate(is_reversed=Exists(reversal))
        .order_by("-received_on", "-pk")
    )


def neighbours(foundation: Foundation):
    """Residents of the foundation's neighbourhood who may have given money, by name: those
    listed in the directory, and those recorded as givers before."""
    gave = Donation.objects.filter(foundation=foundation, donor=OuterRef("pk"))
    return (
        User.objects.filter(
            memberships__neighbourhood_id=foundation.neighbourhood_id,
            memberships__role__in=[Role.RESIDENT, Role.HOST],
            is_active=True,
        )
        .filter(names.findable(user_path="", ties=Q(Exists(gave))))
        .order_by("display_name", "pk")
        .distinct()
    )


def initiatives(foundation: Foundation):
    return Initiative.objects.filter(neighbourhood_id=foundation.neighbourhood_id).order_by(
        "title", "pk"
    )


# ----------------------------------------------------------------------------------------- bank


def statements(foundation: Foundation):
    return (
        BankStatement.objects.filter(foundation=foundation)
        .select_related("imported_by")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-pk")
    )


_UNMATCHED = Q(donation__isnull=True, payment__isnull=True, refund_of__isnull=True)


def _lines(foundation: Foundation):
    return BankLine.objects.filter(statement__foundation=foundation).select_related(
        "donation__fund", "payment__grant__initiative", "refund_of__initiative"
    )


def unmatched_lines(foundation: Foundation):
    """Every line not yet matched to money received, a payment or money returned."""
    return _lines(foundation).filter(_UNMATCHED).order_by("booked_on", "position", "pk")


def recently_matched_lines(foundation: Foundation, limit: int = RECENTLY_MATCHED) -> list:
    """The lines matched last (by their latest ledger booking), with what they were matched to."""
    return list(
        _lines(foundation)
        .exclude(_UNMATCHED)
        .annotate(matched_at=Max("entries__created_at"))
        .order_by(Coalesce("matched_at", "created_at").desc(), "-pk")[:limit]
    )


def bank_line(foundation: Foundation, pk: int) -> BankLine | None:
    return _lines(foundation).select_related("statement").filter(pk=pk).first()


def granted_requests(foundation: Foundation):
    """Granted requests, for money an initiative returns."""
    return (
        GrantRequest.objects.filter(foundation=foundation, status=GrantStatus.GRANTED)
        .select_related("initiative")
        .order_by("initiative__title", "pk")
    )


def pending_payments(foundation: Foundation, *statuses: str):
    """Payments waiting for the bank (marked to pay or in a bank file), oldest first."""
    return (
        Payment.objects.filter(grant__foundation=foundation, status__in=statuses or PENDING)
        .select_related("grant__initiative", "batch")
        .order_by("created_at", "pk")
    )


# ------------------------------------------------------------------------------------- payments


@dataclass
class ToPay:
    grant: GrantRequest
    figures: ledger.GrantFigures
    pending: int

    @property
    def left(self) -> int:
        """What may still be marked to pay."""
        return max(self.figures.to_pay - self.pending, 0)


def grants_to_pay(foundation: Foundation) -> list[ToPay]:
    """Granted requests with money still to mark to pay: two queries for any number."""
    grants = list(
        GrantRequest.objects.filter(foundation=foundation, status=GrantStatus.GRANTED)
        .select_related("initiative")
        .annotate(
            pending=Coalesce(
                Sum("payments__amount_cents", filter=Q(payments__status__in=PENDING)), V(0)
            )
        )
        .order_by("initiative__title", "pk")
    )
    figures = ledger.grant_figures(grant.pk for grant in grants)
    rows = [ToPay(grant, figures[grant.pk], grant.pending) for grant in grants]
    return [row for row in rows if row.left > 0]


def batches(foundation: Foundation):
    return (
        PaymentBatch.objects.filter(foundation=foundation)
        .select_related("created_by")
        .annotate(
            payment_count=Count("payments"),
            total_cents=Coalesce(Sum("payments__amount_cents"), V(0)),
        )
        .order_by("-created_at", "-pk")
        .defer("xml")
    )


# --------------------------------------------------------------------------------------- ledger


def ledger_entries(foundation: Foundation):
    """Entries newest first with their lines, what they reverse and what reversed them."""
    lines = LedgerLine.objects.select_related("fund", "grant__initiative").order_by("pk")
    return (
        LedgerEntry.objects.filter(foundation=foundation)
        .select_related("reverses", "reversed_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-booked_on", "-pk")
    )


@dataclass
class AccountTotal:
    account: str
    label: str
    debit: int
    credit: int

    @property
    def balance(self) -> int:
        """Debit less credit: positive for the bank and advances, negative for funds."""
        return self.debit - self.credit


def account_totals(foundation: Foundation) -> list[AccountTotal]:
    """Debits and credits per account, in one query."""
    rows = {
        row["account"]: row
        for row in LedgerLine.objects.filter(entry__foundation=foundation)
        .values("account")
        .annotate(
            debit=Coalesce(Sum("amount_cents", filter=Q(amount_cents__gt=0)), V(0)),
            credit=Coalesce(Sum("amount_cents", filter=Q(amount_cents__lt=0)), V(0)),
        )
        .order_by()
    }
    return [
        AccountTotal(
            account=value,
            label=str(label),
            debit=rows.get(value, {}).get("debit", 0),
            credit=-rows.get(value, {}).get("credit", 0),
        )
        for value, label in Account.choices
    ]
