"""The registry of what conversations can be about (conversations/topics.py)."""

import pytest

from buurtnet.conversations import topics
from buurtnet.initiatives.models import Initiative
from buurtnet.people.models import User
from tests.factories import InitiativeFactory


def membership(user):
    return user.memberships.get()


def test_initiatives_and_profiles_are_registered():
    assert topics.is_registered(Initiative)
    assert topics.is_registered(User)


def test_an_initiative_resolves_for_a_member_of_its_neighbourhood(personas):
    about = topics.about(personas.initiative)
    assert about == f"initiatives.initiative:{personas.initiative.pk}"
    assert topics.resolve(about, membership(personas.daan)) == personas.initiative
    assert topics.resolve(about, membership(personas.olga)) is None
    assert topics.resolve(about, None) is None


@pytest.mark.parametrize(
    "about",
    ["", "initiatives.initiative", "initiatives.initiative:", "initiatives.initiative:x",
     "Initiatives.Initiative:1", "auth.group:1", "initiatives.initiative:99999999",
     "initiatives.initiative:1:2"],
)  # fmt: skip
def test_anything_else_resolves_to_nothing(personas, about):
    assert topics.resolve(about, membership(personas.daan)) is None


def test_a_profile_is_a_topic_for_neighbours_when_listed(personas):
    about = topics.about(personas.priya)
    assert topics.resolve(about, membership(personas.daan)) == personas.priya
    assert topics.resolve(about, membership(personas.olga)) is None
    personas.priya.listed_in_directory = False
    personas.priya.save()
    assert topics.resolve(about, membership(personas.daan)) is None


def test_a_registered_model_describes_its_objects(personas):
    other = InitiativeFactory(neighbourhood=personas.ede, title="Koffie")
    described = topics.describe(other)
    assert described.title == "Koffie"
    assert described.url == other.get_absolute_url()
