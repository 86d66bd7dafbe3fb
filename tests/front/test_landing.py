"""A neighbourhood's public page: what it is and how to join, with no personal data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.initiatives.models import Theme
from buurtnet.people.models import Language
from tests.factories import InitiativeFactory, ParticipationFactory, UserFactory

LANDING = reverse("front:landing", args=["ede-zuid"])


@pytest.fixture
def ede(personas):
    ede = personas.ede
    ede.description = "Eight flats, 900 homes, 1500 residents and 40 nationalities."
    ede.motto = "Hoogbouw Ede-Zuid, deel ik met mijn buren!"
    ede.save()
    ede.languages.set(Language.objects.filter(code__in=["nl", "ar", "tr"]))
    personas.initiative.themes.add(Theme.objects.get(slug="food"))
    InitiativeFactory(neighbourhood=ede, title="Besloten overleg", visibility="members")
    InitiativeFactory(neighbourhood=ede, title="Oud project", status="ended")
    InitiativeFactory(neighbourhood=personas.other, title="Elders feest")
    return ede


def test_visitors_see_what_the_neighbourhood_is(client, ede):
    response = client.get(LANDING)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Ede-Zuid" in html
    assert "A neighbourhood in Ede" in html
    assert "Eight flats, 900 homes" in html
    assert "Hoogbouw Ede-Zuid, deel ik met mijn buren!" in html
    assert "العربية" in html and 'lang="ar"' in html


def test_visitors_see_public_initiatives_only(client, ede):
    html = client.get(LANDING).content.decode()
    assert "Samen eten" in html
    assert "That neighbours get to know each other." in html
    assert "Food and cooking" in html
    assert "Besloten overleg" not in html  # members only
    assert "Elders feest" not in html  # another neighbourhood


def test_the_public_page_names_no_member(client, ede, personas):
    html = client.get(LANDING).content.decode()
    for person in ["fatima", "priya", "daan", "henk", "anna", "sem"]:
        assert getattr(personas, person).display_name not in html
        assert f"{person}@example.org" not in html
    assert f"/initiatives/{personas.initiative.pk}/" not in html  # no links into member pages


def test_numbers_are_totals_of_this_neighbourhood(client, ede, personas):
    numbers = client.get(LANDING).context["numbers"]
    assert numbers.members == 6  # olga lives elsewhere
    assert numbers.active_initiatives == 2  # "Samen eten" and the members-only one
    assert numbers.partners == 2
    assert numbers.people_taking_part == 2  # fatima and priya


def test_someone_on_board_of_two_initiatives_counts_once(client, ede, personas):
    other = InitiativeFactory(neighbourhood=ede)
    ParticipationFactory(initiative=other, user=personas.priya)
    ParticipationFactory(initiative=other, user=personas.daan, status="pending")
    assert client.get(LANDING).context["numbers"].people_taking_part == 2


def test_partners_are_listed_with_their_kind(client, ede):
    html = client.get(LANDING).content.decode()
    assert "Wijkteam Ede-Zuid" in html and "Neighbourhood team" in html
    assert "Stichting Vrienden van de Hoogbouw" in html and "Foundation" in html
    assert "First point of contact" in html


def test_visitors_are_invited_to_join(client, ede):
    html = client.get(LANDING).content.decode()
    assert reverse("neighbourhoods:signup") in html
    assert reverse("neighbourhoods:ask_to_join", args=["ede-zuid"]) in html


def test_members_see_a_link_to_their_home(as_user, ede, personas):
    html = as_user(personas.daan).get(LANDING).content.decode()
    assert reverse("front:member_home", args=["ede-zuid"]) in html
    assert reverse("neighbourhoods:ask_to_join", args=["ede-zuid"]) not in html


def test_a_member_of_elsewhere_is_invited_like_any_visitor(as_user, ede, personas):
    html = as_user(personas.olga).get(LANDING).content.decode()
    assert reverse("neighbourhoods:ask_to_join", args=["ede-zuid"]) in html


def test_an_unknown_neighbourhood_is_not_found(client, db):
    assert client.get(reverse("front:landing", args=["nowhere"])).status_code == 404


def test_the_landing_page_runs_a_fixed_number_of_queries(client, ede):
    client.get(LANDING)  # the first visit also learns which neighbourhood the address names
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(LANDING)
    for n in range(10):
        initiative = InitiativeFactory(neighbourhood=ede, title=f"Plan {n}")
        initiative.themes.set(Theme.objects.all()[:2])
        ParticipationFactory(initiative=initiative, user=UserFactory())
    client.get(LANDING)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(LANDING)
    assert len(many) == len(few)
