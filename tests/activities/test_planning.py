"""Places, their keepers and planning activities: who may, and what is refused."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buurtnet.activities.models import Activity, Place, PlaceKeeper
from buurtnet.activities.services.organise import activity_create
from buurtnet.activities.services.places import place_create, place_keeper_assign
from tests.factories import InitiativeFactory


def plan(user, neighbourhood, **overrides):
    values = {
        "user": user,
        "neighbourhood": neighbourhood,
        "title": "Samen eten",
        "start_date": date(2027, 1, 29),
        "start_time": time(18, 0),
        "duration_minutes": 150,
        "rrule": "FREQ=MONTHLY;BYDAY=-1FR",
    }
    values.update(overrides)
    return activity_create(**values)


@pytest.mark.parametrize("who", ["fatima", "daan", "anna", "olga"])
def test_only_hosts_add_places(personas, who):
    with pytest.raises(PermissionDenied):
        place_create(user=getattr(personas, who), neighbourhood=personas.ede, name="Zaal")
    assert not Place.objects.exists()


def test_a_host_adds_a_place_and_makes_a_resident_its_keeper(personas, room):
    assert room.neighbourhood == personas.ede
    keeper = PlaceKeeper.objects.get(place=room)
    assert (keeper.user, keeper.assigned_by) == (personas.fatima, personas.henk)


@pytest.mark.parametrize("who", ["anna", "olga"])
def test_keepers_are_residents_of_the_neighbourhood(personas, room, who):
    with pytest.raises(ValidationError):
        place_keeper_assign(user=personas.henk, place=room, keeper=getattr(personas, who))


def test_only_hosts_assign_keepers(personas, room):
    with pytest.raises(PermissionDenied):
        place_keeper_assign(user=personas.fatima, place=room, keeper=personas.daan)


def test_a_keeper_is_assigned_once(personas, room):
    with pytest.raises(ValidationError) as raised:
        place_keeper_assign(user=personas.henk, place=room, keeper=personas.fatima)
    assert raised.value.error_dict["keeper"][0].code == "already_keeper"


def test_an_initiator_plans_a_series_for_the_initiative(personas, room):
    activity = plan(personas.fatima, personas.ede, initiative=personas.initiative, place=room)

    assert activity.initiative == personas.initiative
    assert activity.rrule == "FREQ=MONTHLY;BYDAY=-1FR"
    assert activity.created_by == personas.fatima


@pytest.mark.parametrize("who", ["priya", "daan", "henk", "anna", "sem", "olga"])
def test_only_initiators_plan_for_their_initiative(personas, who):
    with pytest.raises(PermissionDenied):
        plan(getattr(personas, who), personas.ede, initiative=personas.initiative)
    assert not Activity.objects.exists()


def test_keepers_plan_for_their_place_and_others_do_not(personas, room):
    assert plan(personas.fatima, personas.ede, place=room).place == room
    with pytest.raises(PermissionDenied):
        plan(personas.daan, personas.ede, place=room)


def test_an_activity_needs_an_initiative_or_a_place(personas):
    with pytest.raises(ValidationError) as raised:
        plan(personas.fatima, personas.ede)
    assert "initiative" in raised.value.message_dict


def test_it_refuses_an_initiative_or_place_of_another_neighbourhood(personas, room):
    elsewhere = InitiativeFactory(neighbourhood=personas.other)
    with pytest.raises(ValidationError):
        plan(personas.fatima, personas.ede, initiative=elsewhere)
    with pytest.raises(ValidationError):
        plan(personas.olga, personas.other, place=room)


def test_the_first_date_must_fit_the_rule(personas, room):
    with pytest.raises(ValidationError) as raised:
        plan(personas.fatima, personas.ede, place=room, start_date=date(2027, 1, 22))
    assert "2027-01-29" in raised.value.message_dict["start_date"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("duration_minutes", 0), ("duration_minutes", 24 * 60 + 1), ("capacity", 0), ("title", "")],
)
def test_it_refuses_impossible_values(personas, room, field, value):
    with pytest.raises(ValidationError) as raised:
        plan(personas.fatima, personas.ede, place=room, **{field: value})
    assert field in raised.value.message_dict


def test_a_negative_contribution_is_refused(personas, room):
    with pytest.raises(ValidationError) as raised:
        plan(personas.fatima, personas.ede, place=room, cost_cents=-300)
    assert "cost_cents" in raised.value.message_dict
