"""Tasks left RUNNING by a worker that died go back to the queue.

The database worker marks a task RUNNING when it claims it and records the outcome when the task
ends. A worker that is killed in between (kill -9, the out-of-memory killer, a power cut) records
nothing, and nothing else ever looks at the task again. The worker keeps no heartbeat, so "its
worker died" can only mean "it has been running for longer than any task takes":
settings.TASKS_STALE_AFTER seconds. A task that really does run that long would be run a second
time, so every task is written to be safe to run again (the mail tasks record what they sent).

The `schedule` command calls `stale_tasks_requeue` every round.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Func, IntegerField
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# A task that takes its worker down every time (an image that exhausts the memory, say) is given
# up after this many tries, instead of killing a worker every round for ever.
MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """Recorded as the error of a task whose workers died each time they ran it."""


class _Attempts(Func):
    """How often workers claimed a task: each claim adds the worker's id to a JSON list."""

    function = "json_array_length"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra_context)


def stale_after() -> timedelta:
    """How long a task may run before it counts as abandoned by a dead worker."""
    return timedelta(seconds=settings.TASKS_STALE_AFTER)


def stale_tasks_requeue(*, now: datetime | None = None) -> tuple[int, int]:
    """Queue again the tasks whose worker died; give up on those tried MAX_ATTEMPTS times.

    Returns (queued again, given up). Each outcome is one conditional UPDATE that only touches
    rows still RUNNING since before the cut-off, so two schedulers running this at the same moment
    change each task once, and a task a live worker has just claimed (a fresh start) is left alone.
    """
    now = now or timezone.now()
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - stale_after()
    )
    given_up = stale.filter(GreaterThanOrEqual(_Attempts("worker_ids"), MAX_ATTEMPTS)).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        return_value=None,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=(
            f"{WorkerLost.__qualname__}: the worker running this task stopped without finishing "
            f"it, {MAX_ATTEMPTS} times; it is not tried again."
        ),
    )
    # Those just given up are no longer RUNNING, so this leaves them be. started_at stays: it tells
    # when the lost attempt began, and the next claim sets it anew.
    requeued = stale.update(status=TaskResultStatus.READY)
    return requeued, given_up
