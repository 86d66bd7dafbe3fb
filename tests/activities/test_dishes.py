"""Bring a dish: at a potluck each member says which dish they bring on a date."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from buurtnet.activities.models import Dish
from buurtnet.activities.selectors.helping import dish_counts, dishes_on
from buurtnet.activities.services import helping as helping_services
from buurtnet.activities.services import organise as services
from tests.activities.conftest import local

MARCH = local(2027, 3, 26, 18)
APRIL = local(2027, 4, 30, 18)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def potluck(personas, dinner):
    return services.activity_update(user=personas.fatima, activity=dinner, bring_a_dish=True)


def bring(activity, who, dish="Lentil soup", *, start=MARCH, **marks):
    return helping_services.dish_set(
        user=who, activity=activity, occurrence_start=start, dish=dish, **marks
    )


@pytest.mark.parametrize("who", ["fatima", "priya", "daan", "henk", "anna", "sem"])
def test_every_member_can_say_what_they_bring(personas, potluck, who):
    user = getattr(personas, who)

    dish = bring(potluck, user, "  Baklava ", halal=True)

    assert (dish.user, dish.dish, dish.halal, dish.occurrence_start) == (
        user,
        "Baklava",
        True,
        MARCH,
    )


def test_members_of_another_neighbourhood_bring_nothing_here(personas, potluck):
    with pytest.raises(PermissionDenied):
        bring(potluck, personas.olga)
    assert not Dish.objects.exists()


def test_saying_again_changes_the_one_dish(personas, potluck):
    bring(potluck, personas.daan, "Salad", vegetarian=True)

    bring(potluck, personas.daan, "Rice with lentils", halal=True, vegan=True)

    dish = Dish.objects.get()
    assert (dish.dish, dish.halal, dish.vegetarian, dish.vegan) == (
        "Rice with lentils",
        True,
        True,
        True,
    )


def test_each_date_has_its_own_dishes(personas, potluck):
    bring(potluck, personas.daan, "Salad")
    bring(potluck, personas.daan, "Pie", start=APRIL)

    assert [d.dish for d in dishes_on(potluck, MARCH)] == ["Salad"]
    assert [d.dish for d in dishes_on(potluck, APRIL)] == ["Pie"]


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_dish_needs_a_name(personas, potluck, name):
    with pytest.raises(ValidationError) as exc:
        bring(potluck, personas.daan, name)

    assert exc.value.message_dict["dish"] == ["Say which dish you bring."]


def test_a_long_name_is_refused(personas, potluck):
    with pytest.raises(ValidationError) as exc:
        bring(potluck, personas.daan, "x" * 121)

    assert "dish" in exc.value.message_dict


def test_without_bring_a_dish_nobody_brings_one(personas, dinner):
    with pytest.raises(ValidationError) as exc:
        bring(dinner, personas.daan)

    assert exc.value.code == "no_dish"


def test_no_dishes_for_a_cancelled_or_past_date(personas, potluck, monkeypatch):
    services.occurrence_cancel(user=personas.fatima, activity=potluck, original_start=MARCH)
    with pytest.raises(ValidationError) as exc:
        bring(potluck, personas.daan)
    assert exc.value.messages == ["This time is cancelled."]

    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 5, 1, tzinfo=UTC))
    with pytest.raises(ValidationError) as exc:
        bring(potluck, personas.daan, start=APRIL)
    assert exc.value.code == "past"


def test_removing_my_dish(personas, potluck):
    bring(potluck, personas.daan)
    bring(potluck, personas.priya)

    helping_services.dish_remove(user=personas.daan, activity=potluck, occurrence_start=MARCH)

    assert [d.user for d in Dish.objects.all()] == [personas.priya]
    with pytest.raises(ValidationError) as exc:
        helping_services.dish_remove(user=personas.daan, activity=potluck, occurrence_start=MARCH)
    assert exc.value.messages == ["You had not said you bring a dish."]


def test_the_counts_say_how_many_of_each(personas, potluck):
    bring(potluck, personas.daan, "Salad", vegetarian=True)
    bring(potluck, personas.priya, "Falafel", vegan=True, halal=True)
    bring(potluck, personas.henk, "Chicken", halal=True)
    bring(potluck, personas.anna, "Cake")

    counts = dish_counts(dishes_on(potluck, MARCH))

    assert (counts.dishes, counts.vegetarian, counts.vegan, counts.halal) == (4, 2, 1, 2)
    assert counts.marks == [("vegetarian", 2), ("vegan", 1), ("halal", 2)]
