"""The printed invite slips: eight to an A4 page, a QR code that opens the sign-up form with the
code filled in, and a few words in Dutch and the languages the host chose."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from buurtnet.neighbourhoods.models import InviteCode
from buurtnet.neighbourhoods.selectors import invite_signup_url
from buurtnet.neighbourhoods.slips import (
    MAX_SLIP_LANGUAGES,
    SLIPS_PER_PAGE,
    qr_svg,
    slip_languages,
    slip_text,
)
from tests.factories import BuildingFactory, HomeFactory, InviteCodeFactory
from tests.neighbourhoods.conftest import text

HOUSEHOLD_NL = "Deze code is voor jouw huishouden"


def url(name, *args):
    return reverse(f"neighbourhoods:{name}", args=["ede-zuid", *args])


@pytest.fixture
def tower(personas):
    """De Toren: ten homes, each with a code."""
    building = BuildingFactory(neighbourhood=personas.ede, name="de Toren")
    for number in range(1, 11):
        InviteCodeFactory(
            neighbourhood=personas.ede,
            home=HomeFactory(building=building, number=str(number)),
            code=f"TOWR-{number:04d}",
            max_uses=3,
        )
    return building


@pytest.fixture
def host(client, personas):
    client.force_login(personas.henk)
    return client


def print_page(client, tower, **params):
    return client.get(url("invites_print"), {"building": tower.pk, "status": "active", **params})


def pages_of(html: str) -> list[str]:
    return re.findall(r'<ol class="slips slip-page">(.*?)</ol>', html, re.S)


def slips_of(html: str) -> list[str]:
    return re.findall(r'<li class="slip">(.*?)</li>', html, re.S)


def paragraphs(slip: str) -> list[tuple[str, str, str]]:
    """(lang, dir, words) of each paragraph of a slip's few words."""
    return re.findall(r'<p lang="([^"]+)" dir="(ltr|rtl)">([^<]*)</p>', slip)


# Eight to a page -------------------------------------------------------------------------------


def test_eight_slips_go_on_each_page(host, tower):
    response = print_page(host, tower)
    assert response.status_code == 200
    pages = pages_of(text(response))
    assert SLIPS_PER_PAGE == 8
    assert [page.count('class="slip"') for page in pages] == [8, 2]
    assert text(response).count('class="slip"') == 10


def test_the_print_style_lays_out_two_columns_of_four_rows_on_a4():
    css = Path(finders.find("css/slips.css")).read_text()
    printing = css.split("@media print", 1)[1]
    assert "@page { size: A4;" in printing
    assert "grid-template-columns: 1fr 1fr; grid-template-rows: repeat(4, 1fr)" in printing
    assert "break-after: page" in printing
    # Logical properties only, so a right-to-left page mirrors.
    physical = r"(margin|padding|border)-(left|right|top|bottom)|\b(left|right)\s*:|float:"
    assert not re.search(physical, css)
    assert not re.search(r"text-align:\s*(left|right)", css)


def test_only_the_slips_page_loads_the_slips_style(host, tower):
    assert "css/slips.css" in text(print_page(host, tower))
    assert "css/slips.css" not in text(host.get(url("host")))


# The QR code -----------------------------------------------------------------------------------


def test_each_slip_has_a_qr_code_of_its_own_sign_up_address(host, tower):
    html = text(print_page(host, tower))
    for code in InviteCode.objects.filter(home__building=tower).values_list("code", flat=True):
        address = f"http://testserver/join/?code={code}"
        (slip,) = [s for s in slips_of(html) if code in s]
        assert f'<p class="slip-url" dir="ltr">{address}</p>' in slip
        assert str(qr_svg(address)) in slip


def test_the_qr_code_is_inline_svg_that_screen_readers_skip():
    svg = str(qr_svg("http://testserver/join/?code=ABCD-EFGH"))
    assert svg.startswith('<svg aria-hidden="true" focusable="false" viewBox=')
    assert 'class="slip-qr"' in svg
    assert "<path" in svg and "<script" not in svg and "<text" not in svg


def test_the_address_on_the_slip_opens_the_form_with_the_code_filled_in(client, host, tower):
    html = text(print_page(host, tower))
    address = re.search(r'<p class="slip-url" dir="ltr">([^<]+)</p>', html).group(1)
    code = address.rsplit("=", 1)[1]
    client.logout()
    form = client.get(address.removeprefix("http://testserver"))
    assert form.status_code == 200
    assert f'name="code" value="{code}"' in text(form)


# Languages -------------------------------------------------------------------------------------


def test_without_a_choice_the_slips_speak_dutch(host, tower):
    (slip, *_rest) = slips_of(text(print_page(host, tower)))
    ((lang, direction, words),) = paragraphs(slip)
    assert (lang, direction) == ("nl", "ltr")
    # In Dutch, though the host reads the page in English.
    assert HOUSEHOLD_NL in words
    assert '<html lang="en"' in text(print_page(host, tower))


def test_each_chosen_language_gets_its_own_paragraph(host, tower, personas):
    response = print_page(host, tower, languages=["tr", "ar"])
    assert response.status_code == 200
    for slip in slips_of(text(response)):
        found = paragraphs(slip)
        assert [(lang, direction) for lang, direction, _words in found] == [
            ("nl", "ltr"),
            ("ar", "rtl"),
            ("tr", "ltr"),
        ]
        for lang, _direction, words in found:
            expected = slip_text(language=lang, neighbourhood="Ede-Zuid", max_uses=3).text
            assert words == escape(expected)


def test_each_paragraph_is_written_in_its_own_language():
    dutch = slip_text(language="nl", neighbourhood="Ede-Zuid", max_uses=3)
    english = slip_text(language="en", neighbourhood="Ede-Zuid", max_uses=3)
    assert HOUSEHOLD_NL in dutch.text
    assert "This code is for your household: up to 3 people" in english.text
    assert "Ede-Zuid" in dutch.text and "Ede-Zuid" in english.text
    assert slip_text(language="fa", neighbourhood="X", max_uses=1).dir == "rtl"


def test_dutch_comes_first_and_counts_as_one_of_the_three():
    assert slip_languages([]) == ["nl"]
    assert slip_languages(["tr", "nl", "ar"]) == ["nl", "ar", "tr"]
    assert MAX_SLIP_LANGUAGES == 3


@pytest.mark.parametrize("chosen", [["ar", "tr", "pl"], ["en", "ar", "tr", "nl"]])
def test_more_than_three_languages_are_refused_with_a_reason(host, tower, chosen):
    response = print_page(host, tower, languages=chosen)
    assert response.status_code == 400
    page = text(response)
    assert "A slip has room for 3 languages: Dutch and at most 2 more." in page
    assert 'class="slip"' not in page
    # The choice stays, to take one off.
    for code in chosen:
        assert re.search(
            rf'<input type="checkbox" name="languages" value="{code}"[^>]*checked', page
        )


def test_three_languages_with_dutch_fit(host, tower):
    response = print_page(host, tower, languages=["nl", "ar", "tr"])
    assert response.status_code == 200
    assert text(response).count('<p lang="ar" dir="rtl">') == 10


def test_an_unknown_language_is_refused(host, tower):
    response = print_page(host, tower, languages=["xx"])
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)


def test_the_host_page_leads_to_the_sheet_with_a_choice_of_languages(host, tower):
    response = host.get(url("host"), {"building": tower.pk, "status": "unused"})
    form = re.search(
        r'<form method="get" action="([^"]+)"[^>]*id="print-slips">(.*?)</form>',
        text(response),
        re.S,
    )
    assert form.group(1) == url("invites_print")
    fields = form.group(2)
    assert f'<input type="hidden" name="building" value="{tower.pk}">' in fields
    assert '<input type="hidden" name="status" value="unused">' in fields
    for code, _name in settings.LANGUAGES:
        assert f'type="checkbox" name="languages" value="{code}"' in fields


# Who may print, and how many queries -----------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("daan", 403), ("anna", 403), ("olga", 404)])
def test_only_hosts_print_slips(client, personas, tower, who, status):
    client.force_login(getattr(personas, who))
    response = print_page(client, tower, languages=["ar"])
    assert response.status_code == status
    assert "TOWR-" not in text(response)


def test_a_visitor_is_sent_to_log_in(client, personas, tower):
    response = print_page(client, tower)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_sheet_runs_the_same_queries_for_10_or_30_slips(host, personas, tower):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert print_page(host, tower, languages=["ar"]).status_code == 200
        return len(captured)

    few = queries()
    for number in range(11, 31):
        InviteCodeFactory(
            neighbourhood=personas.ede, home=HomeFactory(building=tower, number=str(number))
        )
    assert queries() == few


# The spreadsheet -------------------------------------------------------------------------------


def test_the_csv_keeps_the_full_sign_up_link(host, tower):
    response = host.get(url("invites_csv"), {"building": tower.pk})
    rows = list(csv.reader(io.StringIO(text(response))))
    assert rows[0][-1] == "Sign-up address"
    codes = {row[2]: row[-1] for row in rows[1:]}
    assert len(codes) == 10
    for code, link in codes.items():
        assert link == f"http://testserver/join/?code={code}"


# The `invites` command -------------------------------------------------------------------------


def test_the_command_prints_eight_to_a_page_in_the_chosen_languages(personas, tower, tmp_path):
    target = tmp_path / "slips.html"
    call_command(
        "invites",
        "--neighbourhood=ede-zuid",
        "--building=de Toren",
        "--reprint",
        "--format=html",
        "--language=en",
        "--slip-language=uk",
        "--slip-language=fa",
        f"--output={target}",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    sheet = target.read_text()
    assert [page.count('class="slip"') for page in pages_of(sheet)] == [8, 2]
    assert "@page { size: A4;" in sheet
    for slip in slips_of(sheet):
        langs = [(lang, direction) for lang, direction, _w in paragraphs(slip)]
        assert langs == [("nl", "ltr"), ("uk", "ltr"), ("fa", "rtl")]
        code = re.search(r'<strong dir="ltr">([^<]+)</strong>', slip).group(1)
        assert str(qr_svg(invite_signup_url(code))) in slip
        assert f"{settings.SITE_URL}/join/?code={code}" in slip


def test_the_command_refuses_too_many_languages_before_issuing_codes(personas, tower):
    before = InviteCode.objects.count()
    with pytest.raises(CommandError, match="room for 3 languages"):
        call_command(
            "invites",
            "--neighbourhood=ede-zuid",
            "--format=html",
            "--language=en",
            "--slip-language=uk",
            "--slip-language=fa",
            "--slip-language=tr",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert InviteCode.objects.count() == before
