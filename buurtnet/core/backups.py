"""One archive that holds an installation: the database, the uploaded photos and the secret key.

The archive is a gzipped tar laid out like this:

    database.sqlite3   a consistent copy of the SQLite database (not there on PostgreSQL)
    media/...          the uploaded photos (MEDIA_ROOT)
    secret_key         the generated secret key (not there when SECRET_KEY comes from the
                       environment)
    manifest.json      what the archive holds, with checksums and counts; written last

`backup_create` writes it, `backup_restore` checks it and puts it back. Both take plain paths, so
the management commands decide where things live and the tests can point them anywhere.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import tarfile
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from buurtnet.core.filemodes import PRIVATE_DIRECTORY, PRIVATE_FILE, sqlite_files

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.sqlite3"
MEDIA = "media"
KEY_FILE = "secret_key"
MANIFEST_MAX_BYTES = 1024 * 1024


class BackupError(Exception):
    """Something the operator has to resolve; the message says what."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Restored:
    manifest: dict
    database: Path | None
    media_root: Path
    secret_key: Path | None
    moved_aside: Path | None


def buurtnet_version() -> str:
    try:
        return version("buurtnet")
    except PackageNotFoundError:
        return "unknown"


def default_name(moment: datetime) -> str:
    return f"buurtnet-{moment:%Y%m%d-%H%M%S}.tar.gz"


# Writing ---------------------------------------------------------------------------------------


def sqlite_copy(
    *, source: sqlite3.Connection, path: Path, patience: float = 60.0
) -> dict[str, int]:
    """Copy `source` into a new file at `path`, check it; returns the rows per table of the copy.

    SQLite's online backup API copies all pages in one step under a read transaction, so the
    copy is the database as it was at one moment, even while other connections keep writing
    (in WAL mode they are not even blocked). Python retries a locked database for ever; after
    `patience` seconds of locks this gives up instead, so a backup run by cron cannot hang.
    """
    deadline = time.monotonic() + patience

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(
                f"The database stayed locked for {patience:.0f} seconds; try again later."
            )

    with closing(sqlite3.connect(path)) as target:
        source.backup(target, progress=progress)
        # One self-contained file: no -wal/-shm companions to forget when moving it.
        target.execute("PRAGMA journal_mode=DELETE")
        problems = [row[0] for row in target.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError(f"The copy failed its integrity check: {'; '.join(problems[:5])}")
        return _row_counts(target)


def backup_create(
    *,
    target: Path,
    vendor: str,
    database: str | None,
    media_root: Path,
    secret_key: Path | None,
    created_at: datetime,
) -> Backup:
    """Write the archive to `target` (mode 0600, via a .partial file); returns what it holds.

    `database` is the SQLite database to copy (a path, or a `file:` URI), None when the database
    is not an SQLite file (PostgreSQL: pg_dump's job). `secret_key` is the key file to include,
    None when the key comes from the environment.
    """
    if target.exists() or target.is_symlink():
        raise BackupError(f"{target} already exists; choose another path.")
    if target.is_relative_to(media_root.resolve()):
        raise BackupError(f"{target} is among the photos it backs up; choose another path.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    warnings: list[str] = []
    # The database copy goes to a private scratch directory beside the target, not to /tmp:
    # it can be large, and it must never be readable by others.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".buurtnet-backup-") as scratch:
        database_entry: dict = {"vendor": vendor, "file": None}
        rows: dict[str, int] = {}
        copy = Path(scratch) / DATABASE
        if database is not None:
            with closing(_sqlite_source(database)) as source:
                rows = sqlite_copy(source=source, path=copy)
            copy.chmod(PRIVATE_FILE)
            database_entry |= {
                "file": DATABASE,
                "bytes": copy.stat().st_size,
                "sha256": _sha256(copy),
            }
        try:
            # 0600 from the first byte: the mode is given when the file is created.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        except FileExistsError:
            raise BackupError(
                f"{partial} exists: another backup is being written there, or an interrupted one"
                " left it behind (remove it)."
            ) from None
        try:
            os.fchmod(fd, PRIVATE_FILE)  # whatever the umask took away, nothing more is granted
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                    if database is not None:
                        _add_file(tar, DATABASE, copy)
                    media_files, media_bytes = _add_media(tar, media_root, warnings)
                    if secret_key is not None:
                        _add_file(tar, KEY_FILE, secret_key)
                    manifest = {
                        "format": FORMAT,
                        "buurtnet_version": buurtnet_version(),
                        "created_at": created_at.isoformat(),
                        "database": database_entry,
                        "secret_key": KEY_FILE if secret_key is not None else None,
                        "counts": {
                            "media_files": media_files,
                            "media_bytes": media_bytes,
                            "rows": rows,
                        },
                    }
                    _add_manifest(tar, manifest, created_at)
                raw.flush()
                os.fsync(raw.fileno())
            os.rename(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    _fsync_directory(target.parent)
    return Backup(path=target, manifest=manifest, warnings=warnings)


def _sqlite_source(database: str) -> sqlite3.Connection:
    uri = database.startswith("file:")
    if not uri and not Path(database).is_file():
        raise BackupError(f"There is no database at {database}.")
    # A connection of its own, like any other process reading the database: it sees what is
    # committed and never waits for (or holds up) a transaction of the caller.
    return sqlite3.connect(database, uri=uri, timeout=20)


def _add_media(tar: tarfile.TarFile, media_root: Path, warnings: list[str]) -> tuple[int, int]:
    """Add the regular files under `media_root`; returns how many and their bytes.

    The database copy is taken first, so every photo it names was on disk before the walk
    started; a photo deleted in the meantime is missed (and reported), one added meanwhile is
    an unused extra.
    """
    if not media_root.is_dir():
        return 0, 0
    files = total = 0
    tar.addfile(_directory_info(MEDIA, media_root.stat()))
    for current, directories, names in os.walk(media_root):
        base = Path(current)
        directories.sort()
        for name in list(directories):
            path = base / name
            arcname = _media_name(media_root, path)
            if path.is_symlink():
                warnings.append(f"Left out {arcname}: a link, not a directory of photos.")
                directories.remove(name)
                continue
            tar.addfile(_directory_info(arcname, path.stat()))
        for name in sorted(names):
            path = base / name
            arcname = _media_name(media_root, path)
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except FileNotFoundError:
                warnings.append(f"Left out {arcname}: it was deleted while the backup ran.")
                continue
            except OSError:
                warnings.append(f"Left out {arcname}: a link or unreadable, not a photo.")
                continue
            with os.fdopen(fd, "rb") as f:
                st = os.fstat(f.fileno())
                if not stat.S_ISREG(st.st_mode):
                    warnings.append(f"Left out {arcname}: not a regular file.")
                    continue
                tar.addfile(_file_info(arcname, st), f)
            files += 1
            total += st.st_size
    return files, total


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> None:
    with path.open("rb") as f:
        tar.addfile(_file_info(name, os.fstat(f.fileno())), f)


def _add_manifest(tar: tarfile.TarFile, manifest: dict, created_at: datetime) -> None:
    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
    info = tarfile.TarInfo(MANIFEST)
    info.size, info.mode, info.mtime = len(body), PRIVATE_FILE, created_at.timestamp()
    tar.addfile(info, io.BytesIO(body))


def _media_name(media_root: Path, path: Path) -> str:
    return f"{MEDIA}/{path.relative_to(media_root).as_posix()}"


def _file_info(name: str, st: os.stat_result) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = st.st_size, st.st_mtime, PRIVATE_FILE
    return info


def _directory_info(name: str, st: os.stat_result) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mtime, info.mode = tarfile.DIRTYPE, st.st_mtime, PRIVATE_DIRECTORY
    return info


# Restoring -------------------------------------------------------------------------------------


def backup_restore(
    *,
    archive: Path,
    vendor: str,
    data_dir: Path,
    database: Path | None,
    media_root: Path,
    secret_key: Path,
    force: bool,
    moment: datetime,
    media_file_mode: int = 0o644,
    media_directory_mode: int = 0o755,
) -> Restored:
    """Check `archive` and put its database, photos and key in place; returns what it did.

    Refuses when a database or photos are already there, unless `force`, which first moves the
    present files to a `before-restore-…` directory in `data_dir`. `database` is where the SQLite
    file goes, None on PostgreSQL (restored from pg_dump's file with pg_restore).
    """
    try:
        tar = tarfile.open(archive, mode="r:gz")
    except FileNotFoundError:
        raise BackupError(f"There is no file {archive}.") from None
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive} is not a Buurtnet backup (not a tar.gz: {error}).") from None
    with tar:
        manifest = _checked_manifest(tar, archive)
        _check_vendor(manifest, vendor)
        in_the_way = _occupied(database, media_root)
        if in_the_way and not force:
            raise BackupError(
                "Not restoring over existing data: "
                + ", ".join(str(path) for path in in_the_way)
                + ". Restore into an empty data directory, or add --force to move the present"
                " files aside first."
            )
        staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=".restore-"))
        try:
            try:
                # The members were checked above; the data filter is the second lock on the
                # door (no links, devices, absolute paths or paths out of `staging`).
                tar.extractall(staging, filter="data")
            except (tarfile.TarError, OSError, EOFError) as error:
                raise BackupError(f"{archive} could not be unpacked: {error}") from None
            _verify(manifest, staging)
            _set_modes(staging, media_file_mode, media_directory_mode)
            aside = _move_aside(
                in_the_way, data_dir, database, media_root, secret_key, manifest, moment
            )
            placed_database = placed_key = None
            if manifest["database"]["file"] and database is not None:
                placed_database = _place_database(staging / DATABASE, database)
            _place_media(staging / MEDIA, media_root)
            if manifest["secret_key"]:
                placed_key = secret_key
                os.replace(staging / KEY_FILE, secret_key)
            _fsync_directory(data_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Restored(
        manifest=manifest,
        database=placed_database,
        media_root=media_root,
        secret_key=placed_key,
        moved_aside=aside,
    )


def _checked_manifest(tar: tarfile.TarFile, archive: Path) -> dict:
    """Every member must be one a backup writes: no links, no absolute or climbing paths."""
    try:
        members = tar.getmembers()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive} is damaged: {error}") from None
    seen: set[str] = set()
    for member in members:
        name = member.name
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or str(path) != name or "\\" in name:
            raise BackupError(f"Refusing {archive}: it holds an unsafe path, {name!r}.")
        if not (member.isreg() or member.isdir()):
            raise BackupError(
                f"Refusing {archive}: {name!r} is a link or a special file; a backup holds"
                " only files and directories."
            )
        if name in seen:
            raise BackupError(f"Refusing {archive}: {name!r} appears twice.")
        seen.add(name)
        expected = (
            (name in (MANIFEST, DATABASE, KEY_FILE) and member.isreg())
            or (name == MEDIA and member.isdir())
            or (path.parts[0] == MEDIA and len(path.parts) > 1)
        )
        if not expected:
            raise BackupError(f"Refusing {archive}: {name!r} is not part of a Buurtnet backup.")
    if MANIFEST not in seen:
        raise BackupError(f"{archive} is not a Buurtnet backup: it has no {MANIFEST}.")
    member = tar.getmember(MANIFEST)
    if member.size > MANIFEST_MAX_BYTES:
        raise BackupError(f"Refusing {archive}: its {MANIFEST} is too large.")
    try:
        manifest = json.load(tar.extractfile(member))  # type: ignore[arg-type]
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or "format" not in manifest:
        raise BackupError(f"{archive} has a damaged {MANIFEST}.")
    if manifest["format"] != FORMAT:
        raise BackupError(
            f"{archive} is a backup of format {manifest['format']}; this Buurtnet"
            f" ({buurtnet_version()}) reads format {FORMAT}. Restore it with the version that"
            f" made it ({manifest.get('buurtnet_version', 'unknown')})."
        )
    if not _manifest_is_complete(manifest):
        raise BackupError(f"{archive} has a damaged {MANIFEST}.")
    if bool(manifest["database"].get("file")) != (DATABASE in seen):
        raise BackupError(f"{archive} does not match its {MANIFEST}: the database.")
    if bool(manifest.get("secret_key")) != (KEY_FILE in seen):
        raise BackupError(f"{archive} does not match its {MANIFEST}: the secret key.")
    return manifest


def _manifest_is_complete(manifest: dict) -> bool:
    database, counts = manifest.get("database"), manifest.get("counts")
    return (
        isinstance(database, dict)
        and isinstance(database.get("vendor"), str)
        and isinstance(counts, dict)
        and isinstance(counts.get("media_files"), int)
        and isinstance(counts.get("media_bytes"), int)
        and isinstance(counts.get("rows"), dict)
    )


def _check_vendor(manifest: dict, vendor: str) -> None:
    made_on = manifest["database"]["vendor"]
    if made_on == "sqlite" and vendor != "sqlite":
        raise BackupError(
            f"This archive holds an SQLite database, but this installation runs on {vendor}."
            " Restore it into an installation that uses SQLite (no DATABASE_URL)."
        )
    if made_on != "sqlite" and vendor == "sqlite":
        raise BackupError(
            f"This archive holds no database: it was made on {made_on}, whose database is"
            f" backed up by its own tools. Restore it into an installation on {made_on}."
        )
    if made_on != vendor:
        raise BackupError(f"This archive was made on {made_on}; this installation runs {vendor}.")


def _occupied(database: Path | None, media_root: Path) -> list[Path]:
    """What a restore would overwrite: a database with content, or any photo."""
    found: list[Path] = []
    if database is not None and any(
        path.exists() and (path.is_symlink() or path.stat().st_size > 0)
        for path in sqlite_files(database)[:2]  # the database and its write-ahead log
    ):
        found.append(database)
    if media_root.is_symlink() or (media_root.exists() and not media_root.is_dir()):
        found.append(media_root)
    elif media_root.is_dir() and any(not p.is_dir() for p in media_root.rglob("*")):
        found.append(media_root)
    return found


def _verify(manifest: dict, staging: Path) -> None:
    entry = manifest["database"]
    if entry["file"]:
        copy = staging / DATABASE
        if copy.stat().st_size != entry.get("bytes") or _sha256(copy) != entry.get("sha256"):
            raise BackupError("The database in the archive does not match its checksum.")
        try:
            with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as db:
                problems = [row[0] for row in db.execute("PRAGMA integrity_check")]
                rows = _row_counts(db) if problems == ["ok"] else None
        except sqlite3.DatabaseError as error:
            problems, rows = [str(error)], None
        if problems != ["ok"]:
            raise BackupError(
                f"The database in the archive fails its integrity check: {problems[0]}"
            )
        if rows != manifest["counts"]["rows"]:
            raise BackupError("The database in the archive does not hold the rows it should.")
    media = staging / MEDIA
    sizes = [p.stat().st_size for p in media.rglob("*") if p.is_file()] if media.is_dir() else []
    counts = manifest["counts"]
    if (len(sizes), sum(sizes)) != (counts["media_files"], counts["media_bytes"]):
        raise BackupError(
            f"The photos in the archive do not match its manifest: {len(sizes)} files of"
            f" {sum(sizes)} bytes, where it says {counts['media_files']} files of"
            f" {counts['media_bytes']} bytes."
        )
    if manifest["secret_key"] and not (staging / KEY_FILE).read_text().strip():
        raise BackupError("The secret key in the archive is empty.")


def _set_modes(staging: Path, media_file_mode: int, media_directory_mode: int) -> None:
    """The database and key for this account only; photos as the app stores new uploads."""
    for name in (DATABASE, KEY_FILE):
        path = staging / name
        if path.exists():
            path.chmod(PRIVATE_FILE)
            with path.open("rb") as f:
                os.fsync(f.fileno())
    media = staging / MEDIA
    if media.is_dir():
        # Never writable by group or others, whatever the settings say.
        media.chmod(media_directory_mode & ~0o022)
        for path in media.rglob("*"):
            path.chmod((media_directory_mode if path.is_dir() else media_file_mode) & ~0o022)


def _move_aside(
    in_the_way: list[Path],
    data_dir: Path,
    database: Path | None,
    media_root: Path,
    secret_key: Path,
    manifest: dict,
    moment: datetime,
) -> Path | None:
    if not in_the_way:
        return None
    name = f"before-restore-{moment:%Y%m%d-%H%M%S}"
    aside = data_dir / name
    for attempt in range(2, 100):
        try:
            aside.mkdir(mode=PRIVATE_DIRECTORY)
            break
        except FileExistsError:
            aside = data_dir / f"{name}-{attempt}"
    else:
        raise BackupError(f"Could not make a directory {data_dir / name} to move files aside to.")
    if database is not None:
        for path in sqlite_files(database):
            if path.exists() or path.is_symlink():
                shutil.move(path, aside / path.name)
    if media_root.exists() or media_root.is_symlink():
        shutil.move(media_root, aside / MEDIA)
    if manifest["secret_key"] and secret_key.exists():
        shutil.move(secret_key, aside / KEY_FILE)
    return aside


def _place_database(copy: Path, database: Path) -> Path:
    database.parent.mkdir(parents=True, exist_ok=True)
    # Left: an empty database file, or a -shm index of one; neither belongs to the copy.
    for path in sqlite_files(database):
        path.unlink(missing_ok=True)
    shutil.move(copy, database)
    return database


def _place_media(media: Path, media_root: Path) -> None:
    if media_root.is_dir():
        # Only empty directories can be here (checked before); rmdir refuses anything else.
        for current, _, _ in sorted(os.walk(media_root), key=lambda w: -len(w[0])):
            Path(current).rmdir()
    if media.is_dir():
        media_root.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(media, media_root)


# Helpers ---------------------------------------------------------------------------------------


def _row_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    # Table names come from the database's own catalogue, quoted as SQL identifiers.
    return {
        table: db.execute(
            'SELECT count(*) FROM "{}"'.format(table.replace('"', '""'))  # noqa: S608
        ).fetchone()[0]
        for table in tables
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_directory(path: Path) -> None:
    """Make a rename in `path` survive a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
