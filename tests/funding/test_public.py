"""Where the money goes: the foundation's page for everyone, its piece on the initiative page,
and the links from the landing and organisation pages."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from buurtnet.core.money import euros
from buurtnet.funding.models import Fund
from buurtnet.funding.services import decisions, grants
from buurtnet.funding.services import money as money_services
from buurtnet.initiatives.models import Initiative
from tests.factories import InitiativeFactory, OrganisationFactory, ParticipationFactory
from tests.funding.conftest import IBAN_DINNER, IBAN_FOUNDATION, budget

pytestmark = pytest.mark.django_db

PUBLIC = reverse("funding:public", args=["ede-zuid", "vrienden"])


def en(cents: int) -> str:
    with translation.override("en"):
        return euros(cents)


def grant(funding, initiative=None, amount=25000):
    """A request of fatima's initiative, submitted and granted by bas and carla."""
    p = funding.p
    initiative = initiative or p.initiative
    request = grants.grant_request_start(
        by=funding.m(p.fatima),
        foundation=funding.foundation,
        initiative=initiative,
        fund=funding.fund,
        budget=budget(amount, [("Pans", amount)]),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    grants.grant_submit(by=funding.m(p.fatima), grant=request)
    for voter in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(voter), grant=request, choice="approve", reason="Good")
    request.refresh_from_db()
    assert request.status == "granted"
    return request


def another_initiative(funding, n: int, **extra):
    extra.setdefault("title", f"Plan {n}")
    initiative = InitiativeFactory(neighbourhood=funding.p.ede, **extra)
    ParticipationFactory(initiative=initiative, user=funding.p.fatima, role="initiator")
    return initiative


@pytest.fixture
def given(funding):
    """A private gift (no public name) and a granted request for the shared dinner."""
    money_services.donation_record(
        by=funding.m(funding.tom),
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=2500,
        received_on=date(2026, 2, 1),
        source_kind="donation",
        reference="Gift from Jan de Vries",
        donor=funding.p.daan,
    )
    funding.grant = grant(funding)
    return funding


# --- The public page ---------------------------------------------------------------------------


def test_a_visitor_reads_where_the_money_goes(client, given):
    response = client.get(PUBLIC)
    html = response.content.decode()
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "Stichting Vrienden van de Hoogbouw" in html
    # Money received per kind, this year and since the start.
    assert "Subsidy" in html and "Donation" in html
    assert en(100000) in html and en(2500) in html and en(102500) in html
    # A giver who agreed is thanked by name; the other is only part of the totals.
    assert "Gemeente Ede" in html
    assert "Jan de Vries" not in html and "Daan" not in html
    # The grant: initiative, amount, linked to its public page; no resident's name.
    assert "Samen eten" in html and en(25000) in html
    assert reverse("front:public_initiative", args=["ede-zuid", given.p.initiative.pk]) in html
    assert "Fatima" not in html and "Priya" not in html
    # What the fund holds, and the bank.
    assert "Initiatives 2027" in html and en(100000 + 2500 - 25000) in html
    assert en(102500) in html
    # No IBAN anywhere.
    assert IBAN_FOUNDATION not in html and IBAN_DINNER not in html
    assert "NL91" not in html and "NL44" not in html
    assert reverse("funding:desk", args=["ede-zuid", "vrienden"]) not in html


def test_the_visitors_page_comes_whole_from_the_cache_and_follows_changes(given):
    visitor = Client()
    first = visitor.get(PUBLIC)
    with CaptureQueriesContext(connection) as warm:
        second = visitor.get(PUBLIC)
    assert len(warm) == 0 and second.content == first.content
    assert not second.cookies
    Fund.objects.create(foundation=given.foundation, name="Playground", purpose="Swings")
    assert "Playground" in visitor.get(PUBLIC).content.decode()


def test_a_members_only_initiative_is_not_named_in_public(client, funding):
    initiative = another_initiative(funding, 1, visibility="members")
    grant(funding, initiative, amount=10000)
    html = client.get(PUBLIC).content.decode()
    assert "Plan 1" not in html
    assert "An initiative for members of the neighbourhood" in html
    assert reverse("front:public_initiative", args=["ede-zuid", initiative.pk]) not in html
    assert initiative.wish not in html


@pytest.mark.parametrize("who", ["daan", "olga", "fatima"])
def test_everyone_signed_in_reads_it_too(as_user, given, who):
    user = getattr(given.p, who)
    response = as_user(user).get(PUBLIC)
    html = response.content.decode()
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Gemeente Ede" in html and en(25000) in html
    assert "Jan de Vries" not in html and IBAN_DINNER not in html
    assert reverse("funding:desk", args=["ede-zuid", "vrienden"]) not in html
    # Members of this neighbourhood see its menu; others do not.
    menu = reverse("initiatives:list", args=["ede-zuid"])
    assert (menu in html) == (who != "olga")


def test_a_board_member_sees_the_way_to_the_desk(as_user, given):
    html = as_user(given.bas).get(PUBLIC).content.decode()
    assert reverse("funding:desk", args=["ede-zuid", "vrienden"]) in html


def test_an_unknown_foundation_or_neighbourhood_is_not_found(client, as_user, funding):
    OrganisationFactory(neighbourhood=funding.p.ede, slug="wijkclub", kind="other")
    for url in (
        reverse("funding:public", args=["ede-zuid", "nobody"]),
        reverse("funding:public", args=["ede-zuid", "wijkclub"]),
        reverse("funding:public", args=["ede-zuid", "wijkteam"]),
        reverse("funding:public", args=["nowhere", "vrienden"]),
        reverse("funding:public", args=["elders", "vrienden"]),
    ):
        assert client.get(url).status_code == 404, url
        assert as_user(funding.p.daan).get(url).status_code == 404, url
        client.logout()


def test_only_get_and_head(client, funding):
    assert client.post(PUBLIC).status_code == 405


@pytest.mark.parametrize("who", [None, "daan"])
def test_the_page_runs_a_fixed_number_of_queries(as_user, funding, who):
    def count() -> int:
        client = as_user(getattr(funding.p, who) if who else None)
        client.get(PUBLIC)  # learns which neighbourhood the address names
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PUBLIC).status_code == 200
        return len(queries)

    grant(funding, another_initiative(funding, 0), amount=10000)
    few = count()
    for n in range(1, 6):
        grant(funding, another_initiative(funding, n), amount=10000)
    html = as_user(None).get(PUBLIC).content.decode()
    assert all(f"Plan {n}" in html for n in range(6))
    assert count() == few


# --- The initiative page ------------------------------------------------------------------------


def detail(funding):
    return reverse("initiatives:detail", args=["ede-zuid", funding.p.initiative.pk])


def test_the_initiative_page_says_who_supported_it(as_user, given):
    for user in (given.p.daan, given.p.fatima, given.p.anna):
        html = as_user(user).get(detail(given)).content.decode()
        assert "Supported by <bdi>Stichting Vrienden van de Hoogbouw</bdi>" in html
        assert en(25000) in html
        assert PUBLIC in html


def test_only_initiators_are_invited_to_ask_for_money(as_user, funding):
    start = reverse("funding:request_start", args=["ede-zuid", "vrienden", funding.p.initiative.pk])
    html = as_user(funding.p.fatima).get(detail(funding)).content.decode()
    assert "Ask <bdi>Stichting Vrienden van de Hoogbouw</bdi> for money" in html
    assert start in html
    assert "Supported by" not in html
    for user in (funding.p.priya, funding.p.daan, funding.p.henk, funding.bas):
        html = as_user(user).get(detail(funding)).content.decode()
        assert "for money" not in html and start not in html


def test_an_initiator_with_an_open_request_is_led_to_it(as_user, funding):
    request = grants.grant_request_start(
        by=funding.m(funding.p.fatima),
        foundation=funding.foundation,
        initiative=funding.p.initiative,
        fund=funding.fund,
        budget=budget(),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    html = as_user(funding.p.fatima).get(detail(funding)).content.decode()
    assert reverse("funding:request", args=["ede-zuid", request.pk]) in html
    assert "Your request to" in html and "for money" not in html
    html = as_user(funding.p.daan).get(detail(funding)).content.decode()
    assert reverse("funding:request", args=["ede-zuid", request.pk]) not in html


def test_the_initiative_piece_runs_two_queries_for_any_number_of_grants(funding):
    template = Template("{% load funding_tags %}{% initiative_grants initiative %}")

    def render(**extra) -> tuple[int, str]:
        cache.clear()
        context = Context(
            {
                "neighbourhood": funding.p.ede,
                "membership": funding.m(funding.p.daan),
                "initiative": Initiative.objects.get(pk=funding.p.initiative.pk),
                **extra,
            }
        )
        with CaptureQueriesContext(connection) as queries:
            html = template.render(context)
        return len(queries), html

    # The initiative page passes what the reader may do (initiatives.views); elsewhere the tag
    # asks for the reader's participation itself: one query more.
    worked_out = SimpleNamespace(is_initiator=False)
    grant(funding, amount=10000)
    few, html = render(perms=worked_out)
    assert html.count("Supported by") == 1
    assert render()[0] == few + 1
    for n in range(2, 6):
        grant(funding, amount=10000 + n)
    many, html = render(perms=worked_out)
    assert html.count("Supported by") == 5
    assert many == few == 2


# --- Links from other pages ---------------------------------------------------------------------


def test_the_landing_page_links_to_where_the_money_goes(client, as_user, funding):
    landing = reverse("front:landing", args=["ede-zuid"])
    for reader in (None, funding.p.daan):
        html = as_user(reader).get(landing).content.decode()
        assert PUBLIC in html
    # Only a foundation that keeps its books here has the link.
    assert reverse("funding:public", args=["ede-zuid", "wijkteam"]) not in html


def test_the_landing_page_link_comes_with_the_cached_page(funding):
    visitor = Client()
    landing = reverse("front:landing", args=["ede-zuid"])
    visitor.get(landing)
    with CaptureQueriesContext(connection) as warm:
        html = visitor.get(landing).content.decode()
    assert len(warm) == 0 and PUBLIC in html


def test_the_organisation_page_leads_to_the_public_page_and_the_desk(as_user, funding):
    page = reverse("neighbourhoods:organisation", args=["ede-zuid", "vrienden"])
    desk = f'href="{reverse("funding:desk", args=["ede-zuid", "vrienden"])}"'
    seats = f'href="{reverse("funding:seats", args=["ede-zuid", "vrienden"])}"'

    html = as_user(funding.p.daan).get(page).content.decode()
    assert PUBLIC in html and desk not in html and seats not in html
    html = as_user(funding.bas).get(page).content.decode()
    assert desk in html and seats not in html
    html = as_user(funding.carla).get(page).content.decode()
    assert desk in html and seats in html
    html = as_user(funding.p.henk).get(page).content.decode()
    assert seats in html and desk not in html
    other = reverse("neighbourhoods:organisation", args=["ede-zuid", "wijkteam"])
    assert "Where the money goes" not in as_user(funding.p.daan).get(other).content.decode()


def test_the_organisation_page_shows_the_board_of_residents(as_user, funding):
    url = reverse(
        "neighbourhoods:organisation", args=[funding.p.ede.slug, funding.p.foundation.slug]
    )
    page = as_user(funding.p.daan).get(url).content.decode()
    for name in ("Carla", "Tom", "Bas", "Priya"):
        assert f"<bdi>{name}</bdi>" in page
    assert "Treasurer" in page and "Chair" in page
    assert reverse("funding:desk", args=[funding.p.ede.slug, funding.p.foundation.slug]) not in page
    board_page = as_user(funding.tom).get(url).content.decode()
    assert (
        reverse("funding:desk", args=[funding.p.ede.slug, funding.p.foundation.slug]) in board_page
    )
