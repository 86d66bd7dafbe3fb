"""The `buurtnet` command: `serve` runs everything, the rest wraps manage.py.

buurtnet serve [--host H] [--port P] [--workers N]
buurtnet demo | worker | schedule [--once] | invites ... | neighbourhood create ...
buurtnet backup [PATH] | restore ARCHIVE [--force]
buurtnet <any manage.py command>
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEMO_LOGINS = [
    ("resident", "daan@demo.buurtnet.nl"),
    ("initiator", "fatima@demo.buurtnet.nl"),
    ("host", "henk@demo.buurtnet.nl"),
    ("professional", "anna@demo.buurtnet.nl"),
    ("board chair", "sami@demo.buurtnet.nl"),
    ("treasurer", "willem@demo.buurtnet.nl"),
]
# Seconds between restarts of a worker or scheduler that keeps stopping.
RESTART_PAUSE = 10
DEMO_PASSWORD = "buurtnet-demo"  # noqa: S105 - published demo password, demo data only


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(argv: list[str]) -> None:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["buurtnet", *argv])


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="buurtnet serve")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo when empty")
    args = parser.parse_args(argv)
    # Links in emails, on slips and in calendar feeds default to the address served here
    # (settings.SITE_URL), for this process, the workers and the background jobs alike.
    os.environ["HOST"], os.environ["PORT"] = args.host, str(args.port)

    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from buurtnet.neighbourhoods.models import Neighbourhood

    demo_loaded = False
    if not args.no_demo and not Neighbourhood.objects.exists():
        call_command("demo", verbosity=0)
        demo_loaded = True

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    jobs: dict[str, subprocess.Popen] = {}

    def start_job(job: str) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(ROOT / "manage.py"), job], cwd=ROOT, env=env
        )

    if not args.no_worker:
        for job in ("db_worker", "schedule"):
            jobs[job] = start_job(job)
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
    )

    _print_banner(args.host, args.port, demo_loaded)
    # This process only watches its children from here on: no database connection held idle.
    from django.db import connections

    connections.close_all()

    stopping = False

    def children() -> list[subprocess.Popen]:
        return [*jobs.values(), gunicorn]

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for child in children():
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # Keep the worker and the scheduler alive: if one dies (killed, out of memory), emails and
    # reminders would wait until someone noticed. Tasks it left running are picked up again by
    # the scheduler after TASKS_STALE_AFTER. A job that keeps dying is restarted at most every
    # RESTART_PAUSE seconds.
    started = dict.fromkeys(jobs, time.monotonic())
    while gunicorn.poll() is None:
        time.sleep(1)
        for job, process in list(jobs.items()):
            if stopping or process.poll() is None:
                continue
            if time.monotonic() - started[job] < RESTART_PAUSE:
                continue
            print(
                f"buurtnet: {job} stopped (exit code {process.returncode}); starting it again",
                file=sys.stderr,
                flush=True,
            )
            jobs[job] = start_job(job)
            started[job] = time.monotonic()
    code = gunicorn.returncode
    stop(None, None)
    for child in children():
        child.wait(timeout=30)
    return code


def _print_banner(host: str, port: int, demo_loaded: bool) -> None:
    from buurtnet.people.models import User

    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    lines = ["", f"  Buurtnet is running at http://{shown_host}:{port}/", ""]
    if User.objects.filter(email=DEMO_LOGINS[0][1]).exists():
        lines.append("  Demo logins (Ede-Zuid), password: " + DEMO_PASSWORD)
        lines += [f"    {role:<13} {email}" for role, email in DEMO_LOGINS]
        if demo_loaded:
            lines.append("  (the Ede-Zuid demo was loaded into the empty database)")
    lines += ["", "  Stop with Ctrl+C.", ""]
    print("\n".join(lines), flush=True)


def main() -> None:
    argv = sys.argv[1:]
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    if command == "serve":
        sys.exit(serve(rest))
    if command == "worker":
        manage(["db_worker", *rest])
    elif command == "neighbourhood":
        if not rest or rest[0] != "create":
            print("usage: buurtnet neighbourhood create --help", file=sys.stderr)
            sys.exit(2)
        manage(["neighbourhood_create", *rest[1:]])
    else:
        manage(argv)


if __name__ == "__main__":
    main()
