"""What a foundation shows everyone: its rules, the money it received, the grants it gave and
what its funds hold.

Plain values only, so the whole overview can be kept in the shared cache (audience "public").
No IBAN, no resident's name, and no giver's name without their consent: a giver without a
public name is only part of a total.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import OuterRef, Subquery, Sum

from buurtnet.funding import ledger
from buurtnet.funding.models import (
    Account,
    Decision,
    DecisionOutcome,
    EntryKind,
    Foundation,
    Fund,
    GrantRequest,
    GrantStatus,
    LedgerLine,
    SourceKind,
)
from buurtnet.funding.services.board import foundation_of
from buurtnet.initiatives.models import Visibility
from buurtnet.neighbourhoods.models import Organisation, OrganisationKind


@dataclass(frozen=True)
class Rules:
    max_grant_cents: int
    funds_what: str
    does_not_fund: str
    approvals_needed: int
    chair_decides_tie: bool
    payment_term_days: int


@dataclass(frozen=True)
class Received:
    kind: str
    label: str
    this_year: int
    all_time: int


@dataclass(frozen=True)
class NamedGiver:
    name: str
    kind_label: str


@dataclass(frozen=True)
class PublicGrant:
    initiative_pk: int
    title: str
    is_public: bool
    wish: str  # only for an initiative shown to everyone
    status: str
    status_label: str
    fund: str
    decided_at: datetime | None
    granted: int
    paid: int
    spent: int
    returned: int


@dataclass(frozen=True)
class PublicFund:
    name: str
    purpose: str
    earmarked: bool
    ends_on: date | None
    balance: int


@dataclass(frozen=True)
class Overview:
    foundation_pk: int
    name: str
    org_slug: str
    description: str
    website: str
    rules: Rules
    year: int
    received: list[Received] = field(default_factory=list)
    received_this_year: int = 0
    received_all_time: int = 0
    givers: list[NamedGiver] = field(default_factory=list)
    grants: list[PublicGrant] = field(default_factory=list)
    funds: list[PublicFund] = field(default_factory=list)
    bank_balance: int = 0

    @property
    def granted_total(self) -> int:
        return sum(g.granted for g in self.grants)

    @property
    def paid_total(self) -> int:
        return sum(g.paid for g in self.grants)

    @property
    def spent_total(self) -> int:
        return sum(g.spent for g in self.grants)


def public_foundation(*, neighbourhood_id: int, slug: str, org_slug: str) -> Foundation | None:
    """The foundation at this address (None when the neighbourhood or foundation is not there);
    its money side is made on first use."""
    organisation = (
        Organisation.objects.select_related("neighbourhood")
        .filter(
            neighbourhood_id=neighbourhood_id,
            neighbourhood__slug=slug,
            slug=org_slug,
            kind=OrganisationKind.FOUNDATION,
        )
        .first()
    )
    if organisation is None:
        return None
    foundation = foundation_of(organisation)
    foundation.organisation = organisation
    foundation.neighbourhood = organisation.neighbourhood
    return foundation


def received_per_kind(foundation: Foundation, year: int) -> list[Received]:
    """Money received per kind, this year and all time (two queries), in the kinds' order."""
    this_year = ledger.received_by_kind(foundation, year)
    all_time = ledger.received_by_kind(foundation)
    rows = []
    for kind in SourceKind:
        now, ever = this_year.get(kind.value, 0), all_time.get(kind.value, 0)
        if now or ever:
            rows.append(Received(kind.value, str(kind.label), now, ever))
    # A received entry without a kind (none is made so) counts as other income.
    unknown_now, unknown_ever = this_year.get(None, 0), all_time.get(None, 0)
    if unknown_now or unknown_ever:
        rows.append(Received("", str(SourceKind.OTHER.label), unknown_now, unknown_ever))
    return rows


def named_givers(foundation: Foundation) -> list[NamedGiver]:
    """Givers who agreed to be named, with what they gave (never an amount), one query.
    A gift that was booked and corrected away is left out."""
    rows = (
        LedgerLine.objects.filter(
            entry__foundation=foundation,
            entry__kind=EntryKind.RECEIVED,
            account=Account.BANK,
            entry__donation__name_consent=True,
        )
        .exclude(entry__donation__public_name="")
        .values("entry__donation__public_name", "entry__donation__source_kind")
        .annotate(total=Sum("amount_cents"))
        .order_by("entry__donation__public_name", "entry__donation__source_kind")
    )
    return [
        NamedGiver(
            name=row["entry__donation__public_name"],
            kind_label=str(SourceKind(row["entry__donation__source_kind"]).label),
        )
        for row in rows
        if row["total"] and row["total"] > 0
    ]


def decided_at_subquery(outcome: str | None = DecisionOutcome.GRANTED):
    """When the request's standing decision (by default: the one that granted it) was made."""
    decisions = Decision.objects.filter(request=OuterRef("pk"), reversed_by__isnull=True)
    if outcome is not None:
        decisions = decisions.filter(outcome=outcome)
    return Subquery(decisions.order_by("-created_at", "-pk").values("created_at")[:1])


def public_grants(foundation: Foundation) -> list[PublicGrant]:
    """Granted requests with their figures: two queries for any number of grants."""
    grants = list(
        GrantRequest.objects.filter(foundation=foundation, status=GrantStatus.GRANTED)
        .select_related("initiative", "fund")
        .annotate(decided_at=decided_at_subquery())
        .order_by("-decided_at", "-pk")
    )
    figures = ledger.grant_figures(g.pk for g in grants)
    result = []
    for grant in grants:
        initiative = grant.initiative
        figure = figures[grant.pk]
        is_public = initiative.visibility == Visibility.PUBLIC
        result.append(
            PublicGrant(
                initiative_pk=initiative.pk,
                # A members-only initiative keeps its name among members: here it has none.
                title=initiative.title if is_public else "",
                is_public=is_public,
                wish=initiative.wish if is_public else "",
                status=initiative.status,
                status_label=str(initiative.get_status_display()),
                fund=grant.fund.name if grant.fund else "",
                decided_at=grant.decided_at,
                granted=figure.granted,
                paid=figure.paid,
                spent=figure.spent,
                returned=figure.returned,
            )
        )
    return result


def public_funds(foundation: Foundation) -> list[PublicFund]:
    """Every fund with its balance (two queries)."""
    balances = ledger.fund_balances(foundation)
    return [
        PublicFund(
            name=fund.name,
            purpose=fund.purpose,
            earmarked=fund.earmarked,
            ends_on=fund.ends_on,
            balance=balances.get(fund.pk, 0),
        )
        for fund in Fund.objects.filter(foundation=foundation).order_by("name", "pk")
    ]


def foundation_overview(foundation: Foundation, *, year: int) -> Overview:
    """Everything the public page shows, for `year` and all time (a fixed number of queries)."""
    organisation = foundation.organisation
    received = received_per_kind(foundation, year)
    return Overview(
        foundation_pk=foundation.pk,
        name=organisation.name,
        org_slug=organisation.slug,
        description=organisation.description,
        website=organisation.website,
        rules=Rules(
            max_grant_cents=foundation.max_grant_cents,
            funds_what=foundation.funds_what,
            does_not_fund=foundation.does_not_fund,
            approvals_needed=foundation.approvals_needed,
            chair_decides_tie=foundation.chair_decides_tie,
            payment_term_days=foundation.payment_term_days,
        ),
        year=year,
        received=received,
        received_this_year=sum(r.this_year for r in received),
        received_all_time=sum(r.all_time for r in received),
        givers=named_givers(foundation),
        grants=public_grants(foundation),
        funds=public_funds(foundation),
        bank_balance=ledger.bank_balance(foundation),
    )
