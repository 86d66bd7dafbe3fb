import pytest
from django.urls import reverse

from buurtnet.neighbourhoods.models import Membership
from tests.factories import BuildingFactory
from tests.neighbourhoods.conftest import text


def me_url(slug="ede-zuid"):
    return reverse("neighbourhoods:my_membership", args=[slug])


def test_a_member_chooses_their_flat_and_is_never_asked_for_the_door(client, personas):
    bosrand = BuildingFactory(neighbourhood=personas.ede, name="de Bosrand")
    client.force_login(personas.daan)
    page = client.get(me_url())
    assert page.status_code == 200
    assert "de Bosrand" in text(page)
    assert 'name="number"' not in text(page)
    assert "DOOR-" not in text(page)
    response = client.post(me_url(), {"building": bosrand.pk})
    assert response.status_code == 302
    assert (
        Membership.objects.get(user=personas.daan, neighbourhood=personas.ede).building == bosrand
    )


def test_the_flat_is_optional(client, personas):
    client.force_login(personas.daan)
    assert client.post(me_url(), {"building": ""}).status_code == 302
    assert Membership.objects.get(user=personas.daan, neighbourhood=personas.ede).building is None


def test_a_flat_of_another_neighbourhood_is_refused(client, personas):
    elsewhere = BuildingFactory(neighbourhood=personas.other)
    client.force_login(personas.daan)
    response = client.post(me_url(), {"building": elsewhere.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert (
        Membership.objects.get(user=personas.daan, neighbourhood=personas.ede).building
        == personas.elskamp
    )


@pytest.mark.parametrize(("who", "status"), [("anna", 200), ("henk", 200), ("olga", 404)])
def test_the_page_is_for_members(client, personas, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(me_url()).status_code == status


def test_a_visitor_is_asked_to_log_in(client, personas):
    assert client.get(me_url())["Location"].startswith(reverse("login"))
