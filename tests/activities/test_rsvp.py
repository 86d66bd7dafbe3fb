"""Saying you come: capacity, the waiting list, and what is refused."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buurtnet.activities.models import Rsvp
from buurtnet.activities.selectors.rsvps import dietary_summary
from buurtnet.activities.services.organise import occurrence_cancel
from buurtnet.activities.services.rsvps import rsvp_cancel, rsvp_set
from buurtnet.notifications.models import Kind, Notification
from tests.activities.conftest import AMSTERDAM
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def neighbours(personas):
    """Four more residents, so the coffee morning (4 places) can fill up."""
    people = []
    for name in ["Noor", "Joost", "Mehmet", "Lin"]:
        user = UserFactory(display_name=name)
        MembershipFactory(user=user, neighbourhood=personas.ede)
        people.append(user)
    return people


def answer(user, activity, start, status="going", **extra):
    return rsvp_set(user=user, activity=activity, occurrence_start=start, status=status, **extra)


def test_members_say_they_come(personas, coffee, first_coffee):
    rsvp = answer(personas.daan, coffee, first_coffee, guests=1, halal=True)

    assert (rsvp.status, rsvp.guests, rsvp.halal, rsvp.waitlisted) == ("going", 1, True, False)


def test_answering_again_changes_the_answer(personas, coffee, first_coffee):
    answer(personas.daan, coffee, first_coffee)
    answer(personas.daan, coffee, first_coffee, status="maybe")

    assert Rsvp.objects.get().status == "maybe"


def test_past_capacity_people_wait_and_a_cancellation_moves_the_first_up(
    personas, coffee, first_coffee, neighbours
):
    noor, joost, mehmet, lin = neighbours
    answer(personas.daan, coffee, first_coffee, guests=1)
    answer(noor, coffee, first_coffee)
    answer(joost, coffee, first_coffee)  # 4 of 4 places taken
    first_in_line = answer(mehmet, coffee, first_coffee)
    second_in_line = answer(lin, coffee, first_coffee)
    assert first_in_line.waitlisted and second_in_line.waitlisted

    rsvp_cancel(user=noor, activity=coffee, occurrence_start=first_coffee)

    first_in_line.refresh_from_db()
    second_in_line.refresh_from_db()
    assert not first_in_line.waitlisted
    assert first_in_line.promoted_at is not None
    assert second_in_line.waitlisted
    assert Rsvp.objects.get(user=noor).status == "not_going"
    # Only the one who moved up hears it; the one who cancelled and the line behind do not.
    told = Notification.objects.filter(kind=Kind.WAITLIST_PROMOTED)
    assert [n.recipient for n in told] == [mehmet]
    assert told[0].params["activity"] == coffee.title


def test_saying_maybe_frees_the_places_for_the_line(personas, coffee, first_coffee, neighbours):
    answer(personas.daan, coffee, first_coffee, guests=3)
    waiting = answer(neighbours[0], coffee, first_coffee)

    answer(personas.daan, coffee, first_coffee, status="maybe")

    waiting.refresh_from_db()
    assert not waiting.waitlisted


def test_a_party_too_big_for_the_free_places_waits_and_nobody_jumps_the_line(
    personas, coffee, first_coffee, neighbours
):
    noor, joost, mehmet, _lin = neighbours
    answer(personas.daan, coffee, first_coffee, guests=1)
    family = answer(noor, coffee, first_coffee, guests=2)  # 3 people, 2 places left
    single = answer(joost, coffee, first_coffee)  # fits, but Noor's family was first

    assert family.waitlisted and single.waitlisted

    answer(personas.daan, coffee, first_coffee, status="not_going")

    family.refresh_from_db()
    single.refresh_from_db()
    assert not family.waitlisted
    assert not single.waitlisted


def test_someone_with_a_place_who_adds_too_many_guests_keeps_their_place(
    personas, coffee, first_coffee, neighbours
):
    answer(personas.daan, coffee, first_coffee)
    answer(neighbours[0], coffee, first_coffee, guests=1)

    with pytest.raises(ValidationError) as raised:
        answer(personas.daan, coffee, first_coffee, guests=2)

    assert raised.value.error_dict["guests"][0].code == "full"
    rsvp = Rsvp.objects.get(user=personas.daan)
    assert (rsvp.guests, rsvp.waitlisted) == (0, False)


def test_negative_guests_are_refused(personas, coffee, first_coffee):
    with pytest.raises(ValidationError) as raised:
        answer(personas.daan, coffee, first_coffee, guests=-1)
    assert "guests" in raised.value.message_dict
    assert not Rsvp.objects.exists()


def test_a_cancelled_occurrence_takes_no_answers(personas, coffee, first_coffee):
    occurrence_cancel(user=personas.fatima, activity=coffee, original_start=first_coffee)

    with pytest.raises(ValidationError) as raised:
        answer(personas.daan, coffee, first_coffee)
    assert raised.value.code == "cancelled"


def test_a_past_occurrence_takes_no_answers(personas, coffee):
    coffee.start_date = coffee.start_date.replace(year=2020)
    coffee.start_date -= timedelta(days=(coffee.start_date.weekday() - 2) % 7)
    coffee.start_time = time(10, 0)
    coffee.save()
    past = datetime.combine(coffee.start_date, coffee.start_time, tzinfo=AMSTERDAM)

    with pytest.raises(ValidationError) as raised:
        answer(personas.daan, coffee, past)
    assert raised.value.code == "past"


def test_a_time_the_series_does_not_have_takes_no_answers(personas, coffee, first_coffee):
    with pytest.raises(ValidationError) as raised:
        answer(personas.daan, coffee, first_coffee + timedelta(days=1))
    assert raised.value.code == "none"


def test_members_of_another_neighbourhood_cannot_answer(personas, coffee, first_coffee):
    with pytest.raises(PermissionDenied):
        answer(personas.olga, coffee, first_coffee)


def test_professionals_may_come_too(personas, coffee, first_coffee):
    assert answer(personas.anna, coffee, first_coffee).status == "going"


def test_the_cooks_see_what_to_cook_for(personas, dinner, room):
    dinner.start_date = dinner.start_date.replace(year=2030)
    dinner.start_date += timedelta(days=(4 - dinner.start_date.weekday()) % 7)
    dinner.rrule = ""
    dinner.capacity = 8
    dinner.save()
    start = datetime.combine(dinner.start_date, dinner.start_time, tzinfo=AMSTERDAM)
    answer(personas.fatima, dinner, start, guests=2, halal=True)
    answer(personas.priya, dinner, start, vegetarian=True, allergies="Nuts")
    answer(personas.daan, dinner, start, guests=1, no_pork=True, allergies="nuts ")
    answer(personas.henk, dinner, start, status="maybe", vegan=True)
    answer(personas.anna, dinner, start, guests=2, halal=True)  # 9 > 8: waits

    assert dietary_summary(dinner, start) == {
        "people": 6,
        "halal": 3,
        "vegetarian": 1,
        "vegan": 0,
        "no_pork": 2,
        "allergies": [{"text": "nuts", "people": 3}],
        "waiting": 3,
    }
