"""A worker that dies halfway through sending reminders leaves nothing half done: the claim and
the notification are written together, so the next round sends what the dead one could not."""

from datetime import timedelta

import pytest
from django.utils import translation

from buurtnet.activities import reminders
from buurtnet.activities.models import SentReminder, Task, TaskKind
from buurtnet.activities.reminders import reminders_send
from buurtnet.notifications.models import Kind, Notification
from tests.activities.test_rsvp import answer


class WorkerKilled(BaseException):
    """Stands in for kill -9: nothing after it runs."""


def killed(**kwargs):
    raise WorkerKilled


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_reminder_claimed_by_a_worker_that_died_is_sent_next_round(
    personas, coffee, first_coffee, monkeypatch
):
    answer(personas.daan, coffee, first_coffee)
    now = first_coffee - timedelta(hours=23)

    # The worker dies after claiming the reminder, before its notification is written.
    with monkeypatch.context() as patched:
        patched.setattr(reminders, "notify", killed)
        with pytest.raises(WorkerKilled):
            reminders_send(now=now)
    assert not SentReminder.objects.exists()

    assert reminders_send(now=now + timedelta(minutes=5)) == 1
    assert reminders_send(now=now + timedelta(minutes=10)) == 0

    note = Notification.objects.get(kind=Kind.ACTIVITY_REMINDER)
    assert note.recipient == personas.daan
    assert SentReminder.objects.count() == 1


def test_open_tasks_claimed_by_a_worker_that_died_are_sent_next_round(
    personas, coffee, first_coffee, monkeypatch
):
    Task.objects.create(activity=coffee, kind=TaskKind.WELCOMING, hands_needed=1)
    now = first_coffee - timedelta(hours=47)

    with monkeypatch.context() as patched:
        patched.setattr(reminders, "notify", killed)
        with pytest.raises(WorkerKilled):
            reminders_send(now=now)
    assert not SentReminder.objects.exists()

    assert reminders_send(now=now + timedelta(minutes=5)) == 1
    assert reminders_send(now=now + timedelta(minutes=10)) == 0
    assert Notification.objects.filter(kind=Kind.TASKS_OPEN).get().recipient == personas.fatima
