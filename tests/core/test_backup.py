import sqlite3
import threading
import time
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from buurtnet.core.management.commands.backup import sqlite_backup
from buurtnet.neighbourhoods.models import Neighbourhood

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def read(path: Path, sql: str):
    with closing(sqlite3.connect(path)) as copy:
        return copy.execute(sql).fetchall()


@on_sqlite
def test_a_copy_taken_while_another_connection_writes_is_complete_and_consistent(tmp_path):
    live = tmp_path / "live.sqlite3"
    with closing(sqlite3.connect(live)) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        setup.executemany("INSERT INTO note (body) VALUES (?)", [("x" * 200,)] * 5000)
        setup.commit()

    committed = 0
    stop = threading.Event()

    def writer() -> None:
        nonlocal committed
        with closing(sqlite3.connect(live, timeout=20)) as db:
            while not stop.is_set():
                db.execute("INSERT INTO note (body) VALUES (?)", ("y" * 200,))
                db.commit()
                committed += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        wait_until(lambda: committed >= 20)
        before = committed
        with closing(sqlite3.connect(live)) as source:
            copy = sqlite_backup(source=source, path=tmp_path / "copy.sqlite3")
        during = committed
        wait_until(lambda: committed >= during + 20)  # the writer was never blocked
    finally:
        stop.set()
        thread.join()

    assert read(copy, "PRAGMA integrity_check") == [("ok",)]
    [(count, highest)] = read(copy, "SELECT count(*), max(id) FROM note")
    assert 5000 + before <= count <= 5000 + during
    assert count == highest  # one moment in time: every committed row up to it, nothing half
    assert read(copy, "PRAGMA journal_mode") == [("delete",)]
    assert not list(tmp_path.glob("*.partial"))


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_the_command_copies_the_database_and_prints_where(tmp_path):
    Neighbourhood.objects.create(slug="ede-zuid", name="Ede-Zuid", municipality="Ede")
    out = StringIO()
    call_command("backup", str(tmp_path / "copy.sqlite3"), stdout=out)
    copy = Path(out.getvalue().strip())
    assert copy == (tmp_path / "copy.sqlite3").resolve()
    assert read(copy, "SELECT name FROM neighbourhoods_neighbourhood") == [("Ede-Zuid",)]


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_by_default_it_writes_a_dated_file_in_the_data_directory(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    out = StringIO()
    call_command("backup", stdout=out)
    copy = Path(out.getvalue().strip())
    assert copy.parent == tmp_path / "backups"
    assert copy.name.startswith("buurtnet-") and copy.suffix == ".sqlite3"
    assert len(copy.stem) == len("buurtnet-YYYYmmdd-HHMMSS")
    assert read(copy, "PRAGMA integrity_check") == [("ok",)]


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_given_a_directory_it_writes_a_dated_file_into_it(tmp_path):
    out = StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    copy = Path(out.getvalue().strip())
    assert copy.parent == tmp_path.resolve()
    assert copy.name.startswith("buurtnet-")


@on_sqlite
@pytest.mark.django_db
def test_it_never_overwrites_an_existing_file(tmp_path):
    existing = tmp_path / "keep.sqlite3"
    existing.write_text("an older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing), stdout=StringIO())
    assert existing.read_text() == "an older backup"


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_it_points_to_pg_dump(tmp_path):
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", str(tmp_path / "copy.sqlite3"), stdout=StringIO())
    assert not list(tmp_path.iterdir())
