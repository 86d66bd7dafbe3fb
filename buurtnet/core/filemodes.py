"""Keep Buurtnet's own files private to the account that runs it.

Standard library only: config/settings.py imports this before Django is set up.
"""

import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIRECTORY = 0o700
# What an existing directory may keep: its owner's rights and a group's read and traverse.
# A group grant is kept on purpose, e.g. a web server reading photos for X-Accel-Redirect;
# the world and group write go.
EXISTING_DIRECTORY_MASK = 0o750


def _ours(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid()


def private_directory(path: Path) -> Path:
    """Create `path` as 0700; an existing directory of ours loses access for others."""
    path.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    st = path.stat()
    mode = stat.S_IMODE(st.st_mode)
    if _ours(st) and mode & ~EXISTING_DIRECTORY_MASK:
        path.chmod(mode & EXISTING_DIRECTORY_MASK)
    return path


def private_file(path: Path) -> None:
    """Make an existing file of ours 0600 (a missing one or somebody else's is left alone)."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISREG(st.st_mode) and _ours(st) and stat.S_IMODE(st.st_mode) != PRIVATE_FILE:
        path.chmod(PRIVATE_FILE)


def sqlite_files(database: Path) -> list[Path]:
    """The database file and the companions SQLite keeps beside it in WAL mode."""
    return [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))]


def private_sqlite_files(database: Path) -> None:
    """Make the SQLite database and its -wal/-shm files 0600.

    SQLite gives a -wal or -shm file it creates the mode of the database file, so once the
    database is 0600 the companions made later are too.
    """
    for path in sqlite_files(database):
        private_file(path)
