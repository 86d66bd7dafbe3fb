"""Who may read and write a private conversation: only the two people in it.

Everyone else finds nothing there (404), whatever they try; a block stops messages both ways
(403, said plainly); a suspended member can neither read nor write.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from buurtnet.conversations import services
from buurtnet.conversations.models import Conversation, ConversationStatus
from buurtnet.neighbourhoods.models import Membership
from buurtnet.people.models import Block
from tests.conversations.helpers import text, url

BLOCKED = "One of you blocked the other, so you cannot send messages to each other."


def pages(conversation, personas):
    first = conversation.messages.first()
    return [
        ("get", url("inbox"), {}),
        ("get", url("detail", conversation.pk), {}),
        ("get", url("messages", conversation.pk) + f"?after={first.pk - 1}", {}),
        ("post", url("detail", conversation.pk), {"body": "Forged"}),
        ("post", url("close", conversation.pk), {}),
        ("get", url("start") + f"?to={personas.priya.pk}", {}),
    ]


def suspend(user, neighbourhood) -> None:
    Membership.objects.filter(user=user, neighbourhood=neighbourhood).update(
        suspended_until=timezone.now() + timedelta(days=7)
    )


def test_anonymous_visitors_are_asked_to_log_in(client, personas, private):
    for method, page, data in pages(private, personas):
        response = getattr(client, method)(page, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["daan", "priya"])
def test_the_two_people_in_it_read_it(client, personas, private, who):
    client.force_login(getattr(personas, who))
    assert client.get(url("detail", private.pk)).status_code == 200
    assert "Samen eten" in text(client.get(url("inbox")))


@pytest.mark.parametrize("who", ["fatima", "henk", "anna", "sem"])
def test_other_members_find_nothing_there(client, personas, private, who):
    client.force_login(getattr(personas, who))
    first = private.messages.first()
    for path in (url("detail", private.pk), url("messages", private.pk) + f"?after={first.pk}"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Can I bring my big pan?" not in text(response)
    assert client.post(url("detail", private.pk), {"body": "Forged"}).status_code == 404
    assert client.post(url("close", private.pk)).status_code == 404
    assert "Samen eten" not in text(client.get(url("inbox")))
    private.refresh_from_db()
    assert private.messages.count() == 1
    assert private.status == ConversationStatus.OPEN


def test_the_services_refuse_other_members_too(personas, private):
    with pytest.raises(PermissionDenied):
        services.message_send(conversation_id=private.pk, user=personas.fatima, body="Hi")
    with pytest.raises(PermissionDenied):
        services.conversation_close(conversation_id=private.pk, user=personas.fatima)
    assert private.messages.count() == 1


def test_a_member_of_another_neighbourhood_finds_nothing(client, personas, private):
    client.force_login(personas.olga)
    for method, page, data in pages(private, personas):
        assert getattr(client, method)(page, data).status_code == 404
    # Not through her own neighbourhood's address either.
    assert client.get(url("detail", private.pk, slug="elders")).status_code == 404
    assert client.post(url("detail", private.pk, slug="elders"), {"body": "x"}).status_code == 404
    assert private.messages.count() == 1


@pytest.mark.parametrize("blocker", ["daan", "priya"])
def test_a_block_stops_messages_both_ways(client, personas, private, blocker):
    other = "priya" if blocker == "daan" else "daan"
    Block.objects.create(blocker=getattr(personas, blocker), blocked=getattr(personas, other))
    client.force_login(personas.daan)
    response = client.post(url("detail", private.pk), {"body": "Are you there?"})
    assert response.status_code == 403
    assert BLOCKED in text(response)
    assert "Are you there?" in text(response)  # what was typed is kept
    assert private.messages.count() == 1
    with pytest.raises(PermissionDenied):
        services.message_send(conversation_id=private.pk, user=personas.priya, body="Hi")


def test_a_block_stops_starting_a_conversation(client, personas):
    Block.objects.create(blocker=personas.priya, blocked=personas.daan)
    start = url("start") + f"?to={personas.priya.pk}"
    client.force_login(personas.daan)
    page = client.get(start)
    assert page.status_code == 403
    assert BLOCKED in text(page)
    response = client.post(start, {"subject": "Hi", "body": "Let us talk"})
    assert response.status_code == 403
    assert BLOCKED in text(response) and "Let us talk" in text(response)
    with pytest.raises(PermissionDenied):
        services.conversation_start(
            neighbourhood=personas.ede,
            user=personas.daan,
            to_user=personas.priya,
            subject="Hi",
            body="Hi",
        )
    assert not Conversation.objects.exists()


def test_a_suspended_member_neither_reads_nor_writes(client, personas, private):
    suspend(personas.daan, personas.ede)
    client.force_login(personas.daan)
    assert client.get(url("detail", private.pk)).status_code == 403
    assert client.post(url("detail", private.pk), {"body": "Hi"}).status_code == 403
    assert client.get(url("start") + f"?to={personas.priya.pk}").status_code == 403
    with pytest.raises(PermissionDenied):
        services.message_send(conversation_id=private.pk, user=personas.daan, body="Hi")
    assert private.messages.count() == 1


def test_nobody_writes_to_a_suspended_member(client, personas, private):
    suspend(personas.priya, personas.ede)
    client.force_login(personas.daan)
    response = client.post(url("detail", private.pk), {"body": "Hello?"})
    assert response.status_code == 403
    assert "Priya cannot receive messages here right now." in text(response)
    start = client.get(url("start") + f"?to={personas.priya.pk}")
    assert start.status_code == 403
    with pytest.raises(PermissionDenied):
        services.conversation_start(
            neighbourhood=personas.ede,
            user=personas.fatima,
            to_user=personas.priya,
            subject="Hi",
            body="Hi",
        )


def test_a_member_who_left_gets_no_more_messages(personas, private):
    Membership.objects.filter(user=personas.priya, neighbourhood=personas.ede).delete()
    with pytest.raises(PermissionDenied):
        services.message_send(conversation_id=private.pk, user=personas.daan, body="Hi")
