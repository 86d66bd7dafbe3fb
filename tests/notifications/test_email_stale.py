"""A notification's email survives a worker that dies, and still goes out only once.

The worker claims the sending for a while (a lease) and records `emailed_at` only once the mail
server has accepted the message. A task left running by a dead worker is queued again after
TASKS_STALE_AFTER, by when its lease has expired, so the retry sends.
"""

import smtplib
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from buurtnet.core.stale_tasks import stale_after, stale_tasks_requeue
from buurtnet.notifications.models import Kind, Notification
from buurtnet.notifications.services import notify
from buurtnet.notifications.tasks import email_lease, send_notification_email
from tests.core.task_helpers import DB_TASKS, run_worker
from tests.notifications.helpers import PARAMS, make_notification


class WorkerKilled(BaseException):
    """Stands in for kill -9: nothing after it in the worker runs, no handler, no clean-up."""


class ScriptedBackend(EmailBackend):
    """The in-memory mail backend, with a hook run while the mail server has the message."""

    during_send = None

    def send_messages(self, messages):
        if ScriptedBackend.during_send is not None:
            ScriptedBackend.during_send(messages)
        return super().send_messages(messages)


@pytest.fixture
def scripted_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.ScriptedBackend"
    yield ScriptedBackend
    ScriptedBackend.during_send = None


def _send(notification: Notification) -> bool:
    return send_notification_email.call(notification_id=notification.pk)


def _state(notification: Notification) -> Notification:
    notification.refresh_from_db()
    return notification


def _claim(notification: Notification, *, ago: timedelta) -> None:
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=timezone.now() - ago)


def test_the_lease_ends_well_before_a_lost_task_is_queued_again(settings):
    settings.TASKS_STALE_AFTER = 600
    assert email_lease() == timedelta(minutes=5) < stale_after()


def test_it_counts_as_emailed_only_once_the_mail_server_took_it(personas, scripted_mail):
    notification = make_notification(personas.fatima)
    seen: list[Notification] = []
    scripted_mail.during_send = lambda messages: seen.append(_state(notification))

    assert _send(notification) is True

    [during] = seen
    assert during.email_claimed_at is not None
    assert during.emailed_at is None
    assert _state(notification).emailed_at is not None
    assert len(mail.outbox) == 1


def test_a_worker_killed_while_sending_leaves_a_claim_that_expires(personas, scripted_mail):
    notification = make_notification(personas.fatima)

    def killed(messages):
        raise WorkerKilled

    scripted_mail.during_send = killed
    with pytest.raises(WorkerKilled):
        _send(notification)
    scripted_mail.during_send = None
    assert mail.outbox == []
    assert _state(notification).emailed_at is None

    # While the claim holds, another attempt keeps off: the first may still be sending.
    assert _send(notification) is False
    assert mail.outbox == []

    _claim(notification, ago=email_lease() + timedelta(seconds=1))
    assert _send(notification) is True
    assert [message.to for message in mail.outbox] == [[personas.fatima.email]]
    assert _state(notification).emailed_at is not None


def test_an_emailed_notification_is_never_mailed_again(personas):
    notification = make_notification(personas.fatima)
    assert _send(notification) is True

    # However old its claim, and however often the task comes round again.
    _claim(notification, ago=timedelta(days=1))
    assert _send(notification) is False
    assert _send(notification) is False

    assert len(mail.outbox) == 1


def test_a_mail_server_error_gives_the_claim_back_for_a_retry(personas, scripted_mail):
    notification = make_notification(personas.fatima)

    def refused(messages):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    scripted_mail.during_send = refused
    with pytest.raises(smtplib.SMTPServerDisconnected):
        _send(notification)
    assert _state(notification).email_claimed_at is None
    assert notification.emailed_at is None

    scripted_mail.during_send = None
    assert _send(notification) is True
    assert len(mail.outbox) == 1


def test_a_second_attempt_while_the_first_is_sending_sends_nothing(personas, scripted_mail):
    """Two attempts at once, interleaved by hand (works on every database)."""
    notification = make_notification(personas.fatima)
    second: list[bool] = []

    def meanwhile(messages):
        if not second:
            second.append(_send(notification))

    scripted_mail.during_send = meanwhile

    assert _send(notification) is True
    assert second == [False]
    assert len(mail.outbox) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_one_notification_at_once_send_it_once(personas, scripted_mail):
    notification = make_notification(personas.fatima)
    # The mail server is slow, so both attempts overlap for certain.
    scripted_mail.during_send = lambda messages: time.sleep(0.3)
    barrier = threading.Barrier(4)
    sent: list[bool] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            sent.append(_send(notification))
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(sent) == [False, False, False, True]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_email_of_a_task_whose_worker_died_goes_out_once(personas, settings, scripted_mail):
    settings.TASKS = DB_TASKS
    [notification] = notify(
        recipients=[personas.fatima], kind=Kind.INITIATIVE_JOINED, params=PARAMS, url="/"
    )
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.READY

    # A worker claims the task, claims the sending, and is killed while talking to the server.
    def killed(messages):
        raise WorkerKilled

    result.claim("dead-worker")
    scripted_mail.during_send = killed
    with pytest.raises(WorkerKilled):
        result.task.call(**result.task_result.kwargs)
    scripted_mail.during_send = None
    assert mail.outbox == []

    # Nothing happens to it while it might still be running...
    assert stale_tasks_requeue() == (0, 0)
    run_worker()
    assert mail.outbox == []

    # ...but once it has been running longer than any task takes, it is queued again and sent.
    long_ago = timezone.now() - stale_after() - timedelta(seconds=1)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=long_ago)
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=long_ago)
    assert stale_tasks_requeue() == (1, 0)
    run_worker()

    assert [message.to for message in mail.outbox] == [[personas.fatima.email]]
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.worker_ids == ["dead-worker", "test-worker"]
    assert _state(notification).emailed_at is not None

    # Later rounds, and the same task queued once more, send nothing further.
    assert stale_tasks_requeue() == (0, 0)
    send_notification_email.enqueue(notification_id=notification.pk)
    run_worker()
    assert len(mail.outbox) == 1
