"""`buurtnet backup [PATH]`: one archive of the database, the photos and the key, while it runs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from buurtnet.core.backups import BackupError, backup_create, default_name
from buurtnet.core.filemodes import private_directory


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz, mode 0600) holding a consistent copy of the SQLite database,"
        " the uploaded photos and the secret key, while Buurtnet keeps running. PATH is a file or"
        " a directory (default: data/backups/buurtnet-YYYYmmdd-HHMMSS.tar.gz). Prints the path."
        " On PostgreSQL the archive holds the photos and the key; dump the database with pg_dump."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", help="where to write the archive")

    def handle(self, *args, path: str | None = None, **options) -> None:
        vendor = connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise CommandError(
                f"This installation runs on {connection.display_name}; `buurtnet backup` knows"
                " SQLite and PostgreSQL only. Use that database's own backup tool."
            )
        if path:
            target = Path(path).expanduser()
            if target.is_dir():
                target = target / default_name(timezone.localtime())
        else:
            backups = private_directory(Path(settings.DATA_DIR) / "backups")
            target = backups / default_name(timezone.localtime())
        try:
            backup = backup_create(
                target=target.resolve(),
                vendor=vendor,
                database=str(connection.settings_dict["NAME"]) if vendor == "sqlite" else None,
                media_root=Path(settings.MEDIA_ROOT),
                secret_key=self._key_file(),
                created_at=timezone.now(),
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        # The path alone on standard output, so scripts can pick it up; notes go to stderr.
        self.stdout.write(str(backup.path))
        for warning in backup.warnings:
            self.stderr.write(f"Note: {warning}")
        if backup.manifest["secret_key"] is None:
            self.stderr.write(
                "Note: the secret key comes from the SECRET_KEY environment variable, so it is not"
                " in the archive. Keep it with the archive yourself: without it, links in emails"
                " and sessions from before stop working."
            )
        if vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            self.stderr.write(
                "Note: the database is not in this archive (this installation runs on"
                " PostgreSQL); it holds the photos and the secret key. Dump the database at the"
                f" same time: `pg_dump --format=custom --file=buurtnet.dump {name}` (restore it"
                " with pg_restore)."
            )

    @staticmethod
    def _key_file() -> Path | None:
        """The data directory's key file, if it is the key in use (not one from the environment)."""
        path = Path(settings.DATA_DIR) / "secret_key"
        if path.is_file() and path.read_text().strip() == settings.SECRET_KEY:
            return path
        return None
