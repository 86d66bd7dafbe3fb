"""Load-test the main pages with wrk and write bench/RESULTS.md (`make bench` runs this).

    python bench/run.py [--neighbourhoods 3] [--members 1500] [--duration 10s]

Steps: a fresh data directory (bench/data/run/), synthetic neighbourhoods (bench/generate.py),
a session for one member, gunicorn with DEBUG off, then wrk against a bare endpoint and the
pages. Each page is requested once first: a page that does not answer 200 is reported with the
status it gave and not measured. Responses that are not 2xx/3xx during a run are counted and
left out of the requests per second.

wrk and the server share this machine's cores, so absolute figures say little: compare each
page with the bare endpoint of the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA_DIR = BENCH / "data" / "run"
OUT_DIR = BENCH / "out"
RESULTS = BENCH / "RESULTS.md"
LUA = BENCH / "report.lua"

sys.path.insert(0, str(BENCH))
import expand  # noqa: E402 - bench/expand.py, next to this file
import generate  # noqa: E402 - bench/generate.py, next to this file


@dataclass
class Page:
    name: str
    path: str
    signed_in: bool
    status: int | None = None
    requests: int = 0
    errors: int = 0  # responses that were not 2xx/3xx, and socket errors
    seconds: float = 0.0
    p50: float = 0.0  # milliseconds
    p95: float = 0.0
    p99: float = 0.0
    queries: int | None = None  # database queries for one request, counted in-process

    @property
    def measured(self) -> bool:
        return self.status == 200 and self.seconds > 0

    @property
    def rps(self) -> float:
        """Requests per second that got a 2xx/3xx answer."""
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str:
    """wrk comes from Debian's packages; install it when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing; installing it from Debian's packages", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)  # noqa: S603
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk could not be installed")
    return found


def port_free(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def prepare(args: argparse.Namespace) -> dict[str, str]:
    """A fresh database with the synthetic neighbourhoods; returns the server's environment."""
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "BUURTNET_DATA_DIR")
    }
    env.update(
        BUURTNET_DATA_DIR=str(DATA_DIR),
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    os.environ.clear()
    os.environ.update(env)
    generate.setup(DATA_DIR)

    from django.core.management import call_command

    print("Preparing the database and static files", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    generate.generate(
        neighbourhoods=args.neighbourhoods,
        members=args.members,
        initiatives_per=args.initiatives_per,
        seed=args.seed,
    )
    print(f"Generated in {time.monotonic() - started:.1f} s", flush=True)
    return env


def targets() -> tuple[list[Page], str, str]:
    """The pages to measure in the first neighbourhood, a member's session cookie, and notes."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection
    from django.db.models import Count

    from buurtnet.initiatives.models import Initiative
    from buurtnet.neighbourhoods.models import Membership, Neighbourhood

    neighbourhood = Neighbourhood.objects.filter(slug__startswith="bench-").order_by("slug")[0]
    slug = neighbourhood.slug
    member = (
        Membership.objects.filter(neighbourhood=neighbourhood, role="resident")
        .annotate(talents=Count("user__talents"))
        .filter(talents__gte=2)
        .select_related("user")
        .order_by("pk")[0]
        .user
    )
    initiative = (
        Initiative.objects.filter(neighbourhood=neighbourhood, visibility="public")
        .annotate(people=Count("participations"))
        .order_by("-people", "pk")[0]
    )
    # Signed in the way Django's login() does it, straight into the session store.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    members = Membership.objects.filter(neighbourhood=neighbourhood).count()
    notes = (
        f"measured in `{slug}` ({members} members including professionals), signed in as a"
        f" resident; initiative detail: the public initiative with the most people"
        f" ({initiative.people})"
    )
    pages = [
        Page("bare endpoint", "/healthz", signed_in=False),
        Page("public landing", f"/n/{slug}/", signed_in=False),
        Page("member home", f"/n/{slug}/home/", signed_in=True),
        Page("initiative list", f"/n/{slug}/initiatives/", signed_in=True),
        Page("initiative detail", f"/n/{slug}/initiatives/{initiative.pk}/", signed_in=True),
        Page("member directory", f"/n/{slug}/members/", signed_in=True),
        Page("agenda, 8 weeks", f"/n/{slug}/agenda/", signed_in=True),
        Page("agenda, week", f"/n/{slug}/agenda/?view=week", signed_in=True),
        Page("agenda, month", f"/n/{slug}/agenda/?view=month", signed_in=True),
    ]
    count_queries(pages, session.session_key)
    connection.close()
    return pages, cookie, notes


def count_queries(pages: list[Page], session_key: str) -> None:
    """How many database queries one request of each page runs (with the same session)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for page in pages:
        client.cookies.clear()
        if page.signed_in:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        client.get(page.path)  # the first request of a process fills per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        if response.status_code == 200:
            page.queries = len(queries)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_of(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {server.returncode}); see {OUT_DIR / 'gunicorn.log'}")
        with contextlib.suppress(OSError):
            if status_of(url, None) == 200:
                return
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def wrk_command(wrk: str, args: argparse.Namespace, url: str, cookie: str | None) -> list[str]:
    command = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}",
        "--latency",
        "-s",
        str(LUA.relative_to(ROOT)),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    return [*command, url]


def measure(wrk: str, args: argparse.Namespace, page: Page, base: str, cookie: str) -> None:
    url = base + page.path
    page_cookie = cookie if page.signed_in else None
    page.status = status_of(url, page_cookie)
    if page.status != 200:
        print(f"  {page.name:<18} {page.path}: answered {page.status}, not measured", flush=True)
        return
    # Warm up: templates compiled, connections open, caches filled.
    warm = [wrk, "-t1", "-c2", "-d2s", *(["-H", f"Cookie: {page_cookie}"] if page_cookie else [])]
    subprocess.run([*warm, url], cwd=ROOT, capture_output=True, check=True)  # noqa: S603
    result = subprocess.run(  # noqa: S603
        wrk_command(wrk, args, url, page_cookie),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    slug = re.sub(r"[^a-z0-9]+", "-", page.name)
    (OUT_DIR / f"wrk-{slug}.txt").write_text(result.stdout + result.stderr)
    match = re.search(r"^BENCH (.*)$", result.stdout, re.MULTILINE)
    if not match:
        sys.exit(f"wrk printed no summary for {url}:\n{result.stdout}\n{result.stderr}")
    stats = {key: int(value) for key, value in (p.split("=") for p in match.group(1).split())}
    page.requests = stats["requests"]
    page.errors = sum(stats[k] for k in ("non_2xx_3xx", "connect", "read", "write", "timeout"))
    page.seconds = stats["duration_us"] / 1e6
    page.p50, page.p95, page.p99 = (stats[k] / 1000 for k in ("p50", "p95", "p99"))
    flag = f", {page.errors} errors" if page.errors else ""
    print(
        f"  {page.name:<18} {page.rps:8.1f} req/s  p50 {page.p50:7.1f} ms"
        f"  p95 {page.p95:7.1f} ms{flag}",
        flush=True,
    )


def machine() -> list[str]:
    from importlib.metadata import version

    import django
    from generate import database_label

    cpu = ""
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = f" ({found.group(1).strip()})" if found else ""
    return [
        f"- CPUs: {len(os.sched_getaffinity(0))} (nproc){cpu}; {platform.platform()}",
        f"- Python {platform.python_version()}, Django {django.get_version()},"
        f" gunicorn {version('gunicorn')}",
        f"- Database: {database_label()}",
    ]


def results(
    args: argparse.Namespace, pages: list[Page], notes: str, command: str, about: list[str]
) -> str:
    bare = pages[0]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.datetime.now(dt.UTC).astimezone():%Y-%m-%d %H:%M %Z} with:",
        "",
        "```",
        command,
        "```",
        "",
        *about,
        f"- Server: gunicorn, {args.workers} sync workers, DEBUG off, default settings otherwise;"
        " wrk runs on the same machine and shares its cores",
        f"- Load: `wrk -t{args.threads} -c{args.connections} -d{args.duration} --latency"
        f" -s bench/report.lua` per page, after a 2 s warm-up",
        f"- Data: {args.neighbourhoods} synthetic neighbourhood(s) × {args.members} residents"
        f" (8 flats, 900 homes, {args.initiatives_per} initiatives each with two repeating series"
        f" and three single events); {notes}",
        "",
        "| Page | Path | Status | Req/s | p50 | p95 | Req/s vs bare | Queries |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        path = f"`{page.path}`" + (" (member)" if page.signed_in else "")
        if not page.measured:
            lines.append(f"| {page.name} | {path} | {page.status} | not measured | | | | |")
            continue
        ratio = f"{page.rps / bare.rps:.3f}" if bare.measured and bare.rps else "n/a"
        flagged = f" ⚠ {page.errors} failed" if page.errors else ""
        lines.append(
            f"| {page.name} | {path} | {page.status} | {page.rps:.0f}{flagged} |"
            f" {page.p50:.1f} ms | {page.p95:.1f} ms | {ratio} | {page.queries} |"
        )
    lines += [
        "",
        'Req/s counts only 2xx/3xx answers. "Req/s vs bare" divides a page\'s throughput by the'
        " bare endpoint's (`/healthz`, no database work): 0.250 means the page costs four times"
        " what the framework alone costs. Compare these ratios, not absolute figures across runs"
        " or machines. Queries: database queries for one request of the page, counted"
        " in-process with the same session before the run.",
    ]
    unmeasured = [p for p in pages if not p.measured]
    if unmeasured:
        lines += [
            "",
            "Not measured (the page did not answer 200 when requested before the run): "
            + ", ".join(f"{p.name} ({p.status})" for p in unmeasured)
            + ".",
        ]
    lines.append("")
    lines.append("Raw wrk output: bench/out/. Server log: bench/out/gunicorn.log.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--neighbourhoods", type=int, default=3)
    parser.add_argument("--members", type=int, default=1500)
    parser.add_argument("--initiatives-per", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", default="10s", help="wrk -d per page")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn -w")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument(
        "--database-url",
        help="benchmark this database instead of SQLite in bench/data/run/ (its contents are"
        " deleted first)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    executable = Path(sys.executable)
    with contextlib.suppress(ValueError):
        executable = executable.relative_to(ROOT)
    shown = [re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:…@", a) for a in sys.argv[1:]]  # no passwords
    command = shlex.join([str(executable), "bench/run.py", *shown])

    wrk = ensure_wrk()
    if not port_free(args.port):
        sys.exit(f"127.0.0.1:{args.port} is in use; choose another --port")
    env = prepare(args)
    pages, cookie, notes = targets()
    about = machine()
    expansion = expand.measure()
    print("\n".join(expansion.lines()), flush=True)

    from django.db import connections

    connections.close_all()
    base = f"http://127.0.0.1:{args.port}"
    log = (OUT_DIR / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own interpreter
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "-b", f"127.0.0.1:{args.port}",
            "-w", str(args.workers),
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(base + "/healthz", server)
        print(f"Measuring with {shlex.join(wrk_command(wrk, args, base + '/…', None))}", flush=True)
        for page in pages:
            measure(wrk, args, page, base, cookie)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    text = results(args, pages, notes, command, about) + "\n" + "\n".join(expansion.lines())
    args.output.write_text(text)
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
