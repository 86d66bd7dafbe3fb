"""Tasks left running by a worker that died go back to the queue after TASKS_STALE_AFTER."""

import subprocess
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from buurtnet.activities.tasks import extend_reservations
from buurtnet.core.stale_tasks import MAX_ATTEMPTS, WorkerLost, stale_tasks_requeue
from tests.core.task_helpers import DB_TASKS, claimed_by_dead_worker
from tests.core.test_settings import _production_setting

STALE = timedelta(seconds=600)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS
    settings.TASKS_STALE_AFTER = int(STALE.total_seconds())


def queued() -> DBTaskResult:
    return extend_reservations.enqueue().db_result


def status(result: DBTaskResult) -> str:
    result.refresh_from_db()
    return result.status


def test_a_task_running_longer_than_the_timeout_is_queued_again(db, db_tasks):
    result = claimed_by_dead_worker(queued(), ago=STALE + timedelta(seconds=5))

    assert stale_tasks_requeue() == (1, 0)

    assert status(result) == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().get() == result


def test_a_task_within_the_timeout_is_left_running(db, db_tasks):
    result = claimed_by_dead_worker(queued(), ago=STALE - timedelta(seconds=5))

    assert stale_tasks_requeue() == (0, 0)

    assert status(result) == TaskResultStatus.RUNNING


def test_the_timeout_comes_from_the_setting(db, db_tasks, settings):
    result = claimed_by_dead_worker(queued(), ago=timedelta(minutes=2))
    assert stale_tasks_requeue() == (0, 0)

    settings.TASKS_STALE_AFTER = 60

    assert stale_tasks_requeue() == (1, 0)
    assert status(result) == TaskResultStatus.READY


def test_queued_and_finished_tasks_are_left_alone(db, db_tasks):
    waiting = queued()
    done = claimed_by_dead_worker(queued(), ago=STALE * 10)
    done.set_successful(3)

    assert stale_tasks_requeue() == (0, 0)

    assert status(waiting) == TaskResultStatus.READY
    assert status(done) == TaskResultStatus.SUCCESSFUL


def test_a_task_that_kills_its_worker_every_time_is_given_up(db, db_tasks):
    result = queued()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        claimed_by_dead_worker(result, ago=STALE * 2)
        if attempt < MAX_ATTEMPTS:
            assert stale_tasks_requeue() == (1, 0)

    assert stale_tasks_requeue() == (0, 1)

    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.finished_at is not None
    [error] = result.task_result.errors
    assert error.exception_class is WorkerLost
    assert "stopped without finishing" in error.traceback


def test_running_it_again_changes_nothing_more(db, db_tasks):
    claimed_by_dead_worker(queued(), ago=STALE * 2)

    assert stale_tasks_requeue() == (1, 0)
    assert stale_tasks_requeue() == (0, 0)


def test_each_schedule_round_queues_lost_tasks_again(db, db_tasks):
    result = claimed_by_dead_worker(queued(), ago=STALE * 2)
    err = StringIO()

    call_command("schedule", "--once", stderr=err)

    assert status(result) == TaskResultStatus.READY
    assert "1 queued again, 0 given up" in err.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_queue_each_task_again_once(db_tasks):
    results = [claimed_by_dead_worker(queued(), ago=STALE * 2) for _ in range(20)]
    barrier = threading.Barrier(4)
    counts: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            barrier.wait()
            counts.append(stale_tasks_requeue())
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(requeued for requeued, _ in counts) == len(results)
    assert DBTaskResult.objects.ready().count() == len(results)


def test_the_timeout_is_ten_minutes_unless_the_environment_says_otherwise():
    assert _production_setting("TASKS_STALE_AFTER") == "600"
    assert _production_setting("TASKS_STALE_AFTER", {"TASKS_STALE_AFTER": "1800"}) == "1800"
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _production_setting("TASKS_STALE_AFTER", {"TASKS_STALE_AFTER": "0"})
    assert "TASKS_STALE_AFTER must be at least 1 second" in refused.value.stderr


def test_a_mail_server_that_stops_answering_times_out():
    assert _production_setting("EMAIL_TIMEOUT") == "30"
