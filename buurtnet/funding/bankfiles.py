"""The bank's files: a CAMT.053 statement read into lines, and the SEPA credit transfer file
(pain.001.001.03) that pays grants. Pure functions: nothing here touches the database.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

MAX_STATEMENT_BYTES = 5 * 1024 * 1024
MAX_STATEMENT_LINES = 5_000

_CAMT053 = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d{2}")
_CAMT_REPORT = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.05[24]\.001\.\d{2}")
_AMOUNT = re.compile(r"\s*[0-9]{1,15}(\.[0-9]+)?\s*")
_CENT = Decimal("0.01")

# Longest values the bank lines keep (BankLine's fields).
_NAME_MAX, _IBAN_MAX, _REMITTANCE_MAX, _E2E_MAX, _REFERENCE_MAX = 140, 34, 500, 35, 100


# ------------------------------------------------------------------------- CAMT.053 statements


@dataclass(frozen=True)
class StatementLine:
    position: int  # 1-based order in the file, of the lines read
    booked_on: date
    amount_cents: int  # incoming positive, outgoing negative
    counterparty_name: str  # the debtor for incoming money, the creditor for outgoing
    counterparty_iban: str
    remittance: str
    end_to_end_id: str  # "" when absent or NOTPROVIDED
    bank_reference: str  # AcctSvcrRef or ""


@dataclass(frozen=True)
class Statement:
    statement_id: str
    account_iban: str
    lines: list[StatementLine]


class BadStatement(ValueError):
    """The file cannot be read as a statement; the message says why, for the person."""


def _not_camt() -> BadStatement:
    return BadStatement(_("This file is not a CAMT.053 bank statement."))


def _unreadable(position: int) -> BadStatement:
    return BadStatement(
        _("Booking %(position)s in this statement could not be read.") % {"position": position}
    )


def _too_many() -> BadStatement:
    return BadStatement(
        _(
            "This statement holds more than %(limit)s bookings. "
            "Download a statement over a shorter period."
        )
        % {"limit": MAX_STATEMENT_LINES}
    )


def _clean(text: str | None, limit: int) -> str:
    return " ".join((text or "").split())[:limit]


def _cents(text: str | None, *, position: int) -> int:
    """'250.00' → 25000, by Decimal. More than two decimals that are not zero are refused."""
    if text is None or not _AMOUNT.fullmatch(text):
        raise _unreadable(position)
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise _unreadable(position) from None
    if value != value.quantize(_CENT):
        raise BadStatement(_("An amount in this statement has more than two decimals."))
    return int(value * 100)


def _sign(indicator: str | None, *, position: int) -> int:
    indicator = (indicator or "").strip()
    if indicator == "CRDT":
        return 1
    if indicator == "DBIT":
        return -1
    raise _unreadable(position)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _line_values(tx: dict, *, position: int, amount_cents: int) -> dict:
    """The fields of one line, from pycamt's dict of a transaction."""
    booked_on = _day(tx.get("BookingDate")) or _day(tx.get("ValueDate"))
    if booked_on is None:
        raise _unreadable(position)
    if amount_cents > 0:
        name, iban = tx.get("DebtorName"), tx.get("DebtorIBAN")
    else:
        name, iban = tx.get("CreditorName"), tx.get("CreditorIBAN")
    remittance = (
        tx.get("RemittanceInformationFull")  # every unstructured line
        or tx.get("RemittanceInformation")  # the structured creditor reference
        or tx.get("AdditionalRemittanceInformation")
        or tx.get("AdditionalEntryInformation")
    )
    end_to_end_id = _clean(tx.get("EndToEndId"), _E2E_MAX)
    if end_to_end_id.upper() == "NOTPROVIDED":
        end_to_end_id = ""
    return {
        "booked_on": booked_on,
        "amount_cents": amount_cents,
        "counterparty_name": _clean(name, _NAME_MAX),
        "counterparty_iban": _clean(iban, _IBAN_MAX).replace(" ", "").upper(),
        "remittance": _clean(remittance, _REMITTANCE_MAX),
        "end_to_end_id": end_to_end_id,
        "bank_reference": _clean(tx.get("TransactionID"), _REFERENCE_MAX),
    }


def _entry_lines(parser, entry, txs: list[dict], *, position: int) -> list[dict]:
    """The lines of one booked entry: one per transaction when the transactions' own amounts
    (all in euros) add up to the entry, otherwise one line for the whole entry."""
    ns = parser.namespaces
    entry_amount = entry.find("Amt", ns)  # the entry's own amount and direction
    if entry_amount is None:
        raise _unreadable(position)
    if (entry_amount.get("Ccy") or "").strip() != "EUR":
        raise BadStatement(_("This statement is in another currency than euros."))
    entry_sign = _sign(entry.findtext("CdtDbtInd", None, ns), position=position)
    entry_cents = entry_sign * _cents(entry_amount.text, position=position)

    if len(txs) == 1:
        return [_line_values(txs[0], position=position, amount_cents=entry_cents)]

    details = [
        detail
        for block in entry.findall(".//NtryDtls", ns)
        for detail in block.findall(".//TxDtls", ns)
    ]
    amounts = [detail.find(".//Amt", ns) for detail in details]  # what pycamt reads per detail
    if all(a is not None and (a.get("Ccy") or "").strip() == "EUR" for a in amounts):
        cents = [
            _sign(tx.get("CreditDebitIndicator"), position=position)
            * _cents(tx.get("Amount"), position=position)
            for tx in txs
        ]
        if sum(cents) == entry_cents:
            return [
                _line_values(tx, position=position, amount_cents=amount)
                for tx, amount in zip(txs, cents, strict=True)
            ]
    # A batch whose parts cannot be told apart: the entry as one line, without a counterparty.
    whole = _line_values(txs[0], position=position, amount_cents=entry_cents)
    whole.update(counterparty_name="", counterparty_iban="", end_to_end_id="")
    whole["remittance"] = _clean(txs[0].get("AdditionalEntryInformation"), _REMITTANCE_MAX)
    return [whole]


def read_camt053(data: bytes) -> Statement:
    """The booked lines of a CAMT.053 statement. BadStatement when the file is not one we read:
    not XML, not CAMT.053, other currencies than euros, no bookings, too large."""
    from pycamt.parser import Camt053Parser

    data = bytes(data)
    if len(data) > MAX_STATEMENT_BYTES:
        raise BadStatement(
            _("This file is larger than %(limit)s MB. Download a statement over a shorter period.")
            % {"limit": MAX_STATEMENT_BYTES // (1024 * 1024)}
        )
    # A bank statement never declares a document type; entity tricks need one.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _not_camt()
    try:
        parser = Camt053Parser(data)
    except (etree.LxmlError, ValueError):
        raise _not_camt() from None
    root = parser.tree
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _not_camt()

    qname = etree.QName(root)
    namespace = qname.namespace or ""
    if qname.localname != "Document" or not _CAMT053.fullmatch(namespace):
        if _CAMT_REPORT.fullmatch(namespace):
            raise BadStatement(
                _(
                    "This file is an account report or notification, not a statement. "
                    "Download the statement (CAMT.053) from your bank."
                )
            )
        raise _not_camt()
    # The paths pycamt uses have no prefix: the camt namespace is their default one.
    parser.namespaces = {None: namespace}
    ns = parser.namespaces

    statements = root.findall(".//Stmt", ns)  # in the order pycamt reads them
    if not statements or root.find("BkToCstmrStmt", ns) is None:
        raise _not_camt()
    ibans, ids = [], []
    for stmt in statements:
        iban = _clean(stmt.findtext("Acct/Id/IBAN", "", ns), _IBAN_MAX).replace(" ", "").upper()
        if iban and iban not in ibans:
            ibans.append(iban)
        stmt_id = _clean(stmt.findtext("Id", "", ns), 100)
        if stmt_id and stmt_id not in ids:
            ids.append(stmt_id)
        currency = stmt.findtext("Acct/Ccy", "", ns).strip()
        if currency and currency != "EUR":
            raise BadStatement(_("This statement is in another currency than euros."))
    if len(ibans) > 1:
        raise BadStatement(
            _(
                "This file holds statements of more than one account. "
                "Download one account at a time."
            )
        )

    # pycamt reads each entry. Its get_transactions() looks the account up in the whole
    # statement for every entry, which takes quadratic time on a large file; the statement
    # handed to it per entry is therefore an empty one (the account is read above).
    no_statement = etree.Element("Stmt")
    values: list[dict] = []
    read = 0
    entries = [entry for stmt in statements for entry in stmt.findall(".//Ntry", ns)]
    details = sum(1 for _detail in root.iter(f"{{{namespace}}}TxDtls"))
    if max(len(entries), details) > MAX_STATEMENT_LINES:
        raise _too_many()
    for number, entry in enumerate(entries, start=1):
        try:
            txs = parser._extract_transaction(entry, no_statement)
        except Exception:  # any shape pycamt cannot read
            raise _unreadable(number) from None
        read += len(txs)
        if read > MAX_STATEMENT_LINES:
            raise _too_many()
        status = (txs[0].get("Status") or "").strip().upper()
        if status and status != "BOOK":
            continue
        values.extend(
            v for v in _entry_lines(parser, entry, txs, position=number) if v["amount_cents"]
        )
    if not values:
        raise BadStatement(_("The statement holds no bookings."))
    return Statement(
        statement_id=", ".join(ids)[:100],
        account_iban=ibans[0] if ibans else "",
        lines=[StatementLine(position=n, **v) for n, v in enumerate(values, start=1)],
    )


# ------------------------------------------------------------------ SEPA credit transfer file


class BadPayments(ValueError):
    """The payments cannot go into a bank file; the message says why, for the person."""


# The characters every SEPA bank accepts (EPC's Latin set); anything else becomes a space.
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")


def _sepa_text(text: str, limit: int) -> str:
    from text_unidecode import unidecode

    text = unidecode(str(text or "")).replace("&", "+").replace('"', "'")
    return " ".join(_NOT_SEPA.sub(" ", text).split())[:limit].strip()


def _iban(value: str) -> str | None:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        iban = IBAN(value or "")
    except SchwiftyException:
        return None
    return str(iban.compact) if iban.in_sepa_zone else None


def _bic(value: str, iban: str) -> str:
    """The foundation's BIC as given, else the one of its bank, else ""."""
    from schwifty import BIC, IBAN
    from schwifty.exceptions import SchwiftyException

    value = (value or "").replace(" ", "").upper()
    if value:
        try:
            return str(BIC(value))
        except SchwiftyException:
            raise BadPayments(_("The foundation's BIC is not valid.")) from None
    bic = IBAN(iban).bic
    return str(bic) if bic else ""


def remittance_text(payment) -> str:
    """What the receiver reads on their statement (at most 140 characters): the request's
    number and the initiative, in no language in particular — the file goes to a Dutch bank in
    Latin letters whatever language the treasurer reads Buurtnet in."""
    grant = payment.grant
    text = f"Buurtnet {grant.pk or ''} - {grant.initiative.title}"
    return _sepa_text(text, 140)


def credit_transfer_xml(*, foundation, payments, execution_date: date, message_id: str) -> bytes:
    """A pain.001.001.03 file with one transfer per payment, from the foundation's account.

    Each payment is its own transfer (no batch booking), so the statement shows each one with
    its end-to-end id and can be matched to it. The XML is checked against the schema.
    """
    from sepaxml import SepaTransfer
    from sepaxml.validation import ValidationError as SchemaError
    from sepaxml.validation import try_valid_xml

    payments = list(payments)
    if not payments:
        raise BadPayments(_("There are no payments to put in a bank file."))
    debtor_iban = _iban(foundation.iban)
    if debtor_iban is None:
        raise BadPayments(
            _("The foundation has no valid IBAN. Fill in the foundation's bank account first.")
        )
    debtor_name = _sepa_text(foundation.account_holder, 70)
    if not debtor_name:
        raise BadPayments(_("Fill in the account holder of the foundation's bank account first."))
    if not message_id or len(message_id) > 35:
        raise ValueError("message_id must be 1 to 35 characters")
    if isinstance(execution_date, datetime):
        execution_date = execution_date.date()

    config = {"name": debtor_name, "IBAN": debtor_iban, "batch": False, "currency": "EUR"}
    bic = _bic(foundation.bic, debtor_iban)
    if bic:
        config["BIC"] = bic
    sepa = SepaTransfer(config, schema="pain.001.001.03", clean=True)
    for payment in payments:
        grant = payment.grant
        creditor_iban = _iban(grant.iban)
        if creditor_iban is None:
            raise BadPayments(
                _("The IBAN of %(holder)s (grant %(number)s) is not valid.")
                % {"holder": grant.account_holder, "number": grant.pk or ""}
            )
        creditor_name = _sepa_text(grant.account_holder, 70)
        end_to_end_id = _sepa_text(payment.end_to_end_id, 35)
        if not creditor_name:
            raise BadPayments(
                _("Grant %(number)s has no account holder.") % {"number": grant.pk or ""}
            )
        if not end_to_end_id or end_to_end_id != payment.end_to_end_id:
            raise ValueError(f"unusable end-to-end id {payment.end_to_end_id!r}")
        if int(payment.amount_cents) <= 0:
            raise BadPayments(_("A payment must be more than zero."))
        sepa.add_payment(
            {
                "name": creditor_name,
                "IBAN": creditor_iban,
                "amount": int(payment.amount_cents),
                "execution_date": execution_date,
                "description": remittance_text(payment),
                "endtoend_id": end_to_end_id,
            }
        )
    xml = sepa.export(validate=False)

    # Our own ids instead of sepaxml's random ones; an IBAN-only debtor bank says NOTPROVIDED.
    tree = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
    tree.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", ns).text = message_id
    for number, info_id in enumerate(tree.iterfind(".//p:PmtInf/p:PmtInfId", ns), start=1):
        info_id.text = f"P{number}-{message_id}"[:35]
    for institution in tree.iterfind(".//p:PmtInf/p:DbtrAgt/p:FinInstnId", ns):
        if len(institution) == 0:
            other = etree.SubElement(institution, f"{{{ns['p']}}}Othr")
            etree.SubElement(other, f"{{{ns['p']}}}Id").text = "NOTPROVIDED"
    xml = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    try:
        try_valid_xml(xml, "pain.001.001.03")
    except SchemaError as error:  # the bank would refuse this file
        raise BadPayments(
            _("The bank would refuse this file: %(reason)s") % {"reason": str(error)[:200]}
        ) from None
    return xml
