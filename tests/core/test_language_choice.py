"""Which language a request gets: the switch's cookie, then the browser, then English or Dutch."""

import pytest
from django.conf import settings
from django.test import Client

from buurtnet.core.catalogs import LANGUAGES

pytestmark = pytest.mark.django_db


def _lang(client: Client, **headers) -> str:
    response = client.get("/", **headers)
    assert response.status_code == 200
    return response.headers["Content-Language"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ar", "ar"),
        ("ar-EG,ar;q=0.9,en;q=0.5", "ar"),
        ("tr-TR,tr;q=0.9", "tr"),
        ("pl", "pl"),
        ("uk-UA", "uk"),
        ("so-SO,so;q=0.9", "so"),
        ("ti-ER", "ti"),
        ("fa-IR,fa;q=0.9,en-US;q=0.8", "fa"),
        ("bg", "bg"),
        ("nl-BE,nl;q=0.9", "nl"),
        ("en-GB", "en"),
        ("pt-BR,pt;q=0.9,es;q=0.8", "en"),  # nothing we speak: English, not Dutch
        ("zz", "en"),
        ("pt;q=0.9,tr;q=0.5", "tr"),  # the first supported one in the browser's order
        ("*", "nl"),
    ],
)
def test_the_browser_picks_a_supported_language_or_english(header, expected):
    assert _lang(Client(), HTTP_ACCEPT_LANGUAGE=header) == expected


def test_no_preference_at_all_gets_dutch():
    assert _lang(Client()) == "nl"


def test_the_switch_cookie_wins_over_the_browser():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "so"
    assert _lang(client, HTTP_ACCEPT_LANGUAGE="ar") == "so"


def test_an_unknown_cookie_is_ignored():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert _lang(client, HTTP_ACCEPT_LANGUAGE="pl") == "pl"


def test_the_page_varies_with_the_browsers_language():
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_interface_language_has_locale_data(code):
    from django.utils.translation import get_language_info

    info = get_language_info(code)
    assert info["name_local"]
    assert info["bidi"] is (code in ("ar", "fa"))


def test_settings_and_catalogs_list_the_same_languages():
    assert [code for code, _name in settings.LANGUAGES] == list(LANGUAGES)
    assert len(LANGUAGES) >= 10


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_switch_offers_every_language_in_its_own_script(code):
    from django.utils.translation import get_language_info

    html = Client().get("/", HTTP_ACCEPT_LANGUAGE=code).content.decode()
    switch = html[html.index('class="language-switch"') : html.index("</details>")]
    for other in LANGUAGES:
        info = get_language_info(other)
        assert f'value="{other}" lang="{other}"' in switch
        assert f">{info['name_local']}</button>" in switch
    assert f'value="{code}" lang="{code}" dir="' in switch
