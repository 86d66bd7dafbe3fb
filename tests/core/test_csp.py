"""The Content-Security-Policy: sent on every kind of page; templates need nothing it forbids.

The browser tests (tests/browser/conftest.py) fail on any violation the pages report, so the
main journeys are also checked to work under the policy.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.request}"
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def pages(personas, as_user, client):
    """One response of every kind the site answers with."""
    ede = personas.ede
    initiatives = reverse("initiatives:list", args=[ede.slug])
    start = reverse("initiatives:start", args=[ede.slug])
    return {
        "public landing": lambda: as_user(None).get(reverse("front:landing", args=[ede.slug])),
        "login": lambda: as_user(None).get(reverse("login")),
        "member page": lambda: as_user(personas.daan).get(
            reverse("front:member_home", args=[ede.slug])
        ),
        "htmx partial": lambda: as_user(personas.daan).get(
            initiatives, {"q": "eten"}, headers={"HX-Request": "true"}
        ),
        "form with errors": lambda: as_user(personas.fatima).post(start, {"step": "1"}),
        "not found": lambda: as_user(personas.olga).get(initiatives),
        "admin login": lambda: as_user(None).get(reverse("admin:login")),
    }


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("public landing", 200),
        ("login", 200),
        ("member page", 200),
        ("htmx partial", 200),
        ("form with errors", 400),
        ("not found", 404),
        ("admin login", 200),
    ],
)
def test_every_kind_of_response_sends_the_strict_policy(pages, kind, status):
    response = pages[kind]()
    assert response.status_code == status
    assert directives(response) == STRICT


def test_the_htmx_partial_is_really_a_partial(pages):
    """So the case above covers a fragment, not a whole page."""
    response = pages["htmx partial"]()
    assert b"<html" not in response.content
    assert b"Samen eten" in response.content


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(pages):
    """htmx otherwise adds an inline <style> for its indicators and copies style attributes
    onto the elements it swaps in: the policy refuses both."""
    page = pages["public landing"]().content.decode()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert meta, "base.html has no htmx-config"
    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False
    assert "style" not in config["attributesToSettle"]
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False


class _Inline(HTMLParser):
    """Collects what a strict policy refuses: inline <script>, <style>, style="", on…="", hx-on."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, _ in attrs:
            if name == "style" or re.fullmatch(r"on[a-z]+", name) or "hx-on" in name:
                self.found.append(f'<{tag} {name}="…">')


TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)
# Not pages: emails, and the sheet the `invites` command writes to a file for printing.
NOT_SERVED = {"emails", "invites_sheet.html"}


def _served_templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += sorted((Path(settings.BASE_DIR) / "buurtnet").glob("*/templates"))
    return [
        path
        for root in roots
        for path in sorted(root.rglob("*.html"))
        if not NOT_SERVED & {*path.relative_to(root).parts}
    ]


def test_no_served_template_has_inline_script_style_or_event_handlers():
    templates = _served_templates()
    assert len(templates) > 50
    found = []
    for path in templates:
        parser = _Inline()
        parser.feed(TEMPLATE_COMMENT.sub("", path.read_text()))
        found += [f"{path.relative_to(settings.BASE_DIR)}: {what}" for what in parser.found]
    assert not found, "\n".join(found)


def test_the_inline_check_finds_what_it_looks_for():
    parser = _Inline()
    parser.feed(
        '<script>alert(1)</script><script src="/s.js"></script><p style="color:red">'
        '<button onclick="go()" hx-on::after-request="x()"></button><style>p{}</style>'
    )
    assert parser.found == [
        "<script> without src",
        '<p style="…">',
        '<button onclick="…">',
        '<button hx-on::after-request="…">',
        "<style>",
    ]
