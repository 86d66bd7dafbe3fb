"""Load-test the main pages with wrk and write bench/RESULTS.md (`make bench` runs this).

    python bench/run.py [--scenario sqlite|postgres|large ...] [--neighbourhoods 10]
                        [--members 1500] [--database-url postgres://…/bench] [--duration 10s]

Three scenarios, each in a process of its own, one after another (all three unless --scenario
picks some):
- sqlite: --neighbourhoods × --members on SQLite in bench/data/sqlite/;
- postgres: the same on PostgreSQL at --database-url (the database is dropped and created fresh;
  its name must contain "bench"), ANALYZEd after the data is generated;
- large: one neighbourhood of --large-members (default: neighbourhoods × members) on SQLite.

Per scenario: a fresh database with synthetic neighbourhoods (bench/generate.py) and a session
for one member. Each page is then requested in-process with Django's test client, with that
session: the database queries of one request, and the median time of one request. Then gunicorn
(2 sync workers, DEBUG off) serves the pages; each is requested once, as a browser would
(`Accept-Encoding: gzip, br`), for its status and the bytes it transfers; a page that does not
answer 200 is not measured further. wrk then loads each page; slow answers count up to the wrk
timeout (30 s) instead of vanishing as socket errors, and answers that are not 2xx/3xx are
counted and left out of the requests per second. Last, the resident memory of each gunicorn
worker.

wrk and the server share this machine's cores, so absolute figures say little: compare each
page with the bare endpoint of the same run. RESULTS.md states the targets and marks each value
as met or not.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA_ROOT = BENCH / "data"
OUT_ROOT = BENCH / "out"
RESULTS = BENCH / "RESULTS.md"
LUA = BENCH / "report.lua"

sys.path.insert(0, str(BENCH))
import expand  # noqa: E402 - bench/expand.py, next to this file
import generate  # noqa: E402 - bench/generate.py, next to this file

SCENARIOS = ("sqlite", "postgres", "large")
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench"
BROWSER_ENCODING = "gzip, br"

# The targets of "Fast pages at any scale".
LANDING_VS_BARE = 0.5  # public landing: at least this share of the bare endpoint's req/s
MEMBER_VS_BARE = 0.15  # every member page
P90_MS = 50.0  # under load
GROWTH = 1.3  # in-process time with 15,000 members / the same page with 1,500
FIRST_LOAD_KB = 60.0  # the HTML as transferred to a browser
WORKER_MB = 150.0  # resident memory of each gunicorn worker after the run
KB = 1024
MET, NOT_MET = "✓", "✗"


@dataclass
class Page:
    name: str
    path: str
    signed_in: bool
    status: int | None = None
    requests: int = 0
    errors: int = 0  # responses that were not 2xx/3xx, and socket errors and timeouts
    seconds: float = 0.0
    p50: float = 0.0  # milliseconds
    p90: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    queries: int | None = None  # database queries for one request, counted in-process
    inprocess_ms: float | None = None  # median in-process time of one request
    inprocess_runs: int = 0
    sent_bytes: int | None = None  # the body as transferred with Accept-Encoding: gzip, br
    sent_encoding: str = ""  # its Content-Encoding, "" when not compressed
    raw_bytes: int | None = None  # the body without compression

    @property
    def bare(self) -> bool:
        return self.path == "/healthz"

    @property
    def measured(self) -> bool:
        return self.status == 200 and self.seconds > 0

    @property
    def rps(self) -> float:
        """Requests per second that got a 2xx/3xx answer."""
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0


@dataclass
class Scenario:
    name: str
    neighbourhoods: int
    members: int
    database_url: str | None  # None: SQLite in the scenario's data directory

    @property
    def title(self) -> str:
        database = "PostgreSQL" if self.database_url else "SQLite"
        if self.neighbourhoods == 1:
            return f"one neighbourhood of {self.members:,} members on {database}"
        return f"{self.neighbourhoods} neighbourhoods × {self.members:,} members on {database}"


def scenario_of(args: argparse.Namespace, name: str) -> Scenario:
    if name == "sqlite":
        return Scenario(name, args.neighbourhoods, args.members, None)
    if name == "postgres":
        return Scenario(name, args.neighbourhoods, args.members, args.database_url)
    large = args.large_members or args.neighbourhoods * args.members
    return Scenario(name, 1, large, None)


def hide_password(text: str) -> str:
    return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:…@", text)


def python_shown() -> str:
    executable = Path(sys.executable)
    with contextlib.suppress(ValueError):
        executable = executable.relative_to(ROOT)
    return str(executable)


def scenario_options(args: argparse.Namespace, scenario: Scenario) -> list[str]:
    """The options that run this one scenario again with the same settings."""
    options = ["--scenario", scenario.name]
    if scenario.name == "large":
        options += ["--large-members", str(scenario.members)]
    else:
        options += ["--neighbourhoods", str(scenario.neighbourhoods)]
        options += ["--members", str(scenario.members)]
    if scenario.database_url:
        options += ["--database-url", scenario.database_url]
    defaults = {"initiatives_per": 20, "seed": 1, "threads": 2, "connections": 16, "workers": 2}
    for name, default in defaults.items():
        if getattr(args, name) != default:
            options += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    options += ["--duration", args.duration]
    if args.timeout != "30s":
        options += ["--timeout", args.timeout]
    return options


# --- Preparing one scenario ------------------------------------------------------------------


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


def postgres_recreate(url: str) -> None:
    """Drop the benchmark database if it exists and create it empty."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    if "bench" not in name:
        sys.exit(
            "--database-url: the database is dropped first, so its name must contain"
            f' "bench" (got {name!r})'
        )
    connect = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": urllib.parse.unquote(parts.username or "postgres"),
        "dbname": "postgres",
        "autocommit": True,
    }
    if parts.password:
        connect["password"] = urllib.parse.unquote(parts.password)
    with psycopg.connect(**connect) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(args: argparse.Namespace, scenario: Scenario, data_dir: Path) -> tuple[dict, float]:
    """A fresh database with the synthetic neighbourhoods; returns the server's environment and
    how long generating took."""
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "BUURTNET_DATA_DIR")
    }
    env.update(
        BUURTNET_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    if scenario.database_url:
        print(f"Creating the database afresh: {hide_password(scenario.database_url)}", flush=True)
        postgres_recreate(scenario.database_url)
        env["DATABASE_URL"] = scenario.database_url
    os.environ.clear()
    os.environ.update(env)
    generate.setup(data_dir)

    from django.core.management import call_command

    print("Preparing the database and static files", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    generate.generate(
        neighbourhoods=scenario.neighbourhoods,
        members=scenario.members,
        initiatives_per=args.initiatives_per,
        seed=args.seed,
    )
    took = time.monotonic() - started
    print(f"Generated in {took:.1f} s", flush=True)
    return env, took


def targets() -> tuple[list[Page], str, str, str]:
    """The pages to measure in the first neighbourhood, a member's session key and cookie, and
    notes."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count
    from django.urls import reverse

    from buurtnet.initiatives.models import Initiative
    from buurtnet.neighbourhoods.models import Membership, Neighbourhood
    from buurtnet.sharing.selectors.posts import PAGE_SIZE, post_list

    neighbourhood = Neighbourhood.objects.filter(slug__startswith="bench-").order_by("slug")[0]
    slug = neighbourhood.slug
    membership = (
        Membership.objects.filter(neighbourhood=neighbourhood, role="resident")
        .annotate(talents=Count("user__talents"))
        .filter(talents__gte=2)
        .select_related("user")
        .order_by("pk")[0]
    )
    member = membership.user
    # The asks and offers this member sees: the list is measured with a full first page.
    shared = post_list(membership=membership).count()
    if shared < PAGE_SIZE:
        print(
            f"  note: the member sees {shared} asks and offers, fewer than a page"
            f" ({PAGE_SIZE}); generate more (bench/generate.py --posts-per-member)",
            flush=True,
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
        f"measured in `{slug}` ({members:,} members including professionals), signed in as a"
        f" resident; initiative detail: the public initiative with the most people"
        f" ({initiative.people}); asks and offers: the member sees {shared:,} live ones"
    )
    pages = [
        Page("bare endpoint", "/healthz", signed_in=False),
        Page("public landing", f"/n/{slug}/", signed_in=False),
        Page("member home", f"/n/{slug}/home/", signed_in=True),
        Page("initiative list", f"/n/{slug}/initiatives/", signed_in=True),
        Page("initiative detail", f"/n/{slug}/initiatives/{initiative.pk}/", signed_in=True),
        Page("member directory", f"/n/{slug}/members/", signed_in=True),
        # Its path as the URLconf has it: /n/<slug>/share/.
        Page("asks and offers", reverse("sharing:list", args=[slug]), signed_in=True),
        Page("agenda, list", f"/n/{slug}/agenda/", signed_in=True),
        Page("agenda, week", f"/n/{slug}/agenda/?view=week", signed_in=True),
        Page("agenda, month", f"/n/{slug}/agenda/?view=month", signed_in=True),
    ]
    return pages, session.session_key, cookie, notes


def in_process(pages: list[Page], session_key: str, runs: int, budget: float) -> None:
    """Per page, in this process with Django's test client and the member's session: the
    database queries of one request, and the median time of `runs` requests (fewer, at least 5,
    when they take more than `budget` seconds together)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING=BROWSER_ENCODING)
    for page in pages:
        client.cookies.clear()
        if page.signed_in:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        response = client.get(page.path)  # the first request of a process fills its caches
        if response.status_code != 200:
            print(f"  {page.name:<18} answered {response.status_code} in-process", flush=True)
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(page.path)
        page.queries = len(queries)
        timings: list[float] = []
        began = time.monotonic()
        while len(timings) < runs and (len(timings) < 5 or time.monotonic() - began < budget):
            started = time.perf_counter()
            client.get(page.path)
            timings.append((time.perf_counter() - started) * 1000)
        page.inprocess_ms = statistics.median(timings)
        page.inprocess_runs = len(timings)
        print(
            f"  {page.name:<18} {page.inprocess_ms:8.1f} ms in-process (median of"
            f" {len(timings)}), {page.queries} queries",
            flush=True,
        )
    connection.close()


# --- Measuring against gunicorn --------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, cookie: str | None, encoding: str) -> tuple[int, bytes, str]:
    """Status, body as transferred (urllib does not decompress) and Content-Encoding."""
    headers = {"Accept-Encoding": encoding}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            return response.status, response.read(), response.headers.get("Content-Encoding", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Encoding", "")


def wait_for(url: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {server.returncode}); see {log}")
        with contextlib.suppress(OSError):
            if fetch(url, None, "identity")[0] == 200:
                return
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def wrk_command(wrk: str, args: argparse.Namespace, url: str, cookie: str | None) -> list[str]:
    command = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}",
        "--timeout",
        args.timeout,
        "--latency",
        "-s",
        str(LUA.relative_to(ROOT)),
        "-H",
        f"Accept-Encoding: {BROWSER_ENCODING}",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    return [*command, url]


def measure(
    wrk: str, args: argparse.Namespace, page: Page, base: str, cookie: str, out_dir: Path
) -> None:
    url = base + page.path
    page_cookie = cookie if page.signed_in else None
    page.status, body, page.sent_encoding = fetch(url, page_cookie, BROWSER_ENCODING)
    page.sent_bytes = len(body)
    page.raw_bytes = len(fetch(url, page_cookie, "identity")[1])
    if page.status != 200:
        print(f"  {page.name:<18} {page.path}: answered {page.status}, not measured", flush=True)
        return
    # Warm up: templates compiled, connections open, caches filled.
    warm = [wrk, "-t1", "-c2", "-d2s", "--timeout", args.timeout]
    warm += ["-H", f"Accept-Encoding: {BROWSER_ENCODING}"]
    warm += ["-H", f"Cookie: {page_cookie}"] if page_cookie else []
    subprocess.run([*warm, url], cwd=ROOT, capture_output=True, check=True)  # noqa: S603
    result = subprocess.run(  # noqa: S603
        wrk_command(wrk, args, url, page_cookie),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    slug = re.sub(r"[^a-z0-9]+", "-", page.name)
    (out_dir / f"wrk-{slug}.txt").write_text(result.stdout + result.stderr)
    match = re.search(r"^BENCH (.*)$", result.stdout, re.MULTILINE)
    if not match:
        sys.exit(f"wrk printed no summary for {url}:\n{result.stdout}\n{result.stderr}")
    stats = {key: int(value) for key, value in (p.split("=") for p in match.group(1).split())}
    page.requests = stats["requests"]
    page.errors = sum(stats[k] for k in ("non_2xx_3xx", "connect", "read", "write", "timeout"))
    page.seconds = stats["duration_us"] / 1e6
    page.p50, page.p90, page.p95, page.p99 = (stats[k] / 1000 for k in ("p50", "p90", "p95", "p99"))
    flag = f", {page.errors} errors" if page.errors else ""
    print(
        f"  {page.name:<18} {page.rps:8.1f} req/s  p50 {page.p50:7.1f} ms"
        f"  p90 {page.p90:7.1f} ms  p99 {page.p99:7.1f} ms{flag}",
        flush=True,
    )


def assets(base: str, pages: list[Page], cookie: str) -> list[dict]:
    """The stylesheets and scripts the public landing page links to, as transferred."""
    landing = next((p for p in pages if p.name == "public landing" and p.status == 200), None)
    if landing is None:
        return []
    html = fetch(base + landing.path, None, "identity")[1].decode("utf-8", "replace")
    found = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    found += re.findall(r'<script[^>]+src="([^"]+)"', html)
    linked = []
    for path in dict.fromkeys(found):
        url = urllib.parse.urljoin(base + landing.path, path)
        status, body, encoding = fetch(url, None, BROWSER_ENCODING)
        if status == 200:
            linked.append({"path": path, "bytes": len(body), "encoding": encoding})
    return linked


def worker_memory(master: int) -> list[dict]:
    """Resident memory (VmRSS, and its peak VmHWM) of each child of the gunicorn master, in MB."""
    children: list[int] = []
    with contextlib.suppress(OSError):
        children = [
            int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ]
    if not children:  # kernels without the children file
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                    children.append(int(stat.parent.name))
    workers = []
    for pid in sorted(children):
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text()
            fields = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE))
            workers.append(
                {
                    "pid": pid,
                    "rss_mb": int(fields.get("VmRSS", 0)) / 1024,
                    "peak_mb": int(fields.get("VmHWM", 0)) / 1024,
                }
            )
    return workers


def machine() -> list[str]:
    from importlib.metadata import version

    import django

    cpu = ""
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = f" ({found.group(1).strip()})" if found else ""
    return [
        f"- CPUs: {len(os.sched_getaffinity(0))} (nproc){cpu}; {platform.platform()}",
        f"- Python {platform.python_version()}, Django {django.get_version()},"
        f" gunicorn {version('gunicorn')}, wrk {wrk_version()}",
    ]


def wrk_version() -> str:
    found = shutil.which("wrk")
    if not found:
        return "?"
    result = subprocess.run([found, "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    match = re.search(r"wrk (\S+)", result.stdout + result.stderr)
    return match.group(1) if match else "?"


def run_scenario(args: argparse.Namespace, scenario: Scenario) -> dict:
    """Everything about one scenario, in this process; returns what RESULTS.md needs."""
    began = time.monotonic()
    data_dir = DATA_ROOT / scenario.name
    out_dir = OUT_ROOT / scenario.name
    out_dir.mkdir(parents=True, exist_ok=True)
    wrk = ensure_wrk()
    if not port_free(args.port):
        sys.exit(f"127.0.0.1:{args.port} is in use; choose another --port")
    env, generated = prepare(args, scenario, data_dir)
    pages, session_key, cookie, notes = targets()
    print("In-process, Django's test client with the member's session:", flush=True)
    in_process(pages, session_key, args.inprocess_runs, args.inprocess_budget)
    about = machine()
    database = generate.database_label()
    expansion = expand.measure()
    print("\n".join(expansion.lines()), flush=True)

    from django.db import connections

    connections.close_all()
    base = f"http://127.0.0.1:{args.port}"
    log_path = out_dir / "gunicorn.log"
    log = log_path.open("w")
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
        wait_for(base + "/healthz", server, log_path)
        shown = shlex.join(wrk_command(wrk, args, base + "/…", None))
        print(f"Measuring with {shown}", flush=True)
        for page in pages:
            measure(wrk, args, page, base, cookie, out_dir)
        linked = assets(base, pages, cookie)
        workers = worker_memory(server.pid)
        print(
            "Gunicorn workers: "
            + ", ".join(f"{w['rss_mb']:.0f} MB (peak {w['peak_mb']:.0f} MB)" for w in workers),
            flush=True,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    return {
        "scenario": dataclasses.asdict(scenario)
        | {"database_url": scenario.database_url and hide_password(scenario.database_url)},
        "measured_at": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="minutes"),
        "command": hide_password(
            shlex.join([python_shown(), "bench/run.py", *scenario_options(args, scenario)])
        ),
        "about": about,
        "database": database,
        "notes": notes,
        "pages": [dataclasses.asdict(page) for page in pages],
        "assets": linked,
        "workers": workers,
        "expansion": expansion.lines(),
        "generate_seconds": generated,
        "seconds": time.monotonic() - began,
        "out_dir": str(out_dir.relative_to(ROOT)),
        "load": (
            f"`wrk -t{args.threads} -c{args.connections} -d{args.duration} --timeout"
            f" {args.timeout} --latency -s bench/report.lua"
            f" -H 'Accept-Encoding: {BROWSER_ENCODING}'` per page, after a 2 s warm-up"
        ),
        "server": f"gunicorn, {args.workers} sync workers, DEBUG off, default settings otherwise;"
        " wrk runs on the same machine and shares its cores",
        "data": f"{scenario.neighbourhoods} synthetic neighbourhood(s) × {scenario.members:,}"
        f" residents (8 flats, 900 homes, {args.initiatives_per} initiatives each with two"
        f" repeating series and three single events; a live ask or offer per five residents,"
        f" most for everyone, and closed and expired ones, loans and thanks); {notes}",
    }


# --- RESULTS.md ------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return MET if ok else NOT_MET


def kb(size: int) -> str:
    return f"{size / KB:.1f} KB"


@dataclass
class Tally:
    """How many values of one target were met in a scenario."""

    met: int = 0
    total: int = 0

    def add(self, ok: bool) -> str:
        self.met += ok
        self.total += 1
        return mark(ok)

    def __str__(self) -> str:
        if not self.total:
            return "–"
        return f"{mark(self.met == self.total)} {self.met} of {self.total}"


# key: (column of the summary, the target in words)
TARGETS = {
    "landing": (
        f"Landing ≥ {LANDING_VS_BARE}× bare",
        f"The public landing page serves at least {LANDING_VS_BARE}× the bare endpoint's req/s.",
    ),
    "member": (
        f"Member pages ≥ {MEMBER_VS_BARE}× bare",
        f"Every member page serves at least {MEMBER_VS_BARE}× the bare endpoint's req/s.",
    ),
    "p90": (f"p90 ≤ {P90_MS:.0f} ms", f"Every page's p90 under load is at most {P90_MS:.0f} ms."),
    "growth": (
        f"15,000 ≤ {GROWTH}× 1,500",
        f"With 15,000 members (scenario c) each page takes at most {GROWTH}× its in-process time"
        " with 1,500 (scenario a).",
    ),
    "first_load": (
        f"First load ≤ {FIRST_LOAD_KB:.0f} KB",
        f"A page's first load is at most {FIRST_LOAD_KB:.0f} KB: its HTML as transferred to a"
        f" browser (`Accept-Encoding: {BROWSER_ENCODING}`).",
    ),
    "rss": (
        f"Worker RSS ≤ {WORKER_MB:.0f} MB",
        f"Each gunicorn worker's resident memory after the run is at most {WORKER_MB:.0f} MB.",
    ),
}


def scenario_section(
    label: str, result: dict, baseline: dict | None, tallies: dict[str, Tally]
) -> list[str]:
    scenario = Scenario(**result["scenario"])
    pages = [Page(**page) for page in result["pages"]]
    bare = pages[0]
    growth = scenario.name == "large"
    base_times = {}
    if growth and baseline:
        base_times = {p["name"]: p["inprocess_ms"] for p in baseline["pages"]}
    lines = [
        f"## {label} {scenario.title[0].upper()}{scenario.title[1:]}",
        "",
        "```",
        result["command"],
        "```",
        "",
        f"- Measured {result['measured_at']}; database: {result['database']}",
        f"- Server: {result['server']}",
        f"- Load: {result['load']}",
        f"- Data: {result['data']}",
        f"- Took {result['seconds'] / 60:.1f} min, of which generating the data"
        f" {result['generate_seconds']:.0f} s",
        "",
    ]
    header = (
        "| Page | Path | Status | Req/s | Req/s vs bare | p50 | p90 | p99 | Queries"
        " | In-process | HTML transferred |"
    )
    rule = "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    if growth:
        compared = Scenario(**baseline["scenario"]).members if baseline else 1500
        header += f" In-process vs {compared:,} |"
        rule += "---:|"
    lines += [header, rule]
    for page in pages:
        path = f"`{page.path}`" + (" (member)" if page.signed_in else "")
        inprocess = f"{page.inprocess_ms:.1f} ms" if page.inprocess_ms is not None else ""
        queries = "" if page.queries is None else str(page.queries)
        sent = ""
        if page.sent_bytes is not None and not page.bare:
            how = page.sent_encoding or "not compressed"
            sent = f"{kb(page.sent_bytes)} {how}"
            if page.sent_encoding:
                sent += f" ({kb(page.raw_bytes)} raw)"
            if page.status == 200:
                sent += " " + tallies["first_load"].add(page.sent_bytes <= FIRST_LOAD_KB * KB)
        ratio_cell = ""
        if growth and not page.bare:
            before = base_times.get(page.name)
            if before and page.inprocess_ms is not None:
                ratio = page.inprocess_ms / before
                ratio_cell = f"{ratio:.2f} {tallies['growth'].add(ratio <= GROWTH)}"
            else:
                ratio_cell = "n/a"
        cells = [page.name, path, str(page.status)]
        if not page.measured:
            cells += ["not measured", "", "", "", "", queries, inprocess, sent]
        else:
            vs = ""
            if bare.measured and bare.rps:
                value = page.rps / bare.rps
                vs = f"{value:.3f}"
                if page.name == "public landing":
                    vs += " " + tallies["landing"].add(value >= LANDING_VS_BARE)
                elif page.signed_in:
                    vs += " " + tallies["member"].add(value >= MEMBER_VS_BARE)
            p90 = f"{page.p90:.1f} ms"
            if not page.bare:
                p90 += " " + tallies["p90"].add(page.p90 <= P90_MS)
            flagged = f" ⚠ {page.errors} failed" if page.errors else ""
            cells += [
                f"{page.rps:.0f}{flagged}",
                vs or "n/a",
                f"{page.p50:.1f} ms",
                p90,
                f"{page.p99:.1f} ms",
                queries,
                inprocess,
                sent,
            ]
        if growth:
            cells.append(ratio_cell)
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    workers = result["workers"]
    if workers:
        shown = ", ".join(
            f"{w['rss_mb']:.0f} MB {tallies['rss'].add(w['rss_mb'] <= WORKER_MB)}"
            f" (peak {w['peak_mb']:.0f} MB)"
            for w in workers
        )
        lines.append(f"Gunicorn workers' resident memory after the run (VmRSS): {shown}.")
    else:
        lines.append("Gunicorn workers' resident memory: not found.")
    if result["assets"]:
        linked = ", ".join(
            f"`{a['path']}` {kb(a['bytes'])} {a['encoding'] or 'not compressed'}"
            for a in result["assets"]
        )
        lines.append(f"A first visit also loads, once for all pages (not counted above): {linked}.")
    if growth:
        if baseline is None:
            lines.append(
                "In-process vs the SQLite scenario: no result of it to compare with (run"
                " `--scenario sqlite` too)."
            )
        elif baseline.get("earlier"):
            lines.append(
                f"In-process vs {compared:,}: compared with an earlier run of the SQLite scenario"
                f" ({baseline['measured_at']}, {baseline['out_dir']}/result.json)."
            )
    unmeasured = [p for p in pages if not p.measured]
    if unmeasured:
        lines.append(
            "Not measured (the page did not answer 200 when requested before the run): "
            + ", ".join(f"{p.name} ({p.status})" for p in unmeasured)
            + "."
        )
    lines.append(f"Raw wrk output and the server log: {result['out_dir']}/.")
    lines.append("")
    lines += ["#" + line if line.startswith("## ") else line for line in result["expansion"]]
    return lines


def results(command: str, runs: list[tuple[str, dict | None, str]], baseline: dict | None) -> str:
    about = next((r["about"] for _, r, _ in runs if r), [])
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
        "",
        "## Targets",
        "",
        *(f"- {text}" for _, text in TARGETS.values()),
        "",
        f"{MET} marks a value that meets its target, {NOT_MET} one that does not."
        " KB = 1,024 bytes, MB = 1,024 KB.",
        "",
    ]
    columns = " | ".join(short for short, _ in TARGETS.values())
    summary = [f"| Scenario | {columns} |", "|---|" + "---:|" * len(TARGETS)]
    sections: list[str] = []
    for name, result, failure in runs:
        label = f"({'abc'[SCENARIOS.index(name)]})"
        if result is None:
            sections += [f"## {label} {name}", "", f"Failed: {failure}", ""]
            summary.append(f"| {label} {name} | failed |" + " |" * (len(TARGETS) - 1))
            continue
        tallies = {key: Tally() for key in TARGETS}
        sections += scenario_section(label, result, baseline, tallies)
        title = Scenario(**result["scenario"]).title
        summary.append(
            f"| {label} {title} | " + " | ".join(str(tallies[k]) for k in TARGETS) + " |"
        )
    lines += ["Targets met per scenario:", "", *summary, ""]
    lines += [
        "Req/s counts only 2xx/3xx answers; wrk waits up to 30 s for an answer, so slow pages"
        ' count in the latencies instead of vanishing as socket errors. "Req/s vs bare" divides a'
        " page's throughput by the bare endpoint's (`/healthz`, no database work) in the same"
        " scenario: 0.250 means the page costs four times what the framework alone costs. Compare"
        " these ratios, not absolute figures across runs or machines. Queries and In-process: one"
        " request of the page inside one Django process (the test client, the same session, before"
        " the load): its database queries, and the median time of up to 20 requests after a first"
        " one. HTML transferred: the page's body as gunicorn sends it to a browser that accepts"
        " gzip and brotli.",
        "",
        *sections,
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- Orchestration ---------------------------------------------------------------------------


def child_command(args: argparse.Namespace, scenario: Scenario, result_path: Path) -> list[str]:
    options = scenario_options(args, scenario)
    options += ["--port", str(args.port), "--inprocess-runs", str(args.inprocess_runs)]
    options += ["--inprocess-budget", str(args.inprocess_budget)]
    return [sys.executable, str(Path(__file__)), *options, "--result-json", str(result_path)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scenario",
        action="append",
        choices=SCENARIOS,
        help="run this scenario (repeat for more); default: all three",
    )
    parser.add_argument("--neighbourhoods", type=int, default=10)
    parser.add_argument("--members", type=int, default=1500, help="residents per neighbourhood")
    parser.add_argument(
        "--large-members",
        type=int,
        help="residents of the large scenario's one neighbourhood; default: neighbourhoods ×"
        " members",
    )
    parser.add_argument("--initiatives-per", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=POSTGRES_URL,
        help="the postgres scenario's database, dropped and created afresh; its name must"
        f' contain "bench" (default {POSTGRES_URL})',
    )
    parser.add_argument("--duration", default="10s", help="wrk -d per page")
    parser.add_argument("--timeout", default="30s", help="wrk --timeout")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn -w")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument(
        "--inprocess-runs", type=int, default=20, help="requests per page timed in-process"
    )
    parser.add_argument(
        "--inprocess-budget",
        type=float,
        default=20.0,
        help="seconds per page for the in-process timing (at least 5 requests)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--result-json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("neighbourhoods", "members", "inprocess_runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    names = [name for name in SCENARIOS if name in (args.scenario or SCENARIOS)]

    if "postgres" in names and "bench" not in urllib.parse.urlsplit(args.database_url).path:
        parser.error('--database-url: the database is dropped first; its name must contain "bench"')

    if args.result_json:  # one scenario, in this process: run by the loop below
        if len(names) != 1:
            parser.error("--result-json takes exactly one --scenario")
        result = run_scenario(args, scenario_of(args, names[0]))
        args.result_json.write_text(json.dumps(result, indent=1))
        return

    shown = [hide_password(a) for a in (sys.argv[1:] if argv is None else argv)]
    command = shlex.join([python_shown(), "bench/run.py", *shown])
    ensure_wrk()
    if not port_free(args.port):
        sys.exit(f"127.0.0.1:{args.port} is in use; choose another --port")
    runs: list[tuple[str, dict | None, str]] = []
    began = time.monotonic()
    for name in names:
        scenario = scenario_of(args, name)
        print(f"\n=== {name}: {scenario.title}", flush=True)
        path = OUT_ROOT / name / "result.json"
        path.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A process per scenario: Django reads its database settings once per process.
        child = subprocess.run(child_command(args, scenario, path), cwd=ROOT, check=False)  # noqa: S603
        if child.returncode == 0 and path.exists():
            runs.append((name, json.loads(path.read_text()), ""))
        else:
            runs.append((name, None, f"exit status {child.returncode}; see the run's output."))
        print(f"=== {name} took {(time.monotonic() - began) / 60:.1f} min so far", flush=True)

    baseline = next((r for n, r, _ in runs if n == "sqlite" and r), None)
    earlier = OUT_ROOT / "sqlite" / "result.json"
    if baseline is None and "large" in names and earlier.exists():
        baseline = json.loads(earlier.read_text()) | {"earlier": True}
    args.output.write_text(results(command, runs, baseline))
    print(f"Wrote {args.output} in {(time.monotonic() - began) / 60:.1f} min")
    if any(result is None for _, result, _ in runs):
        sys.exit("Some scenarios failed: " + ", ".join(n for n, r, _ in runs if r is None))


if __name__ == "__main__":
    main()
