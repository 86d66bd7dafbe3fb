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


# Chrome reports every Content-Security-Policy violation on the console ("Refused to …").
# The page's own `securitypolicyviolation` event is reported there too, with what was refused
# and where, so a violation is caught whatever words the browser uses for it. An init script
# runs in the page before its own scripts and is not subject to the page's policy.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `Content Security Policy violation: ${event.effectiveDirective} refused`
    + ` ${event.blockedURI || "inline code"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def csp_violations() -> list[str]:
    """What the pages of this test reported as refused by the Content-Security-Policy."""
    return []


@pytest.fixture
def new_context(new_context, csp_violations):
    """pytest-playwright's `new_context`, whose pages fail the test when they report a
    Content-Security-Policy violation: every journey is also run under the policy."""
    contexts = []

    def record(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            page = message.page.url if message.page else "?"
            csp_violations.append(f"{page}: {message.text}")

    def open_context(**context_args):
        context = new_context(**context_args)
        context.add_init_script(script=_REPORT_CSP_VIOLATIONS)
        context.on("console", record)
        contexts.append(context)
        return context

    yield open_context
    # A last round trip to each open page delivers the messages still on their way.
    for context in contexts:
        for page in context.pages:
            if not page.is_closed():
                page.title()
    assert not csp_violations, "\n".join(csp_violations)
