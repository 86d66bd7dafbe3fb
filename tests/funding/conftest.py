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
from buurtnet.funding.services import money as money_services
from buurtnet.funding.services.grants import Budget
from buurtnet.neighbourhoods.models import Membership
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
