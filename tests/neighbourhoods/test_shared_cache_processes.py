"""Two app servers on one data directory, as `buurtnet serve` runs its gunicorn workers: a write
handled by one is on the very next page the other serves, with the cache in files (the default)
and with Redis (`REDIS_URL`)."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from buurtnet.cli import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
REDIS = ("127.0.0.1", 6379)


def _free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_answers() -> bool:
    try:
        with closing(socket.create_connection(REDIS, timeout=1)) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _env(data: Path, redis_url: str | None) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": str(data)}
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory) -> Path:
    """A data directory with the Ede-Zuid demo (migrated and loaded once for this module)."""
    data = tmp_path_factory.mktemp("two-servers")
    env = _env(data, None)
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["demo"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "buurtnet.cli", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=180,
        )
    return data


@contextmanager
def servers(data: Path, redis_url: str | None, count: int = 2):
    """`count` gunicorn servers (one sync worker each) on the same database and cache."""
    started = []
    try:
        for _ in range(count):
            port = _free_port()
            process = subprocess.Popen(  # noqa: S603
                [str(GUNICORN), "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=_env(data, redis_url),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            started.append((process, f"http://127.0.0.1:{port}"))
        for process, base in started:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, "gunicorn stopped"
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert time.monotonic() < deadline, "gunicorn did not answer"
                    time.sleep(0.2)
        yield [base for _process, base in started]
    finally:
        for process, _base in started:
            os.killpg(process.pid, signal.SIGTERM)
        for process, _base in started:
            process.wait(timeout=30)


class Browser:
    """One person's cookies, used against whichever server is named."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode()

    def post(self, url: str, data: dict) -> str:
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(url, body, timeout=30) as response:
            return response.read().decode()

    def log_in(self, base: str, email: str) -> None:
        self.get(base + "/accounts/login/")
        self.post(base + "/accounts/login/", {"username": email, "password": DEMO_PASSWORD})


def _initiative_with_update_form(browser: Browser, base: str) -> str:
    listing = browser.get(base + "/n/ede-zuid/initiatives/")
    for path in dict.fromkeys(re.findall(r'href="(/n/ede-zuid/initiatives/\d+/)"', listing)):
        if "/updates/" in browser.get(base + path):
            return path
    raise AssertionError("the demo initiator is on board of no initiative")


@pytest.mark.parametrize("cache", ["files", "redis"])
def test_a_write_through_one_server_is_on_the_next_page_of_the_other(demo_data, cache):
    redis_url = None
    if cache == "redis":
        if not _redis_answers():
            pytest.skip("no Redis on 127.0.0.1:6379")
        redis_url = "redis://127.0.0.1:6379/7"
        # This test's database is new: so must its cache be (as `buurtnet restore` ensures).
        with closing(socket.create_connection(REDIS, timeout=2)) as s:
            s.sendall(b"SELECT 7\r\nFLUSHDB\r\n")
            assert s.recv(64).count(b"+OK") >= 1
    with servers(demo_data, redis_url) as (first, second):
        fatima, daan = Browser(), Browser()
        fatima.log_in(first, "fatima@demo.buurtnet.nl")
        daan.log_in(first, "daan@demo.buurtnet.nl")
        path = _initiative_with_update_form(fatima, first)
        text = f"Cooked for 40 neighbours ({cache})"
        # Both servers have the page in their (shared) cache before the write.
        assert text not in daan.get(first + path)
        assert text not in daan.get(second + path)

        fatima.post(second + path + "updates/", {"body": text})

        assert text in daan.get(first + path)
        assert text in fatima.get(first + path)
        assert text in daan.get(second + path)
