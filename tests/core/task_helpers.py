"""Running tasks the way production does: queued in the database, run by `db_worker`."""

import signal
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

# The test settings run tasks at once; these tests need the queue of a real installation.
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker(worker_id: str = "test-worker") -> None:
    """One `db_worker --batch`: run what is queued, then stop.

    The worker closes database connections between tasks, so tests that call this need
    `django_db(transaction=True)`. It installs its own signal handlers; they are put back after.
    """
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            worker_id,
            verbosity=0,
        )
    finally:
        for sig, handler in kept.items():
            signal.signal(sig, handler)


def claimed_by_dead_worker(result: DBTaskResult, *, ago: timedelta) -> DBTaskResult:
    """Claim a queued task as the worker does, as if that worker died `ago` into running it."""
    result.claim("dead-worker")
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - ago)
    result.refresh_from_db()
    return result
