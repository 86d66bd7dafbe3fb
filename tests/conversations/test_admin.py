import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, personas, private, question):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["conversation"])
def test_staff_can_list_search_and_open_conversations(admin_client, model, private, question):
    response = admin_client.get(reverse(f"admin:conversations_{model}_changelist"), {"q": "e"})
    assert response.status_code == 200
    for conversation in (private, question):
        change = reverse(f"admin:conversations_{model}_change", args=[conversation.pk])
        assert admin_client.get(change).status_code == 200


def test_residents_do_not_reach_the_admin(client, personas):
    client.force_login(personas.henk)
    assert client.get(reverse("admin:conversations_conversation_changelist")).status_code == 302
