"""A foundation with a board of residents, a fund with money in it, and the shared dinner.

On top of the suite's personas (tests/conftest.py):
- carla: chair of the board (resident)
- tom: treasurer (resident)
- bas: board member (resident)
- priya: board member too, and a participant of "Samen eten": conflicted on its requests
- fatima: initiator of "Samen eten" (applies); priya participates; daan is a plain resident;
  anna a professional; henk a host; olga lives in another neighbourhood.
The fund "Initiatives 2027" holds € 1.000,00 (one donation, booked in the ledger).
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from buurtnet.funding.models import BoardSeat, Fund
from buurtnet.funding.services import board as board_services
from buurtnet.funding.services import grants as grant_services
from buurtnet.funding.services import money as money_services
from buurtnet.funding.services.grants import Budget
from buurtnet.neighbourhoods.models import Membership
from tests.concurrency import slowed
from tests.factories import HomeFactory, MembershipFactory, UserFactory

IBAN_FOUNDATION = "NL91ABNA0417164300"
IBAN_DINNER = "NL44RABO0123456789"


@dataclass
class Funding:
    p: object  # the personas
    foundation: object
    fund: object
    carla: object
    tom: object
    bas: object

    def m(self, user) -> Membership:
        """The user's membership of Ede-Zuid (services take the membership)."""
        membership = Membership.objects.select_related("neighbourhood").get(
            user=user, neighbourhood=self.p.ede
        )
        membership.user = user
        return membership


def budget(amount=25000, lines=None, **extra) -> Budget:
    return Budget(
        amount_cents=amount,
        purpose="Pans and a big rice cooker for the shared dinner.",
        needed_by=timezone.localdate() + timedelta(days=30),
        lines=lines if lines is not None else [("Pans", 10000), ("Rice cooker", 15000)],
        **extra,
    )


@pytest.fixture
def funding(personas) -> Funding:
    p = personas

    def resident(name: str):
        user = UserFactory(
            email=f"{name}@example.org", display_name=name.capitalize(), preferred_language="en"
        )
        MembershipFactory(
            user=user,
            neighbourhood=p.ede,
            building=p.elskamp,
            home=HomeFactory(building=p.elskamp),
        )
        return user

    carla, tom, bas = resident("carla"), resident("tom"), resident("bas")
    foundation = board_services.foundation_of(p.foundation)
    foundation.account_holder = "Stichting Vrienden van de Hoogbouw"
    foundation.iban = IBAN_FOUNDATION
    foundation.save()
    BoardSeat.objects.create(foundation=foundation, user=carla, role="chair")
    BoardSeat.objects.create(foundation=foundation, user=tom, role="treasurer")
    BoardSeat.objects.create(foundation=foundation, user=bas, role="member")
    BoardSeat.objects.create(foundation=foundation, user=p.priya, role="member")
    fund = Fund.objects.create(foundation=foundation, name="Initiatives 2027")
    world = Funding(p=p, foundation=foundation, fund=fund, carla=carla, tom=tom, bas=bas)
    money_services.donation_record(
        by=world.m(tom),
        foundation=foundation,
        fund=fund,
        amount_cents=100000,
        received_on=date(2026, 1, 15),
        source_kind="subsidy",
        public_name="Gemeente Ede",
        name_consent=True,
    )
    return world


def ask(funding: Funding, amount=25000, lines=None, *, submit=True, by=None, initiative=None):
    """A request of an initiator (fatima for the shared dinner unless told), sent unless not."""
    initiator = by or funding.p.fatima
    grant = grant_services.grant_request_start(
        by=funding.m(initiator),
        foundation=funding.foundation,
        initiative=initiative or funding.p.initiative,
        fund=funding.fund,
        budget=budget(amount, lines),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    if submit:
        grant_services.grant_submit(by=funding.m(initiator), grant=grant)
    return grant


def paid_on_statement(payment, reference: str, cents: int | None = None) -> dict:
    """The bank statement's line of an outgoing payment, with its end-to-end reference."""
    cents = payment.amount_cents if cents is None else cents
    return {
        "amount": f"{cents / 100:.2f}",
        "credit": False,
        "booked_on": timezone.localdate(),
        "name": "Samen eten",
        "iban": IBAN_DINNER,
        "remittance": "Buurtnet",
        "end_to_end_id": payment.end_to_end_id,
        "reference": reference,
    }


@pytest.fixture
def slow_tally(monkeypatch):
    """Widen the window between counting the votes and writing the decision."""
    from buurtnet.funding.services import decisions

    slowed(monkeypatch, decisions, "tally", 0.2)
