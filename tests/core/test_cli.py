import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from buurtnet import cli
from buurtnet.neighbourhoods.models import Neighbourhood

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def managed(monkeypatch) -> list[list[str]]:
    """What main() hands to manage.py, instead of running it."""
    calls: list[list[str]] = []
    monkeypatch.setattr(cli, "manage", calls.append)
    return calls


def run(monkeypatch, *argv: str) -> None:
    monkeypatch.setattr(sys, "argv", ["buurtnet", *argv])
    cli.main()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["neighbourhood", "create", "--slug", "ede-zuid"],
            ["neighbourhood_create", "--slug", "ede-zuid"],
        ),
        (["neighbourhood", "create"], ["neighbourhood_create"]),
        (["worker"], ["db_worker"]),
        (["worker", "--queue-name", "default"], ["db_worker", "--queue-name", "default"]),
        (["demo"], ["demo"]),
        (["backup", "backups/copy.sqlite3"], ["backup", "backups/copy.sqlite3"]),
        (["migrate", "--plan"], ["migrate", "--plan"]),
        (["createsuperuser"], ["createsuperuser"]),
    ],
)
def test_it_maps_each_command_to_manage_py(monkeypatch, managed, argv, expected):
    run(monkeypatch, *argv)
    assert managed == [expected]


def test_neighbourhood_without_create_is_a_usage_error(monkeypatch, managed, capsys):
    with pytest.raises(SystemExit) as exited:
        run(monkeypatch, "neighbourhood", "delete")
    assert exited.value.code == 2
    assert "usage: buurtnet neighbourhood create" in capsys.readouterr().err
    assert managed == []


@pytest.mark.parametrize("argv", [[], ["help"], ["--help"], ["-h"]])
def test_help_prints_the_commands(monkeypatch, managed, capsys, argv):
    run(monkeypatch, *argv)
    out = capsys.readouterr().out
    assert "buurtnet serve" in out and "buurtnet demo" in out
    assert managed == []


def test_serve_runs_the_server_and_exits_with_its_code(monkeypatch, managed):
    served: list[list[str]] = []
    monkeypatch.setattr(cli, "serve", lambda argv: served.append(argv) or 3)
    with pytest.raises(SystemExit) as exited:
        run(monkeypatch, "serve", "--port", "9000")
    assert exited.value.code == 3
    assert served == [["--port", "9000"]]
    assert managed == []


# Committed for real: manage.py closes the database connections when a command ends.
@pytest.mark.django_db(transaction=True)
def test_buurtnet_demo_loads_the_demo(monkeypatch, capsys):
    run(monkeypatch, "demo")
    assert Neighbourhood.objects.filter(slug="ede-zuid").exists()
    assert "daan@demo.buurtnet.nl" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_banner_shows_the_address_and_the_demo_logins(capsys):
    call_command("demo", stdout=StringIO())
    cli._print_banner("0.0.0.0", 8000, True)  # noqa: S104 - what `serve --host 0.0.0.0` passes
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    assert f"password: {cli.DEMO_PASSWORD}" in out
    for role, email in cli.DEMO_LOGINS:
        assert any(role in line and email in line for line in out.splitlines())
    assert "loaded into the empty database" in out


@pytest.mark.django_db
def test_without_the_demo_the_banner_shows_no_logins(capsys):
    cli._print_banner("192.168.1.20", 8080, False)
    out = capsys.readouterr().out
    assert "http://192.168.1.20:8080/" in out
    assert cli.DEMO_PASSWORD not in out
    assert "@demo.buurtnet.nl" not in out


def _children(pid: int) -> dict[int, str]:
    """The processes `pid` started, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # The parent pid is the second field after the command name in parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _worker_pid(server: subprocess.Popen, deadline: float, not_pid: int | None = None) -> int:
    while time.monotonic() < deadline:
        assert server.poll() is None, "buurtnet serve stopped"
        for pid, cmdline in _children(server.pid).items():
            if "db_worker" in cmdline and pid != not_pid:
                return pid
        time.sleep(0.3)
    raise AssertionError("no db_worker running under buurtnet serve")


def test_serve_starts_the_worker_again_when_it_is_killed(tmp_path):
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "buurtnet.cli", "serve", "--no-demo", "--workers", "1"]
        + ["--port", str(port)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": str(tmp_path / "data")},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        first = _worker_pid(server, time.monotonic() + 60)
        os.kill(first, signal.SIGKILL)
        second = _worker_pid(server, time.monotonic() + cli.RESTART_PAUSE + 30, not_pid=first)
        assert second != first
        assert (
            "db_worker stopped (exit code -9); starting it again"
            in (tmp_path / "serve.log").read_text()
        )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            assert server.wait(timeout=30) is not None
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
            log.close()
    # Stopping serve stops its worker too: nothing is left behind.
    assert not _children(server.pid)
