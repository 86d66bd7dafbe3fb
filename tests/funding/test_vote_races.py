"""Board members vote at the same moment: one decision, never two, and no vote after it."""

import sqlite3
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone, translation

from buurtnet.funding import ledger
from buurtnet.funding.models import Decision, GrantStatus, Vote
from buurtnet.funding.services import decisions, grants
from tests.funding.conftest import IBAN_DINNER, budget

pytestmark = pytest.mark.django_db(transaction=True)


def _race(targets) -> tuple[list, list[BaseException]]:
    barrier = threading.Barrier(len(targets))
    results: list = []
    errors: list[BaseException] = []

    def run(target) -> None:
        try:
            barrier.wait()
            with translation.override("en"):
                results.append(target())
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


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

    results, errors = _race([vote(funding.carla, "approve"), vote(funding.tom, "approve")])

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

    results, errors = _race([vote, vote])

    assert len(results) == 1
    assert [type(e) for e in errors] == [ValidationError]
    assert Vote.objects.filter(request=grant, voter=funding.bas).count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="races the SQLite constraint")
def test_two_decisions_written_at_once_into_a_sqlite_file_keep_one(funding, tmp_path):
    """A copy of the test database on disk, written by two connections at once, each in an
    IMMEDIATE transaction as the app's SQLite settings have it: the unique decision holds."""
    grant = _submitted(funding)
    version = grant.versions.get()
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    now = connection.ops.adapt_datetimefield_value(timezone.now())

    def decide(user, outcome):
        def run():
            db = sqlite3.connect(path, timeout=20, isolation_level=None)
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    "INSERT INTO funding_decision (created_at, request_id, version_id, outcome,"
                    " amount_cents, fund_id, by_chair, decided_by_id, reason)"
                    " VALUES (?, ?, ?, ?, 0, NULL, 0, ?, 'Now')",
                    (now, grant.pk, version.pk, outcome, user.pk),
                )
                time.sleep(0.2)
                db.execute("COMMIT")
                return user.pk
            finally:
                db.close()

        return run

    results, errors = _race([decide(funding.carla, "declined"), decide(funding.tom, "declined")])

    assert len(results) == 1
    assert [type(e) for e in errors] == [sqlite3.IntegrityError]
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT decided_by_id FROM funding_decision").fetchall()
    assert rows == [(results[0],)]
