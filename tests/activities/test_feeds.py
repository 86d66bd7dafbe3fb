"""The public iCalendar feeds of a neighbourhood and of a place."""

import re
from datetime import UTC, date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from buurtnet.activities.models import OccurrenceChange
from buurtnet.activities.services.organise import activity_create
from buurtnet.activities.services.places import place_create, place_keeper_assign
from buurtnet.activities.services.rsvps import rsvp_set
from tests.activities.conftest import local
from tests.factories import InitiativeFactory, ParticipationFactory


def neighbourhood_feed(client, slug="ede-zuid"):
    return client.get(reverse("activities:feed_neighbourhood", args=[slug]))


def place_feed(client, pk, slug="ede-zuid"):
    return client.get(reverse("activities:feed_place", args=[slug, pk]))


def events(response) -> list:
    assert response.status_code == 200
    return Calendar.from_ical(response.content).walk("VEVENT")


def keepers_activity(personas, place, title, **extra):
    values = {
        "user": personas.fatima,
        "neighbourhood": personas.ede,
        "place": place,
        "title": title,
        "start_date": date(2027, 3, 3),
        "start_time": time(10, 0),
        "duration_minutes": 90,
        "rrule": "FREQ=WEEKLY;BYDAY=WE",
    }
    values.update(extra)
    return activity_create(**values)


@pytest.fixture
def changed_dinner(dinner):
    """The February dinner is cancelled; the April one moves to Thursday 17:00–19:00."""
    OccurrenceChange.objects.create(
        activity=dinner, original_start=local(2027, 2, 26, 18), cancelled=True
    )
    OccurrenceChange.objects.create(
        activity=dinner,
        original_start=local(2027, 4, 30, 18),
        new_start=local(2027, 4, 29, 17),
        new_end=local(2027, 4, 29, 19),
    )
    return dinner


def test_the_neighbourhood_feed_is_a_calendar_with_time_zone_rule_and_exceptions(
    client, changed_dinner
):
    response = neighbourhood_feed(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    series, moved = calendar.walk("VEVENT")
    assert series["UID"] == moved["UID"] == f"activity-{changed_dinner.pk}@buurtnet"
    assert series["RRULE"]["FREQ"] == ["MONTHLY"]
    assert series["RRULE"]["BYDAY"] == ["-1FR"]
    assert series.decoded("DTSTART") == local(2027, 1, 29, 18)
    assert series["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert series.decoded("DTEND") == local(2027, 1, 29, 20, 30)
    assert [d.dt for d in series["EXDATE"].dts] == [local(2027, 2, 26, 18)]
    assert moved.decoded("RECURRENCE-ID") == local(2027, 4, 30, 18)
    assert moved.decoded("DTSTART") == local(2027, 4, 29, 17)
    assert moved.decoded("DTEND") == local(2027, 4, 29, 19)
    assert str(series["SUMMARY"]) == "Samen eten"
    assert str(series["LOCATION"]) == "Huiskamer de Elskamp, Elskamp 1, Ede"
    assert re.search(r"€ 3[.,]00", str(series["DESCRIPTION"]))
    initiative_url = reverse("initiatives:detail", args=["ede-zuid", changed_dinner.initiative_id])
    assert str(series["URL"]).endswith(initiative_url)


def test_a_series_that_ends_carries_its_until_in_utc(client, dinner):
    dinner.until = local(2027, 6, 25, 18)
    dinner.save()

    (series,) = events(neighbourhood_feed(client))

    assert series["RRULE"]["UNTIL"] == [datetime(2027, 6, 25, 16, tzinfo=UTC)]


def test_a_cancelled_single_event_is_marked_cancelled(personas, client, room):
    party = keepers_activity(personas, room, "Buurtfeest", rrule="")
    OccurrenceChange.objects.create(
        activity=party, original_start=local(2027, 3, 3, 10), cancelled=True
    )

    (event,) = events(neighbourhood_feed(client))

    assert str(event["STATUS"]) == "CANCELLED"
    assert "RRULE" not in event


def test_the_feed_holds_only_public_activities(personas, client, room, dinner):
    keepers_activity(personas, room, "Sleuteloverleg", is_public=False)
    private = InitiativeFactory(neighbourhood=personas.ede, title="Besloten", visibility="members")
    ParticipationFactory(initiative=private, user=personas.fatima, role="initiator")
    keepers_activity(personas, room, "Besloten bijeenkomst", initiative=private)

    titles = [str(e["SUMMARY"]) for e in events(neighbourhood_feed(client))]

    assert titles == ["Samen eten"]


def test_the_feed_tells_nothing_about_people(personas, client, coffee, first_coffee):
    rsvp_set(
        user=personas.daan,
        activity=coffee,
        occurrence_start=first_coffee,
        status="going",
        allergies="peanuts",
    )

    content = neighbourhood_feed(client).content.decode()

    for personal in ["Daan", "daan@", "Fatima", "fatima@", "peanuts", "ATTENDEE", "ORGANIZER"]:
        assert personal not in content


def test_the_place_feed_holds_the_public_activities_at_that_place(personas, client, room, dinner):
    hall = place_create(user=personas.henk, neighbourhood=personas.ede, name="Sporthal")
    place_keeper_assign(user=personas.henk, place=hall, keeper=personas.daan)
    keepers_activity(personas, hall, "Zaalvoetbal", user=personas.daan)

    assert [str(e["SUMMARY"]) for e in events(place_feed(client, room.pk))] == ["Samen eten"]
    assert [str(e["SUMMARY"]) for e in events(place_feed(client, hall.pk))] == ["Zaalvoetbal"]


def test_unknown_neighbourhoods_and_places_are_not_found(personas, client, room):
    assert neighbourhood_feed(client, slug="nergens").status_code == 404
    assert place_feed(client, room.pk + 1000).status_code == 404
    assert place_feed(client, room.pk, slug="elders").status_code == 404
    assert place_feed(client, 10**30).status_code == 404


def test_a_feed_is_only_read(client, dinner):
    url = reverse("activities:feed_neighbourhood", args=["ede-zuid"])
    assert client.post(url).status_code == 405


def _feed_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        count = len(events(neighbourhood_feed(client)))
    return len(ctx.captured_queries), count


def test_the_feed_takes_the_same_queries_however_many_series(personas, client, room):
    keepers_activity(personas, room, "Koffie 0")
    few_queries, few = _feed_queries(client)
    for i in range(1, 10):
        keepers_activity(personas, room, f"Koffie {i}")
    many_queries, many = _feed_queries(client)

    assert (few, many) == (1, 10)
    assert few_queries == many_queries
