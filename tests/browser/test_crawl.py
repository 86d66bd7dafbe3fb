"""Every page a visitor or a resident can reach from the start: it fits a 390 px phone, in Dutch
and in Arabic (right to left), and the Nu HTML checker finds no error in it.

The Ede-Zuid demo fills the pages. Links are followed from the start page within the site;
each kind of address (numbers and dates stripped) is visited at most twice, so the crawl ends.
"""

import json
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command

from buurtnet.moderation.services import report_make
from buurtnet.neighbourhoods.models import Building, Neighbourhood
from buurtnet.people.models import User
from buurtnet.sharing.models import Invitation, Post
from buurtnet.sharing.services.invitations import invitation_answer
from tests.browser.helpers import accessibility_report, overflow_report
from tests.demo.test_demo_agenda import person

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SKIP = re.compile(
    r"^/(admin|static|media|accounts/logout|language)/|\.(ics|csv|png|jpe?g|webp|svg|pdf|xml)$|/export"
)
PER_SHAPE = 2
MAX_PAGES = 160


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(
    page, server: str, start: str, *, within: str | tuple[str, ...] = "/", axe: bool = False
) -> dict[str, str]:
    """Visit what can be reached from `start` (below `within`); return {url: the HTML the server
    sent}. With `axe`, axe-core checks every page too."""
    seen_shapes: dict[str, int] = {}
    queue, visited, pages, problems = [start], set(), {}, []
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        response = page.goto(server + url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status < 500, f"{url} answered {response.status}"
        pages[url] = response.text()
        problems.append(overflow_report(page))
        if axe:
            problems.append(accessibility_report(page))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href)[0]
            parts = urlsplit(urljoin(server + url, href))
            if f"{parts.scheme}://{parts.netloc}" != server:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or local in visited or not parts.path.startswith(within):
                continue
            shape = _shape(parts.path)
            if seen_shapes.get(shape, 0) >= PER_SHAPE:
                continue
            seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
            queue.append(local)
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)
    return pages


def validate(pages: dict[str, str], folder: Path) -> list[str]:
    """The Nu HTML checker's errors, one line each with the page's address."""
    folder.mkdir()
    names = {}
    for number, (url, html) in enumerate(pages.items()):
        path = folder / f"page{number}.html"
        path.write_text(html)
        names[path.name] = url
    result = subprocess.run(  # noqa: S603
        [
            shutil.which("java") or "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{names.get(Path(m.get('url', '')).name, m.get('url'))}:{m.get('lastLine')}: "
        f"{m['message']} | {m.get('extract', '').strip()[:120]}"
        for m in messages
        if m.get("type") == "error"
    ]


@pytest.fixture
def demo(live_server):
    call_command("demo", stdout=StringIO())


needs_checker = pytest.mark.skipif(
    not VNU.exists() or shutil.which("java") is None,
    reason="the Nu HTML checker comes with `make test` (npm and Java)",
)


@needs_checker
@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_a_visitor_can_reach_only_valid_pages_that_fit_a_phone(
    demo, live_server, phone, tmp_path, lang
):
    page = phone(lang=lang).new_page()
    pages = crawl(page, live_server.url, "/n/ede-zuid/")
    assert len(pages) >= 5
    errors = validate(pages, tmp_path / "pages")
    assert not errors, "\n".join(errors)


@needs_checker
@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_a_resident_can_reach_only_valid_pages_that_fit_a_phone(
    demo, live_server, signed_in, tmp_path, lang
):
    page = signed_in(person("daan"), lang=lang).new_page()
    pages = crawl(page, live_server.url, "/n/ede-zuid/home/")
    assert len(pages) >= 25
    errors = validate(pages, tmp_path / "pages")
    assert not errors, "\n".join(errors)


@needs_checker
@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_treasurers_pages_are_valid_accessible_and_fit_a_phone(
    demo, live_server, signed_in, tmp_path, lang
):
    """The board's desk and everything the treasurer reaches from it: requests, rules, seats,
    funds, money in, bank statements, payments, the ledger."""
    treasurer = person("willem")
    treasurer.preferred_language = lang
    treasurer.save(update_fields=["preferred_language"])
    page = signed_in(treasurer, lang=lang).new_page()
    desk = "/n/ede-zuid/foundation/vrienden-van-de-hoogbouw/board/"
    pages = crawl(
        page,
        live_server.url,
        desk,
        within=("/n/ede-zuid/foundation/", "/n/ede-zuid/grants/"),
        axe=True,
    )
    assert sum("/foundation/" in url for url in pages) >= 10
    assert any("/grants/" in url for url in pages)
    errors = validate(pages, tmp_path / "pages")
    assert not errors, "\n".join(errors)


# --- Sharing between neighbours ------------------------------------------------------------------


def _sharing_starts(slug: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(who, where they start, below which addresses they go on) for the sharing pages: the list
    and all it links to, an ask's page with its suggestions, an offer's page with its loans, the
    asks sent to a neighbour, a conversation about an ask, all of a resident's conversations,
    writing to a neighbour about their ask, a flat's notice board and the hosts' reports. Makes
    the conversation and the report that the demo does not have."""
    ede = Neighbourhood.objects.get(slug=slug)
    share = f"/n/{slug}/share/"
    ravi = person("ravi")
    answered = invitation_answer(
        invitation_id=Invitation.objects.get(post__author=person("henk"), user=ravi).pk,
        user=ravi,
        answer="yes",
    )
    report_make(
        neighbourhood=ede,
        reporter=person("daan"),
        target=Post.objects.get(author=person("kwame"), side="ask"),
        reason="spam",
        details="Dit lijkt reclame.",
    )
    cupboard = Post.objects.get(author=person("daan"), title__startswith="Wie helpt mij een kast")
    ladder = Post.objects.get(author=person("youssef"), title__startswith="Ladder te leen")
    elskamp = Building.objects.get(neighbourhood=ede, name="de Elskamp")
    conversation = f"/n/{slug}/conversations/{answered.conversation.pk}/"
    conversations = f"/n/{slug}/conversations/"
    # Ravi starts writing to Daan about his ask, from the ask's page.
    about_cupboard = f"to={person('daan').pk}&about=sharing.post:{cupboard.pk}"
    write_about_cupboard = f"{conversations}new/?{about_cupboard}"
    return [
        ("daan", share, (share,)),
        ("daan", cupboard.get_absolute_url(), (cupboard.get_absolute_url(),)),
        ("youssef", ladder.get_absolute_url(), (ladder.get_absolute_url(), f"{share}loans/")),
        ("ravi", f"{share}asked/", (f"{share}asked/",)),
        ("ravi", conversation, (conversation,)),
        ("ravi", conversations, (conversations,)),
        ("ravi", write_about_cupboard, (f"{conversations}new/",)),
        ("henk", f"{share}flats/{elskamp.pk}/board/", (f"{share}flats/{elskamp.pk}/board/",)),
        ("henk", f"/n/{slug}/hosts/reports/", (f"/n/{slug}/hosts/reports/",)),
    ]


@needs_checker
@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_sharing_pages_are_valid_accessible_and_fit_a_phone(
    demo, live_server, signed_in, tmp_path, lang
):
    """Asks and offers as the residents and hosts who use them see them, axe-checked too."""
    starts = _sharing_starts("ede-zuid")
    keys = {who for who, _start, _within in starts}
    User.objects.filter(email__in=[f"{key}@demo.buurtnet.nl" for key in keys]).update(
        preferred_language=lang
    )
    phones = {key: signed_in(person(key), lang=lang).new_page() for key in keys}
    pages: dict[str, str] = {}
    for who, start, within in starts:
        pages.update(crawl(phones[who], live_server.url, start, within=within, axe=True))
    for kind in ("/share/", "/suggestions/", "/share/loans/", "/share/asked/", "/board/"):
        assert any(kind in url for url in pages), kind
    assert any("/conversations/" in url for url in pages)
    assert any(url.endswith("/conversations/") for url in pages)
    assert any(
        "/conversations/new/?" in url and 'name="body"' in html for url, html in pages.items()
    )
    assert any("/hosts/reports/" in url for url in pages)
    errors = validate(pages, tmp_path / "pages")
    assert not errors, "\n".join(errors)
