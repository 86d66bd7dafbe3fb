"""Ledger entries and lines, votes and decisions: the database lets rows in, never changes or
removes them, except deleting inside ledger_unlocked (test flush, neighbourhood removal)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import ProtectedError
from django.utils import timezone

from buurtnet.funding.models import (
    Decision,
    Foundation,
    Fund,
    GrantRequest,
    GrantVersion,
    LedgerEntry,
    LedgerLine,
    Vote,
)
from buurtnet.funding.unlock import is_ledger_unlocked, ledger_unlocked
from buurtnet.neighbourhoods.models import Neighbourhood
from tests.factories import (
    InitiativeFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    UserFactory,
)

TABLES = ("funding_ledgerentry", "funding_ledgerline", "funding_vote", "funding_decision")
MODELS = {
    "funding_ledgerentry": LedgerEntry,
    "funding_ledgerline": LedgerLine,
    "funding_vote": Vote,
    "funding_decision": Decision,
}


@pytest.fixture(scope="module", autouse=True)
def _flush_may_empty_the_ledger():
    """What tests/conftest.py does for the whole suite (session scope): the flush after a
    transactional test runs inside ledger_unlocked. Nested unlocking is harmless."""
    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with ledger_unlocked(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@dataclass
class Books:
    neighbourhood: Neighbourhood
    foundation: Foundation
    entry: LedgerEntry
    bank: LedgerLine
    fund_line: LedgerLine
    vote: Vote
    decision: Decision


def make_books() -> Books:
    neighbourhood = NeighbourhoodFactory()
    organisation = OrganisationFactory(neighbourhood=neighbourhood, kind="foundation")
    foundation = Foundation.objects.create(organisation=organisation, neighbourhood=neighbourhood)
    fund = Fund.objects.create(foundation=foundation, name="Buurtfonds")
    board_member = UserFactory()
    initiative = InitiativeFactory(neighbourhood=neighbourhood)
    request = GrantRequest.objects.create(
        foundation=foundation,
        initiative=initiative,
        status="submitted",
        account_holder="Samen eten",
        iban="NL91ABNA0417164300",
    )
    version = GrantVersion.objects.create(
        request=request,
        number=1,
        amount_cents=25_000,
        purpose="Pans and plates",
        needed_by=date(2026, 12, 1),
        submitted_at=timezone.now(),
    )
    vote = Vote.objects.create(
        request=request, version=version, voter=board_member, choice="approve", reason="Good"
    )
    decision = Decision.objects.create(
        request=request,
        version=version,
        outcome="granted",
        amount_cents=25_000,
        fund=fund,
        decided_by=board_member,
        reason="Two approvals",
    )
    entry = LedgerEntry.objects.create(
        foundation=foundation, kind="received", booked_on=date(2026, 11, 1), memo="Gift"
    )
    bank = LedgerLine.objects.create(entry=entry, account="bank", amount_cents=50_000)
    fund_line = LedgerLine.objects.create(
        entry=entry, account="fund", fund=fund, amount_cents=-50_000
    )
    return Books(neighbourhood, foundation, entry, bank, fund_line, vote, decision)


@pytest.fixture
def books(db) -> Books:
    return make_books()


@contextmanager
def refused() -> Iterator[None]:
    """The statement fails in the database, in a savepoint so the test's transaction lives on."""
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        yield


def _trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize("table", TABLES)
def test_every_table_has_its_triggers(table):
    """A later migration that rebuilds a table on SQLite drops them: it must make them again."""
    expected = {f"{table}_no_update", f"{table}_no_delete"}
    if connection.vendor == "postgresql":
        expected.add(f"{table}_no_truncate")
    assert expected <= _trigger_names()


def test_entries_and_lines_can_be_written(books):
    assert list(books.entry.lines.order_by("pk").values_list("amount_cents", flat=True)) == [
        50_000,
        -50_000,
    ]
    assert LedgerEntry.objects.count() == 1
    assert Vote.objects.count() == 1
    assert Decision.objects.count() == 1


def test_updating_lines_is_refused(books):
    with refused():
        LedgerLine.objects.filter(pk=books.bank.pk).update(amount_cents=1)
    books.bank.refresh_from_db()
    assert books.bank.amount_cents == 50_000


@pytest.mark.parametrize("name", ["entry", "vote", "decision"])
def test_saving_a_changed_row_is_refused(books, name):
    row = getattr(books, name)
    row.created_at = timezone.now().replace(year=2020)
    with refused():
        row.save()
    row.refresh_from_db()
    assert row.created_at.year != 2020


@pytest.mark.parametrize("name", ["bank", "vote", "decision"])
def test_deleting_is_refused(books, name):
    row = getattr(books, name)
    model = type(row)
    with refused():
        row.delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_deleting_an_entry_with_lines_is_refused_by_django_first(books):
    with pytest.raises(ProtectedError):
        books.entry.delete()
    assert LedgerEntry.objects.filter(pk=books.entry.pk).exists()


@pytest.mark.parametrize("table", TABLES)
def test_raw_sql_cannot_update_or_delete(books, table):
    count = MODELS[table].objects.count()
    with refused(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id = id")  # noqa: S608
    with refused(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert MODELS[table].objects.count() == count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
@pytest.mark.parametrize("table", TABLES)
def test_truncate_is_refused(books, table):
    with connection.cursor() as cursor:
        # The rows were written in this transaction: check their foreign keys now, as a commit
        # would, or PostgreSQL refuses TRUNCATE for pending checks before our trigger runs.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with refused(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert MODELS[table].objects.exists()


def test_unlocked_deletes_but_never_updates(books):
    with ledger_unlocked(connection):
        assert is_ledger_unlocked(connection)
        with refused():
            LedgerLine.objects.filter(pk=books.bank.pk).update(amount_cents=1)
        books.entry.lines.all().delete()
        books.entry.delete()
        books.vote.delete()
        books.decision.delete()
    assert not LedgerEntry.objects.exists()
    assert not LedgerLine.objects.exists()
    assert not Vote.objects.exists()
    assert not Decision.objects.exists()


def test_the_lock_returns_after_the_block(books):
    with ledger_unlocked(connection):
        with ledger_unlocked(connection):
            pass
        assert is_ledger_unlocked(connection)
    assert not is_ledger_unlocked(connection)
    with refused():
        books.vote.delete()


def test_an_error_in_the_block_rolls_the_unlocking_back(books):
    pk = books.vote.pk
    with pytest.raises(ZeroDivisionError), ledger_unlocked(connection):
        books.vote.delete()
        1 / 0  # noqa: B018
    assert not is_ledger_unlocked(connection)
    assert Vote.objects.filter(pk=pk).exists()


def test_removing_a_neighbourhood(books):
    """Django refuses while the ledger protects the foundation; unlocked, maintenance can."""
    with pytest.raises(ProtectedError):
        books.neighbourhood.delete()
    with ledger_unlocked(connection):
        LedgerLine.objects.filter(entry__foundation=books.foundation).delete()
        LedgerEntry.objects.filter(foundation=books.foundation).delete()
        Decision.objects.filter(request__foundation=books.foundation).delete()
        books.neighbourhood.delete()
    assert not Foundation.objects.exists()
    assert not Vote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_works_only_unlocked():
    """Committed rows, as a transactional or live server test leaves them, are flushed."""
    make_books()
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE funding_ledgerline, funding_ledgerentry CASCADE")
        else:
            cursor.execute("DELETE FROM funding_ledgerline")
    assert LedgerLine.objects.count() == 2

    call_command("flush", interactive=False, verbosity=0)
    for model in MODELS.values():
        assert not model.objects.exists()
    assert not is_ledger_unlocked(connection)
    # More committed rows for the flush after this test.
    make_books()
