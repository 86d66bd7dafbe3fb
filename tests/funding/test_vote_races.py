"""Board members vote at the same moment: one decision, never two, and no vote after it."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from buurtnet.funding import ledger
from buurtnet.funding.models import Decision, GrantStatus, Vote
from buurtnet.funding.services import decisions, grants
from tests.concurrency import race
from tests.funding.conftest import IBAN_DINNER, budget

pytestmark = pytest.mark.django_db(transaction=True)


def _submitted(funding):
    grant = grants.grant_request_start(
        by=funding.m(funding.p.fatima),
        foundation=funding.foundation,
        initiative=funding.p.initiative,
        fund=funding.fund,
        budget=budget(),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    grants.grant_submit(by=funding.m(funding.p.fatima), grant=grant)
    return grant


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
def test_two_deciding_votes_at_once_make_one_decision(funding, monkeypatch):
    grant = _submitted(funding)
    decisions.grant_vote(by=funding.m(funding.bas), grant=grant, choice="approve", reason="Yes")
    # Widen the window between counting the votes and writing the decision.
    count = decisions.tally

    def slow_tally(*args, **kwargs):
        result = count(*args, **kwargs)
        time.sleep(0.2)
        return result

    monkeypatch.setattr(decisions, "tally", slow_tally)

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
    grant = _submitted(funding)

    def vote():
        return decisions.grant_vote(
            by=funding.m(funding.bas), grant=grant, choice="approve", reason="Yes"
        )

    results, errors = race([vote, vote])

    assert len(results) == 1
    assert [type(e) for e in errors] == [ValidationError]
    assert Vote.objects.filter(request=grant, voter=funding.bas).count() == 1
