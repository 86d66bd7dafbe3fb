"""`buurtnet restore ARCHIVE [--force]`: put a backup back into an empty data directory."""

import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone

from buurtnet.core.backups import BackupError, backup_restore, buurtnet_version


class Command(BaseCommand):
    help = (
        "Restore an archive written by `buurtnet backup`: the SQLite database, the uploaded"
        " photos and the secret key, into the data directory. Stop Buurtnet first. Refuses when"
        " a database or photos are already there, unless --force, which moves them aside first."
    )
    # The checks would open the database this command is about to replace.
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="the .tar.gz file written by `buurtnet backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="move a present database, photos and key to data/before-restore-… first",
        )

    def handle(self, *args, archive: str, force: bool = False, **options) -> None:
        vendor = connection.vendor
        database = None
        if vendor == "sqlite":
            name = str(connection.settings_dict["NAME"])
            if connection.is_in_memory_db() or name.startswith("file:"):
                raise CommandError(f"The database {name} is not a file to restore into.")
            database = Path(name)
        # Nothing of this process may hold the database open while it is replaced.
        connections.close_all()
        data_dir = Path(settings.DATA_DIR)
        try:
            restored = backup_restore(
                archive=Path(archive).expanduser().resolve(),
                vendor=vendor,
                data_dir=data_dir,
                database=database,
                media_root=Path(settings.MEDIA_ROOT),
                secret_key=data_dir / "secret_key",
                force=force,
                moment=timezone.localtime(),
                media_file_mode=settings.FILE_UPLOAD_PERMISSIONS or 0o644,
                media_directory_mode=settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o755,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        # Sessions are read from the cache first (SESSION_ENGINE): one kept from before would
        # outlive the database it came from, and could name another person there. Counts and
        # rate limits kept in the cache belong to that database too.
        cache.clear()

        manifest = restored.manifest
        counts = manifest["counts"]
        lines = [
            f"Restored {archive} (made {manifest.get('created_at', '?')}"
            f" by Buurtnet {manifest.get('buurtnet_version', '?')}):"
        ]
        if restored.moved_aside:
            lines.append(f"  the files that were there are now in {restored.moved_aside}")
        if restored.database:
            lines.append(
                f"  database    {restored.database} ({len(counts['rows'])} tables,"
                f" {sum(counts['rows'].values())} rows)"
            )
        files = counts["media_files"]
        plural = "" if files == 1 else "s"
        lines.append(f"  photos      {restored.media_root} ({files} file{plural})")
        if restored.secret_key:
            lines.append(f"  secret key  {restored.secret_key}")
        self.stdout.write("\n".join(lines))

        if not restored.database:
            self.stderr.write(
                "Note: the database is not in this archive (it was made on PostgreSQL): restore"
                " it from the dump made with it, with pg_restore."
            )
        if not restored.secret_key:
            self.stderr.write(
                "Note: the archive holds no secret key; the backed-up installation took it from"
                " SECRET_KEY in its environment. Set the same SECRET_KEY here, or links in emails"
                " and sessions from before stop working."
            )
        elif os.environ.get("SECRET_KEY"):
            self.stderr.write(
                "Note: SECRET_KEY is set in this environment, so the restored key file is not"
                " used. Unset it to use the restored key."
            )
        if manifest.get("buurtnet_version") != buurtnet_version():
            self.stderr.write(
                f"Note: the archive was made by Buurtnet {manifest.get('buurtnet_version')}, this"
                f" is {buurtnet_version()}. `buurtnet serve` brings an older database up to date;"
                " restore a newer archive with the version that made it."
            )
        self.stdout.write("Start Buurtnet with `buurtnet serve`.")
