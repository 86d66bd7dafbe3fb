"""One date of an activity as a calendar file, for a member's own calendar."""

from datetime import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from buurtnet.activities.services import organise as services
from tests.activities.conftest import AMSTERDAM, local


def ics_url(activity, when: str, slug: str = "ede-zuid") -> str:
    return reverse("activities:occurrence_ics", args=[slug, activity.pk, when])


def the_event(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_the_address_ends_in_ics(dinner):
    assert ics_url(dinner, "20270326T1800").endswith(f"/agenda/{dinner.pk}/20270326T1800.ics")


def test_a_member_gets_the_date_at_its_local_time_with_its_time_zone(as_user, personas, dinner):
    response = as_user(personas.daan).get(ics_url(dinner, "20270430T1800"))

    calendar, event = the_event(response)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    # Summer time: 18:00 in Amsterdam is 16:00 UTC, and the file says 18:00 Europe/Amsterdam.
    assert start == local(2027, 4, 30, 18) and end == local(2027, 4, 30, 20, 30)
    assert start.replace(tzinfo=None) == datetime(2027, 4, 30, 18)  # noqa: DTZ001
    assert str(event["dtstart"].params["TZID"]) == "Europe/Amsterdam"
    assert b"DTSTART;TZID=Europe/Amsterdam:20270430T180000" in response.content
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert str(event["summary"]) == "Samen eten"
    assert str(event["status"]) == "CONFIRMED"
    assert "Huiskamer de Elskamp" in str(event["location"])
    assert str(event["url"]).endswith(
        reverse("activities:occurrence", args=["ede-zuid", dinner.pk, "20270430T1800"])
    )
    assert "Contribution" in str(event["description"])


def test_winter_dates_keep_their_wall_clock_time(as_user, personas, dinner):
    _calendar, event = the_event(as_user(personas.daan).get(ics_url(dinner, "20270129T1800")))

    assert event.decoded("dtstart") == local(2027, 1, 29, 18)
    assert event.decoded("dtstart").utcoffset().total_seconds() == 3600


def test_each_date_has_a_uid_of_its_own(as_user, personas, dinner):
    client = as_user(personas.daan)

    _c, january = the_event(client.get(ics_url(dinner, "20270129T1800")))
    _c, february = the_event(client.get(ics_url(dinner, "20270226T1800")))

    assert january["uid"] != february["uid"]
    assert "recurrence-id" not in january and "rrule" not in january


def test_a_cancelled_date_says_cancelled(as_user, personas, dinner):
    services.occurrence_cancel(
        user=personas.fatima, activity=dinner, original_start=local(2027, 3, 26, 18), note="Ramadan"
    )

    _calendar, event = the_event(as_user(personas.priya).get(ics_url(dinner, "20270326T1800")))

    assert str(event["status"]) == "CANCELLED"
    assert "Ramadan" in str(event["description"])


def test_a_moved_date_has_its_new_time(as_user, personas, dinner):
    services.occurrence_move(
        user=personas.fatima,
        activity=dinner,
        original_start=local(2027, 4, 30, 18),
        new_start=local(2027, 4, 29, 17),
        new_end=local(2027, 4, 29, 19),
    )

    _calendar, event = the_event(as_user(personas.daan).get(ics_url(dinner, "20270430T1800")))

    assert event.decoded("dtstart") == datetime(2027, 4, 29, 17, tzinfo=AMSTERDAM)
    assert event.decoded("dtend") == datetime(2027, 4, 29, 19, tzinfo=AMSTERDAM)


def test_it_stays_out_of_shared_caches(as_user, personas, dinner):
    response = as_user(personas.daan).get(ics_url(dinner, "20270326T1800"))

    assert "private" in response["Cache-Control"]
    assert response["Content-Disposition"].endswith(f'-{dinner.pk}-20270326T1800.ics"')


@pytest.mark.parametrize("who", ["fatima", "priya", "daan", "henk", "anna", "sem"])
def test_every_member_may_take_the_date(as_user, personas, dinner, who):
    response = as_user(getattr(personas, who)).get(ics_url(dinner, "20270326T1800"))

    assert response.status_code == 200


def _members_only(activity):
    activity.is_public = False
    activity.save()
    return activity


def test_visitors_get_404_for_an_activity_only_members_see(client, personas, dinner):
    assert client.get(ics_url(_members_only(dinner), "20270326T1800")).status_code == 404


def test_members_of_another_neighbourhood_get_404(as_user, personas, dinner):
    url = ics_url(_members_only(dinner), "20270326T1800")
    assert as_user(personas.olga).get(url).status_code == 404


def test_an_activity_of_another_neighbourhood_is_not_found(as_user, personas, dinner):
    # Olga asks for Ede-Zuid's dinner through her own neighbourhood's address.
    response = as_user(personas.olga).get(ics_url(dinner, "20270326T1800", slug="elders"))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "when",
    [
        "20270327T1800",  # not a last Friday
        "20270326T1900",  # not its time
        "20270326T180",
        "2027-03-26T18:00",
        "99999999T9999",
        "nonsense",
    ],
)
def test_dates_the_series_does_not_have_are_not_found(as_user, personas, dinner, when):
    assert as_user(personas.daan).get(ics_url(dinner, when)).status_code == 404


def test_an_unknown_activity_is_not_found(as_user, personas, dinner):
    url = reverse("activities:occurrence_ics", args=["ede-zuid", 2**62, "20270326T1800"])

    assert as_user(personas.daan).get(url).status_code == 404


def test_it_answers_only_to_reading(as_user, personas, dinner):
    assert as_user(personas.daan).post(ics_url(dinner, "20270326T1800")).status_code == 405
