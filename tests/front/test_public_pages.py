"""Public pages set no cookie for a visitor, so browsers and shared caches may keep them."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LANDING = reverse("front:landing", args=["ede-zuid"])
HOME = reverse("home")


@pytest.fixture(autouse=True)
def _language_left_as_it_was():
    """Requests without a language cookie activate Dutch; the tests after these must not
    inherit it."""
    with translation.override(translation.get_language()):
        yield


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("url", [LANDING, HOME])
def test_a_visitor_without_cookies_gets_no_cookie_and_a_public_page(personas, url):
    response = Client().get(url)

    assert response.status_code == 200
    assert not response.has_header("Set-Cookie")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert directives(response) == {"public", "max-age=60"}
    # Members see more at the same address: a cache must keep the visitor's copy apart.
    assert "cookie" in vary(response)


def test_a_visitor_who_chose_a_language_still_gets_a_public_page(personas):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    response = client.get(LANDING)

    assert not response.cookies
    assert 'lang="nl"' in response.content.decode()
    assert "public" in directives(response)
    assert "cookie" in vary(response)


@pytest.mark.parametrize("who", ["daan", "olga"])  # a member, and a member elsewhere
def test_a_signed_in_persons_landing_is_private(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.get(LANDING)

    assert response.status_code == 200
    assert "private" in directives(response)
    assert "public" not in directives(response)
    assert "cookie" in vary(response)


def test_a_members_other_pages_are_private_too(client, personas):
    client.force_login(personas.daan)
    response = client.get(reverse("front:member_home", args=["ede-zuid"]))

    assert "private" in directives(response)


def test_a_page_with_a_form_for_visitors_still_gets_its_csrf_cookie(db):
    response = Client().get(reverse("login"))

    assert "csrftoken" in response.cookies
    assert "public" not in directives(response)


# The language switch --------------------------------------------------------------------------


def test_a_visitor_switches_language_without_session_or_csrf_cookie(personas):
    client = Client(enforce_csrf_checks=True)
    page = client.get(LANDING).content.decode()
    assert 'action="/language/"' in page

    response = client.post("/language/", {"language": "nl", "next": LANDING})

    assert response.status_code == 302
    assert response["Location"] == LANDING
    assert set(response.cookies) == {settings.LANGUAGE_COOKIE_NAME}
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    again = client.get(LANDING)
    assert 'lang="nl"' in again.content.decode()
    assert not again.cookies


def _switch_token(html: str) -> str:
    form = html[html.index('class="language-switch"') :]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_a_members_switch_needs_the_token_of_their_page(personas):
    daan = personas.daan
    client = Client(enforce_csrf_checks=True)
    client.force_login(daan)

    forged = client.post("/language/", {"language": "nl", "next": "/"})
    daan.refresh_from_db()
    assert forged.status_code == 403
    assert daan.preferred_language == "en"

    token = _switch_token(client.get(reverse("profile")).content.decode())
    response = client.post(
        "/language/", {"language": "nl", "next": "/", "csrfmiddlewaretoken": token}
    )
    daan.refresh_from_db()
    assert response.status_code == 302
    assert daan.preferred_language == "nl"
