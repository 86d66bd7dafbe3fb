import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRATCH = str(Path(tempfile.gettempdir()) / "buurtnet-settings-test")


def _production_setting(name: str, env: dict | None = None) -> str:
    """Read a setting as `buurtnet serve` would see it (not the test settings)."""
    code = f"import config.settings as s; print(repr(s.{name}))"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "BUURTNET_DATA_DIR": SCRATCH,
            **(env or {}),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_passwords_are_hashed_with_argon2():
    assert "Argon2PasswordHasher" in _production_setting("PASSWORD_HASHERS[0]")


def test_debug_is_off_by_default():
    assert _production_setting("DEBUG") == "False"


def test_sqlite_runs_in_wal_mode_by_default():
    assert "journal_mode=WAL" in _production_setting("DATABASES['default']['OPTIONS']")


def test_database_url_selects_postgresql():
    engine = _production_setting(
        "DATABASES['default']['ENGINE']", {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}
    )
    assert engine == "'django.db.backends.postgresql'"


def test_a_bad_boolean_fails_loudly():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "maybe",
            "BUURTNET_DATA_DIR": SCRATCH,
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_the_secret_key_is_generated_once_and_kept(tmp_path):
    env = {"BUURTNET_DATA_DIR": str(tmp_path)}
    first = _production_setting("SECRET_KEY", env)
    assert first == _production_setting("SECRET_KEY", env)
    assert (tmp_path / "secret_key").read_text().strip() in first


def test_css_uses_logical_properties_only():
    """Right-to-left languages can follow when no rule says left, right, top or bottom."""
    physical = re.compile(
        r"(margin|padding|border)-(left|right|top|bottom)|(?<![-\w])(left|right|top|bottom)\s*:"
        r"|float\s*:|text-align\s*:\s*(left|right)"
    )
    for css in (ROOT / "static").rglob("*.css"):
        for number, line in enumerate(css.read_text().splitlines(), 1):
            assert not physical.search(line), f"{css.name}:{number} {line.strip()}"


def test_the_embedded_cache_is_shared_by_every_worker_process():
    # Rate limits count in the cache: one count per process would multiply every limit.
    backend = _production_setting("CACHES['default']['BACKEND']")
    assert backend == "'django.core.cache.backends.filebased.FileBasedCache'"
    location = _production_setting("CACHES['default']['LOCATION']")
    assert location == repr(str(Path(SCRATCH).resolve() / "cache"))
    redis = _production_setting(
        "CACHES['default']['BACKEND']", {"REDIS_URL": "redis://127.0.0.1:6379/0"}
    )
    assert redis == "'django.core.cache.backends.redis.RedisCache'"
