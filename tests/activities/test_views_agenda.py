"""The agenda page: who sees it, what it shows, its filters and its fixed number of queries."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.activities.services.organise import (
    activity_create,
    occurrence_cancel,
    occurrence_move,
)
from buurtnet.activities.services.rsvps import rsvp_set
from buurtnet.people.models import Language

AGENDA = reverse("activities:agenda", args=["ede-zuid"])


def test_anonymous_visitors_are_sent_to_log_in(client, personas):
    response = client.get(AGENDA)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_members_of_another_neighbourhood_get_404(as_user, personas, dinner):
    assert as_user(personas.olga).get(AGENDA).status_code == 404


def test_residents_see_coming_occurrences_grouped_by_day(as_user, personas, coffee, first_coffee):
    response = as_user(personas.daan).get(AGENDA)

    assert response.status_code == 200
    shown = [group["day"] for group in response.context["days"]]
    # One coffee morning each week, from the first one to the end of the two weeks shown.
    assert shown == [first_coffee.date() + timedelta(weeks=n) for n in range(len(shown))]
    fortnight = as_user(personas.daan).get(AGENDA, {"from": first_coffee.date().isoformat()})
    assert [group["day"] for group in fortnight.context["days"]] == [
        first_coffee.date(),
        first_coffee.date() + timedelta(weeks=1),
    ]
    assert "Koffieochtend" in response.text
    assert "10:00" in response.text and "11:30" in response.text


def test_the_wall_clock_time_stays_across_the_dst_change(as_user, personas, dinner):
    march = as_user(personas.daan).get(AGENDA, {"from": "2027-03-15"})
    april = as_user(personas.daan).get(AGENDA, {"from": "2027-04-26"})

    assert [group["day"] for group in march.context["days"]] == [date(2027, 3, 26)]
    assert [group["day"] for group in april.context["days"]] == [date(2027, 4, 30)]
    assert march.text.count(">18:00</time>") == april.text.count(">18:00</time>") == 1
    # The same wall-clock time is another instant: winter time in March, summer time in April.
    assert 'datetime="2027-03-26T18:00:00+01:00"' in march.text
    assert 'datetime="2027-04-30T18:00:00+02:00"' in april.text


def test_later_and_earlier_weeks_keep_the_filters(as_user, personas, dinner, room):
    response = as_user(personas.daan).get(AGENDA, {"from": "2027-03-01", "place": room.pk})

    assert f"from=2027-03-15&amp;place={room.pk}" in response.text
    assert f"from=2027-02-15&amp;place={room.pk}" in response.text


def test_a_date_that_is_not_a_date_shows_the_coming_weeks(as_user, personas, coffee):
    response = as_user(personas.daan).get(AGENDA, {"from": "99999-01-01"})

    assert response.status_code == 200
    assert response.context["days"]


def test_cancelled_and_moved_occurrences_are_marked(as_user, personas, dinner):
    from tests.activities.conftest import local

    occurrence_cancel(
        user=personas.fatima, activity=dinner, original_start=local(2027, 3, 26, 18), note="Ramadan"
    )
    occurrence_move(
        user=personas.fatima,
        activity=dinner,
        original_start=local(2027, 4, 30, 18),
        new_start=local(2027, 4, 24, 17),
        new_end=local(2027, 4, 24, 19),
    )

    march = as_user(personas.daan).get(AGENDA, {"from": "2027-03-20"}).text
    april = as_user(personas.daan).get(AGENDA, {"from": "2027-04-20"}).text

    assert "Cancelled" in march and "Ramadan" in march
    assert "Moved" in april and "17:00" in april and "Planned for 30 April, 18:00" in april


def test_it_counts_who_is_going_against_the_places(as_user, personas, coffee, first_coffee):
    rsvp_set(
        user=personas.priya,
        activity=coffee,
        occurrence_start=first_coffee,
        status="going",
        guests=1,
    )

    response = as_user(personas.daan).get(AGENDA)

    first = response.context["days"][0]["entries"][0]
    assert first["seats"] == "2 of 4 places taken"
    assert "2 of 4 places taken" in response.text


@pytest.fixture
def arabic_walk(personas, room):
    walk = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        title="Wandeling voor vrouwen",
        start_date=date(2027, 3, 3),
        start_time=time(9, 0),
        duration_minutes=60,
        location="Kernhemmerpark",
        audience="women",
        languages=[
            Language.objects.get_or_create(code="ar", defaults={"english_name": "Arabic"})[0]
        ],
    )
    return walk


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"Samen eten", "Wandeling voor vrouwen"}),
        ({"audience": "women"}, {"Wandeling voor vrouwen"}),
        ({"language": "ar"}, {"Wandeling voor vrouwen"}),
        ({"place": "ROOM"}, {"Samen eten"}),
        ({"audience": "not-an-audience"}, {"Samen eten", "Wandeling voor vrouwen"}),
    ],
)
def test_filters_narrow_the_agenda(as_user, personas, dinner, arabic_walk, room, filters, expected):
    filters = {k: room.pk if v == "ROOM" else v for k, v in filters.items()}

    response = as_user(personas.daan).get(
        AGENDA, {"view": "month", "from": "2027-03-01", **filters}
    )

    titles = {entry["title"] for group in response.context["days"] for entry in group["entries"]}
    assert titles == expected


def test_the_initiative_filter_shows_only_its_activities(as_user, personas, dinner, coffee):
    response = as_user(personas.daan).get(AGENDA, {"initiative": personas.initiative.pk})

    titles = {e["title"] for g in response.context["days"] for e in g["entries"]}
    assert "Koffieochtend" not in titles


def make_series(personas, room, count: int) -> None:
    language = Language.objects.get_or_create(code="nl", defaults={"english_name": "Dutch"})[0]
    for n in range(count):
        activity = activity_create(
            user=personas.fatima,
            neighbourhood=personas.ede,
            place=room,
            title=f"Serie {n}",
            start_date=date(2027, 3, 1 + n % 7),
            start_time=time(8 + n % 12, 0),
            duration_minutes=60,
            rrule="FREQ=WEEKLY",
            capacity=10,
            languages=[language],
        )
        rsvp_set(
            user=personas.daan,
            activity=activity,
            occurrence_start=activity.first_start,
            status="going",
        )


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(AGENDA, {"from": "2027-03-01"})
    assert response.status_code == 200
    return len(queries)


def test_it_runs_the_same_number_of_queries_for_5_or_50_series(as_user, personas, room):
    client = as_user(personas.priya)
    make_series(personas, room, 5)
    few = count_queries(client)

    make_series(personas, room, 45)
    many = count_queries(client)

    assert few == many
