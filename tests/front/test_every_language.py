"""Each interface language gives complete main pages: the right lang and dir on <html>, and no
interface words left in English or Dutch. What members wrote (marked dir="auto") is theirs and
may be in any language, so it is left out of the check."""

from html.parser import HTMLParser
from io import StringIO

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.translation import get_language_info

from buurtnet.core.catalogs import LANGUAGES, po_path
from buurtnet.people.models import User

pytestmark = pytest.mark.django_db

VISITOR_PAGES = ["/n/ede-zuid/", "/accounts/login/", "/join/"]
MEMBER_PAGES = [
    "/n/ede-zuid/home/",
    "/n/ede-zuid/agenda/",
    "/n/ede-zuid/initiatives/",
    "/n/ede-zuid/members/",
    "/me/profile/",
    "/me/notifications/",
]
VOID = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"),
    *("track", "wbr"),
}


class InterfaceText(HTMLParser):
    """The page's text outside members' own words, scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[bool] = []
        self.parts: list[str] = []
        self.html_attrs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_attrs = attrs
        if tag in VOID:
            return
        skip = attrs.get("dir") == "auto" or tag in ("script", "style", "svg", "option")
        self.stack.append(skip)
        if skip:
            self.skip_depth += 1

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        if self.stack.pop():
            self.skip_depth -= 1

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _phrases(language: str) -> set[str]:
    """Interface sentences as they read in `language` (long enough not to be a name or a word
    that two languages share)."""
    found = set()
    for entry in polib.pofile(str(po_path(language))):
        text = entry.msgstr if language != "en" else entry.msgid
        if entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid or "<" in entry.msgid:
            continue
        if len(text) >= 18 and " " in text:
            found.add(text)
    return found


@pytest.fixture(scope="module")
def phrases():
    return {code: _phrases(code) for code in ("en", "nl")}


def _pages(language: str) -> dict[str, str]:
    visitor = Client(HTTP_ACCEPT_LANGUAGE=language)
    pages = {url: visitor.get(url) for url in VISITOR_PAGES}
    member = Client()
    fatima = User.objects.get(email="fatima@demo.buurtnet.nl")
    User.objects.filter(pk=fatima.pk).update(preferred_language=language)
    member.force_login(User.objects.get(pk=fatima.pk))
    pages.update({url: member.get(url) for url in MEMBER_PAGES})
    for url, response in pages.items():
        assert response.status_code == 200, (language, url, response.status_code)
    return {url: response.content.decode() for url, response in pages.items()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_gives_complete_main_pages(phrases, language):
    call_command("demo", stdout=StringIO())
    problems = []
    bidi = get_language_info(language)["bidi"]
    mine = _phrases(language)
    for url, html in _pages(language).items():
        parser = InterfaceText()
        parser.feed(html)
        attrs = parser.html_attrs
        if attrs.get("lang") != language or attrs.get("dir") != ("rtl" if bidi else "ltr"):
            problems.append(f"{language} {url}: <html {attrs}>")
        for other in ("en", "nl"):
            if other == language:
                continue
            leaked = sorted(p for p in phrases[other] if p in parser.text and p not in mine)
            problems += [f"{language} {url}: left in {other}: {p!r}" for p in leaked[:5]]
    assert not problems, "\n".join(problems)


def test_the_languages_offered_are_the_catalogs():
    assert [code for code, _ in settings.LANGUAGES] == list(LANGUAGES)
