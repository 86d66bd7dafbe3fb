"""Every place that reads a return address (`next`) survives whatever it is sent.

For each endpoint, as the person who may use it, with arbitrary strings: never a server error,
never a redirect to another site, and the action itself still happens.
"""

import html
import re
import unicodedata
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from buurtnet.core.http import safe_next
from tests.factories import HomeFactory, InviteCodeFactory

FUZZ = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TRICKY = [
    "abc",
    "host",
    "front:member_home",
    "",
    " ",
    "/",
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "https://evil.example",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\nSet-Cookie: x=1",
    "\x00",
    "/\x00",
    "/\u200b/evil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    " /n/ede-zuid/",
    "/n/ede-zuid/",
    "/n/ede-zuid/host/?status=all&page=2",
    "/ünïcødé/☃/𝄞",
    "/accounts/login/",
    "/accounts/login/?next=/accounts/login/",
    "/accounts/logout/",
    "/" + "a" * 5000,
    "/" + "é" * 1500,
]
# Any text a browser could send (lone surrogates cannot be encoded in a request).
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=400)
next_values = st.one_of(
    st.sampled_from(TRICKY),
    text,
    text.map(lambda t: "/" + t),
    text.map(lambda t: "//" + t),
    st.from_regex(r"\A(/[a-z0-9._~%-]{0,12}){0,5}/?(\?[a-z=&]{0,20})?\Z"),
)
LOCAL = re.compile(r"\A/(?![/\\])")


def is_local(location: str) -> bool:
    """A browser reads this Location as a page of this same site."""
    parts = urlsplit(location)
    return (
        bool(LOCAL.match(location))
        and "\\" not in location
        and not parts.scheme
        and not parts.netloc
        and not any(unicodedata.category(c).startswith("C") for c in location)
    )


def assert_sent_home_or_back(response, value: str, default: str) -> None:
    """Redirected to the given address when it is a local path, else to the usual page."""
    assert response.status_code == 302
    location = response["Location"]
    assert is_local(location), location
    assert location in (default, iri_to_uri(value)), location


@pytest.fixture
def visitor():
    def new_client() -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return new_client


@FUZZ
@given(value=next_values)
@example(value="abc")
def test_revoking_an_invite(visitor, personas, value):
    invite = InviteCodeFactory(
        neighbourhood=personas.ede, home=HomeFactory(building=personas.elskamp)
    )
    host = visitor()
    host.force_login(personas.henk)
    url = reverse("neighbourhoods:invite_revoke", args=["ede-zuid", invite.pk])
    response = host.post(url, {"next": value})
    assert_sent_home_or_back(response, value, reverse("neighbourhoods:host", args=["ede-zuid"]))
    invite.refresh_from_db()
    assert invite.is_revoked


@FUZZ
@given(value=next_values)
def test_logging_in(visitor, personas, value):
    client = visitor()
    response = client.post(
        reverse("login"),
        {"username": personas.daan.email, "password": personas.password, "next": value},
    )
    assert_sent_home_or_back(response, value, reverse("home"))
    assert client.session["_auth_user_id"] == str(personas.daan.pk)


@FUZZ
@given(value=next_values)
def test_the_login_page(visitor, personas, value):
    page = visitor().get(reverse("login"), {"next": value})
    assert page.status_code == 200
    carried = re.findall(r'name="next" value="([^"]*)"', page.content.decode())
    assert all(is_local(html.unescape(v)) for v in carried), carried


@FUZZ
@given(value=next_values)
def test_the_login_page_for_someone_logged_in(visitor, personas, value):
    client = visitor()
    client.force_login(personas.daan)
    response = client.get(reverse("login"), {"next": value})
    assert_sent_home_or_back(response, value, reverse("home"))


@FUZZ
@given(value=next_values)
def test_logging_out(visitor, personas, value):
    client = visitor()
    client.force_login(personas.daan)
    response = client.post(reverse("logout"), {"next": value})
    assert_sent_home_or_back(response, value, reverse("home"))
    assert "_auth_user_id" not in client.session


@FUZZ
@given(value=next_values, signed_in=st.booleans())
def test_switching_the_language(visitor, personas, value, signed_in):
    client = visitor()
    personas.daan.preferred_language = "en"
    personas.daan.save(update_fields=["preferred_language"])
    if signed_in:
        client.force_login(personas.daan)
    response = client.post(reverse("language_switch"), {"language": "nl", "next": value})
    assert_sent_home_or_back(response, value, "/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    if signed_in:
        personas.daan.refresh_from_db()
        assert personas.daan.preferred_language == "nl"


# The helper itself ------------------------------------------------------------------------------


KEPT = [
    "/",
    "/n/ede-zuid/",
    "/n/ede-zuid/host/?status=all&page=2#invites",
    "/ünïcødé/☃/𝄞",
    "/%2F%2Fevil.example",
    "/" + "a" * 1999,
]
ABSENT = [
    None,
    42,
    "",
    " ",
    "abc",
    "host",
    "front:member_home",
    " /n/ede-zuid/",
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\nSet-Cookie: x=1",
    "/\x00",
    "/\u200b/evil.example",
    "/" + "a" * 2000,
]


@pytest.mark.parametrize("value", KEPT)
def test_a_local_path_is_kept(rf, value):
    assert safe_next(rf.get("/"), value) == value
    assert safe_next(rf.get("/", secure=True), value) == value


@pytest.mark.parametrize("value", ABSENT)
def test_anything_else_is_absent(rf, value):
    assert safe_next(rf.get("/"), value) is None
