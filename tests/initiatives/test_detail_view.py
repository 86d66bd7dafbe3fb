import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buurtnet.initiatives.forms import _written_in_choices as written_in_choices
from buurtnet.initiatives.models import Learning, Need, SupportOffer, Update
from buurtnet.people.models import Talent
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ParticipationFactory,
    UserFactory,
)


@pytest.fixture
def rich(personas, open_need, joiner, pending_offer):
    """The dinner with everything a detail page shows."""
    initiative = personas.initiative
    Need.objects.create(
        initiative=initiative,
        kind="materials",
        description="Pans",
        is_met=True,
        met_by_organisation=personas.wijkteam,
    )
    SupportOffer.objects.create(
        initiative=initiative,
        organisation=personas.wijkteam,
        offered_by=personas.anna,
        kind="facilitation",
        message="The community room",
        status="accepted",
    )
    priya = initiative.participations.get(user=personas.priya)
    priya.talents.add(Talent.objects.get(slug="cooking"))
    Update.objects.create(initiative=initiative, author=personas.priya, body="Thirty came!")
    Learning.objects.create(
        initiative=initiative, author=personas.fatima, what_worked="Cooking in pairs"
    )
    return initiative


def test_the_detail_shows_the_wish_the_people_and_the_progress(as_user, personas, url, rich):
    response = as_user(personas.daan).get(url("detail"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "That neighbours get to know each other." in html
    assert "Who keeps the lead" in html and "Fatima" in html
    assert "Priya" in html and "Cooking" in html  # on board, with what she brings
    assert "Washing up after dinner" in html  # open need
    assert "Pans" in html  # met need
    assert "Wijkteam Ede-Zuid" in html  # accepted offer: a supporter
    assert "Thirty came!" in html and "Cooking in pairs" in html


def test_pending_joiners_and_pending_offers_stay_off_the_public_detail(
    as_user, personas, url, rich
):
    html = as_user(personas.daan).get(url("detail")).content.decode()
    assert "Joost" not in html
    assert "Stichting Vrienden van de Hoogbouw" not in html


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("fatima", ["/edit/", "/manage/", "/updates/", "/learnings/"], ["/join/", "/offer/"]),
        (
            "priya",
            ["/updates/", "/learnings/", "/leave/"],
            ["/edit/", "/manage/", "/join/", "/offer/"],
        ),
        ("daan", ["/join/"], ["/edit/", "/manage/", "/updates/", "/offer/", "/leave/"]),
        ("henk", ["/join/"], ["/edit/", "/manage/", "/updates/", "/offer/"]),
        ("anna", ["/offer/"], ["/edit/", "/manage/", "/updates/", "/learnings/", "/join/"]),
    ],
)
def test_each_role_sees_only_the_actions_it_may_use(as_user, personas, url, who, shown, hidden):
    html = as_user(getattr(personas, who)).get(url("detail")).content.decode()
    base = url("detail")
    for path in shown:
        assert f"{base}{path.strip('/')}/" in html, path
    for path in hidden:
        assert f"{base}{path.strip('/')}/" not in html, path


def test_the_only_initiator_gets_no_leave_button(as_user, personas, url):
    assert url("leave") not in as_user(personas.fatima).get(url("detail")).content.decode()


def test_the_offerer_sees_their_offer_and_can_withdraw_it(as_user, personas, url, pending_offer):
    html = as_user(personas.sem).get(url("detail")).content.decode()
    assert "We can pay for the groceries." in html
    assert url("offer_withdraw", pending_offer.pk) in html


def test_the_offer_form_folds_away_while_my_organisation_has_an_offer_waiting(
    as_user, personas, url, pending_offer
):
    colleague = UserFactory(display_name="Colleague", preferred_language="en")
    MembershipFactory(
        user=colleague,
        neighbourhood=personas.ede,
        role="professional",
        organisation=personas.foundation,
    )
    for who in (personas.sem, colleague):
        html = as_user(who).get(url("detail")).content.decode()
        offer = html[html.index('id="offer"') : html.index("</section>", html.index('id="offer"'))]
        assert "already has an offer waiting" in offer
        assert "<details>" in offer and "<summary>Offer something else</summary>" in offer
        assert offer.index("<details>") < offer.index(url("offer"))


def test_the_offer_form_is_open_when_nothing_of_mine_waits(as_user, personas, url, pending_offer):
    html = as_user(personas.anna).get(url("detail")).content.decode()
    offer = html[html.index('id="offer"') : html.index("</section>", html.index('id="offer"'))]
    assert url("offer") in offer and "<details" not in offer


def test_a_photo_without_description_is_described_by_its_date(as_user, personas, url, photo):
    update = Update.objects.create(
        initiative=personas.initiative, author=personas.priya, body="Full", photo=photo()
    )
    html = as_user(personas.daan).get(url("detail")).content.decode()
    date = f"{timezone.localtime(update.created_at):%-d %B %Y}"
    assert f'<img src="{update.photo.url}" alt="Photo with the update of {date}"' in html


@pytest.mark.parametrize(
    ("who", "invited"), [("daan", True), ("henk", True), ("anna", False), ("sem", False)]
)
def test_only_those_who_can_join_are_invited_to_be_the_first(as_user, personas, url, who, invited):
    personas.initiative.participations.exclude(user=personas.fatima).delete()
    html = as_user(getattr(personas, who)).get(url("detail")).content.decode()
    assert "Nobody has joined yet." in html
    assert ("Be the first!" in html) is invited


def test_an_initiative_of_another_neighbourhood_is_not_found_under_mine(as_user, personas):
    elsewhere = InitiativeFactory(neighbourhood=personas.other)
    response = as_user(personas.daan).get(f"/n/ede-zuid/initiatives/{elsewhere.pk}/")
    assert response.status_code == 404


def test_members_only_initiatives_are_visible_to_members(as_user, personas, url):
    personas.initiative.visibility = "members"
    personas.initiative.save()
    response = as_user(personas.anna).get(url("detail"))
    assert response.status_code == 200
    assert "Only members of the neighbourhood see this initiative." in response.content.decode()


def test_the_detail_runs_a_fixed_number_of_queries(as_user, personas, url, rich):
    client = as_user(personas.daan)
    written_in_choices()  # a vocabulary shared by every neighbourhood: cached once for all
    with CaptureQueriesContext(connection) as few:
        client.get(url("detail"))
    for n in range(10):
        user = UserFactory()
        participation = ParticipationFactory(initiative=personas.initiative, user=user)
        participation.talents.add(Talent.objects.get(slug="baking"))
        Update.objects.create(initiative=personas.initiative, author=user, body=f"Update {n}")
        Need.objects.create(initiative=personas.initiative, kind="hands", description=f"Need {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url("detail"))
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("who", "page"),
    [("fatima", "detail"), ("fatima", "manage"), ("anna", "detail"), ("daan", "detail")],
)
def test_forms_sharing_a_page_have_unique_element_ids(as_user, personas, url, rich, who, page):
    html = as_user(getattr(personas, who)).get(url(page)).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_names_link_to_profiles_only_of_people_listed_in_the_directory(as_user, personas, url):
    personas.priya.listed_in_directory = False
    personas.priya.save()
    html = as_user(personas.daan).get(url("detail")).content.decode()
    assert f"/n/ede-zuid/members/{personas.fatima.pk}/" in html
    assert f"/n/ede-zuid/members/{personas.priya.pk}/" not in html
    assert "Priya" in html
