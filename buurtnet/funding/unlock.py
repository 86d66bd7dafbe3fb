"""Deleting rows of the append-only funding tables, in the two cases that may.

Migration 0002 makes the database refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on
ledger entries, ledger lines, votes and decisions. A connection may delete them only inside
`ledger_unlocked`; an update is refused even there.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

SETTING = "buurtnet.allow_ledger_delete"  # PostgreSQL
UNLOCK_TABLE = "funding_ledger_unlock"  # SQLite


@contextmanager
def ledger_unlocked(connection: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    """Let this connection delete ledger entries and lines, votes and decisions in the block.

    Only for flushing a test database and buurtnet maintenance that deletes a whole
    neighbourhood; never in a request.

    The block is one transaction (or a savepoint in the one already open) and the permission
    lives only in it: on PostgreSQL a transaction-local setting, on SQLite a row inserted and
    removed again before the commit, which no other connection ever sees. An error in the block
    rolls it back, permission included. Nested blocks are fine.
    """
    connection = connection or connections[DEFAULT_DB_ALIAS]
    with transaction.atomic(using=connection.alias):
        if not _switchable(connection) or is_ledger_unlocked(connection):
            yield
            return
        _switch(connection, on=True)
        yield
        if not connection.needs_rollback:
            _switch(connection, on=False)


def is_ledger_unlocked(connection: BaseDatabaseWrapper | None = None) -> bool:
    """Whether this connection may delete append-only rows right now."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if not _switchable(connection):
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting(%s, true) = 'on'", [SETTING])
        else:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {UNLOCK_TABLE})")  # noqa: S608
        return bool(cursor.fetchone()[0])


def _switchable(connection: BaseDatabaseWrapper) -> bool:
    """PostgreSQL always; SQLite once migration 0002 made its table (not with --no-migrations)."""
    if connection.vendor == "postgresql":
        return True
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [UNLOCK_TABLE]
        )
        return cursor.fetchone() is not None


def _switch(connection: BaseDatabaseWrapper, *, on: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, "on" if on else "off"])
        elif on:
            cursor.execute(f"INSERT INTO {UNLOCK_TABLE} (id) VALUES (1)")  # noqa: S608
        else:
            cursor.execute(f"DELETE FROM {UNLOCK_TABLE}")  # noqa: S608
