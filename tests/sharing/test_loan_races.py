"""Fatima, signed in twice, accepts two requests for overlapping days at the same moment: one
is accepted, the other is told clearly that someone already borrows it. Raced on PostgreSQL (row
locks, the exclusion constraint) and on a SQLite file (IMMEDIATE transactions, the triggers)."""

import sqlite3
import time
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from buurtnet.notifications.models import Kind, Notification
from buurtnet.sharing.models import Loan, LoanStatus
from buurtnet.sharing.services import loans as services
from buurtnet.sharing.services.loans import LoanConflict
from tests.concurrency import race, slowed, sqlite_file_copy
from tests.factories import LoanFactory, PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks")
ON_SQLITE = pytest.mark.skipif(connection.vendor != "sqlite", reason="races SQLite's write lock")
TAKEN = "Someone already borrows it on these days."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def day(n: int) -> date:
    return timezone.localdate(timezone=ZoneInfo("Europe/Amsterdam")) + timedelta(days=n)


@pytest.fixture
def overlapping(personas):
    """Daan asks for the ladder on days 1–3, Priya on days 3–5: they share day 3."""
    ladder = PostFactory(
        neighbourhood=personas.ede, author=personas.fatima, side="offer", kind="borrow"
    )
    return [
        LoanFactory(post=ladder, borrower=personas.daan, starts_on=day(1), ends_on=day(3)),
        LoanFactory(post=ladder, borrower=personas.priya, starts_on=day(3), ends_on=day(5)),
    ]


def _sessions(personas, loans) -> list:
    """One signed-in browser of Fatima's per request, each pressing "Accept" on its loan."""
    targets = []
    for loan in loans:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(personas.fatima)
        url = reverse("sharing:loan_act", args=["ede-zuid", loan.pk, "accept"])

        def press(client=client, url=url, loan=loan):
            response = client.post(url)
            return loan.pk, response.status_code, response.content.decode()

        targets.append(press)
    return targets


def _one_accepted(results, errors, loans) -> None:
    assert errors == []
    codes = sorted(code for _, code, _ in results)
    assert codes == [302, 409]
    [(refused_pk, _, page)] = [r for r in results if r[1] == 409]
    assert TAKEN in page
    [(accepted_pk, _, _)] = [r for r in results if r[1] == 302]
    statuses = dict(Loan.objects.filter(pk__in=[x.pk for x in loans]).values_list("pk", "status"))
    assert statuses == {accepted_pk: LoanStatus.ACCEPTED, refused_pk: LoanStatus.REQUESTED}
    approved = Notification.objects.filter(kind=Kind.LOAN_DECIDED)
    assert [n.recipient_id for n in approved] == [
        next(x.borrower_id for x in loans if x.pk == accepted_pk)
    ]


# --- PostgreSQL ---------------------------------------------------------------------------------


@ON_POSTGRES
def test_two_sessions_accepting_overlapping_requests_accept_one(personas, overlapping, monkeypatch):
    # Each holds the item's row a moment after locking it: the other waits, then looks.
    slowed(monkeypatch, services, "_locked")

    results, errors = race(_sessions(personas, overlapping))

    _one_accepted(results, errors, overlapping)


@ON_POSTGRES
def test_without_the_services_check_the_constraint_still_keeps_one(
    personas, overlapping, monkeypatch
):
    """Were the check in the service gone, the exclusion constraint refuses the second
    acceptance, and the owner still reads the clear message."""
    monkeypatch.setattr(services, "overlapping_holds", lambda loan: Loan.objects.none())
    slowed(monkeypatch, services, "_locked")

    results, errors = race(_sessions(personas, overlapping))

    _one_accepted(results, errors, overlapping)


@ON_POSTGRES
def test_two_raw_updates_at_once_are_refused_by_the_database(overlapping):
    """No service, no lock: two transactions set the overlapping loans to accepted at once."""

    def accept(loan):
        def run():
            with transaction.atomic():
                Loan.objects.filter(pk=loan.pk).update(status=LoanStatus.ACCEPTED)
                time.sleep(0.2)
            return loan.pk

        return run

    results, errors = race([accept(loan) for loan in overlapping])

    assert len(results) == 1
    # Each update waits on the other's check of the constraint: PostgreSQL refuses the second
    # as a violation of it, or, when both checks wait on each other, ends one as a deadlock.
    # Either way the database lets one through and refuses the other.
    (error,) = errors
    assert isinstance(error, IntegrityError | OperationalError)
    assert "loan_no_overlap" in str(error) or "deadlock detected" in str(error)
    assert (
        list(Loan.objects.filter(status=LoanStatus.ACCEPTED).values_list("pk", flat=True))
        == results
    )


@ON_POSTGRES
def test_two_service_calls_at_once_accept_one(personas, overlapping, monkeypatch):
    slowed(monkeypatch, services, "_locked")
    owner = personas.fatima.memberships.select_related("neighbourhood", "user").get()

    def accept(loan):
        return lambda: services.loan_accept(by=owner, loan=loan).pk

    results, errors = race([accept(loan) for loan in overlapping])

    assert len(results) == 1
    assert [type(e) for e in errors] == [LoanConflict]
    assert errors[0].messages == [TAKEN]
    # Refused by the service's own look after the lock, not only by the database's net.
    assert errors[0].__cause__ is None


# --- SQLite, on a copy of the test database on disk ---------------------------------------------


class SqliteFile:
    """A copy of the test database on disk that a thread uses as its default database, with
    the app's SQLite settings: IMMEDIATE transactions, so writers queue for the lock."""

    def __init__(self, path) -> None:
        self.path = path
        self.own = None

    def copy(self) -> None:
        sqlite_file_copy(self.path)

    def use(self) -> None:
        from django.db.backends.sqlite3.base import DatabaseWrapper

        db = dict(connection.settings_dict)
        db["NAME"] = str(self.path)
        db["TEST"] = dict(db.get("TEST") or {}, NAME=str(self.path))
        db["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
        connections["default"] = DatabaseWrapper(db, "default")

    def read(self):
        """Switch this (the test's) thread to the file; `leave` switches back."""
        self.own = connections["default"]
        self.use()

    def leave(self) -> None:
        connections["default"].close()
        connections["default"] = self.own


@pytest.fixture
def sqlite_file(tmp_path):
    return SqliteFile(tmp_path / "race.sqlite3")


def _on_file(sqlite_file, targets) -> list:
    def in_thread(target):
        def run():
            sqlite_file.use()
            return target()

        return run

    return [in_thread(target) for target in targets]


@ON_SQLITE
def test_two_sessions_accepting_overlapping_requests_accept_one_on_sqlite(
    personas, overlapping, monkeypatch, sqlite_file
):
    targets = _sessions(personas, overlapping)
    sqlite_file.copy()
    slowed(monkeypatch, services, "_locked")

    results, errors = race(_on_file(sqlite_file, targets))

    sqlite_file.read()
    try:
        _one_accepted(results, errors, overlapping)
    finally:
        sqlite_file.leave()


@ON_SQLITE
def test_without_the_services_check_the_triggers_still_keep_one_on_sqlite(
    personas, overlapping, monkeypatch, sqlite_file
):
    targets = _sessions(personas, overlapping)
    sqlite_file.copy()
    monkeypatch.setattr(services, "overlapping_holds", lambda loan: Loan.objects.none())
    slowed(monkeypatch, services, "_locked")

    results, errors = race(_on_file(sqlite_file, targets))

    sqlite_file.read()
    try:
        _one_accepted(results, errors, overlapping)
    finally:
        sqlite_file.leave()


@ON_SQLITE
def test_two_raw_updates_at_once_are_refused_by_the_sqlite_triggers(overlapping, tmp_path):
    path = sqlite_file_copy(tmp_path / "race.sqlite3")

    def accept(loan):
        def run():
            db = sqlite3.connect(path, timeout=20, isolation_level=None)
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute("UPDATE sharing_loan SET status = 'accepted' WHERE id = ?", (loan.pk,))
                time.sleep(0.2)
                db.execute("COMMIT")
                return loan.pk
            finally:
                db.close()

        return run

    results, errors = race([accept(loan) for loan in overlapping])

    assert len(results) == 1
    assert [type(e) for e in errors] == [sqlite3.IntegrityError]
    assert "loan_no_overlap" in str(errors[0])
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT id FROM sharing_loan WHERE status = 'accepted'").fetchall()
    assert rows == [(results[0],)]
