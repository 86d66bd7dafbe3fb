"""A flat's printed notice board: the page to print and the PDF (sharing.views.board).

De Elskamp's board shows the live asks and offers made for de Elskamp, for the whole
neighbourhood or the flat; its hosts and residents may see it, nobody else.
"""

import re
import zlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buurtnet.core.ratelimit import RateLimit
from buurtnet.neighbourhoods.models import Membership
from buurtnet.sharing import board
from buurtnet.sharing.selectors.board import BOARD_SIZE, BoardContent, BoardPost, board_content
from buurtnet.sharing.views import board as views
from tests.factories import BuildingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_url(share_url, sharing):
    def build(building=None, *, pdf: bool = False, query: str = "") -> str:
        url = share_url("board_pdf" if pdf else "board", (building or sharing.elskamp).pk)
        return f"{url}?{query}" if query else url

    return build


@pytest.fixture
def posts(sharing, make_post):
    """One post of each sort: two belong on de Elskamp's board, the others do not."""
    now = timezone.now()
    return {
        "flat": make_post(sharing.fatima, title="Ladder for the flat", audience="flat"),
        "neighbourhood": make_post(
            sharing.priya, title="Drill for everyone", side="offer", kind="borrow"
        ),
        "other_flat": make_post(sharing.yusuf, title="Vlinder lift party", audience="flat"),
        "other_flat_all": make_post(sharing.yusuf, title="Vlinder sofa to give"),
        "no_flat": make_post(sharing.priya, title="Without a flat", building=None),
        "suggested": make_post(sharing.fatima, title="Only for suggested", audience="suggested"),
        "expired": make_post(
            sharing.daan, title="Past its date", expires_at=now - timedelta(minutes=1)
        ),
        "closed": make_post(sharing.daan, title="Already helped", status="helped", closed_at=now),
        "hidden": make_post(sharing.daan, title="Hidden by a host", hidden_at=now),
    }


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with its compressed streams (object streams too) unpacked."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


SHOWN = ("Ladder for the flat", "Drill for everyone")
NOT_SHOWN = (
    "Vlinder lift party",
    "Vlinder sofa to give",
    "Without a flat",
    "Only for suggested",
    "Past its date",
    "Already helped",
    "Hidden by a host",
)


# --- What the board shows ----------------------------------------------------------------------


def test_it_shows_the_flats_live_posts_for_the_neighbourhood_or_the_flat(
    as_user, sharing, posts, board_url
):
    response = as_user(sharing.henk).get(board_url())

    assert response.status_code == 200
    page = response.content.decode()
    for title in SHOWN:
        assert title in page
    for title in NOT_SHOWN:
        assert title not in page
    # Newest first, with the poster's name and whether it is an ask or an offer.
    assert page.index("Drill for everyone") < page.index("Ladder for the flat")
    # The sheet's own words are Dutch first, whoever prints it.
    assert "Priya" in page and "Aanbod · Lenen of uitlenen" in page
    assert "Vraag · Hulp met iets wat je kunt" in page


def test_what_neighbours_wrote_keeps_its_language_and_direction(
    as_user, sharing, make_post, board_url
):
    make_post(sharing.fatima, title="من يستطيع المساعدة؟", language="ar")

    page = as_user(sharing.fatima).get(board_url()).content.decode()

    assert re.search(r'<a href="[^"]+" dir="auto" lang="ar">من يستطيع المساعدة؟</a>', page)


def test_the_header_has_the_motto_the_flat_and_the_date(as_user, sharing, posts, board_url):
    sharing.ede.motto = "Hoogbouw Ede-Zuid, deel ik met mijn buren!"
    sharing.ede.save()

    page = as_user(sharing.henk).get(board_url()).content.decode()

    assert "Hoogbouw Ede-Zuid, deel ik met mijn buren!" in page
    assert "de Elskamp" in page
    assert timezone.localdate().strftime("%d-%m-%Y") in page


def test_the_hosts_are_named_for_neighbours_without_a_smartphone(
    as_user, sharing, posts, board_url
):
    page = as_user(sharing.fatima).get(board_url()).content.decode()

    assert (
        "Geen smartphone? Vraag een van de buurthosts om voor je te antwoorden: Henk" in page
    )  # Dutch, always on the board


def test_a_post_by_someone_the_viewer_blocked_is_left_out(as_user, sharing, make_post, board_url):
    # fatima blocked bram; his offer is for the whole neighbourhood, made for de Elskamp.
    make_post(sharing.bram, title="Bram's offer", building=sharing.elskamp)

    assert "Bram&#x27;s offer" not in as_user(sharing.fatima).get(board_url()).content.decode()
    assert "Bram&#x27;s offer" in as_user(sharing.henk).get(board_url()).content.decode()


def test_a_post_by_a_suspended_member_is_left_out(as_user, sharing, make_post, board_url):
    make_post(sharing.daan, title="Daan's ask")
    Membership.objects.filter(user=sharing.daan).update(
        suspended_until=timezone.now() + timedelta(days=7)
    )

    assert "Daan&#x27;s ask" not in as_user(sharing.henk).get(board_url()).content.decode()


def test_an_empty_board_says_so(as_user, sharing, board_url):
    page = as_user(sharing.henk).get(board_url()).content.decode()

    assert "Niemand in deze flat vraagt of biedt nu iets aan." in page  # Dutch, always on the board


# --- Languages -------------------------------------------------------------------------------


def test_the_fixed_words_are_in_dutch_and_the_languages_picked(as_user, sharing, posts, board_url):
    response = as_user(sharing.henk).get(board_url(query="lang=ar&lang=tr"))

    assert response.status_code == 200
    page = response.content.decode()
    # "Until <date>" is in the catalogs already: Dutch always, then Arabic right to left.
    assert re.search(r'<bdi lang="nl" dir="ltr">Tot \d+ \w+</bdi>', page)
    assert re.search(r'<bdi lang="ar" dir="rtl">حتى \d+ [^<]+</bdi>', page)
    assert re.search(r'<bdi lang="tr" dir="ltr">\d+ [^<]+ tarihine kadar</bdi>', page)
    assert '<div class="board-how-lang" lang="nl" dir="ltr">' in page
    # The PDF link keeps the choice.
    assert f'href="{board_url(pdf=True)}?lang=ar&amp;lang=tr"' in page


def test_without_a_choice_the_board_is_in_dutch_only(as_user, sharing, posts, board_url):
    page = as_user(sharing.henk).get(board_url()).content.decode()

    assert "Tot " in page
    assert '<bdi lang="ar"' not in page and "حتى" not in page


def test_more_than_three_extra_languages_is_refused_with_the_choice_kept(
    as_user, sharing, posts, board_url
):
    response = as_user(sharing.henk).get(board_url(query="lang=ar&lang=tr&lang=pl&lang=uk"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please choose fewer." in page
    for code in ("ar", "tr", "pl", "uk"):
        assert re.search(rf'value="{code}"[^>]*checked', page)
    assert "Ladder for the flat" not in page  # no board until the choice is right


def test_an_unknown_language_is_refused(as_user, sharing, board_url):
    response = as_user(sharing.henk).get(board_url(query="lang=xx"))

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


# --- QR codes and "more on Buurtnet" -------------------------------------------------------------


def test_each_qr_code_opens_the_posts_page(as_user, sharing, posts, board_url, monkeypatch):
    asked = []
    make = board.segno.make

    def spy(content, *args, **kwargs):
        asked.append(content)
        return make(content, *args, **kwargs)

    board.qr_svg.cache_clear()
    monkeypatch.setattr(board.segno, "make", spy)

    page = as_user(sharing.henk).get(board_url()).content.decode()

    urls = [
        f"http://testserver/n/ede-zuid/share/{posts[key].pk}/" for key in ("neighbourhood", "flat")
    ]
    assert asked == urls
    for url in urls:
        assert board.qr_svg(url) in page
        assert f'href="{url}"' in page


def test_the_selector_gives_each_post_its_absolute_address(sharing, posts):
    content = board_content(
        building=sharing.elskamp,
        slug="ede-zuid",
        viewer_id=sharing.henk.pk,
        site="https://buurt.example",
    )

    assert [p.url for p in content.posts] == [
        f"https://buurt.example/n/ede-zuid/share/{posts[key].pk}/"
        for key in ("neighbourhood", "flat")
    ]
    assert content.more == 0
    assert content.list_url == "https://buurt.example/n/ede-zuid/share/"


def test_more_posts_than_fit_say_how_many_more_with_a_code_for_the_list(
    as_user, sharing, make_post, board_url
):
    for n in range(BOARD_SIZE + 3):
        make_post(sharing.fatima, title=f"Post number {n:02d}")

    page = as_user(sharing.henk).get(board_url()).content.decode()

    assert page.count('<li class="board-post ') == BOARD_SIZE
    for n in range(3, BOARD_SIZE + 3):  # the newest eight
        assert f"Post number {n:02d}" in page
    for n in range(3):
        assert f"Post number {n:02d}" not in page
    assert "En nog 3 vragen en aanbiedingen op Buurtnet" in page  # Dutch, always on the board
    assert board.qr_svg("http://testserver/n/ede-zuid/share/") in page


def test_the_board_costs_the_same_queries_for_three_posts_or_thirty(
    as_user, sharing, make_post, board_url
):
    client = as_user(sharing.henk)
    for n in range(3):
        make_post(sharing.fatima, title=f"Few {n}")
    client.get(board_url())  # the membership is cached from here on
    with CaptureQueriesContext(connection) as few:
        client.get(board_url())
    for n in range(27):
        make_post(sharing.priya, title=f"Many {n}")
    client.get(board_url())  # new posts make the neighbourhood's kept parts new: cached again
    with CaptureQueriesContext(connection) as many:
        client.get(board_url())

    assert len(many) == len(few)


# --- The PDF ---------------------------------------------------------------------------------


def test_the_pdf_is_an_a4_shown_in_the_browser_and_kept_by_no_shared_cache(
    as_user, sharing, posts, board_url
):
    response = as_user(sharing.fatima).get(board_url(pdf=True, query="lang=ar"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="prikbord-de-elskamp.pdf"'
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response.content.startswith(b"%PDF")
    objects = pdf_objects(response.content)
    assert len(re.findall(rb"/Type\s*/Page\b", objects)) == 1
    # A4 in points.
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+\s*\]", objects)


def test_a_full_board_in_four_languages_fits_on_one_page(sharing, monkeypatch):
    # Every language prints its own words, as when the catalogs translate them all (until
    # then, languages without a translation share the English words, printed once).
    monkeypatch.setattr(board, "_once", lambda items, key: list(items))
    title = ("Wie kan mij helpen met het ophangen van gordijnen en lampen in mijn woning? " * 2)[
        :120
    ]
    content = BoardContent(
        posts=[
            BoardPost(
                pk=n,
                side="ask" if n % 2 else "offer",
                kind="skill",
                title=title,
                body="Een lange uitleg over wat er nodig is. " * 40,
                language="nl",
                author="Abdirahman-Mohamed Yusuf Abdullahi",
                expires_at=timezone.now() + timedelta(days=14),
                url=f"https://buurtnet.example.org/n/ede-zuid/share/{100000 + n}/",
            )
            for n in range(BOARD_SIZE)
        ],
        more=123,
        list_url="https://buurtnet.example.org/n/ede-zuid/share/",
        hosts=["Johanna Wilhelmina van der Berg-de Vries", "Mehmet Yılmaz-Öztürk", "Henk"],
    )
    sharing.ede.motto = "Hoogbouw Ede-Zuid, deel ik met mijn buren! " * 4
    sheet = board.board_sheet(
        neighbourhood=sharing.ede,
        building=sharing.elskamp,
        content=content,
        languages=board.board_languages(["fa", "ar", "tr"]),
    )

    document = board.board_document(sheet)

    assert sheet.languages == ["nl", "ar", "tr", "fa"]
    assert len(sheet.how) == 4
    assert len(document.pages) == 1


# --- Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("pdf", [False, True])
@pytest.mark.parametrize("who", ["henk", "fatima", "daan"])
def test_hosts_and_residents_of_the_flat_may_see_it(as_user, sharing, posts, board_url, who, pdf):
    assert as_user(getattr(sharing, who)).get(board_url(pdf=pdf)).status_code == 200


@pytest.mark.parametrize("pdf", [False, True])
@pytest.mark.parametrize("who", ["yusuf", "anna", "olga"])
def test_others_get_404(as_user, sharing, posts, board_url, who, pdf):
    """A resident of another flat, a professional, a member of another neighbourhood."""
    response = as_user(getattr(sharing, who)).get(board_url(pdf=pdf))

    assert response.status_code == 404


def test_a_host_sees_every_flats_board(as_user, sharing, posts, board_url):
    page = as_user(sharing.henk).get(board_url(sharing.vlinder)).content.decode()

    assert "Vlinder lift party" in page and "Vlinder sofa to give" in page
    assert "Ladder for the flat" not in page


def test_a_suspended_resident_is_turned_away(as_user, sharing, posts, board_url):
    Membership.objects.filter(user=sharing.daan).update(
        suspended_until=timezone.now() + timedelta(days=7)
    )

    for pdf in (False, True):
        response = as_user(sharing.daan).get(board_url(pdf=pdf))
        assert response.status_code in (403, 404)  # the access layer says why, or nothing
        assert b"Ladder for the flat" not in response.content


def test_a_flat_of_another_neighbourhood_is_not_found(as_user, sharing, share_url):
    elsewhere = BuildingFactory(neighbourhood=sharing.other, name="Elders flat")

    response = as_user(sharing.henk).get(share_url("board", elsewhere.pk))

    assert response.status_code == 404
    assert as_user(sharing.henk).get(share_url("board", 999999)).status_code == 404


@pytest.mark.parametrize("pdf", [False, True])
def test_a_visitor_is_sent_to_log_in(client, board_url, sharing, pdf):
    response = client.get(board_url(pdf=pdf))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_links_the_style_sheet_the_pdf_reads(as_user, sharing, posts, board_url):
    response = as_user(sharing.henk).get(board_url())

    page = response.content.decode()
    assert 'href="/static/css/board.css"' in page or "css/board.css" in page
    assert "<style" not in page
    policy = response["Content-Security-Policy"]
    style_src = next(p for p in policy.split(";") if p.strip().startswith("style-src"))
    assert "unsafe-inline" not in style_src


def test_making_the_pdf_over_and_over_is_slowed_down(
    as_user, sharing, posts, board_url, monkeypatch
):
    monkeypatch.setattr(views, "PDF_PER_MEMBER", RateLimit("test-board-pdf", limit=1, window=60))
    client = as_user(sharing.henk)
    assert client.get(board_url(pdf=True)).status_code == 200

    response = client.get(board_url(pdf=True, query="lang=ar"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Please wait 1 minute and try again, or print this page from your browser." in page
    assert "Ladder for the flat" in page  # the board to print from the browser
    assert "حتى" in page
