"""Board members vote at the same moment: one decision, never two, and no vote after it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from buurtnet.funding import ledger
from buurtnet.funding.models import Decision, GrantRequest, GrantStatus, Vote
from buurtnet.funding.services import decisions
from tests.concurrency import race
from tests.factories import InitiativeFactory, ParticipationFactory
from tests.funding.conftest import ask

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
def test_two_deciding_votes_at_once_make_one_decision(funding, slow_tally):
    grant = ask(funding)
    decisions.grant_vote(by=funding.m(funding.bas), grant=grant, choice="approve", reason="Yes")

    def vote(user, choice):
        return lambda: decisions.grant_vote(
            by=funding.m(user), grant=grant, choice=choice, reason="Now"
        )

    results, errors = race([vote(funding.carla, "approve"), vote(funding.tom, "approve")])

    # The first completes the count and decides; the second finds the request decided.
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert "decided" in str(errors[0])
    assert Decision.objects.filter(request=grant).count() == 1
    assert Vote.objects.filter(request=grant).count() == 2
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED
    assert ledger.grant_figures_of(grant).granted == 25000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
def test_the_same_member_voting_twice_at_once_counts_once(funding):
    grant = ask(funding)

    def vote():
        return decisions.grant_vote(
            by=funding.m(funding.bas), grant=grant, choice="approve", reason="Yes"
        )

    results, errors = race([vote, vote])

    assert len(results) == 1
    assert [type(e) for e in errors] == [ValidationError]
    assert Vote.objects.filter(request=grant, voter=funding.bas).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
def test_two_grants_decided_at_once_never_overdraw_the_fund(funding, slow_tally):
    """Two requests of € 800 on a fund of € 1.000, each completed by a vote at the same moment:
    the fund's row lock lets one through; the other is told the fund holds too little."""
    garden = InitiativeFactory(neighbourhood=funding.p.ede, title="Moestuin")
    ParticipationFactory(initiative=garden, user=funding.p.daan, role="initiator")
    requests = []
    for initiator, initiative in (
        (funding.p.fatima, funding.p.initiative),
        (funding.p.daan, garden),
    ):
        grant = ask(funding, 80000, [("Kitchen", 80000)], by=initiator, initiative=initiative)
        decisions.grant_vote(by=funding.m(funding.bas), grant=grant, choice="approve", reason="Yes")
        requests.append(grant)

    def approve(grant):
        return lambda: decisions.grant_vote(
            by=funding.m(funding.carla), grant=grant, choice="approve", reason="Yes"
        )

    results, errors = race([approve(grant) for grant in requests])

    assert len(results) == 1
    assert [type(e) for e in errors] == [ValidationError]
    assert "not enough" in str(errors[0])
    statuses = sorted(GrantRequest.objects.values_list("status", flat=True))
    assert statuses == ["granted", "submitted"]
    assert ledger.fund_balances(funding.foundation)[funding.fund.pk] == 20000
