"""Running writers side by side in threads, for the race tests."""

import sqlite3
import threading
import time
from pathlib import Path

from django.db import connection, connections
from django.utils import translation


def race(targets) -> tuple[list, list[BaseException]]:
    """Start every target at the same moment, each in its own thread with its own database
    connection; return what they returned and what they raised."""
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


def sqlite_file_copy(path: Path) -> Path:
    """A copy on disk of the in-memory SQLite test database as it is now.

    SQLite's in-memory test database is shared between threads through one cache with table
    locks, so two writing transactions cannot run side by side in it; on a file they can, each
    in an IMMEDIATE transaction as the app's SQLite settings have it.
    """
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    return path


def slowed(monkeypatch, owner, name: str, seconds: float = 0.3) -> None:
    """Make `owner.name` pause after it runs: it widens the window in which another thread
    could slip in between a check and the write that follows it."""
    original = getattr(owner, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    monkeypatch.setattr(owner, name, slow)
