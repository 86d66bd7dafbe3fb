"""What there is to report in Ede-Zuid: an ask by Fatima, a private conversation between Fatima
and Daan, and Daan's question to the wijkteam (answered by Anna)."""

import pytest
from django.urls import reverse

from buurtnet.conversations.models import Message, Participant
from buurtnet.moderation import services
from buurtnet.neighbourhoods.models import Membership
from tests.factories import ConversationFactory, PostFactory


@pytest.fixture
def post(personas):
    return PostFactory(
        neighbourhood=personas.ede, author=personas.fatima, title="Wie leent mij een boormachine?"
    )


@pytest.fixture
def private_message(personas):
    conversation = ConversationFactory(
        neighbourhood=personas.ede, started_by=personas.fatima, subject="Over de ladder"
    )
    Participant.objects.create(conversation=conversation, user=personas.fatima)
    Participant.objects.create(conversation=conversation, user=personas.daan)
    return Message.objects.create(
        conversation=conversation, author=personas.fatima, body="Je bent een sukkel, buurman."
    )


@pytest.fixture
def question_message(personas):
    conversation = ConversationFactory(
        neighbourhood=personas.ede,
        started_by=personas.daan,
        organisation=personas.wijkteam,
        subject="Een vraag",
    )
    Message.objects.create(conversation=conversation, author=personas.daan, body="Mijn vraag")
    return Message.objects.create(
        conversation=conversation, author=personas.anna, body="Bel ons maar op 0612345678."
    )


def report_url(personas, what: str, pk: int, neighbourhood=None) -> str:
    slug = (neighbourhood or personas.ede).slug
    return reverse("moderation:report", args=[slug, what, pk])


def detail_url(personas, report) -> str:
    return reverse("moderation:report_detail", args=[personas.ede.slug, report.pk])


def membership(user, neighbourhood) -> Membership:
    return Membership.objects.get(user=user, neighbourhood=neighbourhood)


@pytest.fixture
def report_about_fatima(personas, post):
    """Daan reports Fatima's ask."""
    return services.report_make(
        neighbourhood=personas.ede, reporter=personas.daan, target=post, reason="unkind"
    )


def text(response) -> str:
    return response.content.decode().replace("<bdi>", "").replace("</bdi>", "")
