"""A member's home shows their own coming dates: what they said they go to (or wait for) and the
tasks they took, next few first, each linked to the date's page. Theirs alone, read with a fixed
number of queries."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.activities.models import TaskKind
from buurtnet.activities.services.helping import task_add, task_signup
from buurtnet.activities.services.organise import (
    activity_create,
    occurrence_cancel,
    occurrence_move,
)
from buurtnet.activities.services.places import place_create, place_keeper_assign
from buurtnet.activities.services.rsvps import rsvp_set
from tests.factories import MembershipFactory, UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOME = reverse("front:member_home", args=["ede-zuid"])


def tomorrow():
    return datetime.now(AMSTERDAM).date() + timedelta(days=1)


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def key(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M")


def date_page(activity, moment: datetime) -> str:
    return reverse("activities:occurrence", args=["ede-zuid", activity.pk, key(moment)])


@pytest.fixture
def room(personas):
    place = place_create(user=personas.henk, neighbourhood=personas.ede, name="Huiskamer")
    place_keeper_assign(user=personas.henk, place=place, keeper=personas.fatima)
    return place


def plan(personas, room, title: str, hour: int, **extra):
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title=title,
        start_date=tomorrow(),
        start_time=time(hour, 0),
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
        **extra,
    )


@pytest.fixture
def coffee(personas, room):
    return plan(personas, room, "Koffieochtend", 10)


@pytest.fixture
def dinner(personas, room):
    return plan(personas, room, "Samen eten", 18, capacity=1)


def mine(response) -> list[dict]:
    return response.context["my_dates"]


def test_i_see_what_i_go_to_and_the_tasks_i_took_next_first(as_user, personas, coffee, dinner):
    rsvp_set(
        user=personas.daan,
        activity=coffee,
        occurrence_start=at(tomorrow() + timedelta(days=7), 10),
        status="going",
    )
    task = task_add(
        user=personas.fatima,
        activity=dinner,
        occurrence_start=at(tomorrow(), 18),
        kind=TaskKind.COOKING,
        hands_needed=2,
    )
    task_signup(user=personas.daan, task=task, occurrence_start=at(tomorrow(), 18))
    response = as_user(personas.daan).get(HOME)
    html = response.content.decode()

    assert [entry["title"] for entry in mine(response)] == ["Samen eten", "Koffieochtend"]
    assert date_page(dinner, at(tomorrow(), 18)) in html
    assert date_page(coffee, at(tomorrow() + timedelta(days=7), 10)) in html
    assert "You help: Cooking" in html and "Going" in html
    assert f'datetime="{at(tomorrow(), 18).isoformat()}"' in html


def test_waiting_is_not_going(as_user, personas, dinner):
    rsvp_set(
        user=personas.priya, activity=dinner, occurrence_start=at(tomorrow(), 18), status="going"
    )
    rsvp_set(
        user=personas.daan, activity=dinner, occurrence_start=at(tomorrow(), 18), status="going"
    )
    response = as_user(personas.daan).get(HOME)

    [entry] = mine(response)
    assert entry["waiting"] and not entry["going"]
    assert "On the waiting list" in response.content.decode()


def test_maybe_not_going_and_other_peoples_answers_are_left_out(as_user, personas, coffee):
    rsvp_set(
        user=personas.daan, activity=coffee, occurrence_start=at(tomorrow(), 10), status="maybe"
    )
    rsvp_set(
        user=personas.daan,
        activity=coffee,
        occurrence_start=at(tomorrow() + timedelta(days=7), 10),
        status="not_going",
    )
    rsvp_set(
        user=personas.priya, activity=coffee, occurrence_start=at(tomorrow(), 10), status="going"
    )

    assert mine(as_user(personas.daan).get(HOME)) == []
    assert "You have not said you are coming to anything yet." in (
        as_user(personas.daan).get(HOME).content.decode()
    )


def test_a_cancelled_date_is_flagged_and_a_moved_one_shows_its_new_time(as_user, personas, coffee):
    first, second = at(tomorrow(), 10), at(tomorrow() + timedelta(days=7), 10)
    for moment in (first, second):
        rsvp_set(user=personas.daan, activity=coffee, occurrence_start=moment, status="going")
    occurrence_cancel(user=personas.fatima, activity=coffee, original_start=first)
    occurrence_move(
        user=personas.fatima,
        activity=coffee,
        original_start=second,
        new_start=second + timedelta(hours=2),
        new_end=second + timedelta(hours=3),
    )
    response = as_user(personas.daan).get(HOME)
    cancelled, moved = mine(response)

    assert cancelled["cancelled"] and "Cancelled" in response.content.decode()
    assert moved["moved"] and moved["start_iso"] == (second + timedelta(hours=2)).isoformat()
    assert moved["url"] == date_page(coffee, second)


def test_dates_that_are_over_are_left_out(as_user, personas, room):
    past = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Gisteren",
        start_date=tomorrow() - timedelta(days=2),
        start_time=time(10, 0),
        duration_minutes=60,
    )
    from buurtnet.activities.models import Rsvp

    Rsvp.objects.create(
        activity=past,
        occurrence_start=at(tomorrow() - timedelta(days=2), 10),
        user=personas.daan,
        status="going",
    )
    assert mine(as_user(personas.daan).get(HOME)) == []


def test_only_this_neighbourhoods_dates(as_user, personas, coffee):
    rsvp_set(
        user=personas.daan, activity=coffee, occurrence_start=at(tomorrow(), 10), status="going"
    )
    MembershipFactory(user=personas.daan, neighbourhood=personas.other)
    elsewhere = reverse("front:member_home", args=["elders"])

    assert as_user(personas.daan).get(elsewhere).context["my_dates"] == []


def test_a_new_answer_shows_at_once(as_user, personas, coffee):
    client = as_user(personas.daan)
    assert mine(client.get(HOME)) == []
    rsvp_set(
        user=personas.daan, activity=coffee, occurrence_start=at(tomorrow(), 10), status="going"
    )

    assert [entry["title"] for entry in mine(client.get(HOME))] == ["Koffieochtend"]


def test_my_dates_are_not_shown_to_another_member(as_user, personas, coffee):
    rsvp_set(
        user=personas.daan, activity=coffee, occurrence_start=at(tomorrow(), 10), status="going"
    )
    as_user(personas.daan).get(HOME)

    assert mine(as_user(personas.priya).get(HOME)) == []


def test_at_most_five_dates(as_user, personas, coffee):
    for week in range(8):
        rsvp_set(
            user=personas.daan,
            activity=coffee,
            occurrence_start=at(tomorrow() + timedelta(weeks=week), 10),
            status="going",
        )
    assert len(mine(as_user(personas.daan).get(HOME))) == 5


def test_the_member_home_reads_a_fixed_number_of_queries_however_many_dates(
    as_user, personas, room
):
    client = as_user(personas.daan)

    def take_part(n: int) -> None:
        for i in range(n):
            activity = plan(personas, room, f"Activiteit {i}", 8 + i % 12)
            start = at(tomorrow(), 8 + i % 12)
            rsvp_set(user=personas.daan, activity=activity, occurrence_start=start, status="going")
            task = task_add(
                user=personas.fatima,
                activity=activity,
                occurrence_start=start,
                kind=TaskKind.SETTING_UP,
                hands_needed=3,
            )
            task_signup(user=personas.daan, task=task, occurrence_start=start)
            helper = UserFactory()
            MembershipFactory(user=helper, neighbourhood=personas.ede)
            task_signup(user=helper, task=task, occurrence_start=start)

    take_part(1)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(HOME).status_code == 200
    take_part(14)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(HOME).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many]
