"""Receivers for Django's own signals (not for domain logic)."""

from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

from buurtnet.core.filemodes import private_sqlite_files

# Database files this process has made private already.
_made_private: set[str] = set()


def sqlite_files_private(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """Keep an SQLite database and its -wal/-shm files readable by this account only.

    The first connection of each process to a database goes through here, so a database created
    by `migrate`, by the server or by any command is covered, wherever DATABASE_URL puts it, and
    so is one left world-readable by an older version. Once per process is enough: SQLite gives
    the -wal/-shm files it creates later the mode of the database file.
    """
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:"):
        return  # an SQLite URI names its file in its own syntax; these are set up by hand
    if name in _made_private:
        return
    private_sqlite_files(Path(name))
    _made_private.add(name)
