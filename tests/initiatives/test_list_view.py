import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.initiatives.models import Initiative, Need, Theme, Update
from buurtnet.people.models import Talent
from tests.factories import InitiativeFactory, ParticipationFactory, UserFactory

LIST = reverse("initiatives:list", args=["ede-zuid"])


def titles(response) -> set[str]:
    return {i.title for i in response.context["initiatives"]}


@pytest.fixture
def variety(personas):
    """A few initiatives that differ in status, theme, needs and words."""
    garden = InitiativeFactory(
        neighbourhood=personas.ede,
        title="Moestuin",
        wish="Vegetables behind the flat",
        status="idea",
    )
    garden.themes.add(Theme.objects.get(slug="green"))
    Need.objects.create(
        initiative=garden,
        kind="talent",
        talent=Talent.objects.get(slug="gardening"),
        description="Someone with green fingers",
    )
    homework = InitiativeFactory(
        neighbourhood=personas.ede,
        title="Huiswerkklas",
        wish="Help with homework",
        description="Tuesdays in the library",
        status="paused",
        visibility="members",
    )
    Need.objects.create(initiative=homework, kind="space", description="A quiet room")
    football = InitiativeFactory(neighbourhood=personas.ede, title="Voetbal", wish="Play ball")
    Need.objects.create(initiative=football, kind="hands", description="Referees", is_met=True)
    elsewhere = InitiativeFactory(neighbourhood=personas.other, title="Elders feest")
    return {"garden": garden, "homework": homework, "football": football, "elsewhere": elsewhere}


def test_members_see_all_initiatives_of_their_own_neighbourhood(as_user, personas, variety):
    response = as_user(personas.daan).get(LIST)
    assert response.status_code == 200
    assert titles(response) == {"Samen eten", "Moestuin", "Huiswerkklas", "Voetbal"}


def test_the_list_shows_counts_and_themes(as_user, personas, variety, open_need):
    response = as_user(personas.daan).get(LIST)
    by_title = {i.title: i for i in response.context["initiatives"]}
    assert by_title["Samen eten"].participant_count == 2
    assert by_title["Samen eten"].open_need_count == 1
    assert by_title["Voetbal"].open_need_count == 0
    html = response.content.decode()
    assert "Green and clean" in html
    assert "2 people on board" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=idea", {"Moestuin"}),
        ("theme=green", {"Moestuin"}),
        ("need=space", {"Huiswerkklas"}),
        ("need=hands", set()),  # the referees were found already
        ("q=homework", {"Huiswerkklas"}),
        ("q=library", {"Huiswerkklas"}),
        ("q=moestuin", {"Moestuin"}),
        ("q=help+tuesdays", {"Huiswerkklas"}),
        ("status=paused&theme=green", set()),
    ],
)
def test_filters_narrow_the_list(as_user, personas, variety, query, expected):
    response = as_user(personas.daan).get(f"{LIST}?{query}")
    assert titles(response) == expected


def test_needs_my_talents_matches_my_talents_and_any_hands_need(
    as_user, personas, variety, open_need
):
    personas.daan.talents.add(Talent.objects.get(slug="gardening"))
    response = as_user(personas.daan).get(f"{LIST}?mine=on")
    assert titles(response) == {"Moestuin", "Samen eten"}  # green fingers; washing up (hands)


def test_needs_my_talents_leaves_out_needs_for_talents_i_lack(as_user, personas, variety):
    personas.daan.talents.add(Talent.objects.get(slug="cooking"))
    response = as_user(personas.daan).get(f"{LIST}?mine=on")
    assert titles(response) == set()


def test_unknown_filter_values_are_ignored_not_an_error(as_user, personas, variety):
    response = as_user(personas.daan).get(f"{LIST}?status=bogus&theme=nope&need=x&page=abc")
    assert response.status_code == 200
    assert len(titles(response)) == 4


def test_the_list_is_paginated_and_keeps_the_filters(as_user, personas):
    for n in range(14):
        InitiativeFactory(neighbourhood=personas.ede, title=f"Idea {n:02}", status="idea")
    client = as_user(personas.daan)
    first = client.get(f"{LIST}?status=idea")
    assert len(first.context["initiatives"]) == 12
    assert "?status=idea&amp;page=2" in first.content.decode()
    second = client.get(f"{LIST}?status=idea&page=2")
    assert len(second.context["initiatives"]) == 2


def test_htmx_requests_get_only_the_results(as_user, personas, variety):
    response = as_user(personas.daan).get(f"{LIST}?theme=green", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Moestuin" in html and "Samen eten" not in html
    assert "HX-Request" in response["Vary"]


def test_the_filter_form_works_without_javascript(as_user, personas):
    html = as_user(personas.daan).get(LIST).content.decode()
    assert f'<form method="get" action="{LIST}"' in html
    assert 'hx-push-url="true"' in html


def test_professionals_see_no_start_button(as_user, personas):
    start = reverse("initiatives:start", args=["ede-zuid"])
    assert start in as_user(personas.daan).get(LIST).content.decode()
    assert start not in as_user(personas.anna).get(LIST).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, personas):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_members_of_another_neighbourhood_get_404(as_user, personas):
    assert as_user(personas.olga).get(LIST).status_code == 404


def _populate(personas, count: int) -> None:
    themes = list(Theme.objects.all()[:3])
    for n in range(count):
        initiative = InitiativeFactory(neighbourhood=personas.ede, title=f"Extra {n}")
        initiative.themes.set(themes)
        ParticipationFactory(initiative=initiative, user=UserFactory(), role="initiator")
        Need.objects.create(initiative=initiative, kind="hands", description="Help")
        Update.objects.create(initiative=initiative, author=personas.fatima, body="News")


@pytest.mark.parametrize("query", ["", "?mine=on&q=extra", "?theme=food&need=hands&status=active"])
def test_the_list_runs_a_fixed_number_of_queries(as_user, personas, query):
    client = as_user(personas.daan)
    _populate(personas, 2)
    cache.clear()  # both counted with nothing cached: the work a change brings back
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST + query).status_code == 200
    _populate(personas, 18)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST + query).status_code == 200
    assert Initiative.objects.count() > 20
    assert len(many) == len(few), [q["sql"] for q in many]
