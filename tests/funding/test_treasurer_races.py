"""The treasurer's writes at the same moment (two tabs, a double click): each happens once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from buurtnet.funding import ledger
from buurtnet.funding.models import (
    BankLine,
    BankStatement,
    Donation,
    GrantStatus,
    LedgerEntry,
    Payment,
    PaymentStatus,
)
from buurtnet.funding.services import decisions, grants
from buurtnet.funding.services import money as money_services
from tests.concurrency import race, slowed
from tests.funding.camt import camt053
from tests.funding.conftest import IBAN_DINNER, IBAN_FOUNDATION, budget

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
    pytest.mark.django_db(transaction=True),
]


def _granted(funding):
    p = funding.p
    grant = grants.grant_request_start(
        by=funding.m(p.fatima),
        foundation=funding.foundation,
        initiative=p.initiative,
        fund=funding.fund,
        budget=budget(),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    grants.grant_submit(by=funding.m(p.fatima), grant=grant)
    for user in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(user), grant=grant, choice="approve", reason="Good")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED
    return grant


def _statement(*lines: dict, statement_id: str = "STMT-1") -> bytes:
    return camt053(account_iban=IBAN_FOUNDATION, statement_id=statement_id, lines=list(lines))


def _line(amount: str, *, credit: bool, end_to_end_id: str = "", reference: str) -> dict:
    return {
        "amount": amount,
        "credit": credit,
        "booked_on": timezone.localdate(),
        "name": "Samen eten",
        "iban": IBAN_DINNER,
        "remittance": "Grant",
        "end_to_end_id": end_to_end_id,
        "reference": reference,
    }


def _assert_balanced() -> None:
    for entry in LedgerEntry.objects.prefetch_related("lines"):
        assert sum(line.amount_cents for line in entry.lines.all()) == 0


def test_two_payments_at_once_never_exceed_the_grant(funding, monkeypatch):
    grant = _granted(funding)  # € 250 granted
    slowed(monkeypatch, money_services, "pending_cents")
    tom = funding.m(funding.tom)

    def mark():
        return money_services.payment_mark(by=tom, grant=grant, amount_cents=15000)

    results, errors = race([mark, mark])

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert "At most" in errors[0].messages[0]
    assert list(Payment.objects.values_list("amount_cents", flat=True)) == [15000]


def test_the_same_statement_imported_twice_at_once_is_stored_once(funding, monkeypatch):
    grant = _granted(funding)
    tom = funding.m(funding.tom)
    payment = money_services.payment_mark(by=tom, grant=grant, amount_cents=25000)
    money_services.payments_file(
        by=tom, foundation=funding.foundation, execution_date=timezone.localdate()
    )
    data = _statement(
        _line("250.00", credit=False, end_to_end_id=payment.end_to_end_id, reference="B-1"),
        _line("10.00", credit=True, reference="B-2"),
    )
    slowed(monkeypatch, money_services, "_pay")

    def read():
        return money_services.statement_import(
            by=tom, foundation=funding.foundation, data=data, file_name="statement.xml"
        )

    results, errors = race([read, read])

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].message_dict["file"] == ["This statement has been imported already."]
    assert BankStatement.objects.count() == 1
    assert BankLine.objects.count() == 2
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert LedgerEntry.objects.filter(kind="paid").count() == 1
    assert ledger.grant_figures_of(grant).paid == 25000
    _assert_balanced()


def test_one_bank_line_recorded_twice_at_once_is_matched_once(funding, monkeypatch):
    tom = funding.m(funding.tom)
    money_services.statement_import(
        by=tom,
        foundation=funding.foundation,
        data=_statement(_line("25.00", credit=True, reference="B-1")),
    )
    line = BankLine.objects.get()
    slowed(monkeypatch, money_services.ledger, "post")

    def record():
        return money_services.donation_record(
            by=tom,
            foundation=funding.foundation,
            fund=funding.fund,
            amount_cents=2500,
            received_on=timezone.localdate(),
            source_kind="donation",
            bank_line=line,
        )

    results, errors = race([record, record])

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].messages == ["This bank line is matched already."]
    line.refresh_from_db()
    assert line.donation == results[0]
    assert Donation.objects.filter(amount_cents=2500).count() == 1
    assert LedgerEntry.objects.filter(bank_line=line).count() == 1
    _assert_balanced()


def test_one_bank_line_matched_to_two_payments_at_once_pays_one(funding, monkeypatch):
    grant = _granted(funding)
    tom = funding.m(funding.tom)
    first = money_services.payment_mark(by=tom, grant=grant, amount_cents=10000)
    second = money_services.payment_mark(by=tom, grant=grant, amount_cents=10000)
    money_services.payments_file(
        by=tom, foundation=funding.foundation, execution_date=timezone.localdate()
    )
    money_services.statement_import(
        by=tom,
        foundation=funding.foundation,
        data=_statement(_line("100.00", credit=False, reference="B-1")),
    )
    line = BankLine.objects.get()
    assert not line.is_matched
    slowed(monkeypatch, money_services, "_pay")

    def match(payment):
        return lambda: money_services.bank_line_match_payment(by=tom, line=line, payment=payment)

    results, errors = race([match(first), match(second)])

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].messages == ["This bank line is matched already."]
    line.refresh_from_db()
    assert line.payment == results[0]
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1
    assert ledger.grant_figures_of(grant).paid == 10000
    _assert_balanced()
