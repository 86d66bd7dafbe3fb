"""`buurtnet restore` empties the cache: sessions kept there belong to the database it replaces."""

import subprocess
import sys

from django.core.cache.backends.filebased import FileBasedCache

from tests.core.test_backup import archive_of, make_installation
from tests.core.test_settings import ROOT


def test_restore_empties_the_cache_of_the_data_directory(tmp_path):
    make_installation(tmp_path / "old")
    archive = archive_of(tmp_path / "old", tmp_path / "b.tar.gz")
    new = tmp_path / "new"
    new.mkdir()
    # What a session of the installation that was there before looks like in the file cache.
    kept = FileBasedCache(str(new / "cache"), {})
    kept.set("django.contrib.sessions.cached_dbSOMEKEY", {"_auth_user_id": "1"})

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "buurtnet.cli", "restore", str(archive)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": str(new)},
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert kept.get("django.contrib.sessions.cached_dbSOMEKEY") is None
