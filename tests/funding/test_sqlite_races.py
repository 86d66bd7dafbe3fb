"""The foundation's one-of-a-kind rows, written by two connections at once into a SQLite file.

Each writer runs the insert its service makes in an IMMEDIATE transaction, as the app's SQLite
settings have it, and holds it a moment: the second waits, then the constraint refuses it. (On
PostgreSQL the same races run through the services: test_vote_races, test_treasurer_races.)
"""

import sqlite3
import time

import pytest
from django.db import connection
from django.utils import timezone

from buurtnet.funding.models import BankLine, BankStatement
from buurtnet.funding.services import grants
from tests.concurrency import race, sqlite_file_copy
from tests.funding.conftest import IBAN_DINNER, budget

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="races the SQLite constraints"),
    pytest.mark.django_db(transaction=True),
]


def _writer(path, sql: str, params: tuple, result):
    def run():
        db = sqlite3.connect(path, timeout=20, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute(sql, params)
            time.sleep(0.2)
            db.execute("COMMIT")
            return result
        finally:
            db.close()

    return run


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())


def test_two_decisions_on_one_version_keep_one(funding, tmp_path):
    grant = grants.grant_request_start(
        by=funding.m(funding.p.fatima),
        foundation=funding.foundation,
        initiative=funding.p.initiative,
        fund=funding.fund,
        budget=budget(),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    version = grants.grant_submit(by=funding.m(funding.p.fatima), grant=grant)
    path = sqlite_file_copy(tmp_path / "race.sqlite3")
    sql = (
        "INSERT INTO funding_decision (created_at, request_id, version_id, outcome,"
        " amount_cents, fund_id, by_chair, decided_by_id, reason)"
        " VALUES (?, ?, ?, 'declined', 0, NULL, 0, ?, 'Now')"
    )

    results, errors = race(
        [
            _writer(path, sql, (_now(), grant.pk, version.pk, user.pk), user.pk)
            for user in (funding.carla, funding.tom)
        ]
    )

    assert len(results) == 1
    assert [type(e) for e in errors] == [sqlite3.IntegrityError]
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT decided_by_id FROM funding_decision").fetchall()
    assert rows == [(results[0],)]


def test_the_same_statement_twice_is_stored_once(funding, tmp_path):
    path = sqlite_file_copy(tmp_path / "race.sqlite3")
    sql = (
        "INSERT INTO funding_bankstatement (created_at, foundation_id, statement_id,"
        " account_iban, digest, file_name, imported_by_id) VALUES (?, ?, ?, '', 'abc', '', ?)"
    )

    results, errors = race(
        [
            _writer(path, sql, (_now(), funding.foundation.pk, name, funding.tom.pk), name)
            for name in ("first", "second")
        ]
    )

    assert len(results) == 1
    assert [type(e) for e in errors] == [sqlite3.IntegrityError]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM funding_bankstatement").fetchone() == (1,)


def test_a_donation_is_matched_to_one_bank_line(funding, tmp_path):
    statement = BankStatement.objects.create(
        foundation=funding.foundation, digest="d", imported_by=funding.tom
    )
    lines = [
        BankLine.objects.create(
            statement=statement, position=n, booked_on=timezone.localdate(), amount_cents=100000
        )
        for n in (1, 2)
    ]
    donation = funding.foundation.donations.get()
    path = sqlite_file_copy(tmp_path / "race.sqlite3")
    sql = "UPDATE funding_bankline SET donation_id = ? WHERE id = ?"

    results, errors = race([_writer(path, sql, (donation.pk, line.pk), line.pk) for line in lines])

    assert len(results) == 1
    assert [type(e) for e in errors] == [sqlite3.IntegrityError]
    with sqlite3.connect(path) as db:
        matched = db.execute("SELECT id FROM funding_bankline WHERE donation_id IS NOT NULL")
        assert matched.fetchall() == [(results[0],)]
