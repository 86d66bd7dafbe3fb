"""Reading CAMT.053 statements and writing the SEPA credit transfer file (pain.001)."""

import re
import time
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from lxml import etree
from schwifty import IBAN
from sepaxml.validation import try_valid_xml

from buurtnet.funding.bankfiles import (
    MAX_STATEMENT_BYTES,
    MAX_STATEMENT_LINES,
    BadPayments,
    BadStatement,
    Statement,
    StatementLine,
    credit_transfer_xml,
    read_camt053,
)
from buurtnet.funding.models import Foundation, GrantRequest, Payment
from buurtnet.initiatives.models import Initiative
from tests.funding.camt import NAMESPACE, camt053

OUR_IBAN = "NL91ABNA0417164300"
FATIMA_IBAN = "NL02ABNA0123456789"
GARDEN_IBAN = "NL44RABO0123456789"
NO_BIC_IBAN = "NL51ZZZZ0123456789"  # valid, but of no bank schwifty knows

NOT_CAMT = "This file is not a CAMT.053 bank statement."
PAIN = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
CAMT = {"c": NAMESPACE}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_test_ibans_are_valid():
    for value in (OUR_IBAN, FATIMA_IBAN, GARDEN_IBAN, NO_BIC_IBAN):
        assert IBAN(value).compact == value
    assert IBAN(NO_BIC_IBAN).bic is None


# --------------------------------------------------------------------------------- statements


def line(**values) -> dict:
    defaults = {"amount": "10.00", "credit": True, "booked_on": date(2025, 3, 3)}
    return {**defaults, **values}


def statement(*lines: dict, **kwargs) -> bytes:
    return camt053(account_iban=OUR_IBAN, lines=list(lines), **kwargs)


def refused(data: bytes) -> str:
    with pytest.raises(BadStatement) as caught:
        read_camt053(data)
    return str(caught.value)


def edit(data: bytes, change) -> bytes:
    """The statement after change(root) edited its XML tree."""
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_round_trip_of_a_donation_a_payment_and_bank_costs():
    data = camt053(
        account_iban=OUR_IBAN,
        statement_id="2025-03-05-001",
        lines=[
            {
                "amount": Decimal("250"),
                "credit": True,
                "booked_on": date(2025, 3, 3),
                "name": "J. de Vries",
                "iban": GARDEN_IBAN,
                "remittance": "Gift voor het buurtfeest",
                "reference": "ABN-0001",
            },
            {
                "amount": "120.50",
                "credit": False,
                "booked_on": date(2025, 3, 4),
                "name": "Fatima El Amrani",
                "iban": FATIMA_IBAN,
                "remittance": "Buurtnet grant 12 - Samen eten",
                "end_to_end_id": "BN-12-1",
                "reference": "ABN-0002",
            },
            {"amount": "1.95", "credit": False, "booked_on": date(2025, 3, 5)},
        ],
    )

    assert read_camt053(data) == Statement(
        statement_id="2025-03-05-001",
        account_iban=OUR_IBAN,
        lines=[
            StatementLine(
                position=1,
                booked_on=date(2025, 3, 3),
                amount_cents=25_000,
                counterparty_name="J. de Vries",
                counterparty_iban=GARDEN_IBAN,
                remittance="Gift voor het buurtfeest",
                end_to_end_id="",
                bank_reference="ABN-0001",
            ),
            StatementLine(
                position=2,
                booked_on=date(2025, 3, 4),
                amount_cents=-12_050,
                counterparty_name="Fatima El Amrani",
                counterparty_iban=FATIMA_IBAN,
                remittance="Buurtnet grant 12 - Samen eten",
                end_to_end_id="BN-12-1",
                bank_reference="ABN-0002",
            ),
            StatementLine(
                position=3,
                booked_on=date(2025, 3, 5),
                amount_cents=-195,
                counterparty_name="",
                counterparty_iban="",
                remittance="",
                end_to_end_id="",
                bank_reference="",
            ),
        ],
    )


def test_amounts_are_exact_cents():
    data = statement(
        line(amount="0.10"),
        line(amount="0.20"),
        line(amount="999999.99"),
        line(amount="12.500", credit=False),  # a trailing zero is still whole cents
    )
    assert [x.amount_cents for x in read_camt053(data).lines] == [10, 20, 99_999_999, -1250]


def test_notprovided_end_to_end_id_is_empty():
    data = statement(line(name="Gever", end_to_end_id="NOTPROVIDED"))
    assert read_camt053(data).lines[0].end_to_end_id == ""


def test_only_booked_entries_are_read_and_numbered_in_order():
    data = statement(
        line(amount="1.00", status="PDNG"),
        line(amount="2.00"),
        line(amount="3.00", status="INFO"),
        line(amount="4.00", credit=False),
    )
    lines = read_camt053(data).lines
    assert [(x.position, x.amount_cents) for x in lines] == [(1, 200), (2, -400)]


def test_a_reversal_keeps_the_sign_the_bank_gives():
    def reverse(root):
        indicator = root.find(".//c:Ntry/c:CdtDbtInd", CAMT)
        reversal = etree.Element(f"{{{NAMESPACE}}}RvslInd")
        reversal.text = "true"
        indicator.addnext(reversal)

    data = edit(statement(line(amount="75.00", credit=True, name="Retour")), reverse)
    assert read_camt053(data).lines[0].amount_cents == 7500


def test_a_prefixed_namespace_is_read_too():
    data = statement(line(name="Gever", iban=GARDEN_IBAN, remittance="Gift"))
    prefixed = re.sub(rb"<(/?)(?=[A-Za-z])", rb"<\1c:", data).replace(b"xmlns=", b"xmlns:c=")
    assert b"<c:Ntry>" in prefixed
    lines = read_camt053(prefixed).lines
    assert (lines[0].counterparty_name, lines[0].counterparty_iban) == ("Gever", GARDEN_IBAN)


def _join_entries(root, *, drop_amounts=False):
    """The second entry's transaction moves into the first, as a bank books a batch."""
    first, second = root.findall(".//c:Ntry", CAMT)
    total = Decimal(first.findtext("c:Amt", namespaces=CAMT)) + Decimal(
        second.findtext("c:Amt", namespaces=CAMT)
    )
    first.find("c:Amt", CAMT).text = str(total)
    first.find("c:NtryDtls", CAMT).append(second.find(".//c:TxDtls", CAMT))
    second.getparent().remove(second)
    if drop_amounts:
        for details in root.findall(".//c:AmtDtls", CAMT):
            details.getparent().remove(details)


def test_a_batch_entry_becomes_one_line_per_transaction():
    data = statement(
        line(amount="250.00", credit=False, name="Fatima", iban=FATIMA_IBAN, end_to_end_id="E1"),
        line(amount="19.99", credit=False, name="Tuin", iban=GARDEN_IBAN, end_to_end_id="E2"),
    )
    lines = read_camt053(edit(data, _join_entries)).lines
    assert [(x.amount_cents, x.end_to_end_id, x.counterparty_iban) for x in lines] == [
        (-25_000, "E1", FATIMA_IBAN),
        (-1999, "E2", GARDEN_IBAN),
    ]


def test_a_batch_entry_without_amounts_per_transaction_is_one_line():
    data = statement(
        line(amount="250.00", credit=False, name="Fatima", iban=FATIMA_IBAN, end_to_end_id="E1"),
        line(amount="19.99", credit=False, name="Tuin", iban=GARDEN_IBAN, end_to_end_id="E2"),
    )
    lines = read_camt053(edit(data, lambda root: _join_entries(root, drop_amounts=True))).lines
    assert [(x.amount_cents, x.end_to_end_id, x.counterparty_name) for x in lines] == [
        (-26_999, "", "")
    ]


def test_html_is_refused():
    assert refused(b"<!DOCTYPE html><html><body><p>Login</p></body></html>") == NOT_CAMT
    assert refused(b"<html><body><p>Login<br></body></html>") == NOT_CAMT
    assert refused(b"<html><body><p>Login</p></body></html>") == NOT_CAMT


@pytest.mark.parametrize("data", [b"", b"Datum;Bedrag\n2025-03-03;10,00\n", b"\x00\xff\xfe"])
def test_other_files_are_refused(data):
    assert refused(data) == NOT_CAMT


def test_an_account_report_camt052_is_refused():
    data = (
        statement(line())
        .replace(b"camt.053.001.02", b"camt.052.001.02")
        .replace(b"BkToCstmrStmt>", b"BkToCstmrAcctRpt>")
        .replace(b"Stmt>", b"Rpt>")
    )
    assert "not a statement" in refused(data)


def test_an_empty_statement_is_refused():
    assert refused(statement()) == "The statement holds no bookings."
    assert refused(statement(line(status="PDNG"))) == "The statement holds no bookings."


def test_another_currency_is_refused():
    data = statement(line(amount="10.00"), line(amount="12.00", currency="USD"))
    assert refused(data) == "This statement is in another currency than euros."


def test_more_than_two_decimals_are_refused():
    data = statement(line(amount="10.005"))
    assert refused(data) == "An amount in this statement has more than two decimals."


def test_a_line_without_a_date_is_refused():
    def undate(root):
        for tag in ("BookgDt", "ValDt"):
            element = root.find(f".//c:Ntry/c:{tag}", CAMT)
            element.getparent().remove(element)

    assert refused(edit(statement(line()), undate)) == (
        "Booking 1 in this statement could not be read."
    )


def test_statements_of_two_accounts_are_refused():
    other = camt053(account_iban=GARDEN_IBAN, statement_id="STMT-2", lines=[line()])

    def add_other(root):
        root.find("c:BkToCstmrStmt", CAMT).append(etree.fromstring(other).find(".//c:Stmt", CAMT))

    assert "more than one account" in refused(edit(statement(line()), add_other))


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE Document [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">\n' for n in range(1, 10)
    )
    + f']>\n<Document xmlns="{NAMESPACE}"><BkToCstmrStmt><GrpHdr><MsgId>&lol9;</MsgId>'
    "<CreDtTm>2025-03-03T18:00:00</CreDtTm></GrpHdr></BkToCstmrStmt></Document>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_billion_laughs_file_is_refused_quickly(encoding):
    data = BILLION_LAUGHS.replace('version="1.0"', f'version="1.0" encoding="{encoding}"')
    started = time.monotonic()
    assert refused(data.encode(encoding)) == NOT_CAMT
    assert time.monotonic() - started < 2


def test_an_external_entity_is_refused():
    statement_xml = statement(line(name="&xxe;")).decode().replace("&amp;xxe;", "&xxe;")
    data = statement_xml.replace(
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<?xml version="1.0" encoding="utf-16"?>\n'
        '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    )
    assert "<!DOCTYPE" in data
    assert refused(data.encode("utf-16")) == NOT_CAMT


def test_a_file_over_5_mb_is_refused():
    data = statement(line())
    padded = data + b" " * (MAX_STATEMENT_BYTES + 1 - len(data))
    assert "larger than 5 MB" in refused(padded)
    read_camt053(data + b" " * (MAX_STATEMENT_BYTES - len(data)))  # exactly 5 MB is read


def test_more_than_5000_lines_are_refused():
    many = [line(amount="1.00") for _ in range(MAX_STATEMENT_LINES)]
    assert len(read_camt053(statement(*many)).lines) == MAX_STATEMENT_LINES
    assert "more than 5000 bookings" in refused(statement(*many, line(amount="1.00")))


# ------------------------------------------------------------------------------------ pain.001


def foundation(**values) -> Foundation:
    defaults = {"account_holder": "Stichting Vrienden van de Hoogbouw", "iban": OUR_IBAN}
    return Foundation(**{**defaults, **values})


def payment(number: int, *, holder: str, iban: str, cents: int, title: str) -> Payment:
    grant = GrantRequest(
        pk=number, initiative=Initiative(title=title), account_holder=holder, iban=iban
    )
    return Payment(grant=grant, amount_cents=cents, end_to_end_id=f"BN-{number}-1")


def two_payments() -> list[Payment]:
    return [
        payment(12, holder="Fatima El Amrani", iban=FATIMA_IBAN, cents=25_000, title="Samen eten"),
        payment(13, holder="Buurtmoestuin Zuid", iban=GARDEN_IBAN, cents=1999, title="Moestuin"),
    ]


def transfer(**kwargs) -> bytes:
    values = {
        "foundation": foundation(),
        "payments": two_payments(),
        "execution_date": date(2025, 3, 10),
        "message_id": "BN-2025-0001",
    }
    return credit_transfer_xml(**{**values, **kwargs})


def test_credit_transfer_of_two_payments():
    xml = transfer()
    try_valid_xml(xml, "pain.001.001.03")
    root = etree.fromstring(xml)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", PAIN)
    assert header.findtext("p:MsgId", namespaces=PAIN) == "BN-2025-0001"
    assert header.findtext("p:NbOfTxs", namespaces=PAIN) == "2"
    assert header.findtext("p:CtrlSum", namespaces=PAIN) == "269.99"

    infos = root.findall(".//p:PmtInf", PAIN)
    assert [i.findtext("p:BtchBookg", namespaces=PAIN) for i in infos] == ["false", "false"]
    for info in infos:
        assert info.findtext("p:ReqdExctnDt", namespaces=PAIN) == "2025-03-10"
        assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=PAIN) == OUR_IBAN
        assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=PAIN) == "ABNANL2A"
        assert info.findtext("p:Dbtr/p:Nm", namespaces=PAIN) == "Stichting Vrienden van de Hoogbouw"
    assert [i.findtext("p:CtrlSum", namespaces=PAIN) for i in infos] == ["250.00", "19.99"]

    transfers = [
        (
            tx.findtext("p:PmtId/p:EndToEndId", namespaces=PAIN),
            tx.find("p:Amt/p:InstdAmt", PAIN).get("Ccy"),
            tx.findtext("p:Amt/p:InstdAmt", namespaces=PAIN),
            tx.findtext("p:Cdtr/p:Nm", namespaces=PAIN),
            tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=PAIN),
            tx.findtext("p:RmtInf/p:Ustrd", namespaces=PAIN),
        )
        for tx in root.findall(".//p:CdtTrfTxInf", PAIN)
    ]
    assert transfers == [
        ("BN-12-1", "EUR", "250.00", "Fatima El Amrani", FATIMA_IBAN,
         "Buurtnet 12 - Samen eten"),
        ("BN-13-1", "EUR", "19.99", "Buurtmoestuin Zuid", GARDEN_IBAN,
         "Buurtnet 13 - Moestuin"),
    ]  # fmt: skip


def test_texts_are_made_fit_for_the_bank():
    long_title = "Één & ander: café “De Hoek” " + "x" * 200
    fatima = " nl02 abna 0123 4567 89 "
    payments = [payment(7, holder="Zoë & Søren", iban=fatima, cents=100, title=long_title)]
    root = etree.fromstring(
        transfer(foundation=foundation(account_holder="Stichting Wijk & Co"), payments=payments)
    )
    tx = root.find(".//p:CdtTrfTxInf", PAIN)
    assert tx.findtext("p:Cdtr/p:Nm", namespaces=PAIN) == "Zoe + Soren"
    assert tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=PAIN) == FATIMA_IBAN
    remittance = tx.findtext("p:RmtInf/p:Ustrd", namespaces=PAIN)
    assert remittance.startswith("Buurtnet 7 - Een + ander: cafe 'De Hoek' xxx")
    assert len(remittance) <= 140
    assert root.findtext(".//p:Dbtr/p:Nm", namespaces=PAIN) == "Stichting Wijk + Co"


def test_a_foundation_without_bic_pays_from_its_iban_only():
    root = etree.fromstring(transfer(foundation=foundation(iban=NO_BIC_IBAN, bic="")))
    agent = root.find(".//p:PmtInf/p:DbtrAgt/p:FinInstnId", PAIN)
    assert agent.find("p:BIC", PAIN) is None
    assert agent.findtext("p:Othr/p:Id", namespaces=PAIN) == "NOTPROVIDED"


def test_the_foundations_own_bic_is_used():
    root = etree.fromstring(transfer(foundation=foundation(bic="abnanl2a")))
    assert root.findtext(".//p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=PAIN) == "ABNANL2A"
    with pytest.raises(BadPayments):
        transfer(foundation=foundation(bic="NOTABIC"))


def test_an_invalid_iban_of_a_payment_is_refused():
    payments = two_payments()
    payments[1].grant.iban = "NL44RABO0123456788"
    with pytest.raises(BadPayments) as caught:
        transfer(payments=payments)
    assert str(caught.value) == "The IBAN of Buurtmoestuin Zuid (grant 13) is not valid."


def test_an_iban_outside_the_sepa_zone_is_refused():
    payments = two_payments()
    payments[0].grant.iban = "BR1500000000000010932840814P2"
    with pytest.raises(BadPayments):
        transfer(payments=payments)


@pytest.mark.parametrize("iban", ["", "NL91ABNA0417164301", "not an iban"])
def test_a_foundation_without_a_valid_iban_is_refused(iban):
    with pytest.raises(BadPayments) as caught:
        transfer(foundation=foundation(iban=iban))
    assert "no valid IBAN" in str(caught.value)


def test_a_foundation_without_account_holder_is_refused():
    with pytest.raises(BadPayments):
        transfer(foundation=foundation(account_holder=""))


def test_no_payments_is_refused():
    with pytest.raises(BadPayments):
        transfer(payments=[])


def test_a_paid_transfer_reads_back_from_the_statement():
    sent = etree.fromstring(transfer())
    tx = sent.find(".//p:CdtTrfTxInf", PAIN)
    data = statement(
        line(
            amount=tx.findtext("p:Amt/p:InstdAmt", namespaces=PAIN),
            credit=False,
            name=tx.findtext("p:Cdtr/p:Nm", namespaces=PAIN),
            iban=tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=PAIN),
            end_to_end_id=tx.findtext("p:PmtId/p:EndToEndId", namespaces=PAIN),
        )
    )
    (read,) = read_camt053(data).lines
    assert (read.amount_cents, read.end_to_end_id) == (-25_000, "BN-12-1")


def test_a_payment_sent_in_another_currency_counts_what_was_booked_in_euros():
    def instructed_in_dollars(root):
        details = root.find(".//c:AmtDtls", CAMT)
        instructed = etree.Element(f"{{{NAMESPACE}}}InstdAmt")
        etree.SubElement(instructed, f"{{{NAMESPACE}}}Amt", Ccy="USD").text = "100.00"
        details.insert(0, instructed)

    data = edit(statement(line(amount="91.37", name="US donor")), instructed_in_dollars)
    assert read_camt053(data).lines[0].amount_cents == 9137
