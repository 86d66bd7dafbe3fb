"""The treasurer's pages: money in, bank statements, payments, receipts and the ledger."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from buurtnet.funding import ledger
from buurtnet.funding.models import (
    BankLine,
    BankStatement,
    Donation,
    GrantRequest,
    GrantStatus,
    LedgerEntry,
    LedgerLine,
    Payment,
    PaymentBatch,
    PaymentStatus,
    Receipt,
    ReceiptStatus,
)
from buurtnet.funding.services import decisions, grants
from buurtnet.funding.services import money as money_services
from tests.core.photos import camera_jpeg
from tests.factories import InitiativeFactory, ParticipationFactory
from tests.funding.camt import camt053
from tests.funding.conftest import IBAN_DINNER, IBAN_FOUNDATION, budget

pytestmark = pytest.mark.django_db

SLUG, ORG = "ede-zuid", "vrienden"
PAIN = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def url(name: str, *args) -> str:
    return reverse(f"funding:{name}", args=[SLUG, ORG, *args])


def today() -> date:
    return timezone.localdate()


def granted(funding, initiative=None, amount=25000) -> GrantRequest:
    """A request granted in full by bas and carla."""
    p = funding.p
    initiative = initiative or p.initiative
    grant = grants.grant_request_start(
        by=funding.m(p.fatima),
        foundation=funding.foundation,
        initiative=initiative,
        fund=funding.fund,
        budget=budget(amount, [("Pans", amount)]),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    grants.grant_submit(by=funding.m(p.fatima), grant=grant)
    for user in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(user), grant=grant, choice="approve", reason="Good")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED
    return grant


def another_initiative(funding, title: str):
    initiative = InitiativeFactory(neighbourhood=funding.p.ede, title=title)
    ParticipationFactory(initiative=initiative, user=funding.p.fatima, role="initiator")
    return initiative


def statement(*lines: dict, statement_id: str = "STMT-1", iban: str = IBAN_FOUNDATION) -> bytes:
    return camt053(account_iban=iban, statement_id=statement_id, lines=list(lines))


def incoming(amount="25.00", reference="BANK-IN", **extra) -> dict:
    return {
        "amount": amount,
        "credit": True,
        "booked_on": today(),
        "name": "A. Neighbour",
        "iban": "NL02ABNA0123456789",
        "remittance": "For the dinner",
        "reference": reference,
        **extra,
    }


def outgoing(amount: str, end_to_end_id: str = "", reference="BANK-OUT") -> dict:
    return {
        "amount": amount,
        "credit": False,
        "booked_on": today(),
        "name": "Samen eten",
        "iban": IBAN_DINNER,
        "remittance": "Grant",
        "end_to_end_id": end_to_end_id,
        "reference": reference,
    }


def upload(data: bytes, name: str = "statement.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xml")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def assert_balanced() -> None:
    for entry_id in LedgerLine.objects.values_list("entry_id", flat=True).distinct():
        total = LedgerLine.objects.filter(entry_id=entry_id).aggregate(t=Sum("amount_cents"))
        assert total["t"] == 0
    assert (LedgerLine.objects.aggregate(t=Sum("amount_cents"))["t"] or 0) == 0


def counts() -> tuple:
    return (
        Donation.objects.count(),
        LedgerEntry.objects.count(),
        LedgerLine.objects.count(),
        Payment.objects.count(),
        PaymentBatch.objects.count(),
        BankStatement.objects.count(),
        BankLine.objects.filter(donation__isnull=False).count(),
        BankLine.objects.filter(payment__isnull=False).count(),
        BankLine.objects.filter(refund_of__isnull=False).count(),
        Receipt.objects.filter(status=ReceiptStatus.SUBMITTED).count(),
        Payment.objects.filter(status=PaymentStatus.CANCELLED).count(),
    )


def donation_data(**values) -> dict:
    data = {
        "fund": "",
        "amount": "50,00",
        "received_on": today().isoformat(),
        "source_kind": "donation",
        "public_name": "",
        "reference": "",
        "donor": "",
        "earmarked_initiative": "",
    }
    data.update(values)
    return data


# ------------------------------------------------------------------------------- who may see it


@dataclass
class World:
    grant: GrantRequest
    to_pay: Payment
    in_file: Payment
    batch: PaymentBatch
    line: BankLine
    receipt: Receipt
    entry: LedgerEntry


@pytest.fixture
def world(funding) -> World:
    tom = funding.m(funding.tom)
    grant = granted(funding)
    in_file = money_services.payment_mark(by=tom, grant=grant, amount_cents=5000)
    batch = money_services.payments_file(
        by=tom, foundation=funding.foundation, execution_date=today()
    )
    to_pay = money_services.payment_mark(by=tom, grant=grant, amount_cents=5000)
    money_services.statement_import(
        by=tom, foundation=funding.foundation, data=statement(incoming())
    )
    money_services.donation_record(
        by=tom,
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=2000,
        received_on=today(),
        source_kind="donation",
    )
    receipt = money_services.receipt_add(
        by=funding.m(funding.p.fatima),
        grant=grant,
        description="Pans",
        amount_cents=3000,
        spent_on=today(),
        upload=camera_jpeg(),
    )
    return World(
        grant=grant,
        to_pay=to_pay,
        in_file=in_file,
        batch=batch,
        line=BankLine.objects.get(),
        receipt=receipt,
        entry=LedgerEntry.objects.filter(kind="received").latest("pk"),
    )


GETS = {
    "money_in": lambda w: url("money_in"),
    "bank": lambda w: url("bank"),
    "bank_line": lambda w: url("bank_line", w.line.pk),
    "payments": lambda w: url("payments"),
    "batch_xml": lambda w: url("batch_xml", w.batch.pk),
    "ledger": lambda w: url("ledger"),
}

POSTS = {
    "money_in": (lambda w: url("money_in"), lambda w, f: donation_data(fund=f.fund.pk)),
    "bank": (
        lambda w: url("bank"),
        lambda w, f: {"file": upload(statement(incoming(reference="X"), statement_id="S2"))},
    ),
    "bank_line": (
        lambda w: url("bank_line", w.line.pk),
        lambda w, f: donation_data(action="donation", fund=f.fund.pk, amount="25,00"),
    ),
    "payment_mark": (lambda w: url("payment_mark", w.grant.pk), lambda w, f: {"amount": "10"}),
    "payments_file": (
        lambda w: url("payments_file"),
        lambda w, f: {"execution_date": today().isoformat()},
    ),
    "payment_cancel": (lambda w: url("payment_cancel", w.to_pay.pk), lambda w, f: {}),
    "receipt_check": (
        lambda w: url("receipt_check", w.receipt.pk),
        lambda w, f: {"decision": "reject", "note": "Not ours"},
    ),
    "entry_reverse": (lambda w: url("entry_reverse", w.entry.pk), lambda w, f: {"reason": "x"}),
}

REFUSED = [("olga", 404), ("daan", 403), ("bas", 403), ("carla", 403), ("priya", 403)]


def person(funding, name: str):
    return getattr(funding, name, None) or getattr(funding.p, name)


@pytest.mark.parametrize("view", GETS)
def test_visitors_are_sent_to_log_in(as_user, world, view):
    response = as_user(None).get(GETS[view](world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("view", POSTS)
def test_visitors_cannot_post(as_user, funding, world, view):
    before = counts()
    target, data = POSTS[view]
    response = as_user(None).post(target(world), data(world, funding))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert counts() == before


@pytest.mark.parametrize(("name", "status"), REFUSED)
@pytest.mark.parametrize("view", GETS)
def test_only_the_treasurer_sees_the_pages(as_user, funding, world, view, name, status):
    assert as_user(person(funding, name)).get(GETS[view](world)).status_code == status


@pytest.mark.parametrize("view", GETS)
def test_the_treasurer_sees_the_pages(as_user, funding, world, view):
    response = as_user(funding.tom).get(GETS[view](world))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "status"), REFUSED)
@pytest.mark.parametrize("view", POSTS)
def test_a_forged_post_writes_nothing(as_user, funding, world, view, name, status):
    before = counts()
    target, data = POSTS[view]
    response = as_user(person(funding, name)).post(target(world), data(world, funding))
    assert response.status_code == status
    assert counts() == before
    world.receipt.refresh_from_db()
    assert world.receipt.status == ReceiptStatus.SUBMITTED


@pytest.mark.parametrize("view", POSTS)
def test_the_treasurer_posts(as_user, funding, world, view):
    target, data = POSTS[view]
    response = as_user(funding.tom).post(target(world), data(world, funding))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert_balanced()


@pytest.mark.parametrize("view", ["payment_mark", "payments_file", "entry_reverse"])
def test_post_only_endpoints_refuse_get(as_user, funding, world, view):
    assert as_user(funding.tom).get(POSTS[view][0](world)).status_code == 405


def test_other_foundations_objects_are_not_found(as_user, funding, world):
    client = as_user(funding.tom)
    assert client.get(url("bank_line", 999_999)).status_code == 404
    assert client.get(url("batch_xml", 999_999)).status_code == 404
    assert client.post(url("payment_mark", 999_999), {"amount": "1"}).status_code == 404
    assert client.post(url("payment_cancel", 999_999)).status_code == 404
    assert client.post(url("receipt_check", 999_999), {"decision": "accept"}).status_code == 404
    assert client.post(url("entry_reverse", 999_999), {"reason": "x"}).status_code == 404
    wrong_org = reverse("funding:money_in", args=[SLUG, "wijkteam"])
    assert client.get(wrong_org).status_code == 404


# ------------------------------------------------------------------------------------- money in


def test_recording_money_received(as_user, funding):
    client = as_user(funding.tom)
    page = client.get(url("money_in"))
    html = page.content.decode()
    assert 'name="donor"' in html and 'name="earmarked_initiative"' in html
    assert "does not vote on this initiative" in html
    assert "Gemeente Ede" in html  # the subsidy of the fixture, named with consent

    response = client.post(
        url("money_in"),
        donation_data(
            fund=funding.fund.pk,
            amount="1.234,50",
            source_kind="friends",
            public_name="Bakkerij Kees",
            name_consent="on",
            reference="Gift 2026",
            donor=funding.p.daan.pk,
            earmarked_initiative=funding.p.initiative.pk,
        ),
    )
    assert response.status_code == 302
    donation = Donation.objects.get(reference="Gift 2026")
    assert donation.amount_cents == 123450
    assert donation.source_kind == "friends"
    assert donation.public_name == "Bakkerij Kees" and donation.name_consent
    assert donation.donor == funding.p.daan
    assert donation.earmarked_initiative == funding.p.initiative
    assert ledger.fund_balances(funding.foundation)[funding.fund.pk] == 100000 + 123450
    assert_balanced()
    html = client.get(url("money_in")).content.decode()
    assert "Bakkerij Kees" in html and "Gift 2026" in html
    assert "Daan" not in html.split("Received so far")[1]  # a giver is never shown


def test_a_name_without_consent_is_not_shown(as_user, funding):
    money_services.donation_record(
        by=funding.m(funding.tom),
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=500,
        received_on=today(),
        source_kind="donation",
    )
    html = as_user(funding.tom).get(url("money_in")).content.decode()
    assert "No name" in html


@pytest.mark.parametrize(
    ("values", "message", "kept"),
    [
        ({"amount": "0"}, "The amount must be more than zero.", 'value="0"'),
        ({"amount": "-5"}, "Write an amount in euros", 'value="-5"'),
        ({"amount": "twelve"}, "Write an amount in euros", 'value="twelve"'),
        (
            {"public_name": "Mevrouw Jansen"},
            "A name is shown only when the giver agrees.",
            'value="Mevrouw Jansen"',
        ),
        (
            {"received_on": (timezone.localdate() + timedelta(days=5)).isoformat()},
            "This date is still to come.",
            (timezone.localdate() + timedelta(days=5)).isoformat(),
        ),
        ({"received_on": "tomorrowish"}, "Enter a valid date.", 'value="tomorrowish"'),
        ({"source_kind": "theft"}, "Select a valid choice", None),
    ],
)
def test_bad_money_in_is_refused(as_user, funding, values, message, kept):
    before = counts()
    data = donation_data(fund=funding.fund.pk, reference="Typed reference", **values)
    response = as_user(funding.tom).post(url("money_in"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="Typed reference"' in html
    if kept:
        assert kept in html
    assert counts() == before
    assert_balanced()


def test_money_for_another_foundations_fund_is_refused(as_user, funding, world):
    before = counts()
    response = as_user(funding.tom).post(url("money_in"), donation_data(fund=999_999))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert counts() == before


def test_money_in_lists_reversed_entries(as_user, funding):
    entry = LedgerEntry.objects.get(kind="received")
    money_services.donation_record(
        by=funding.m(funding.tom),
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=100000,
        received_on=today(),
        source_kind="donation",
    )
    money_services.ledger_entry_reverse(by=funding.m(funding.tom), entry=entry, reason="Twice")
    html = as_user(funding.tom).get(url("money_in")).content.decode()
    assert "Reversed" in html


# ----------------------------------------------------------------------------------------- bank


def test_importing_a_statement_lists_unmatched_lines(as_user, funding):
    client = as_user(funding.tom)
    data = statement(incoming("25.00", "B-1"), outgoing("12.50", reference="B-2"))
    response = client.post(url("bank"), {"file": upload(data)})
    assert response.status_code == 302
    assert "2 lines" in " ".join(messages_of(response))
    stored = BankStatement.objects.get()
    assert stored.file_name == "statement.xml"
    html = client.get(url("bank")).content.decode()
    assert "Lines still to match" in html
    for line in BankLine.objects.all():
        assert url("bank_line", line.pk) in html
    assert 'accept=".xml' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<Document><unclosed>", "This file is not a CAMT.053 bank statement."),
        (
            b"<!doctype html><html><body><h1>Your bank</h1></body></html>",
            "This file is not a CAMT.053 bank statement.",
        ),
        (b"", "The submitted file is empty."),
        (
            statement(incoming(), iban="NL02ABNA0123456789"),
            "This statement is of another account than the foundation&#x27;s.",
        ),
    ],
)
def test_bad_statements_are_refused(as_user, funding, data, message):
    before = counts()
    response = as_user(funding.tom).post(url("bank"), {"file": upload(data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before
    assert_balanced()


def test_the_same_statement_twice_is_refused(as_user, funding):
    client = as_user(funding.tom)
    data = statement(incoming())
    assert client.post(url("bank"), {"file": upload(data)}).status_code == 302
    before = counts()
    response = client.post(url("bank"), {"file": upload(data, "again.xml")})
    assert response.status_code == 400
    assert "This statement has been imported already." in response.content.decode()
    assert counts() == before
    assert BankStatement.objects.count() == 1


def test_a_statement_above_five_mb_is_refused(as_user, funding):
    data = b"<Document>" + b" " * (5 * 1024 * 1024) + b"</Document>"
    response = as_user(funding.tom).post(url("bank"), {"file": upload(data)})
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()
    assert not BankStatement.objects.exists()


def test_a_statement_is_required(as_user, funding):
    response = as_user(funding.tom).post(url("bank"), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_recording_an_incoming_line_as_money_received(as_user, funding):
    client = as_user(funding.tom)
    money_services.statement_import(
        by=funding.m(funding.tom),
        foundation=funding.foundation,
        data=statement(incoming("25.00", remittance="Gift for the dinner")),
    )
    line = BankLine.objects.get()
    page = client.get(url("bank_line", line.pk)).content.decode()
    assert 'value="25.00"' in page or 'value="25,00"' in page
    assert f'value="{line.booked_on.isoformat()}"' in page
    assert 'value="Gift for the dinner"' in page
    assert "money an initiative returned" in page and 'value="payment"' not in page

    response = client.post(
        url("bank_line", line.pk),
        donation_data(action="donation", fund=funding.fund.pk, amount="25,00"),
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.donation.amount_cents == 2500
    assert LedgerEntry.objects.get(donation=line.donation).bank_line == line
    html = client.get(url("bank")).content.decode()
    assert "Every line is matched." in html
    assert "Donation for" in html  # recently matched, with what to
    assert_balanced()

    # A second click: matched already.
    before = counts()
    again = client.post(
        url("bank_line", line.pk),
        donation_data(action="donation", fund=funding.fund.pk, amount="25,00"),
    )
    assert again.status_code == 400
    assert "This bank line is matched already." in again.content.decode()
    assert counts() == before


def test_an_incoming_line_with_another_amount_is_refused(as_user, funding):
    money_services.statement_import(
        by=funding.m(funding.tom), foundation=funding.foundation, data=statement(incoming())
    )
    line = BankLine.objects.get()
    before = counts()
    response = as_user(funding.tom).post(
        url("bank_line", line.pk),
        donation_data(action="donation", fund=funding.fund.pk, amount="30,00"),
    )
    assert response.status_code == 400
    assert "The amount must be the amount of the bank line." in response.content.decode()
    assert counts() == before


def test_an_unknown_action_on_a_line_is_refused(as_user, funding):
    money_services.statement_import(
        by=funding.m(funding.tom), foundation=funding.foundation, data=statement(incoming())
    )
    line = BankLine.objects.get()
    before = counts()
    response = as_user(funding.tom).post(url("bank_line", line.pk), {"action": "payment"})
    assert response.status_code == 400
    assert "Please choose what this bank line is." in response.content.decode()
    assert counts() == before


def test_money_returned_for_a_grant(as_user, funding):
    tom = funding.m(funding.tom)
    grant = granted(funding)
    payment = money_services.payment_mark(by=tom, grant=grant, amount_cents=25000)
    money_services.payments_file(by=tom, foundation=funding.foundation, execution_date=today())
    money_services.statement_import(
        by=tom,
        foundation=funding.foundation,
        data=statement(outgoing("250.00", payment.end_to_end_id, "B-1"), incoming("40.00", "B-2")),
    )
    line = BankLine.objects.get(amount_cents=4000)
    client = as_user(funding.tom)
    # Above what is still with the initiative: refused with the reason.
    too_much = BankLine.objects.get(pk=line.pk)
    assert ledger.grant_figures_of(grant).to_account_for == 25000
    response = client.post(url("bank_line", line.pk), {"action": "refund", "grant": grant.pk})
    assert response.status_code == 302, response.content.decode()
    too_much.refresh_from_db()
    assert too_much.refund_of == grant
    figures = ledger.grant_figures_of(grant)
    assert figures.returned == 4000
    assert_balanced()


def test_matching_an_outgoing_line_to_a_payment(as_user, funding):
    tom = funding.m(funding.tom)
    grant = granted(funding)
    payment = money_services.payment_mark(by=tom, grant=grant, amount_cents=10000)
    money_services.payments_file(by=tom, foundation=funding.foundation, execution_date=today())
    money_services.statement_import(
        by=tom, foundation=funding.foundation, data=statement(outgoing("100.00"))
    )
    line = BankLine.objects.get()
    assert line.payment is None
    client = as_user(funding.tom)
    page = client.get(url("bank_line", line.pk)).content.decode()
    assert 'value="payment"' in page and 'value="donation"' not in page
    assert payment.end_to_end_id in page
    response = client.post(url("bank_line", line.pk), {"action": "payment", "payment": payment.pk})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert ledger.grant_figures_of(grant).paid == 10000
    assert_balanced()


def test_matching_an_outgoing_line_to_a_payment_of_another_amount(as_user, funding):
    tom = funding.m(funding.tom)
    grant = granted(funding)
    payment = money_services.payment_mark(by=tom, grant=grant, amount_cents=10000)
    money_services.statement_import(
        by=tom, foundation=funding.foundation, data=statement(outgoing("99.00"))
    )
    line = BankLine.objects.get()
    before = counts()
    response = as_user(funding.tom).post(
        url("bank_line", line.pk), {"action": "payment", "payment": payment.pk}
    )
    assert response.status_code == 400
    assert "The bank line is" in response.content.decode()
    assert counts() == before


# ------------------------------------------------------------------------------------- payments


def test_the_whole_pay_cycle(as_user, funding):
    grant = granted(funding)
    client = as_user(funding.tom)

    page = client.get(url("payments")).content.decode()
    assert "Samen eten" in page and IBAN_DINNER in page
    assert 'value="250,00"' in page or 'value="250.00"' in page  # what is left, prefilled

    response = client.post(url("payment_mark", grant.pk), {"amount": "250,00"})
    assert response.status_code == 302
    payment = Payment.objects.get(grant=grant)
    assert payment.status == PaymentStatus.TO_PAY and payment.amount_cents == 25000
    page = client.get(url("payments")).content.decode()
    assert payment.end_to_end_id in page
    assert (today() + timedelta(days=1)).isoformat() in page  # the default day to pay

    response = client.post(
        url("payments_file"), {"execution_date": (today() + timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 302
    batch = PaymentBatch.objects.get()
    assert url("batch_xml", batch.pk) in " ".join(messages_of(response))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.IN_FILE and payment.batch == batch

    download = client.get(url("batch_xml", batch.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    assert download["Content-Disposition"] == f'attachment; filename="{batch.message_id}.xml"'
    tree = etree.fromstring(download.content)
    transfers = tree.findall(".//p:CdtTrfTxInf", PAIN)
    assert len(transfers) == 1
    assert transfers[0].findtext("p:Amt/p:InstdAmt", namespaces=PAIN) == "250.00"
    assert transfers[0].findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=PAIN) == IBAN_DINNER
    assert transfers[0].findtext("p:PmtId/p:EndToEndId", namespaces=PAIN) == (payment.end_to_end_id)
    assert tree.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=PAIN) == IBAN_FOUNDATION

    data = statement(outgoing("250.00", payment.end_to_end_id))
    response = client.post(url("bank"), {"file": upload(data)})
    assert response.status_code == 302
    assert "1 of them matched" in " ".join(messages_of(response))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.paid_on == today()
    figures = ledger.grant_figures_of(grant)
    assert (figures.granted, figures.paid, figures.to_pay) == (25000, 25000, 0)
    page = client.get(url("payments")).content.decode()
    assert "Every grant has been paid or is waiting for the bank." in page
    assert "No payment is waiting for the bank." in page
    bank_page = client.get(url("bank")).content.decode()
    assert "Payment of the grant to" in bank_page
    assert ledger.bank_balance(funding.foundation) == 100000 - 25000
    assert_balanced()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("250,01", "At most € 250.00 is left to pay on this grant."),
        ("0", "The amount must be more than zero."),
        ("-10", "Write an amount in euros"),
        ("lots", "Write an amount in euros"),
    ],
)
def test_a_payment_above_the_grant_is_refused(as_user, funding, amount, message):
    grant = granted(funding)
    before = counts()
    response = as_user(funding.tom).post(url("payment_mark", grant.pk), {"amount": amount})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("\xa0", " ")
    assert f'value="{amount}"' in html
    assert counts() == before


def test_a_payment_above_what_is_left_after_pending_payments(as_user, funding):
    grant = granted(funding)
    money_services.payment_mark(by=funding.m(funding.tom), grant=grant, amount_cents=20000)
    client = as_user(funding.tom)
    page = client.get(url("payments")).content.decode()
    assert 'value="50,00"' in page or 'value="50.00"' in page
    response = client.post(url("payment_mark", grant.pk), {"amount": "50,01"})
    assert response.status_code == 400
    assert "At most € 50.00 is left" in response.content.decode().replace("\xa0", " ")
    assert Payment.objects.count() == 1


def test_a_payment_on_a_grant_with_nothing_left_shows_the_error(as_user, funding):
    grant = granted(funding)
    money_services.payment_mark(by=funding.m(funding.tom), grant=grant, amount_cents=25000)
    response = as_user(funding.tom).post(url("payment_mark", grant.pk), {"amount": "1"})
    assert response.status_code == 400
    assert "At most € 0.00 is left" in response.content.decode().replace("\xa0", " ")


def test_a_payment_on_a_request_not_granted_is_refused(as_user, funding):
    grant = grants.grant_request_start(
        by=funding.m(funding.p.fatima),
        foundation=funding.foundation,
        initiative=funding.p.initiative,
        fund=funding.fund,
        budget=budget(),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    response = as_user(funding.tom).post(url("payment_mark", grant.pk), {"amount": "10"})
    assert response.status_code == 400
    assert "Only a granted request is paid." in response.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (timezone.localdate() - timedelta(days=1), "The bank cannot pay on a day that has passed."),
        ("soon", "Enter a valid date."),
    ],
)
def test_a_bank_file_in_the_past_is_refused(as_user, funding, day, message):
    grant = granted(funding)
    money_services.payment_mark(by=funding.m(funding.tom), grant=grant, amount_cents=1000)
    value = day.isoformat() if isinstance(day, date) else day
    response = as_user(funding.tom).post(url("payments_file"), {"execution_date": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'value="{value}"' in html
    assert not PaymentBatch.objects.exists()


def test_a_bank_file_with_nothing_to_pay(as_user, funding):
    response = as_user(funding.tom).post(
        url("payments_file"), {"execution_date": today().isoformat()}
    )
    assert response.status_code == 400
    assert "There is nothing to pay." in response.content.decode()


def test_a_bank_file_without_the_foundations_account(as_user, funding):
    grant = granted(funding)
    money_services.payment_mark(by=funding.m(funding.tom), grant=grant, amount_cents=1000)
    funding.foundation.iban = ""
    funding.foundation.save()
    response = as_user(funding.tom).post(
        url("payments_file"), {"execution_date": today().isoformat()}
    )
    assert response.status_code == 400
    assert "The foundation has no valid IBAN." in response.content.decode()
    assert not PaymentBatch.objects.exists()
    assert Payment.objects.get().status == PaymentStatus.TO_PAY


def test_cancelling_a_payment(as_user, funding):
    grant = granted(funding)
    payment = money_services.payment_mark(by=funding.m(funding.tom), grant=grant, amount_cents=1000)
    client = as_user(funding.tom)
    assert client.post(url("payment_cancel", payment.pk)).status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    # Cancelled: its money may be marked again, and cancelling twice is refused.
    page = client.get(url("payments")).content.decode()
    assert 'value="250,00"' in page or 'value="250.00"' in page
    response = client.post(url("payment_cancel", payment.pk))
    assert response.status_code == 400
    assert "A paid payment cannot be cancelled." in response.content.decode()


def test_another_foundations_batch_is_not_served(as_user, funding, world):
    other = PaymentBatch.objects.get()
    assert as_user(funding.p.olga).get(url("batch_xml", other.pk)).status_code == 404


# -------------------------------------------------------------------------------------- receipts


def test_accepting_a_receipt_returns_to_the_request(as_user, funding, world):
    tom = funding.m(funding.tom)
    money_services.statement_import(
        by=tom,
        foundation=funding.foundation,
        data=statement(outgoing("50.00", world.in_file.end_to_end_id, "B-9"), statement_id="S9"),
    )
    response = as_user(funding.tom).post(
        url("receipt_check", world.receipt.pk), {"decision": "accept", "note": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("funding:request", args=[SLUG, world.grant.pk]) + "#receipts"
    )
    assert "is accepted" in " ".join(messages_of(response))
    world.receipt.refresh_from_db()
    assert world.receipt.status == ReceiptStatus.ACCEPTED
    assert ledger.grant_figures_of(world.grant).spent == 3000
    assert_balanced()


def test_not_accepting_a_receipt_needs_a_note(as_user, funding, world):
    client = as_user(funding.tom)
    response = client.post(url("receipt_check", world.receipt.pk), {"decision": "reject"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please tell the initiators why." in html
    assert reverse("funding:request", args=[SLUG, world.grant.pk]) + "#receipts" in html
    world.receipt.refresh_from_db()
    assert world.receipt.status == ReceiptStatus.SUBMITTED

    response = client.post(
        url("receipt_check", world.receipt.pk), {"decision": "reject", "note": "Not for pans"}
    )
    assert response.status_code == 302
    world.receipt.refresh_from_db()
    assert world.receipt.status == ReceiptStatus.REJECTED
    assert world.receipt.check_note == "Not for pans"


def test_a_receipt_above_what_was_paid_is_refused(as_user, funding, world):
    # Nothing has been paid yet (the payment in the file has not been on a statement).
    before = counts()
    response = as_user(funding.tom).post(
        url("receipt_check", world.receipt.pk), {"decision": "accept"}
    )
    assert response.status_code == 400
    assert "more than the" in response.content.decode()
    assert counts() == before


def test_a_receipt_checked_twice(as_user, funding, world):
    client = as_user(funding.tom)
    data = {"decision": "reject", "note": "No"}
    assert client.post(url("receipt_check", world.receipt.pk), data).status_code == 302
    response = client.post(url("receipt_check", world.receipt.pk), data)
    assert response.status_code == 400
    assert "This receipt has been checked already." in response.content.decode()


def test_a_receipt_check_without_a_decision(as_user, funding, world):
    response = as_user(funding.tom).post(url("receipt_check", world.receipt.pk), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


# ---------------------------------------------------------------------------------------- ledger


def test_the_ledger_shows_entries_and_totals(as_user, funding, world):
    client = as_user(funding.tom)
    html = client.get(url("ledger")).content.decode()
    assert "Totals per account" in html
    assert "Money received" in html and "Grant committed" in html
    assert 'dir="auto"' in html
    assert url("entry_reverse", world.entry.pk) in html
    committed = LedgerEntry.objects.get(kind="committed")
    assert url("entry_reverse", committed.pk) not in html  # only money received is reversed here


def test_reversing_money_received(as_user, funding):
    money_services.donation_record(
        by=funding.m(funding.tom),
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=2500,
        received_on=today(),
        source_kind="donation",
    )
    entry = LedgerEntry.objects.filter(kind="received").latest("pk")
    client = as_user(funding.tom)
    response = client.post(url("entry_reverse", entry.pk), {"reason": "Booked twice"})
    assert response.status_code == 302
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert "Booked twice" in reversal.memo
    html = client.get(url("ledger")).content.decode()
    assert f"Reversed by entry #{reversal.pk}" in html
    assert f"Reverses entry #{entry.pk}" in html
    assert url("entry_reverse", entry.pk) not in html
    assert_balanced()

    again = client.post(url("entry_reverse", entry.pk), {"reason": "Again"})
    assert again.status_code == 400
    assert "This entry has been reversed already." in again.content.decode()
    assert LedgerEntry.objects.filter(reverses=entry).count() == 1


def test_a_reversal_needs_a_reason(as_user, funding):
    entry = LedgerEntry.objects.get(kind="received")
    response = as_user(funding.tom).post(url("entry_reverse", entry.pk), {"reason": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


def test_a_reversal_that_empties_the_fund_below_zero_is_refused(as_user, funding):
    # The fund promised € 250 of its € 1.000: without the € 1.000 it would go below zero.
    granted(funding)
    entry = LedgerEntry.objects.get(kind="received")
    response = as_user(funding.tom).post(url("entry_reverse", entry.pk), {"reason": "Oops"})
    assert response.status_code == 400
    assert "would go below zero" in response.content.decode()
    assert not LedgerEntry.objects.filter(reverses=entry).exists()
    assert_balanced()


def test_the_ledger_is_paginated(as_user, funding):
    tom = funding.m(funding.tom)
    for number in range(55):
        money_services.donation_record(
            by=tom,
            foundation=funding.foundation,
            fund=funding.fund,
            amount_cents=100 + number,
            received_on=today(),
            source_kind="donation",
        )
    client = as_user(funding.tom)
    first = client.get(url("ledger")).content.decode()
    assert "Page 1 of 2" in first
    assert first.count('class="card ledger-entry"') == 50
    second = client.get(url("ledger") + "?page=2").content.decode()
    assert second.count('class="card ledger-entry"') == 6


# ------------------------------------------------------------------------------------ queries


def _queries(client, target: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target).status_code == 200
    return len(queries)


def _more(funding, number: int) -> None:
    """Another granted request with a payment in a file, a pending one, money in and lines."""
    tom = funding.m(funding.tom)
    grant = granted(funding, another_initiative(funding, f"Initiative {number}"), 10000)
    money_services.payment_mark(by=tom, grant=grant, amount_cents=1000)
    money_services.payments_file(by=tom, foundation=funding.foundation, execution_date=today())
    money_services.payment_mark(by=tom, grant=grant, amount_cents=1000)
    money_services.donation_record(
        by=tom,
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=500,
        received_on=today(),
        source_kind="donation",
        public_name=f"Giver {number}",
        name_consent=True,
    )
    money_services.statement_import(
        by=tom,
        foundation=funding.foundation,
        data=statement(
            incoming("12.00", f"IN-{number}"),
            outgoing("3.00", reference=f"OUT-{number}"),
            statement_id=f"S-{number}",
        ),
    )
    line = BankLine.objects.filter(bank_reference=f"IN-{number}").get()
    money_services.donation_record(
        by=tom,
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=1200,
        received_on=today(),
        source_kind="donation",
        bank_line=line,
    )


@pytest.mark.parametrize("view", ["money_in", "bank", "payments", "ledger"])
def test_lists_run_a_fixed_number_of_queries(as_user, funding, view, django_assert_max_num_queries):
    client = as_user(funding.tom)
    _more(funding, 1)
    _more(funding, 2)
    client.get(url(view))  # the membership and seat caches are warm
    few = _queries(client, url(view))
    for number in range(3, 7):
        _more(funding, number)
    client.get(url(view))  # the caches again, after the changes
    with django_assert_max_num_queries(few):
        html = client.get(url(view)).content.decode()
    assert "Initiative 6" in html or "Giver 6" in html or view == "bank"


def test_a_member_who_gave_for_an_initiative_does_not_vote_on_it(as_user, funding):
    response = as_user(funding.tom).post(
        url("money_in"),
        donation_data(
            fund=funding.fund.pk,
            amount="100",
            donor=funding.bas.pk,
            earmarked_initiative=funding.p.initiative.pk,
        ),
    )
    assert response.status_code == 302
    grant = grants.grant_request_start(
        by=funding.m(funding.p.fatima),
        foundation=funding.foundation,
        initiative=funding.p.initiative,
        fund=funding.fund,
        budget=budget(),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    grants.grant_submit(by=funding.m(funding.p.fatima), grant=grant)
    with pytest.raises(PermissionDenied, match="earmarked"):
        decisions.grant_vote(by=funding.m(funding.bas), grant=grant, choice="approve", reason="Y")
