"""Reminders the day before, and open tasks two days before, each sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from buurtnet.activities.models import SentReminder, Task, TaskKind, TaskSignup
from buurtnet.activities.reminders import reminders_send
from buurtnet.activities.services import organise as services
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Kind, Notification
from tests.activities.conftest import AMSTERDAM
from tests.activities.test_rsvp import answer, neighbours  # noqa: F401 - fixture
from tests.factories import ParticipationFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def reminded(kind=Kind.ACTIVITY_REMINDER):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__display_name", flat=True)
    )


def test_the_day_before_who_is_going_is_reminded(personas, coffee, first_coffee):
    answer(personas.daan, coffee, first_coffee)
    answer(personas.priya, coffee, first_coffee, status="maybe")

    assert reminders_send(now=first_coffee - timedelta(hours=25)) == 0
    assert reminders_send(now=first_coffee - timedelta(hours=23)) == 1

    assert reminded() == ["Daan"]
    note = Notification.objects.get(kind=Kind.ACTIVITY_REMINDER)
    assert notification_text(note) == (
        "Tomorrow: “Koffieochtend” at 10:00, Huiskamer de Elskamp, Elskamp 1, Ede."
    )
    assert note.url.startswith(f"/n/ede-zuid/agenda/{coffee.pk}/")


def test_it_is_sent_once_however_often_the_job_runs(personas, coffee, first_coffee):
    answer(personas.daan, coffee, first_coffee)

    reminders_send(now=first_coffee - timedelta(hours=23))
    reminders_send(now=first_coffee - timedelta(hours=22))
    reminders_send(now=first_coffee - timedelta(hours=1))

    assert reminded() == ["Daan"]
    assert SentReminder.objects.count() == 1


def test_the_waiting_list_and_a_cancelled_date_get_no_reminder(
    personas,
    coffee,
    first_coffee,
    neighbours,  # noqa: F811
):
    for person in neighbours:
        answer(person, coffee, first_coffee)
    answer(personas.daan, coffee, first_coffee)  # fifth: waits
    second = first_coffee + timedelta(days=7)
    answer(personas.priya, coffee, second)
    services.occurrence_cancel(user=personas.fatima, activity=coffee, original_start=second)

    reminders_send(now=first_coffee - timedelta(hours=23))
    reminders_send(now=second - timedelta(hours=23))

    assert reminded() == sorted(p.display_name for p in neighbours)


def test_helpers_are_reminded_of_their_task_in_their_own_language(
    personas, coffee, first_coffee, django_capture_on_commit_callbacks
):
    personas.daan.preferred_language = "nl"
    personas.daan.save()
    task = Task.objects.create(activity=coffee, kind=TaskKind.SETTING_UP, hands_needed=2)
    TaskSignup.objects.create(task=task, occurrence_start=first_coffee, user=personas.daan)

    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=first_coffee - timedelta(hours=23))

    note = Notification.objects.get(kind=Kind.ACTIVITY_REMINDER)
    assert notification_text(note).endswith("You help with: Setting up.")
    with translation.override("nl"):
        dutch = notification_text(note)
    assert dutch.startswith("Morgen: “Koffieochtend” om 10:00")
    assert "Klaarzetten" in dutch
    assert mail.outbox[0].to == [personas.daan.email]
    assert "Morgen: “Koffieochtend” om 10:00" in mail.outbox[0].body


def test_open_tasks_go_to_the_initiatives_team_two_days_before(personas, dinner):
    first = dinner.first_start
    ParticipationFactory(initiative=personas.initiative, user=personas.daan, status="pending")
    cooking = Task.objects.create(activity=dinner, kind=TaskKind.COOKING, hands_needed=3)
    Task.objects.create(activity=dinner, kind=TaskKind.SHOPPING, hands_needed=1)
    only_next = Task.objects.create(
        activity=dinner,
        kind=TaskKind.CLEANING_UP,
        occurrence_start=first + timedelta(days=28),
        hands_needed=1,
    )
    TaskSignup.objects.create(task=cooking, occurrence_start=first, user=personas.priya)
    shopping = Task.objects.get(kind=TaskKind.SHOPPING)
    TaskSignup.objects.create(task=shopping, occurrence_start=first, user=personas.daan)

    assert reminders_send(now=first - timedelta(hours=49)) == 0
    reminders_send(now=first - timedelta(hours=47))

    # Initiators and accepted participants; not a neighbour whose joining is still pending.
    assert reminded(Kind.TASKS_OPEN) == ["Fatima", "Priya"]
    note = Notification.objects.filter(kind=Kind.TASKS_OPEN).first()
    assert notification_text(note).endswith("still needs hands: Cooking: 2 hands")
    assert only_next.pk


def test_nothing_is_sent_when_every_task_has_its_hands(personas, coffee, first_coffee):
    task = Task.objects.create(activity=coffee, kind=TaskKind.WELCOMING, hands_needed=1)
    TaskSignup.objects.create(task=task, occurrence_start=first_coffee, user=personas.daan)

    reminders_send(now=first_coffee - timedelta(hours=47))

    assert reminded(Kind.TASKS_OPEN) == []


def test_the_keepers_hear_of_open_tasks_of_the_places_own_activities(
    personas, coffee, first_coffee
):
    Task.objects.create(activity=coffee, kind=TaskKind.WELCOMING, hands_needed=1)

    reminders_send(now=first_coffee - timedelta(hours=47))

    assert reminded(Kind.TASKS_OPEN) == ["Fatima"]


def test_the_schedule_command_has_the_worker_send_them(personas, room):
    soon = (
        (timezone.now() + timedelta(hours=20))
        .astimezone(AMSTERDAM)
        .replace(second=0, microsecond=0)
    )
    chat = services.activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Buurtpraat",
        start_date=soon.date(),
        start_time=soon.time(),
        duration_minutes=60,
    )
    answer(personas.daan, chat, chat.first_start)

    # The test settings run queued jobs at once, as the worker would.
    call_command("schedule", "--once")
    call_command("schedule", "--once")

    assert reminded() == ["Daan"]


def test_open_tasks_are_named_in_the_order_an_evening_goes(personas, dinner):
    from buurtnet.activities.recurrence import occurrence_at
    from buurtnet.activities.reminders import open_tasks

    for kind in (TaskKind.CLEANING_UP, TaskKind.COOKING, TaskKind.WELCOMING, TaskKind.SHOPPING):
        Task.objects.create(activity=dinner, kind=kind, hands_needed=1)

    found = open_tasks(occurrence_at(dinner, dinner.first_start))

    assert [task.kind for task, _ in found] == ["shopping", "cooking", "welcoming", "cleaning_up"]


def test_someone_who_left_the_neighbourhood_gets_no_reminder(personas, coffee, first_coffee):
    from buurtnet.neighbourhoods.models import Membership

    answer(personas.daan, coffee, first_coffee)
    task = Task.objects.create(activity=coffee, kind=TaskKind.WELCOMING, hands_needed=1)
    TaskSignup.objects.create(task=task, occurrence_start=first_coffee, user=personas.daan)
    Membership.objects.filter(user=personas.daan, neighbourhood=personas.ede).delete()

    reminders_send(now=first_coffee - timedelta(hours=23))

    assert reminded() == []
