"""The conversation page asks every 15 seconds for newer messages (htmx) and works fully
without JavaScript: the partial only adds what the page would show when opened again."""

import re

from buurtnet.conversations import services
from buurtnet.conversations.models import Participant
from tests.conversations.helpers import text, url


def test_the_page_polls_for_newer_messages(client, personas, private):
    first = private.messages.get()
    client.force_login(personas.priya)
    page = text(client.get(url("detail", private.pk)))
    poll = url("messages", private.pk) + f"?after={first.pk}"
    assert f'data-hx-get="{poll}"' in page
    assert 'hx-trigger="every 15s"' in page
    # Without JavaScript: the form posts, and a link opens the page again.
    assert f'action="{url("detail", private.pk)}"' in page
    assert "<script" not in page.split("</head>", 1)[1]
    assert " style=" not in page


def test_the_partial_brings_only_the_newer_messages(client, personas, private):
    first = private.messages.get()
    newer = services.message_send(conversation_id=private.pk, user=personas.daan, body="Hello?")
    client.force_login(personas.priya)
    response = client.get(
        url("messages", private.pk) + f"?after={first.pk}", HTTP_HX_REQUEST="true"
    )
    partial = text(response)
    assert response.status_code == 200
    assert "Hello?" in partial
    assert "Can I bring my big pan?" not in partial
    assert "<html" not in partial
    # The poller comes along out of band, now asking for what is newer than the newest.
    assert re.search(r'id="message-poller"[^>]*data-hx-swap-oob="true"', partial)
    assert f"?after={newer.pk}" in partial
    # What the partial showed counts as read.
    seat = Participant.objects.get(conversation=private, user=personas.priya)
    assert seat.last_read_at == newer.created_at


def test_nothing_new_is_no_content(client, personas, private):
    last = private.messages.get()
    client.force_login(personas.priya)
    response = client.get(url("messages", private.pk) + f"?after={last.pk}")
    assert response.status_code == 204
    assert response.content == b""


def test_a_bad_message_number_is_a_bad_request(client, personas, private):
    client.force_login(personas.priya)
    for after in ("", "abc", "1.5"):
        assert client.get(url("messages", private.pk) + f"?after={after}").status_code == 400


def test_a_hidden_message_in_the_partial_is_hidden(client, personas, private):
    first = private.messages.get()
    newer = services.message_send(conversation_id=private.pk, user=personas.daan, body="Rude")
    newer.hidden_at = newer.created_at
    newer.save()
    client.force_login(personas.priya)
    partial = text(client.get(url("messages", private.pk) + f"?after={first.pk}"))
    assert "This message was hidden by a host." in partial
    assert "Rude" not in partial
