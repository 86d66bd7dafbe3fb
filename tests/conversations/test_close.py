"""Either person closes a private conversation; after that nobody can write in it, and the page
says so plainly."""

import pytest
from django.core.exceptions import ValidationError

from buurtnet.conversations import services
from buurtnet.conversations.models import ConversationStatus
from tests.conversations.helpers import text, url

CLOSED = "This conversation is closed: nobody can send new messages in it."


@pytest.mark.parametrize("who", ["daan", "priya"])
def test_either_person_closes_it(client, personas, private, who):
    closer = getattr(personas, who)
    client.force_login(closer)
    response = client.post(url("close", private.pk))
    assert response.status_code == 302
    private.refresh_from_db()
    assert private.status == ConversationStatus.CLOSED
    assert private.closed_by == closer and private.closed_at is not None
    page = text(client.get(url("detail", private.pk)))
    assert "This conversation is closed" in page
    assert f"{closer.display_name} closed it on" in page
    assert 'name="body"' not in page  # no form to write in
    assert "data-hx-trigger" not in page  # and nothing to wait for


def test_closing_needs_a_post(client, personas, private):
    client.force_login(personas.daan)
    assert client.get(url("close", private.pk)).status_code == 405


def test_a_closed_conversation_takes_no_messages(client, personas, private):
    services.conversation_close(conversation_id=private.pk, user=personas.priya)
    for who in (personas.daan, personas.priya):
        client.force_login(who)
        response = client.post(url("detail", private.pk), {"body": "One more thing"})
        assert response.status_code == 409
        assert CLOSED in text(response)
        assert "One more thing" in text(response)
    with pytest.raises(ValidationError):
        services.message_send(conversation_id=private.pk, user=personas.daan, body="Hi")
    assert private.messages.count() == 1


def test_closing_twice_changes_nothing(personas, private):
    first = services.conversation_close(conversation_id=private.pk, user=personas.priya)
    again = services.conversation_close(conversation_id=private.pk, user=personas.daan)
    assert again.closed_by == personas.priya and again.closed_at == first.closed_at


def test_the_inbox_shows_it_closed(client, personas, private):
    services.conversation_close(conversation_id=private.pk, user=personas.priya)
    client.force_login(personas.daan)
    assert "status-closed" in text(client.get(url("inbox")))
