"""Steps shared by the browser tests.

Texts are looked up through Django's own gettext in the page's language, so a locator finds
the same words the page shows, whether or not a catalog translates them yet.
"""

import re
from pathlib import Path
from urllib.parse import urlencode

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"

# What a resident on a cheap phone sees.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}
# The phone's own language, which the browser sends as Accept-Language.
LOCALES = {
    "nl": "nl-NL",
    "en": "en-GB",
    "ar": "ar",
    "tr": "tr-TR",
    "pl": "pl-PL",
    "uk": "uk-UA",
    "so": "so-SO",
    "ti": "ti-ER",
    "fa": "fa-IR",
    "bg": "bg-BG",
}

_axe = Axe()


def tr(lang: str, msgid: str, **params: str) -> str:
    """The text as Buurtnet shows it in `lang`."""
    with translation.override(lang):
        text = translation.gettext(msgid)
    return text % params if params else text


def label(lang: str, msgid: str) -> re.Pattern:
    """A form label: a model field's name gets a capital, and the form a colon after it."""
    text = capfirst(tr(lang, msgid))
    return re.compile(rf"^{re.escape(text)}\s*{re.escape(tr(lang, ':'))}?$")


def accessibility_report(page: Page) -> str:
    """axe-core's findings on the page as it is now; empty when there are none."""
    results = _axe.run(page)
    if results.violations_count == 0:
        return ""
    return f"{page.url}\n{results.generate_report()}"


def overflow_report(page: Page) -> str:
    """On a phone the page must fit the screen's width: wider content makes it zoom out."""
    scroll, screen = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll <= screen:
        return ""
    return f"{page.url}\nThe page is {scroll}px wide on a {screen}px wide screen."


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def check_page(page: Page, lang: str, name: str) -> None:
    """Every page of a journey: in the reader's language, photographed, fits a phone, axe-clean."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    screenshot(page, f"{lang}-{name}")
    report = accessibility_report(page) + overflow_report(page)
    assert not report, report


def choose_language(page: Page, code: str) -> None:
    """Use the header's language switch, as a visitor would: open it, tap the language."""
    switch = page.locator("header details.language-switch")
    switch.locator("summary").click()
    switch.locator(f"button[name=language][value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def log_in(page: Page, server: str, *, email: str, password: str, lang: str, then: str) -> None:
    """Log in through the login form and land on the page `then`."""
    page.goto(f"{server}{reverse('login')}?{urlencode({'next': then})}")
    page.get_by_label(label(lang, "Email address")).fill(email)
    page.get_by_label(label(lang, "Password")).fill(password)
    page.locator("main form").get_by_role("button", name=tr(lang, "Log in")).click()
    expect(page).to_have_url(f"{server}{then}")


def flash(page: Page):
    """The messages Django's message framework shows at the top of the page."""
    return page.locator("main .messages")
