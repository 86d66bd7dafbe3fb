"""MEDIA_ACCEL and MEDIA_ACCEL_PREFIX are read from the environment and fail loudly."""

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRATCH = str(Path(tempfile.gettempdir()) / "buurtnet-settings-test")


def production_settings(env: dict, *names: str) -> subprocess.CompletedProcess:
    code = "import config.settings as s; print(" + ", ".join(f"repr(s.{n})" for n in names) + ")"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": SCRATCH, **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), ("nginx", "nginx"), ("NGINX ", "nginx"), ("apache", "sendfile")],
)
def test_media_accel_values(value, expected):
    env = {} if value is None else {"MEDIA_ACCEL": value}
    result = production_settings(env, "MEDIA_ACCEL", "MEDIA_ACCEL_PREFIX")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [repr(expected), repr("/protected-media/")]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDIA_ACCEL": "lighttpd-please"}, "MEDIA_ACCEL must be"),
        ({"MEDIA_ACCEL": "nginx", "MEDIA_ACCEL_PREFIX": "protected"}, "MEDIA_ACCEL_PREFIX"),
    ],
)
def test_a_bad_media_setting_fails_loudly(env, message):
    result = production_settings(env, "MEDIA_ACCEL")
    assert result.returncode != 0
    assert message in result.stderr
