"""Pages in these tests are read in English, the language of the source strings.

Every persona's home gets a house number that appears nowhere else on a page, so a test can
tell for certain that a door is never shown.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
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
    """The page's HTML, with the <bdi> that isolates each name's writing direction left out."""
    return response.content.decode().replace("<bdi>", "").replace("</bdi>", "")


def shows(response, message: str) -> bool:
    """The page shows this message (as HTML escapes it)."""
    return escape(message) in text(response)


def as_client(client, user):
    client.force_login(user)
    return client


CONFIRM_PATH = re.compile(r"/join/confirm/[^/\s\"<>]+/")


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def confirm_path(message) -> str:
    """The sign-up link's path in an email (the same in its text and its HTML)."""
    html = next(body for body, mime in message.alternatives if mime == "text/html")
    paths = set(CONFIRM_PATH.findall(message.body)) | set(CONFIRM_PATH.findall(html))
    assert len(paths) == 1, paths
    return paths.pop()


def token_of(link: str) -> str:
    """The token at the end of a sign-up link's path."""
    return link.rstrip("/").rsplit("/", 1)[1]


def confirm_token(message) -> str:
    return token_of(confirm_path(message))


PASSWORD = "a-long-neighbourly-secret"  # noqa: S105 - the password newcomers choose in tests


def finish(client, link: str, password: str = PASSWORD, again: str | None = None):
    """On the page of the sign-up link: choose the password and tap the button."""
    return client.post(
        reverse("neighbourhoods:signup_finish"),
        {
            "token": token_of(link),
            "password": password,
            "password_confirm": password if again is None else again,
        },
    )


def logs_in(email: str, password: str) -> bool:
    """Whether the login page lets someone in with this address and password."""
    client = Client()
    client.post(reverse("login"), {"username": email, "password": password})
    return "_auth_user_id" in client.session
