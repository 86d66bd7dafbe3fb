"""One occurrence's page, and answering whether you come through it."""

from html import unescape

import pytest
from django.urls import reverse

from buurtnet.activities.models import Rsvp
from buurtnet.activities.services.organise import occurrence_cancel
from buurtnet.activities.services.rsvps import rsvp_set
from tests.factories import MembershipFactory, UserFactory


def page(activity, when: str) -> str:
    return reverse("activities:occurrence", args=["ede-zuid", activity.pk, when])


def rsvp_url(activity, when: str) -> str:
    return reverse("activities:rsvp", args=["ede-zuid", activity.pk, when])


def key(moment) -> str:
    return moment.strftime("%Y%m%dT%H%M")


def test_anonymous_visitors_are_sent_to_log_in(client, personas, dinner):
    response = client.get(page(dinner, "20270326T1800"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_members_of_another_neighbourhood_get_404(as_user, personas, dinner):
    assert as_user(personas.olga).get(page(dinner, "20270326T1800")).status_code == 404


@pytest.mark.parametrize("when", ["20270325T1800", "20270326T1900", "not-a-time", "20271399T9999"])
def test_a_time_the_series_does_not_have_is_404(as_user, personas, dinner, when):
    assert as_user(personas.daan).get(page(dinner, when)).status_code == 404


@pytest.mark.parametrize("when", ["20270326T1800", "20270430T1800"])
def test_it_shows_the_local_time_before_and_after_the_dst_change(as_user, personas, dinner, when):
    response = as_user(personas.daan).get(page(dinner, when))

    assert response.status_code == 200
    assert "18:00</time>" in response.text and ">20:30</time>" in response.text
    assert reverse("initiatives:detail", args=["ede-zuid", personas.initiative.pk]) in response.text
    assert "Contribution €3.00" in response.text


def test_residents_answer_and_see_that_they_are_going(as_user, personas, dinner):
    client = as_user(personas.daan)

    response = client.post(
        rsvp_url(dinner, "20270326T1800"),
        {"status": "going", "guests": "2", "halal": "on", "allergies": "nuts"},
        follow=True,
    )

    assert "You're going." in unescape(response.text)
    rsvp = Rsvp.objects.get(user=personas.daan)
    assert (rsvp.guests, rsvp.halal, rsvp.allergies) == (2, True, "nuts")


def test_negative_guests_are_refused_and_what_was_typed_stays(as_user, personas, dinner):
    response = as_user(personas.daan).post(
        rsvp_url(dinner, "20270326T1800"),
        {"status": "going", "guests": "-1", "vegan": "on", "allergies": "sesame"},
    )

    assert response.status_code == 400
    assert "The number of guests cannot be negative." in response.text
    assert 'value="-1"' in response.text and 'value="sesame"' in response.text
    assert not Rsvp.objects.exists()


def test_too_many_guests_get_the_services_message(as_user, personas, dinner):
    response = as_user(personas.daan).post(
        rsvp_url(dinner, "20270326T1800"), {"status": "going", "guests": "21"}
    )

    assert response.status_code == 400
    assert "You can bring at most 20 guests." in response.text


def test_answers_to_a_cancelled_time_are_refused(as_user, personas, dinner):
    from tests.activities.conftest import local

    occurrence_cancel(user=personas.fatima, activity=dinner, original_start=local(2027, 3, 26, 18))

    response = as_user(personas.daan).post(
        rsvp_url(dinner, "20270326T1800"), {"status": "going", "guests": "0"}
    )

    assert response.status_code == 400
    assert "This time is cancelled." in response.text


def test_answers_to_a_past_time_are_refused(as_user, personas, dinner, monkeypatch):
    from datetime import UTC, datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))
    response = as_user(personas.daan).post(
        rsvp_url(dinner, "20270326T1800"), {"status": "going", "guests": "0"}
    )

    assert response.status_code == 400
    assert "answers are closed" in response.text


def test_past_capacity_you_land_on_the_waiting_list_and_a_cancel_moves_you_up(
    as_user, personas, coffee, first_coffee
):
    when = key(first_coffee)
    rsvp_set(
        user=personas.priya,
        activity=coffee,
        occurrence_start=first_coffee,
        status="going",
        guests=3,
    )
    client = as_user(personas.daan)

    response = client.post(rsvp_url(coffee, when), {"status": "going", "guests": "0"}, follow=True)
    assert "You're on the waiting list (number 1)." in unescape(response.text)

    as_user(personas.priya).post(
        reverse("activities:rsvp_cancel", args=["ede-zuid", coffee.pk, when])
    )

    assert Rsvp.objects.get(user=personas.daan).waitlisted is False
    response = as_user(personas.daan).get(page(coffee, when))
    assert "You're going." in unescape(response.text)


def test_cancelling_without_an_answer_is_refused_clearly(as_user, personas, coffee, first_coffee):
    response = as_user(personas.daan).post(
        reverse("activities:rsvp_cancel", args=["ede-zuid", coffee.pk, key(first_coffee)])
    )

    assert response.status_code == 400
    assert "You had not signed up for this time." in response.text


def test_organisers_see_the_dietary_summary_and_who_comes(as_user, personas, dinner):
    from tests.activities.conftest import local

    start = local(2027, 3, 26, 18)
    rsvp_set(
        user=personas.daan,
        activity=dinner,
        occurrence_start=start,
        status="going",
        guests=1,
        halal=True,
    )
    rsvp_set(
        user=personas.priya,
        activity=dinner,
        occurrence_start=start,
        status="going",
        vegetarian=True,
        allergies="nuts",
    )

    response = as_user(personas.fatima).get(page(dinner, "20270326T1800"))

    assert "3 people" in response.text
    assert "2 halal" in response.text and "1 vegetarian" in response.text
    assert "1 nuts allergy" in response.text
    assert "Daan" in response.text and "Priya" in response.text


@pytest.mark.parametrize("who", ["daan", "priya", "anna", "henk"])
def test_others_do_not_see_who_comes(as_user, personas, dinner, who):
    stranger = UserFactory(display_name="Zeynep")
    MembershipFactory(user=stranger, neighbourhood=personas.ede)
    from tests.activities.conftest import local

    rsvp_set(
        user=stranger, activity=dinner, occurrence_start=local(2027, 3, 26, 18), status="going"
    )

    response = as_user(getattr(personas, who)).get(page(dinner, "20270326T1800"))

    assert response.status_code == 200
    assert "For the organisers" not in response.text
    assert "Zeynep" not in response.text
