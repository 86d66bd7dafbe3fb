import pytest
from django.urls import reverse

from buurtnet.initiatives.models import Learning, Update
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["theme", "initiative", "supportoffer", "update", "learning"])
def test_staff_can_browse_initiatives_in_the_admin(admin_client, personas, pending_offer, model):
    Update.objects.create(initiative=personas.initiative, author=personas.priya, body="News")
    Learning.objects.create(initiative=personas.initiative, author=personas.priya, what_worked="x")
    response = admin_client.get(reverse(f"admin:initiatives_{model}_changelist"))
    assert response.status_code == 200


def test_the_initiative_admin_shows_participants_and_needs_inline(
    admin_client, personas, open_need
):
    response = admin_client.get(
        reverse("admin:initiatives_initiative_change", args=[personas.initiative.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "participations-TOTAL_FORMS" in html and "needs-TOTAL_FORMS" in html
    assert "Washing up after dinner" in html


def test_the_support_offer_admin_opens_an_offer(admin_client, pending_offer):
    response = admin_client.get(
        reverse("admin:initiatives_supportoffer_change", args=[pending_offer.pk])
    )
    assert response.status_code == 200
    assert "We can pay for the groceries." in response.content.decode()
