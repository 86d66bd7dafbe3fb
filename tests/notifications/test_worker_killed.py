"""End to end: the worker is killed (SIGKILL) while the mail server holds its message, and after a
restart the email arrives, once.

Real processes as `buurtnet serve` runs them (`manage.py db_worker`, `manage.py schedule`), the
test database (on SQLite a copy of it on disk, which they can open), and a small SMTP server in
this process that can be told to leave a message unanswered.
"""

import os
import signal
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from tests.core.task_helpers import DB_TASKS
from tests.notifications.helpers import PARAMS

ROOT = Path(__file__).resolve().parents[2]
STALE_AFTER = 2  # seconds, instead of minutes, to keep the test short

pytestmark = pytest.mark.django_db(transaction=True)


class SmtpSession(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: EHLO, MAIL, RCPT, DATA, QUIT."""

    server: "SmtpServer"

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 localhost")
            elif verb == b"MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                if self.server.hang.is_set():
                    # No answer: the message is not accepted, and the sender waits until it dies.
                    self.server.hung.set()
                    while self.rfile.readline():
                        pass
                    return
                self.server.accepted.append((recipients, data))
                self.reply("250 OK: queued")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.accepted: list[tuple[list[str], bytes]] = []
        self.hang = threading.Event()
        self.hung = threading.Event()


@pytest.fixture
def smtp():
    server = SmtpServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _database_url(tmp_path: Path) -> str:
    """Where the processes find the test's data: the test database itself, or a copy on disk."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp_path / "buurtnet.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    return f"sqlite:///{path}"


def _copy_back(tmp_path: Path) -> None:
    """On SQLite, read what the processes wrote into the test's own database."""
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(tmp_path / "buurtnet.sqlite3")) as written:
            written.backup(connection.connection)


def test_a_worker_killed_while_sending_has_the_email_sent_after_a_restart(
    personas, settings, smtp, tmp_path
):
    settings.TASKS = DB_TASKS
    [notification] = notify(
        recipients=[personas.fatima], kind=Kind.INITIATIVE_JOINED, params=PARAMS, url="/"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BUURTNET_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": _database_url(tmp_path),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.server_address[1]),
        "TASKS_STALE_AFTER": str(STALE_AFTER),
    }
    log = tmp_path / "processes.log"

    def manage(*args: str, **kwargs):
        with log.open("a") as out:
            return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=120,
                **kwargs,
            )

    # The worker takes the task and talks to the mail server, which keeps it waiting: kill -9.
    smtp.hang.set()
    with log.open("a") as out:
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
            + ["--interval", "0.1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        assert smtp.hung.wait(timeout=60), log.read_text()
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL
    smtp.hang.clear()
    assert smtp.accepted == []

    # Once it has run for longer than any task takes, the scheduler's round queues it again,
    # and the restarted worker sends it.
    time.sleep(STALE_AFTER + 0.5)
    manage("schedule", "--once", check=True)
    assert "1 queued again" in log.read_text()
    manage("db_worker", "--batch", "--no-startup-delay", "--no-reload", check=True)

    assert [recipients for recipients, _ in smtp.accepted] == [[personas.fatima.email]], (
        log.read_text()
    )
    _copy_back(tmp_path)
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    sent = DBTaskResult.objects.get(task_path__endswith="send_notification_email")
    assert sent.status == TaskResultStatus.SUCCESSFUL
    assert len(sent.worker_ids) == 2
