"""A public initiative as a visitor reads it: the wish, how it stands, its themes, how many are on
board (never who), the partners who support it and its public coming dates. A members-only
initiative is not found; members keep their own full page."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from buurtnet.activities.services.organise import activity_create
from buurtnet.initiatives.models import SupportOffer, Theme
from tests.factories import InitiativeFactory, ParticipationFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _language_left_as_it_was():
    with translation.override(translation.get_language()):
        yield


def public_page(initiative, slug: str = "ede-zuid") -> str:
    return reverse("front:public_initiative", args=[slug, initiative.pk])


def tomorrow():
    return datetime.now(AMSTERDAM).date() + timedelta(days=1)


@pytest.fixture
def initiative(personas):
    initiative = personas.initiative
    initiative.wish = "Every month a table where the whole flat eats together."
    initiative.description = "We cook in turns."
    initiative.save()
    initiative.themes.add(Theme.objects.get(slug="food"))
    SupportOffer.objects.create(
        initiative=initiative,
        organisation=personas.wijkteam,
        offered_by=personas.anna,
        kind="help",
        message="We bring the big pans.",
        status="accepted",
    )
    return initiative


@pytest.fixture
def dates(personas, initiative):
    """One public series, one that is not shown to visitors."""
    shown = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=initiative,
        location="Bij Fatima thuis, Elskamp 12",
        title="Samen koken",
        start_date=tomorrow(),
        start_time=time(18, 0),
        duration_minutes=120,
        rrule="FREQ=WEEKLY",
    )
    hidden = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=initiative,
        location="De keuken",
        title="Kookploeg overleg",
        start_date=tomorrow(),
        start_time=time(15, 0),
        duration_minutes=60,
        is_public=False,
    )
    return shown, hidden


def test_a_visitor_reads_the_wish_status_themes_and_how_many_are_on_board(
    client, personas, initiative
):
    response = client.get(public_page(initiative))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Samen eten" in html
    assert "Every month a table where the whole flat eats together." in html
    # How they go about it is the members' to read: it may name who to ask.
    assert "We cook in turns." not in html
    assert "Active" in html
    assert "Food and cooking" in html
    assert "2 people on board" in html  # fatima and priya
    assert "Wijkteam Ede-Zuid" in html  # a partner, not a resident


def test_it_names_no_resident(client, personas, initiative):
    html = client.get(public_page(initiative)).content.decode()

    for person in ("fatima", "priya", "daan", "henk", "anna", "sem"):
        assert getattr(personas, person).display_name not in html
        assert f"{person}@example.org" not in html
    assert "/members/" not in html
    assert "We bring the big pans." not in html  # what was offered stays with the members


def test_it_lists_its_public_coming_dates_only(client, personas, initiative, dates):
    shown, hidden = dates
    html = client.get(public_page(initiative)).content.decode()
    first = datetime.combine(tomorrow(), time(18, 0), tzinfo=AMSTERDAM)

    assert "Samen koken" in html and "Kookploeg overleg" not in html
    assert (
        reverse(
            "front:public_occurrence", args=["ede-zuid", shown.pk, first.strftime("%Y%m%dT%H%M")]
        )
        in html
    )
    assert "Elskamp 12" not in html


def test_it_invites_to_join_and_lets_members_log_in_to_their_page(client, initiative):
    html = client.get(public_page(initiative)).content.decode()
    member_page = reverse("initiatives:detail", args=["ede-zuid", initiative.pk])

    assert reverse("neighbourhoods:signup") in html
    assert f"{reverse('login')}?next={member_page}" in html
    assert "csrfmiddlewaretoken" not in html


def test_a_members_only_initiative_is_not_found(client, personas):
    closed = InitiativeFactory(neighbourhood=personas.ede, visibility="members")
    assert client.get(public_page(closed)).status_code == 404


def test_another_neighbourhoods_initiative_is_not_found(client, personas, initiative):
    elsewhere = InitiativeFactory(neighbourhood=personas.other)
    assert client.get(public_page(elsewhere)).status_code == 404
    assert client.get(public_page(initiative, slug="elders")).status_code == 404
    assert (
        client.get(reverse("front:public_initiative", args=["ede-zuid", 99999])).status_code == 404
    )


def test_a_member_goes_to_the_full_page(as_user, personas, initiative):
    response = as_user(personas.daan).get(public_page(initiative))

    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:detail", args=["ede-zuid", initiative.pk])


def test_someone_signed_in_elsewhere_reads_the_public_page(as_user, personas, initiative):
    response = as_user(personas.olga).get(public_page(initiative))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_the_members_page_is_unchanged(client, as_user, personas, initiative):
    member_page = reverse("initiatives:detail", args=["ede-zuid", initiative.pk])

    assert client.get(member_page).url.startswith(reverse("login"))
    html = as_user(personas.daan).get(member_page).content.decode()
    assert "Who keeps the lead" in html and "Fatima" in html


def test_a_cookie_less_visitor_gets_it_whole_from_the_cache(personas, initiative, dates):
    visitor = Client()
    cold = visitor.get(public_page(initiative))
    with CaptureQueriesContext(connection) as warm:
        again = visitor.get(public_page(initiative))

    assert cold.status_code == 200
    assert len(warm) == 0 and again.content == cold.content
    assert not again.cookies
    assert {p.strip() for p in again["Cache-Control"].split(",")} == {"public", "max-age=60"}


def test_it_reads_a_fixed_number_of_rows(personas, initiative, dates):
    visitor = Client()
    visitor.get(public_page(initiative))
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        visitor.get(public_page(initiative))
    for n in range(8):
        ParticipationFactory(initiative=initiative)
        activity_create(
            user=personas.fatima,
            neighbourhood=personas.ede,
            initiative=initiative,
            location="Plein",
            title=f"Activiteit {n}",
            start_date=tomorrow(),
            start_time=time(9, n),
            duration_minutes=30,
            rrule="FREQ=WEEKLY",
        )
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        visitor.get(public_page(initiative))
    assert len(many) == len(few)
