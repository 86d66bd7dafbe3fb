import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.initiatives.models import Need, Participation, Theme, Update
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import Talent
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ParticipationFactory,
    UserFactory,
)

HOME = reverse("front:member_home", args=["ede-zuid"])


def talent(slug: str) -> Talent:
    return Talent.objects.get(slug=slug)


@pytest.fixture
def needs(personas):
    garden = InitiativeFactory(neighbourhood=personas.ede, title="Moestuin")
    closed = InitiativeFactory(neighbourhood=personas.ede, title="Afgelopen", status="ended")
    elsewhere = InitiativeFactory(neighbourhood=personas.other, title="Elders")
    return {
        "gardening": Need.objects.create(
            initiative=garden,
            kind="talent",
            talent=talent("gardening"),
            description="Green fingers",
        ),
        "sewing": Need.objects.create(
            initiative=garden, kind="talent", talent=talent("sewing"), description="Curtains"
        ),
        "hands": Need.objects.create(initiative=garden, kind="hands", description="Digging"),
        "met": Need.objects.create(
            initiative=garden, kind="hands", description="Fence", is_met=True
        ),
        "ended": Need.objects.create(initiative=closed, kind="hands", description="Old job"),
        "money": Need.objects.create(initiative=garden, kind="money", description="Seeds money"),
        "elsewhere": Need.objects.create(initiative=elsewhere, kind="hands", description="Far"),
        "own": Need.objects.create(
            initiative=personas.initiative, kind="hands", description="Washing up"
        ),
    }


def test_anonymous_visitors_log_in_and_outsiders_get_404(client, as_user, personas):
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert as_user(personas.olga).get(HOME).status_code == 404


def test_i_see_open_needs_for_my_talents_and_for_hands(as_user, personas, needs):
    personas.daan.talents.add(talent("gardening"))
    response = as_user(personas.daan).get(HOME)
    shown = {n.description for n in response.context["matching_needs"]}
    assert shown == {"Green fingers", "Digging", "Washing up"}
    assert "Green fingers" in response.content.decode().replace("<bdi>", "").replace("</bdi>", "")


def test_needs_of_initiatives_i_am_on_board_of_are_not_suggested(as_user, personas, needs):
    response = as_user(personas.priya).get(HOME)
    shown = {n.description for n in response.context["matching_needs"]}
    assert "Washing up" not in shown and "Digging" in shown


def test_professionals_see_every_open_need_their_organisation_could_help_with(
    as_user, personas, needs
):
    response = as_user(personas.anna).get(HOME)
    shown = {n.description for n in response.context["matching_needs"]}
    assert shown == {"Green fingers", "Curtains", "Digging", "Seeds money", "Washing up"}
    html = response.content.decode().replace("<bdi>", "").replace("</bdi>", "")
    assert "Where your organisation could help" in html
    assert reverse("initiatives:start", args=["ede-zuid"]) not in html


def test_residents_are_invited_to_start_an_initiative(as_user, personas):
    html = (
        as_user(personas.daan).get(HOME).content.decode().replace("<bdi>", "").replace("</bdi>", "")
    )
    assert reverse("initiatives:start", args=["ede-zuid"]) in html


def test_recent_updates_come_from_my_neighbourhood_only(as_user, personas):
    Update.objects.create(initiative=personas.initiative, author=personas.priya, body="Dinner!")
    elsewhere = InitiativeFactory(neighbourhood=personas.other)
    Update.objects.create(initiative=elsewhere, author=personas.olga, body="Far away news")
    html = (
        as_user(personas.daan).get(HOME).content.decode().replace("<bdi>", "").replace("</bdi>", "")
    )
    assert "Dinner!" in html and "Far away news" not in html


def test_who_joined_recently_shows_names_only_of_people_listed(as_user, personas):
    hidden = UserFactory(display_name="Verborgen", listed_in_directory=False)
    MembershipFactory(user=hidden, neighbourhood=personas.ede)
    ParticipationFactory(initiative=personas.initiative, user=hidden)
    newcomer = UserFactory(display_name="Nieuwkomer")
    MembershipFactory(user=newcomer, neighbourhood=personas.ede)
    response = as_user(personas.daan).get(HOME)
    html = response.content.decode().replace("<bdi>", "").replace("</bdi>", "")
    assert "Nieuwkomer" in html
    assert "Verborgen" not in html
    assert "Olga" not in html
    assert "Priya joined “Samen eten”" in html or "Priya joined &ldquo;Samen eten&rdquo;" in html


def test_new_neighbours_are_residents_listed_other_than_me(as_user, personas):
    for name, role in (("Bewoner", "resident"), ("Gastvrouw", "host")):
        MembershipFactory(
            user=UserFactory(display_name=name), neighbourhood=personas.ede, role=role
        )
    MembershipFactory(
        user=UserFactory(display_name="Ambtenaar"),
        neighbourhood=personas.ede,
        role="professional",
        organisation=personas.wijkteam,
    )
    MembershipFactory(
        user=UserFactory(display_name="Stil", listed_in_directory=False),
        neighbourhood=personas.ede,
    )
    response = as_user(personas.daan).get(HOME)
    shown = set(response.context["new_neighbours"])
    assert {"Bewoner", "Gastvrouw", "Fatima", "Henk"} <= shown
    assert shown.isdisjoint({"Ambtenaar", "Anna", "Sem", "Stil", "Daan", "Olga"})
    html = response.content.decode().replace("<bdi>", "").replace("</bdi>", "")
    new = html[html.index("New neighbours on Buurtnet") :]
    assert "Ambtenaar" not in new and "Daan" not in new


def test_my_initiatives_show_my_role(as_user, personas):
    other = InitiativeFactory(neighbourhood=personas.ede, title="Koffie")
    Participation.objects.create(initiative=other, user=personas.fatima, status="pending")
    response = as_user(personas.fatima).get(HOME)
    mine = {p.initiative.title: p for p in response.context["my_participations"]}
    assert set(mine) == {"Samen eten", "Koffie"}
    html = response.content.decode().replace("<bdi>", "").replace("</bdi>", "")
    assert "You keep the lead" in html and "Waiting for the initiators" in html


def test_my_notifications_are_on_my_home(as_user, personas):
    notify(
        recipients=[personas.fatima],
        kind=Kind.INITIATIVE_JOINED,
        actor=personas.daan,
        params={"initiative": "Samen eten"},
        url="/n/ede-zuid/initiatives/",
    )
    assert "Daan" in as_user(personas.fatima).get(HOME).content.decode().replace(
        "<bdi>", ""
    ).replace("</bdi>", "")
    assert len(as_user(personas.priya).get(HOME).context["notifications"]) == 0


def _populate(personas, count: int) -> None:
    themes = list(Theme.objects.all()[:2])
    for n in range(count):
        user = UserFactory()
        MembershipFactory(user=user, neighbourhood=personas.ede)
        initiative = InitiativeFactory(neighbourhood=personas.ede, title=f"Plan {n}")
        initiative.themes.set(themes)
        ParticipationFactory(initiative=initiative, user=user)
        ParticipationFactory(initiative=initiative, user=personas.daan, status="pending")
        Need.objects.create(initiative=initiative, kind="hands", description=f"Hands {n}")
        Need.objects.create(
            initiative=initiative, kind="talent", talent=talent("cooking"), description="Cook"
        )
        Update.objects.create(initiative=initiative, author=user, body=f"News {n}")
        notify(recipients=[personas.daan], kind=Kind.OFFER_ACCEPTED, params={"initiative": "x"})


@pytest.mark.parametrize("who", ["daan", "anna"])
def test_the_member_home_runs_a_fixed_number_of_queries(as_user, personas, who):
    personas.daan.talents.add(talent("cooking"))
    client = as_user(getattr(personas, who))
    _populate(personas, 2)
    cache.clear()  # both counted with nothing cached: the work a change brings back
    with CaptureQueriesContext(connection) as few:
        assert client.get(HOME).status_code == 200
    _populate(personas, 18)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(HOME).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many]
