import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.neighbourhoods.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory
from tests.neighbourhoods.conftest import text


def organisations_url(slug="ede-zuid"):
    return reverse("neighbourhoods:organisations", args=[slug])


def organisation_url(org_slug, slug="ede-zuid"):
    return reverse("neighbourhoods:organisation", args=[slug, org_slug])


@pytest.fixture
def partners(personas):
    OrganisationFactory(
        neighbourhood=personas.ede, slug="gemeente", name="Gemeente Ede", kind="municipality"
    )
    Organisation.objects.filter(pk=personas.wijkteam.pk).update(
        description="We help residents find their way.",
        goals="Residents who know where to find each other.",
    )
    return personas


def test_the_first_point_of_contact_comes_first_and_is_marked(client, partners):
    client.force_login(partners.daan)
    response = client.get(organisations_url())
    assert response.status_code == 200
    page = text(response)
    assert (
        page.index("Wijkteam Ede-Zuid")
        < page.index("Gemeente Ede")
        < page.index("Stichting Vrienden")
    )
    assert page.count("First point of contact") == 1
    assert reverse("conversations:ask", args=["ede-zuid"]) in page


def test_the_list_runs_the_same_queries_for_few_or_many_partners(client, partners):
    client.force_login(partners.daan)
    with CaptureQueriesContext(connection) as few:
        client.get(organisations_url())
    for _ in range(20):
        org = OrganisationFactory(neighbourhood=partners.ede)
        MembershipFactory(neighbourhood=partners.ede, role="professional", organisation=org)
    with CaptureQueriesContext(connection) as many:
        client.get(organisations_url())
    assert len(few) == len(many)


def test_a_partner_page_shows_what_it_does_and_who_joins_in(client, partners):
    client.force_login(partners.daan)
    response = client.get(organisation_url("wijkteam"))
    assert response.status_code == 200
    page = text(response)
    assert "Neighbourhood team" in page
    assert "We help residents find their way." in page
    assert "Residents who know where to find each other." in page
    assert "Anna" in page
    assert "Sem" not in page
    assert "Ask a question" in page


def test_only_the_first_point_of_contact_takes_questions(client, partners):
    client.force_login(partners.daan)
    response = client.get(organisation_url("vrienden"))
    assert "Sem" in text(response)
    assert "Ask a question" not in text(response)


def test_a_professional_finds_the_inbox_on_their_organisation_page(client, partners):
    client.force_login(partners.anna)
    page = text(client.get(organisation_url("wijkteam")))
    assert reverse("conversations:questions", args=["ede-zuid"]) in page
    assert "Ask a question" not in page


def test_partner_pages_are_for_members_only(client, partners):
    assert client.get(organisations_url())["Location"].startswith(reverse("login"))
    assert client.get(organisation_url("wijkteam"))["Location"].startswith(reverse("login"))
    client.force_login(partners.olga)
    assert client.get(organisations_url()).status_code == 404
    assert client.get(organisation_url("wijkteam")).status_code == 404


def test_an_unknown_partner_is_not_found(client, partners):
    OrganisationFactory(neighbourhood=partners.other, slug="elsewhere")
    client.force_login(partners.daan)
    assert client.get(organisation_url("nobody")).status_code == 404
    assert client.get(organisation_url("elsewhere")).status_code == 404
