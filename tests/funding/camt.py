"""Write a small CAMT.053.001.02 bank statement for tests.

Each line is a dict:

- amount: Decimal or str ("250.00"); a str is written as given
- credit: True for money in (CRDT), False for money out (DBIT)
- booked_on: date
- name, iban, remittance: the other party and the description (optional, "" when absent)
- end_to_end_id, reference: the EndToEndId and the bank's own reference (optional)
- currency ("EUR"), status ("BOOK"), value_date (booked_on): optional

A line without name, iban, remittance and end_to_end_id is written without details (no
NtryDtls), as banks do for their own costs.
"""

from datetime import date, datetime, time
from decimal import Decimal

from lxml import etree

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
CENT = Decimal("0.01")


def _amount_text(amount: Decimal | str) -> str:
    if isinstance(amount, str):
        return amount
    value = Decimal(amount)
    if value == value.quantize(CENT):
        value = value.quantize(CENT)
    return format(value, "f")


def _sub(parent, tag: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def _path(parent, tags: str, text: str | None = None):
    element = parent
    for tag in tags.split("/"):
        element = _sub(element, tag)
    element.text = text
    return element


def _balance(stmt, code: str, amount: Decimal, on: date) -> None:
    bal = _sub(stmt, "Bal")
    _path(bal, "Tp/CdOrPrtry/Cd", code)
    _sub(bal, "Amt", _amount_text(abs(amount)), Ccy="EUR")
    _sub(bal, "CdtDbtInd", "CRDT" if amount >= 0 else "DBIT")
    _path(bal, "Dt/Dt", on.isoformat())


def _entry(stmt, line: dict) -> None:
    credit = bool(line["credit"])
    currency = line.get("currency", "EUR")
    amount = _amount_text(line["amount"])
    booked_on: date = line["booked_on"]
    name = line.get("name", "")
    iban = line.get("iban", "")
    remittance = line.get("remittance", "")
    end_to_end_id = line.get("end_to_end_id", "")
    reference = line.get("reference", "")

    ntry = _sub(stmt, "Ntry")
    _sub(ntry, "Amt", amount, Ccy=currency)
    _sub(ntry, "CdtDbtInd", "CRDT" if credit else "DBIT")
    _sub(ntry, "Sts", line.get("status", "BOOK"))
    _path(ntry, "BookgDt/Dt", booked_on.isoformat())
    _path(ntry, "ValDt/Dt", line.get("value_date", booked_on).isoformat())
    if reference:
        _sub(ntry, "AcctSvcrRef", reference)
    domain = _path(ntry, "BkTxCd/Domn/Cd", "PMNT").getparent()
    family = _sub(domain, "Fmly")
    _sub(family, "Cd", "RCDT" if credit else "ICDT")
    _sub(family, "SubFmlyCd", "ESCT")

    if not (name or iban or remittance or end_to_end_id):
        return
    tx = _path(ntry, "NtryDtls/TxDtls")
    if end_to_end_id:
        _path(tx, "Refs/EndToEndId", end_to_end_id)
    _sub(_path(tx, "AmtDtls/TxAmt"), "Amt", amount, Ccy=currency)
    if name or iban:
        parties = _sub(tx, "RltdPties")
        party, account = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
        if name:
            _path(parties, f"{party}/Nm", name)
        if iban:
            _path(parties, f"{account}/Id/IBAN", iban)
    if remittance:
        _path(tx, "RmtInf/Ustrd", remittance)


def camt053(
    *,
    account_iban: str,
    statement_id: str = "STMT-1",
    lines: list[dict],
    opening_balance: Decimal = Decimal("0.00"),
) -> bytes:
    """A CAMT.053.001.02 statement of one account with the given lines, in this order."""
    days = [line["booked_on"] for line in lines] or [date(2025, 1, 1)]
    first, last = min(days), max(days)
    created = datetime.combine(last, time(18, 0)).isoformat()

    root = etree.Element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE})
    message = _sub(root, "BkToCstmrStmt")
    header = _sub(message, "GrpHdr")
    _sub(header, "MsgId", f"MSG-{statement_id}")
    _sub(header, "CreDtTm", created)

    stmt = _sub(message, "Stmt")
    _sub(stmt, "Id", statement_id)
    _sub(stmt, "CreDtTm", created)
    account = _sub(stmt, "Acct")
    _path(account, "Id/IBAN", account_iban)
    _sub(account, "Ccy", "EUR")

    closing = opening_balance
    for line in lines:
        try:
            amount = Decimal(line["amount"])
        except ArithmeticError:
            amount = Decimal(0)
        closing += amount if line["credit"] else -amount
    _balance(stmt, "OPBD", opening_balance, first)
    _balance(stmt, "CLBD", closing, last)

    for line in lines:
        _entry(stmt, line)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
