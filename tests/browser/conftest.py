"""Browser tests: Debian's Chromium through Playwright, on a phone-sized screen, axe on every page.

The browser is launched once per session (pytest-playwright's `browser`); every person in a test
gets a context of their own from `new_context`. Pages are served by pytest-django's `live_server`,
which gives each test a transactional database.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.helpers import LOCALES, PHONE


@pytest.fixture(scope="session")
def base_url() -> None:
    """No --base-url: pages are addressed through `live_server.url`.

    pytest-playwright's own fallback for this fixture is an instance method, which pytest
    deprecates with a warning, and warnings fail the suite.
    """
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A cheap phone: 390×844 CSS pixels and touch."""
    return {**browser_context_args, **PHONE}


@pytest.fixture
def phone(new_context):
    """A new browser context (a person's own phone), Dutch unless told otherwise."""

    def open_phone(*, lang: str = "nl", **context_args):
        context = new_context(locale=LOCALES[lang], **context_args)
        # A page of this site answers in well under a second; don't wait half a minute to fail.
        context.set_default_timeout(5_000)
        return context

    return open_phone


@pytest.fixture
def signed_in(phone, live_server):
    """A phone on which `user` is already logged in (without typing a password)."""

    def open_as(user, *, lang: str = "nl", **context_args):
        client = Client()
        client.force_login(user)
        context = phone(lang=lang, **context_args)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return context

    return open_as
