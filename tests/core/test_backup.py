import hashlib
import io
import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import closing
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from PIL import Image

from buurtnet.core import backups
from buurtnet.core.backups import BackupError, backup_create, backup_restore
from buurtnet.neighbourhoods.models import Neighbourhood

ROOT = Path(__file__).resolve().parents[2]
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
MOMENT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
KEY = "a-generated-secret-key-kept-in-the-data-directory"  # noqa: S105 - test data


def wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def read(path: Path, sql: str):
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "JPEG")
    return out.getvalue()


def members(archive: Path) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(archive) as tar:
        return {m.name: m for m in tar.getmembers()}


def member_bytes(archive: Path, name: str) -> bytes:
    with tarfile.open(archive) as tar:
        return tar.extractfile(name).read()


def manifest_of(archive: Path) -> dict:
    return json.loads(member_bytes(archive, "manifest.json"))


def make_installation(root: Path, notes: int = 3) -> dict:
    """A data directory as Buurtnet keeps it: a WAL database, photos in folders and a key."""
    root.mkdir(parents=True, exist_ok=True)
    database = root / "buurtnet.sqlite3"
    with closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        db.executemany("INSERT INTO note (body) VALUES (?)", [("x" * 200,)] * notes)
        db.commit()
    photos = {"places/a1.jpg": jpeg(), "updates/b2.jpg": b"second photo", "people/c3.png": b"3"}
    for name, body in photos.items():
        (root / "media" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "media" / name).write_bytes(body)
    (root / "secret_key").write_text(KEY + "\n")
    return {"database": database, "photos": photos}


def archive_of(source: Path, target: Path, *, key: bool = True) -> Path:
    return backup_create(
        target=target,
        vendor="sqlite",
        database=str(source / "buurtnet.sqlite3"),
        media_root=source / "media",
        secret_key=source / "secret_key" if key else None,
        created_at=MOMENT,
    ).path


def restore(archive: Path, target: Path, *, force: bool = False, vendor: str = "sqlite"):
    target.mkdir(parents=True, exist_ok=True)
    return backup_restore(
        archive=archive,
        vendor=vendor,
        data_dir=target,
        database=target / "buurtnet.sqlite3" if vendor == "sqlite" else None,
        media_root=target / "media",
        secret_key=target / "secret_key",
        force=force,
        moment=MOMENT,
    )


def with_manifest(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` whose manifest was edited by `change`."""
    manifest = manifest_of(archive)
    change(manifest)
    body = json.dumps(manifest).encode()
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            if member.name == "manifest.json":
                member.size = len(body)
                copy.addfile(member, io.BytesIO(body))
            else:
                copy.addfile(member, source.extractfile(member))
    return target


# The archive -----------------------------------------------------------------------------------


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_the_archive_holds_database_photos_and_key_and_only_its_owner_may_read_it(
    tmp_path, settings
):
    Neighbourhood.objects.create(slug="ede-zuid", name="Ede-Zuid", municipality="Ede")
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "updates").mkdir(parents=True)
    (tmp_path / "media" / "updates" / "photo.jpg").write_bytes(jpeg())
    (tmp_path / "secret_key").write_text(settings.SECRET_KEY + "\n")
    out, err = StringIO(), StringIO()
    umask = os.umask(0)  # a careless umask must not open the archive up
    try:
        call_command("backup", stdout=out, stderr=err)
    finally:
        os.umask(umask)

    archive = Path(out.getvalue().strip())
    assert archive.parent == tmp_path / "backups"
    assert archive.name.startswith("buurtnet-") and archive.name.endswith(".tar.gz")
    assert mode(archive) == 0o600
    assert mode(tmp_path / "backups") == 0o700
    assert not list((tmp_path / "backups").glob("*.partial"))
    assert not list((tmp_path / "backups").glob(".buurtnet-backup-*"))  # the scratch copy
    assert err.getvalue() == ""

    inside = members(archive)
    assert set(inside) == {
        "manifest.json",
        "database.sqlite3",
        "secret_key",
        "media",
        "media/updates",
        "media/updates/photo.jpg",
    }
    assert all(m.isfile() or m.isdir() for m in inside.values())
    assert member_bytes(archive, "media/updates/photo.jpg") == jpeg()
    assert member_bytes(archive, "secret_key").decode().strip() == settings.SECRET_KEY

    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(member_bytes(archive, "database.sqlite3"))
    assert read(copy, "PRAGMA integrity_check") == [("ok",)]
    assert read(copy, "SELECT name FROM neighbourhoods_neighbourhood") == [("Ede-Zuid",)]

    manifest = manifest_of(archive)
    assert manifest["format"] == 1
    assert manifest["buurtnet_version"] == "0.1.0"
    assert datetime.fromisoformat(manifest["created_at"]) <= timezone.now()
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["database"]["sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert manifest["secret_key"] == "secret_key"  # noqa: S105 - the member holding the key
    assert manifest["counts"]["media_files"] == 1
    assert manifest["counts"]["rows"]["neighbourhoods_neighbourhood"] == 1


# Committed for real (transaction=True): the command reads the database through a connection of
# its own, which would wait for the test's open transaction.
@pytest.mark.django_db(transaction=True)
def test_a_key_from_the_environment_is_left_out_and_the_operator_told(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "secret_key").write_text("an old generated key, not the one in use")
    settings.SECRET_KEY = "the-key-from-the-environment"  # noqa: S105 - test data
    out, err = StringIO(), StringIO()
    call_command("backup", str(tmp_path / "b.tar.gz"), stdout=out, stderr=err)
    archive = Path(out.getvalue().strip())
    assert "secret_key" not in members(archive)
    assert manifest_of(archive)["secret_key"] is None
    assert "SECRET_KEY environment variable" in err.getvalue()


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_it_archives_photos_and_key_and_points_to_pg_dump(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "places").mkdir(parents=True)
    (tmp_path / "media" / "places" / "room.jpg").write_bytes(jpeg())
    (tmp_path / "secret_key").write_text(settings.SECRET_KEY)
    out, err = StringIO(), StringIO()
    call_command("backup", str(tmp_path / "b.tar.gz"), stdout=out, stderr=err)
    archive = Path(out.getvalue().strip())
    assert mode(archive) == 0o600
    assert set(members(archive)) == {
        "manifest.json",
        "secret_key",
        "media",
        "media/places",
        "media/places/room.jpg",
    }
    assert manifest_of(archive)["database"] == {"vendor": "postgresql", "file": None}
    assert "database is not in this archive" in err.getvalue()
    assert f"pg_dump --format=custom --file=buurtnet.dump {connection.settings_dict['NAME']}" in (
        err.getvalue()
    )


@pytest.mark.django_db(transaction=True)
def test_given_a_directory_it_writes_a_dated_archive_into_it(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "no-photos-yet"
    out = StringIO()
    call_command("backup", str(tmp_path), stdout=out, stderr=StringIO())
    archive = Path(out.getvalue().strip())
    assert archive.parent == tmp_path.resolve()
    assert archive.name.startswith("buurtnet-") and archive.name.endswith(".tar.gz")
    assert len(archive.name) == len("buurtnet-YYYYmmdd-HHMMSS.tar.gz")


@pytest.mark.django_db
def test_it_never_writes_the_archive_among_the_photos(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    with pytest.raises(CommandError, match="among the photos"):
        call_command("backup", str(tmp_path / "media"), stdout=StringIO(), stderr=StringIO())
    assert list((tmp_path / "media").iterdir()) == []


@pytest.mark.django_db
def test_it_never_overwrites_an_existing_file(tmp_path):
    existing = tmp_path / "keep.tar.gz"
    existing.write_text("an older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing), stdout=StringIO(), stderr=StringIO())
    assert existing.read_text() == "an older backup"


def test_a_backup_that_fails_halfway_leaves_nothing_behind(tmp_path, monkeypatch):
    make_installation(tmp_path / "data")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_add_manifest", disk_full)
    with pytest.raises(OSError, match="No space"):
        archive_of(tmp_path / "data", tmp_path / "out" / "b.tar.gz")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_database_that_stays_locked_makes_the_backup_give_up(tmp_path):
    live = make_installation(tmp_path / "data")["database"]
    with closing(sqlite3.connect(live, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode=DELETE")  # without WAL a writer shuts readers out
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO note (body) VALUES ('unfinished')")
        started = time.monotonic()
        with closing(sqlite3.connect(live, timeout=0.1)) as source:
            with pytest.raises(BackupError, match="stayed locked"):
                backups.sqlite_copy(source=source, path=tmp_path / "copy.sqlite3", patience=0.5)
        assert time.monotonic() - started < 10
        holder.execute("ROLLBACK")


def test_an_archive_taken_while_another_connection_writes_holds_a_consistent_prefix(tmp_path):
    source = tmp_path / "data"
    live = make_installation(source, notes=5000)["database"]
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
        archive = archive_of(source, tmp_path / "b.tar.gz")
        during = committed
        wait_until(lambda: committed >= during + 20)  # the writer was never blocked
    finally:
        stop.set()
        thread.join()

    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(member_bytes(archive, "database.sqlite3"))
    assert read(copy, "PRAGMA integrity_check") == [("ok",)]
    [(count, highest)] = read(copy, "SELECT count(*), max(id) FROM note")
    assert 5000 + before <= count <= 5000 + during
    assert count == highest  # one moment in time: every committed row up to it, nothing half
    assert manifest_of(archive)["counts"]["rows"] == {"note": count}
    assert read(copy, "PRAGMA journal_mode") == [("delete",)]


# Restoring -------------------------------------------------------------------------------------


def test_it_restores_into_an_empty_data_directory_with_private_modes(tmp_path):
    source = make_installation(tmp_path / "old", notes=7)
    archive = archive_of(tmp_path / "old", tmp_path / "b.tar.gz")
    target = tmp_path / "new"

    restored = restore(archive, target)

    assert restored.moved_aside is None
    assert read(target / "buurtnet.sqlite3", "SELECT count(*) FROM note") == [(7,)]
    for name, body in source["photos"].items():
        assert (target / "media" / name).read_bytes() == body
        assert mode(target / "media" / name) == 0o644  # as the app stores a new upload
        assert mode((target / "media" / name).parent) == 0o755
    assert (target / "secret_key").read_text().strip() == KEY
    assert mode(target / "buurtnet.sqlite3") == 0o600
    assert mode(target / "secret_key") == 0o600
    assert [p.name for p in target.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_a_generated_key_and_an_empty_database_file_are_not_data_to_keep(tmp_path):
    make_installation(tmp_path / "old")
    archive = archive_of(tmp_path / "old", tmp_path / "b.tar.gz")
    target = tmp_path / "new"
    target.mkdir()
    # What settings and a first connection leave in a fresh data directory.
    (target / "secret_key").write_text("generated at first start")
    (target / "buurtnet.sqlite3").touch()
    (target / "media" / "people").mkdir(parents=True)

    restore(archive, target)

    assert (target / "secret_key").read_text().strip() == KEY
    assert read(target / "buurtnet.sqlite3", "SELECT count(*) FROM note") == [(3,)]


@pytest.mark.parametrize("present", ["database", "write-ahead log", "photo"])
def test_it_refuses_to_overwrite_data_without_force(tmp_path, present):
    make_installation(tmp_path / "old")
    archive = archive_of(tmp_path / "old", tmp_path / "b.tar.gz")
    target = tmp_path / "new"
    target.mkdir()
    existing = {
        "database": target / "buurtnet.sqlite3",
        "write-ahead log": target / "buurtnet.sqlite3-wal",
        "photo": target / "media" / "updates" / "mine.jpg",
    }[present]
    existing.parent.mkdir(parents=True, exist_ok=True)
    existing.write_bytes(b"somebody's data")

    with pytest.raises(BackupError, match="--force"):
        restore(archive, target)
    assert existing.read_bytes() == b"somebody's data"
    assert not (target / "media" / "places").exists()
    assert [p.name for p in target.iterdir() if p.name.startswith(".")] == []


def test_force_moves_the_present_files_aside_first(tmp_path):
    make_installation(tmp_path / "old", notes=2)
    archive = archive_of(tmp_path / "old", tmp_path / "b.tar.gz")
    target = tmp_path / "new"
    make_installation(target, notes=9)
    (target / "secret_key").write_text("the key of the installation being replaced")

    restored = restore(archive, target, force=True)

    aside = restored.moved_aside
    assert aside.parent == target and aside.name == "before-restore-20250301-120000"
    assert mode(aside) == 0o700
    assert read(aside / "buurtnet.sqlite3", "SELECT count(*) FROM note") == [(9,)]
    assert (aside / "media" / "updates" / "b2.jpg").exists()
    assert (aside / "secret_key").read_text() == "the key of the installation being replaced"
    assert read(target / "buurtnet.sqlite3", "SELECT count(*) FROM note") == [(2,)]
    assert (target / "secret_key").read_text().strip() == KEY


def test_an_archive_without_the_key_keeps_the_present_key(tmp_path):
    make_installation(tmp_path / "old")
    archive = archive_of(tmp_path / "old", tmp_path / "b.tar.gz", key=False)
    target = tmp_path / "new"
    target.mkdir()
    (target / "secret_key").write_text("this installation's key")
    restored = restore(archive, target)
    assert restored.secret_key is None
    assert (target / "secret_key").read_text() == "this installation's key"


def unsafe(tmp_path: Path, name: str, *, kind: bytes = tarfile.REGTYPE, link: str = "") -> Path:
    """A well-formed backup with one extra member an attacker chose."""
    make_installation(tmp_path / "old")
    good = archive_of(tmp_path / "old", tmp_path / "good.tar.gz")
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(good) as source, tarfile.open(bad, "w:gz") as copy:
        for member in source.getmembers():
            copy.addfile(member, source.extractfile(member) if member.isfile() else None)
        evil = tarfile.TarInfo(name)
        evil.type, evil.linkname = kind, link
        body = b"evil" if kind == tarfile.REGTYPE else b""
        evil.size = len(body)
        copy.addfile(evil, io.BytesIO(body))
    return bad


@pytest.mark.parametrize(
    ("name", "kind", "link", "reason"),
    [
        ("../escaped", tarfile.REGTYPE, "", "unsafe path"),
        ("media/../../escaped", tarfile.REGTYPE, "", "unsafe path"),
        ("/tmp/escaped", tarfile.REGTYPE, "", "unsafe path"),  # noqa: S108 - the attack
        ("media/./x.jpg", tarfile.REGTYPE, "", "unsafe path"),
        ("media/passwd", tarfile.SYMTYPE, "/etc/passwd", "link"),
        ("media/up", tarfile.SYMTYPE, "../../..", "link"),
        ("media/hard", tarfile.LNKTYPE, "secret_key", "link"),
        ("media/fifo", tarfile.FIFOTYPE, "", "special file"),
        ("escaped", tarfile.REGTYPE, "", "not part of a Buurtnet backup"),
        ("database.sqlite3", tarfile.REGTYPE, "", "appears twice"),
    ],
)
def test_it_refuses_an_archive_with_unsafe_members(tmp_path, name, kind, link, reason):
    bad = unsafe(tmp_path, name, kind=kind, link=link)
    target = tmp_path / "deep" / "new"
    with pytest.raises(BackupError, match=reason):
        restore(bad, target)
    assert list(target.iterdir()) == []
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "deep" / "escaped").exists()


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    plain = tmp_path / "photos.tar.gz"
    with tarfile.open(plain, "w:gz") as tar:
        info = tarfile.TarInfo("media/a.jpg")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(BackupError, match="no manifest.json"):
        restore(plain, tmp_path / "new")
    (tmp_path / "notes.txt").write_text("not an archive")
    with pytest.raises(BackupError, match="not a tar.gz"):
        restore(tmp_path / "notes.txt", tmp_path / "new")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda m: m["database"].update(sha256="0" * 64), "checksum"),
        (lambda m: m["counts"]["rows"].update(note=4), "rows"),
        (lambda m: m["counts"].update(media_files=2), "photos in the archive do not match"),
        (lambda m: m["counts"].update(media_bytes=1), "photos in the archive do not match"),
        (lambda m: m.update(format=2), "format 2"),
        (lambda m: m.pop("counts"), "damaged"),
    ],
)
def test_it_refuses_an_archive_that_does_not_match_its_manifest(tmp_path, change, reason):
    make_installation(tmp_path / "old")
    good = archive_of(tmp_path / "old", tmp_path / "good.tar.gz")
    bad = with_manifest(good, tmp_path / "bad.tar.gz", change)
    with pytest.raises(BackupError, match=reason):
        restore(bad, tmp_path / "new")
    assert list((tmp_path / "new").iterdir()) == []


def test_a_damaged_database_is_refused(tmp_path):
    make_installation(tmp_path / "old")
    good = archive_of(tmp_path / "old", tmp_path / "good.tar.gz")
    bad = tmp_path / "bad.tar.gz"
    broken = bytearray(member_bytes(good, "database.sqlite3"))
    broken[4096:8192] = b"\xff" * 4096  # a page of the table, overwritten
    with tarfile.open(good) as source, tarfile.open(bad, "w:gz") as copy:
        for member in source.getmembers():
            if member.name == "database.sqlite3":
                copy.addfile(member, io.BytesIO(bytes(broken)))
            elif member.name == "manifest.json":
                manifest = json.loads(source.extractfile(member).read())
                manifest["database"]["sha256"] = hashlib.sha256(broken).hexdigest()
                body = json.dumps(manifest).encode()
                member.size = len(body)
                copy.addfile(member, io.BytesIO(body))
            else:
                copy.addfile(member, source.extractfile(member) if member.isfile() else None)
    with pytest.raises(BackupError, match="integrity|malformed|not a database"):
        restore(bad, tmp_path / "new")
    assert list((tmp_path / "new").iterdir()) == []


def test_an_sqlite_archive_is_not_restored_into_postgresql_nor_the_other_way(tmp_path):
    make_installation(tmp_path / "old")
    sqlite_archive = archive_of(tmp_path / "old", tmp_path / "s.tar.gz")
    with pytest.raises(BackupError, match="holds an SQLite database"):
        restore(sqlite_archive, tmp_path / "pg", vendor="postgresql")
    pg_archive = backup_create(
        target=tmp_path / "p.tar.gz",
        vendor="postgresql",
        database=None,
        media_root=tmp_path / "old" / "media",
        secret_key=tmp_path / "old" / "secret_key",
        created_at=MOMENT,
    ).path
    with pytest.raises(BackupError, match="holds no database"):
        restore(pg_archive, tmp_path / "lite")

    restored = restore(pg_archive, tmp_path / "pg", vendor="postgresql")
    assert restored.database is None
    assert (tmp_path / "pg" / "media" / "updates" / "b2.jpg").read_bytes() == b"second photo"
    assert (tmp_path / "pg" / "secret_key").read_text().strip() == KEY


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_restore_brings_back_photos_and_key_and_points_to_pg_restore(
    tmp_path, settings
):
    old, new = tmp_path / "old", tmp_path / "new"
    (old / "media" / "places").mkdir(parents=True)
    (old / "media" / "places" / "room.jpg").write_bytes(jpeg())
    (old / "secret_key").write_text(settings.SECRET_KEY)
    settings.DATA_DIR, settings.MEDIA_ROOT = old, old / "media"
    out = StringIO()
    call_command("backup", str(tmp_path / "b.tar.gz"), stdout=out, stderr=StringIO())

    new.mkdir()
    settings.DATA_DIR, settings.MEDIA_ROOT = new, new / "media"
    out, err = StringIO(), StringIO()
    call_command("restore", str(tmp_path / "b.tar.gz"), stdout=out, stderr=err)
    assert (new / "media" / "places" / "room.jpg").read_bytes() == jpeg()
    assert (new / "secret_key").read_text() == settings.SECRET_KEY
    assert "pg_restore" in err.getvalue()
    assert "(1 file)" in out.getvalue()


@on_sqlite
@pytest.mark.django_db
def test_restore_never_touches_a_database_that_is_not_a_file(tmp_path):
    make_installation(tmp_path / "old")
    archive = archive_of(tmp_path / "old", tmp_path / "b.tar.gz")
    with pytest.raises(CommandError, match="not a file to restore into"):
        call_command("restore", str(archive), stdout=StringIO(), stderr=StringIO())


# The data directory ----------------------------------------------------------------------------


def production(data_dir: Path, code: str) -> subprocess.CompletedProcess:
    """Run `code` as Buurtnet itself would, with its own data directory."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )


def test_the_data_directory_is_created_private(tmp_path):
    data_dir = tmp_path / "new" / "data"
    production(data_dir, "import config.settings")
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "secret_key") == 0o600


def test_an_existing_data_directory_is_closed_to_others(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o777)
    production(data_dir, "import config.settings")
    # The owner keeps everything, a group keeps reading (a web server serving photos may need
    # it), nobody else gets in.
    assert mode(data_dir) == 0o750


def test_the_database_and_its_wal_files_are_private(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    # An older version left the database readable by everyone.
    with closing(sqlite3.connect(data_dir / "buurtnet.sqlite3")) as db:
        db.execute("CREATE TABLE t (x)")
    (data_dir / "buurtnet.sqlite3").chmod(0o644)
    code = (
        "import django, os, pathlib\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('INSERT INTO t VALUES (1)')\n"
        "    d = pathlib.Path(os.environ['BUURTNET_DATA_DIR'])\n"
        "    print(sorted(p.name for p in d.glob('buurtnet.sqlite3*')))\n"
    )
    shown = production(data_dir, code).stdout
    # While the connection was open, WAL mode had its two companions next to the database.
    assert "buurtnet.sqlite3-wal" in shown and "buurtnet.sqlite3-shm" in shown
    for path in data_dir.glob("buurtnet.sqlite3*"):
        assert mode(path) == 0o600, path.name


def test_a_new_database_is_private_from_the_start(tmp_path):
    data_dir = tmp_path / "data"
    code = (
        "import django, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
    )
    production(data_dir, code)
    assert mode(data_dir / "buurtnet.sqlite3") == 0o600


# Back up, restore elsewhere, serve -------------------------------------------------------------

SOURCE_DATA = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from buurtnet.initiatives.models import Initiative, Update
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.people.models import User
ede = Neighbourhood.objects.create(slug="ede-zuid", name="Ede-Zuid", municipality="Ede")
fatima = User.objects.create_user("fatima@example.org", "x", display_name="Fatima")
dinner = Initiative.objects.create(
    neighbourhood=ede, title="Samen eten", wish="Eat together", status="active",
    visibility="public", created_by=fatima,
)
Update.objects.create(initiative=dinner, author=fatima, body="First dinner", photo=sys.argv[1])
"""


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_back_up_restore_into_an_empty_directory_and_serve_it(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    photo_name = "updates/0f1e2d3c4b5a69788796a5b4c3d2e1f0.jpg"
    photo = jpeg()

    def buurtnet(data_dir: Path, *args: str, **kwargs):
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "buurtnet.cli", *args],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": str(data_dir)},
            capture_output=True,
            text=True,
            **kwargs,
        )

    old.mkdir()
    (old / "media" / "updates").mkdir(parents=True)
    (old / "media" / photo_name).write_bytes(photo)
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", SOURCE_DATA, photo_name],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": str(old)},
        check=True,
    )
    backed_up = buurtnet(old, "backup", str(tmp_path / "archive.tar.gz"), check=True)
    archive = Path(backed_up.stdout.strip())
    assert backed_up.stderr == ""

    restored = buurtnet(new, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "(1 file)" in restored.stdout
    assert mode(new) == 0o700
    assert mode(new / "buurtnet.sqlite3") == 0o600
    assert (new / "secret_key").read_text() == (old / "secret_key").read_text()
    assert (new / "media" / photo_name).read_bytes() == photo

    again = buurtnet(new, "restore", str(archive))
    assert again.returncode != 0
    assert "Not restoring over existing data" in again.stderr

    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "buurtnet.cli", "serve", "--no-worker", "--no-demo"]
        + ["--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": str(new)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)

        status, page = fetch(f"{base}/n/ede-zuid/")
        assert status == 200
        assert b"Ede-Zuid" in page and b"Samen eten" in page
        # The update belongs to a public initiative: its photo is for everyone to see.
        status, served = fetch(f"{base}/media/{photo_name}")
        assert status == 200
        assert served == photo
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
