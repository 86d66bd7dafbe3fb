"""One date of a public activity as an .ics file for visitors; the public feeds stay public.

Members keep what they had: any date of their neighbourhood, kept out of shared caches. Anyone
else gets the dates of public activities only (those the neighbourhood's open calendar holds),
cacheable like the other public pages; everything else is not found.
"""

from datetime import date, time

import pytest
from django.urls import reverse
from icalendar import Calendar

from buurtnet.activities.services import organise
from buurtnet.activities.services.organise import activity_create
from tests.activities.conftest import local
from tests.factories import InitiativeFactory, ParticipationFactory

MARCH = "20270326T1800"


def ics_url(activity, when: str = MARCH, slug: str = "ede-zuid") -> str:
    return reverse("activities:occurrence_ics", args=[slug, activity.pk, when])


def the_event(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    return event


@pytest.fixture
def quiz(personas, room):
    """A members-only evening (not shown to visitors)."""
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Buurtquiz",
        start_date=date(2027, 3, 3),
        start_time=time(20, 0),
        duration_minutes=120,
        is_public=False,
    )


@pytest.fixture
def closed_meeting(personas, room):
    """A public activity of a members-only initiative: not public either."""
    private = InitiativeFactory(neighbourhood=personas.ede, title="Besloten", visibility="members")
    ParticipationFactory(initiative=private, user=personas.fatima, role="initiator")
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=private,
        place=room,
        title="Besloten bijeenkomst",
        start_date=date(2027, 3, 4),
        start_time=time(20, 0),
        duration_minutes=60,
    )


# Visitors


def test_a_visitor_gets_a_date_of_a_public_activity(client, personas, dinner):
    response = client.get(ics_url(dinner))

    event = the_event(response)
    assert event.decoded("DTSTART") == local(2027, 3, 26, 18)
    assert str(event["SUMMARY"]) == "Samen eten"
    assert str(event["STATUS"]) == "CONFIRMED"
    # The date's own page is for members: the file links to the initiative's public page.
    assert str(event["URL"]).endswith(
        reverse("initiatives:detail", args=["ede-zuid", dinner.initiative_id])
    )
    assert response["Content-Disposition"].endswith(f'-{dinner.pk}-{MARCH}.ics"')


def test_a_visitors_copy_may_be_kept_by_shared_caches(client, personas, dinner):
    response = client.get(ics_url(dinner))

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert not response.cookies


def test_a_visitor_sees_a_cancelled_date_crossed_out_without_the_organisers_note(
    client, personas, dinner
):
    organise.occurrence_cancel(
        user=personas.fatima,
        activity=dinner,
        original_start=local(2027, 3, 26, 18),
        note="Fatima is away",
    )

    event = the_event(client.get(ics_url(dinner)))

    assert str(event["STATUS"]) == "CANCELLED"
    assert "This date is cancelled." in str(event["DESCRIPTION"])
    assert "Fatima" not in str(event["DESCRIPTION"])


@pytest.mark.parametrize("which", ["quiz", "closed_meeting"])
def test_a_visitor_does_not_find_a_members_only_activity(client, request, which):
    activity = request.getfixturevalue(which)
    when = activity.first_start.strftime("%Y%m%dT%H%M")

    response = client.get(ics_url(activity, when))

    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_a_visitor_finds_nothing_that_is_not_there(client, personas, dinner):
    assert client.get(ics_url(dinner, "20270327T1800")).status_code == 404  # not a last Friday
    assert client.get(ics_url(dinner, "nonsense")).status_code == 404
    assert client.get(ics_url(dinner, slug="elders")).status_code == 404
    assert client.get(ics_url(dinner, slug="nergens")).status_code == 404
    missing = reverse("activities:occurrence_ics", args=["ede-zuid", 2**62, MARCH])
    assert client.get(missing).status_code == 404


def test_it_answers_only_to_reading(client, personas, dinner):
    assert client.post(ics_url(dinner)).status_code == 405


# Signed in elsewhere


def test_someone_of_another_neighbourhood_gets_a_public_date_but_no_other(
    as_user, personas, dinner, quiz
):
    client = as_user(personas.olga)

    response = client.get(ics_url(dinner))

    assert the_event(response)
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert client.get(ics_url(quiz, "20270303T2000")).status_code == 404


# Members keep what they had


@pytest.mark.parametrize("which", ["dinner", "quiz", "closed_meeting"])
def test_members_get_every_date_of_their_neighbourhood_privately(as_user, personas, request, which):
    activity = request.getfixturevalue(which)
    when = activity.first_start.strftime("%Y%m%dT%H%M")

    response = as_user(personas.daan).get(ics_url(activity, when))

    event = the_event(response)
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert str(event["URL"]).endswith(
        reverse("activities:occurrence", args=["ede-zuid", activity.pk, when])
    )


def test_members_read_the_organisers_note(as_user, personas, dinner):
    organise.occurrence_cancel(
        user=personas.fatima,
        activity=dinner,
        original_start=local(2027, 3, 26, 18),
        note="Ramadan",
    )

    event = the_event(as_user(personas.priya).get(ics_url(dinner)))

    assert "Ramadan" in str(event["DESCRIPTION"])


# The neighbourhood's open calendar


def test_the_public_feed_holds_only_public_activities_whoever_asks(
    client, as_user, personas, dinner, quiz, closed_meeting
):
    url = reverse("activities:feed_neighbourhood", args=["ede-zuid"])
    for who in (None, personas.daan, personas.fatima):
        response = as_user(who).get(url)
        assert response.status_code == 200
        titles = {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
        assert titles == {"Samen eten"}


def test_the_public_feeds_may_be_kept_by_shared_caches(client, personas, dinner):
    for url in (
        reverse("activities:feed_neighbourhood", args=["ede-zuid"]),
        reverse("activities:feed_place", args=["ede-zuid", dinner.place_id]),
        reverse("activities:feed_initiative", args=["ede-zuid", dinner.initiative_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"], url
        assert "Cookie" in response["Vary"]


def test_a_members_copy_of_a_public_feed_is_private(as_user, personas, dinner):
    response = as_user(personas.daan).get(
        reverse("activities:feed_neighbourhood", args=["ede-zuid"])
    )

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
