"""`buurtnet backup [PATH]`: a consistent copy of the SQLite database, safe while Buurtnet runs."""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def sqlite_backup(*, source: sqlite3.Connection, path: Path) -> Path:
    """Copy `source` into a new file at `path` and check the copy; returns the path.

    SQLite's online backup API copies all pages in one step under a read transaction, so the
    copy is the database as it was at one moment, even while other connections keep writing
    (in WAL mode they are not even blocked).
    """
    if path.exists():
        raise CommandError(f"{path} already exists; choose another path.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(partial)) as target:
            source.backup(target)
            # One self-contained file: no -wal/-shm companions to forget when moving it.
            target.execute("PRAGMA journal_mode=DELETE")
            problems = [row[0] for row in target.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise CommandError(f"The copy failed its integrity check: {'; '.join(problems[:5])}")
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to PATH (default: data/backups/buurtnet-YYYYmmdd-HHMMSS.sqlite3)"
        " while Buurtnet keeps running, and verify the copy. Prints the path."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", help="where to write the copy")

    def handle(self, *args, path: str | None = None, **options) -> None:
        if connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            raise CommandError(
                "This installation runs on PostgreSQL; `buurtnet backup` copies SQLite databases"
                f" only. Use pg_dump instead: `pg_dump --format=custom --file=buurtnet.dump {name}`"
                " (restore with pg_restore)."
            )
        if connection.vendor != "sqlite":
            raise CommandError(
                f"This installation runs on {connection.display_name}; `buurtnet backup` copies"
                " SQLite databases only. Use that database's own backup tool."
            )
        if path:
            target = Path(path).expanduser()
            if target.is_dir():
                target = target / self._default_name()
        else:
            target = Path(settings.DATA_DIR) / "backups" / self._default_name()
        # A connection of its own, like any other process reading the database: it sees what
        # is committed and never waits for (or holds up) a transaction of this process.
        name = str(connection.settings_dict["NAME"])
        with closing(sqlite3.connect(name, uri=name.startswith("file:"), timeout=20)) as source:
            written = sqlite_backup(source=source, path=target.resolve())
        self.stdout.write(str(written))

    @staticmethod
    def _default_name() -> str:
        return f"buurtnet-{timezone.localtime():%Y%m%d-%H%M%S}.sqlite3"
