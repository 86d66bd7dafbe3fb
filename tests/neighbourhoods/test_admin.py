import pytest
from django.urls import reverse

from buurtnet.neighbourhoods import services
from tests.factories import InviteCodeFactory, UserFactory

MODELS = [
    "neighbourhood",
    "building",
    "home",
    "organisation",
    "membership",
    "invitecode",
    "joinrequest",
]


@pytest.fixture
def admin_client(client, personas):
    InviteCodeFactory(neighbourhood=personas.ede)
    services.join_request_create(neighbourhood=personas.ede, user=personas.olga)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_staff_can_list_search_and_open_every_model(admin_client, model):
    changelist = reverse(f"admin:neighbourhoods_{model}_changelist")
    response = admin_client.get(changelist, {"q": "e"})
    assert response.status_code == 200
    first = response.context["cl"].result_list
    obj = first[0] if first else response.context["cl"].queryset.model.objects.first()
    assert (
        admin_client.get(reverse(f"admin:neighbourhoods_{model}_change", args=[obj.pk])).status_code
        == 200
    )


def test_residents_do_not_reach_the_admin(client, personas):
    client.force_login(personas.henk)
    assert client.get(reverse("admin:neighbourhoods_invitecode_changelist")).status_code == 302
