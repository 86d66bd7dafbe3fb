"""The board's annual report (PDF) and its exports of the ledger and the requests (CSV)."""

import csv
import io
import re
import zlib
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtnet.funding import report as reports
from buurtnet.funding.models import Fund, LedgerLine
from buurtnet.funding.services import money as money_services
from tests.funding.conftest import IBAN_DINNER
from tests.funding.test_public import another_initiative, grant

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def url(name: str, *args) -> str:
    return reverse(f"funding:{name}", args=["ede-zuid", "vrienden", *args])


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's bytes with its compressed streams unpacked (titles and bookmarks are there)."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


# --- The annual report ---------------------------------------------------------------------------


def test_the_board_downloads_the_annual_report(as_user, funding):
    grant(funding)
    response = as_user(funding.bas).get(url("report_pdf", 2026))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="foundation-vrienden-2026.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert b"2026" in text
    assert b"Annual report 2026" in text or "Annual report 2026".encode("utf-16-be") in text


def test_the_report_holds_the_years_figures(funding):
    money_services.donation_record(
        by=funding.m(funding.tom),
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=2500,
        received_on=date(2026, 2, 1),
        source_kind="donation",
    )
    grant(funding)
    report = reports.annual_report(funding.foundation, year=2026)
    assert {r.kind: r.this_year for r in report.received} == {"subsidy": 100000, "donation": 2500}
    assert report.received_total == 102500
    assert (report.granted_count, report.declined_count) == (1, 0)
    assert report.granted == 25000 and report.paid == 0
    [fund] = report.funds
    assert (fund.at_start, fund.received, fund.at_end) == (0, 102500, 77500)
    assert (report.bank_at_start, report.bank_at_end) == (0, 102500)
    [line] = report.grants
    assert line.initiative == "Samen eten" and line.granted == 25000
    assert [(m.name, m.role) for m in report.board] == [
        ("Carla", "Chair"),
        ("Tom", "Treasurer"),
        ("Bas", "Board member"),
        ("Priya", "Board member"),
    ]
    html = reports.annual_report_html(report)
    assert "Samen eten" in html and "Carla" in html and IBAN_DINNER not in html

    before = reports.annual_report(funding.foundation, year=2025)
    assert before.received == [] and before.grants == [] and before.funds[0].at_end == 0
    after = reports.annual_report(funding.foundation, year=2027)
    assert after.funds[0].at_start == 77500 and after.bank_at_start == 102500


def test_the_report_runs_a_fixed_number_of_queries(funding, django_assert_max_num_queries):
    grant(funding, another_initiative(funding, 0), amount=10000)
    with django_assert_max_num_queries(12) as few:
        reports.annual_report(funding.foundation, year=THIS_YEAR)
    for n in range(1, 6):
        grant(funding, another_initiative(funding, n), amount=10000)
    with django_assert_max_num_queries(len(few.captured_queries)):
        report = reports.annual_report(funding.foundation, year=THIS_YEAR)
    assert len(report.grants) == 6


@pytest.mark.parametrize("year", [1999, THIS_YEAR + 2])
def test_a_year_out_of_range_is_not_found(as_user, funding, year):
    assert as_user(funding.bas).get(url("report_pdf", year)).status_code == 404


def test_next_year_is_there_already(as_user, funding):
    response = as_user(funding.carla).get(url("report_pdf", THIS_YEAR + 1))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "name,args", [("report_pdf", [2026]), ("ledger_csv", []), ("grants_csv", [])]
)
def test_only_the_board(client, as_user, funding, name, args):
    address = url(name, *args)
    response = as_user(None).get(address)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert as_user(funding.p.olga).get(address).status_code == 404
    for outsider in (funding.p.daan, funding.p.fatima, funding.p.henk, funding.p.sem):
        assert as_user(outsider).get(address).status_code == 403
    assert as_user(funding.tom).get(address).status_code == 200
    assert as_user(funding.p.priya).get(address).status_code == 200
    assert as_user(funding.bas).post(address).status_code == 405


# --- CSV exports ---------------------------------------------------------------------------------


def test_the_ledger_export(as_user, funding):
    request = grant(funding)
    response = as_user(funding.tom).get(url("ledger_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="ledger-vrienden.csv"' in response["Content-Disposition"]
    header, *lines = rows(response)
    assert header == [
        "entry",
        "date",
        "kind",
        "memo",
        "account",
        "fund",
        "grant",
        "debit",
        "credit",
        "amount in cents",
        "reverses entry",
    ]
    assert len(lines) == LedgerLine.objects.count() == 4
    received_bank, received_fund = lines[0], lines[1]
    assert received_bank[1] == "2026-01-15" and received_bank[2] == "Money received"
    assert received_bank[4] == "Bank" and received_bank[7:10] == ["1000.00", "", "100000"]
    assert received_fund[5] == "Initiatives 2027" and received_fund[7:10] == [
        "",
        "1000.00",
        "-100000",
    ]
    committed = [line for line in lines if line[6] == str(request.pk)]
    assert [line[7:10] for line in committed] == [["", "250.00", "-25000"]]
    assert any(line[7:10] == ["250.00", "", "25000"] for line in lines)


def test_the_ledger_export_shows_a_correction(as_user, funding):
    entry = funding.foundation.entries.get(kind="received")
    money_services.ledger_entry_reverse(by=funding.m(funding.tom), entry=entry, reason="Twice")
    header, *lines = rows(as_user(funding.tom).get(url("ledger_csv")))
    assert [line[10] for line in lines[2:]] == [str(entry.pk), str(entry.pk)]


def test_the_grants_export(as_user, funding):
    request = grant(funding)
    response = as_user(funding.carla).get(url("grants_csv"))
    assert response.status_code == 200
    header, *lines = rows(response)
    assert header[:5] == ["request", "initiative", "status", "asked", "asked in cents"]
    assert header[-3:] == ["fund", "submitted at", "decided at"]
    [line] = lines
    row = dict(zip(header, line, strict=True))
    assert row["request"] == str(request.pk) and row["initiative"] == "Samen eten"
    assert row["status"] == "Granted"
    assert (row["asked"], row["asked in cents"]) == ("250.00", "25000")
    assert (row["granted"], row["granted in cents"]) == ("250.00", "25000")
    assert (row["paid"], row["spent"], row["returned"]) == ("0.00", "0.00", "0.00")
    assert row["fund"] == "Initiatives 2027"
    assert row["submitted at"].startswith(str(THIS_YEAR)) and "T" in row["submitted at"]
    assert row["decided at"].startswith(str(THIS_YEAR))


def test_the_exports_are_safe_to_open_in_a_spreadsheet(as_user, funding):
    fund = Fund.objects.create(foundation=funding.foundation, name='=HYPERLINK("x")')
    money_services.donation_record(
        by=funding.m(funding.tom),
        foundation=funding.foundation,
        fund=fund,
        amount_cents=5000,
        received_on=date(2026, 3, 1),
        source_kind="donation",
    )
    initiative = another_initiative(funding, 0, title="@SUM(1+1)")
    funding.fund = fund
    grant(funding, initiative, amount=1000)
    ledger_lines = rows(as_user(funding.tom).get(url("ledger_csv")))
    assert '\'=HYPERLINK("x")' in [line[5] for line in ledger_lines]
    assert not any(cell.startswith(("=", "+", "@")) for line in ledger_lines for cell in line)
    grant_lines = rows(as_user(funding.tom).get(url("grants_csv")))
    assert "'@SUM(1+1)" in [line[1] for line in grant_lines]
    assert '\'=HYPERLINK("x")' in [line[-3] for line in grant_lines]
    # A negative amount in cents stays a number.
    assert "-5000" in [line[9] for line in ledger_lines]
