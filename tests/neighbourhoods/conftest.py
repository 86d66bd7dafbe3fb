"""Pages in these tests are read in English, the language of the source strings.

Every persona's home gets a house number that appears nowhere else on a page, so a test can
tell for certain that a door is never shown.
"""

import pytest
from django.utils.html import escape

from buurtnet.neighbourhoods.models import Home
from tests.factories import HomeFactory, InviteCodeFactory

PERSONAS = ("fatima", "priya", "daan", "henk", "anna", "sem", "olga")


@pytest.fixture
def personas(personas):
    people = [getattr(personas, name) for name in PERSONAS]
    for index, home in enumerate(Home.objects.filter(members__user__in=people).order_by("pk")):
        home.number = f"DOOR-{4711 + index}"
        home.save(update_fields=["number"])
    return personas


@pytest.fixture
def invite(personas):
    """A code for an empty home in de Elskamp that two people may use."""
    home = HomeFactory(building=personas.elskamp, number="77")
    return InviteCodeFactory(neighbourhood=personas.ede, home=home, code="KLMN-PQRS", max_uses=2)


def text(response) -> str:
    return response.content.decode()


def shows(response, message: str) -> bool:
    """The page shows this message (as HTML escapes it)."""
    return escape(message) in text(response)


def as_client(client, user):
    client.force_login(user)
    return client
