"""Organisers change what an activity is; the seats promised to people stay theirs."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from buurtnet.activities.models import Rsvp
from buurtnet.activities.services import organise as services
from buurtnet.notifications.models import Kind, Notification
from tests.activities.test_rsvp import answer, neighbours  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_organisers_change_the_title_and_contribution(personas, coffee):
    services.activity_update(
        user=personas.fatima, activity=coffee, title=" Koffie & thee ", cost_cents=150
    )

    coffee.refresh_from_db()
    assert (coffee.title, coffee.cost_cents, coffee.capacity) == ("Koffie & thee", 150, 4)


def test_capacity_cannot_drop_below_the_people_already_going(
    personas,
    coffee,
    first_coffee,
    neighbours,  # noqa: F811
):
    answer(neighbours[0], coffee, first_coffee, guests=2)

    with pytest.raises(ValidationError) as refused:
        services.activity_update(user=personas.fatima, activity=coffee, capacity=2)

    message = refused.value.message_dict["capacity"][0]
    assert message.startswith("3 people are already going on ")
    assert message.endswith("the capacity cannot be lower than that.")
    coffee.refresh_from_db()
    assert coffee.capacity == 4


def test_capacity_may_drop_to_exactly_the_people_going(
    personas,
    coffee,
    first_coffee,
    neighbours,  # noqa: F811
):
    answer(neighbours[0], coffee, first_coffee, guests=2)

    services.activity_update(user=personas.fatima, activity=coffee, capacity=3)

    coffee.refresh_from_db()
    assert coffee.capacity == 3


def test_more_seats_move_the_waiting_list_up(
    personas,
    coffee,
    first_coffee,
    neighbours,  # noqa: F811
):
    for person in neighbours:
        answer(person, coffee, first_coffee)
    answer(personas.daan, coffee, first_coffee)
    assert Rsvp.objects.get(user=personas.daan).waitlisted

    services.activity_update(user=personas.fatima, activity=coffee, capacity=6)

    assert not Rsvp.objects.get(user=personas.daan).waitlisted
    assert Notification.objects.filter(
        recipient=personas.daan, kind=Kind.WAITLIST_PROMOTED
    ).exists()


@pytest.mark.parametrize("who", ["daan", "priya", "anna", "henk", "olga"])
def test_only_organisers_change_an_activity(personas, coffee, who):
    with pytest.raises(PermissionDenied):
        services.activity_update(user=getattr(personas, who), activity=coffee, title="Mine now")

    coffee.refresh_from_db()
    assert coffee.title == "Koffieochtend"


def test_bad_values_are_refused_with_field_messages(personas, coffee):
    with pytest.raises(ValidationError) as refused:
        services.activity_update(user=personas.fatima, activity=coffee, title="", capacity=0)

    assert set(refused.value.message_dict) >= {"title", "capacity"}
