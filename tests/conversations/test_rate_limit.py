"""At most ten new conversations per member an hour, counted in the database: the eleventh
waits (429), with a friendly word and everything typed kept."""

from datetime import timedelta

import pytest
from django.db.models import F

from buurtnet.conversations import services
from buurtnet.conversations.models import Conversation
from buurtnet.core.ratelimit import RateLimited
from tests.conversations.helpers import text, url
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def neighbours(personas):
    people = []
    for n in range(11):
        person = UserFactory(display_name=f"Neighbour {n}")
        MembershipFactory(user=person, neighbourhood=personas.ede)
        people.append(person)
    return people


def start(personas, to, n: int):
    return services.conversation_start(
        neighbourhood=personas.ede, user=personas.daan, to_user=to, subject=f"Hi {n}", body="Hi"
    )


def test_the_eleventh_conversation_in_an_hour_waits(client, personas, neighbours):
    for n, person in enumerate(neighbours[:10]):
        start(personas, person, n)
    client.force_login(personas.daan)
    response = client.post(
        url("start") + f"?to={neighbours[10].pk}",
        {"subject": "Number eleven", "body": "Would you like to help?"},
    )
    page = text(response)
    assert response.status_code == 429
    assert "You started many conversations in the last hour." in page
    assert 'value="Number eleven"' in page and "Would you like to help?" in page
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Conversation.objects.count() == 10


def test_older_conversations_no_longer_count(personas, neighbours):
    for n, person in enumerate(neighbours[:10]):
        start(personas, person, n)
    with pytest.raises(RateLimited):
        start(personas, neighbours[10], 10)
    Conversation.objects.update(created_at=F("created_at") - timedelta(hours=1, seconds=1))
    assert start(personas, neighbours[10], 10)


def test_writing_in_an_open_conversation_is_not_a_new_one(personas, neighbours):
    for n, person in enumerate(neighbours[:10]):
        start(personas, person, n)
    again = start(personas, neighbours[0], 0)  # the same two people, about nothing in particular
    assert again.messages.count() == 2


def test_questions_and_conversations_others_started_do_not_count(personas, neighbours):
    services.question_ask(neighbourhood=personas.ede, user=personas.daan, subject="Q", body="?")
    for n in range(3):
        services.conversation_start(
            neighbourhood=personas.ede,
            user=neighbours[10],
            to_user=personas.daan,
            subject=f"To Daan {n}",
            body="Hi",
        )
        services.conversation_close(
            conversation_id=Conversation.objects.latest("pk").pk, user=personas.daan
        )
    for n, person in enumerate(neighbours[:10]):
        start(personas, person, n)
    assert Conversation.objects.filter(started_by=personas.daan).count() == 11
