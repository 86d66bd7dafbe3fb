"""`buurtnet ledger verify`: a ledger written by the services keeps every rule; rows written
around them (the tables take new rows, only never a change) are found, each by its rule."""

import sys
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone, translation

from buurtnet import cli
from buurtnet.funding import ledger, verify
from buurtnet.funding.models import (
    Account,
    BankLine,
    BankStatement,
    Decision,
    EntryKind,
    GrantRequest,
    LedgerEntry,
    LedgerLine,
    Payment,
    Receipt,
    ReceiptStatus,
)
from buurtnet.funding.services import decisions, grants
from buurtnet.funding.services import money as money_services
from tests.core.photos import camera_jpeg
from tests.funding.camt import camt053
from tests.funding.conftest import IBAN_DINNER, IBAN_FOUNDATION, budget

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _statement(funding, statement_id: str, *lines: dict) -> BankStatement:
    data = camt053(account_iban=IBAN_FOUNDATION, statement_id=statement_id, lines=list(lines))
    return money_services.statement_import(
        by=funding.m(funding.tom), foundation=funding.foundation, data=data
    )


def _paid_line(payment, reference: str) -> dict:
    return {
        "amount": f"{payment.amount_cents / 100:.2f}",
        "credit": False,
        "booked_on": TODAY(),
        "name": "Samen eten",
        "iban": IBAN_DINNER,
        "end_to_end_id": payment.end_to_end_id,
        "reference": reference,
    }


def _incoming(cents: int, reference: str) -> dict:
    return {
        "amount": f"{cents / 100:.2f}",
        "credit": True,
        "booked_on": TODAY(),
        "name": "A. Neighbour",
        "iban": "NL02ABNA0123456789",
        "remittance": "Gift",
        "reference": reference,
    }


def _granted(funding, amount=25000) -> GrantRequest:
    p = funding.p
    grant = grants.grant_request_start(
        by=funding.m(p.fatima),
        foundation=funding.foundation,
        initiative=p.initiative,
        fund=funding.fund,
        budget=budget(amount, [("Pans", amount)]),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    grants.grant_submit(by=funding.m(p.fatima), grant=grant)
    for voter in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(voter), grant=grant, choice="approve", reason="Good")
    grant.refresh_from_db()
    return grant


def _full_cycle(funding) -> GrantRequest:
    """Granted, paid in part through a bank file and statement, a receipt accepted and one not,
    money returned, money received from a bank line corrected and recorded again, and a second
    request granted and reversed."""
    tom = funding.m(funding.tom)
    grant = _granted(funding, 20000)
    payment = money_services.payment_mark(by=tom, grant=grant, amount_cents=15000)
    money_services.payments_file(by=tom, foundation=funding.foundation, execution_date=TODAY())
    _statement(
        funding,
        "STMT-1",
        _paid_line(payment, "BANK-1"),
        _incoming(2500, "BANK-2"),
        _incoming(1000, "BANK-3"),
    )
    for amount, accept in ((9000, True), (3000, False)):
        receipt = money_services.receipt_add(
            by=funding.m(funding.p.fatima),
            grant=grant,
            description="Pans",
            amount_cents=amount,
            spent_on=TODAY() - timedelta(days=1),
            upload=camera_jpeg(),
        )
        money_services.receipt_check(by=tom, receipt=receipt, accept=accept, note="Not ours")
    gift = BankLine.objects.get(bank_reference="BANK-2")
    donation = money_services.donation_record(
        by=tom,
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=2500,
        received_on=TODAY(),
        source_kind="donation",
        bank_line=gift,
    )
    money_services.ledger_entry_reverse(
        by=tom, entry=donation.entries.get(), reason="Another fund was meant"
    )
    money_services.donation_record(
        by=tom,
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=2500,
        received_on=TODAY(),
        source_kind="donation",
        bank_line=BankLine.objects.get(pk=gift.pk),
    )
    money_services.bank_line_match_refund(
        by=tom, line=BankLine.objects.get(bank_reference="BANK-3"), grant=grant
    )

    second = grants.grant_request_start(
        by=funding.m(funding.p.fatima),
        foundation=funding.foundation,
        initiative=funding.p.initiative,
        fund=funding.fund,
        budget=budget(5000, [("Plates", 5000)]),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    grants.grant_submit(by=funding.m(funding.p.fatima), grant=second)
    for voter in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(voter), grant=second, choice="approve", reason="Yes")
    decisions.grant_decision_reverse(
        by=funding.m(funding.carla),
        decision=Decision.objects.get(request=second),
        reason="The plates were given",
    )
    return grant


def _verify_fails(*kinds: str) -> str:
    """The command exits with 1; returns what it printed."""
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("ledger", "verify", stdout=out)
    assert caught.value.returncode == 1
    printed = out.getvalue()
    for kind in kinds:
        assert f"{kind}: " in printed
    return printed


def _entry(funding, kind: str, *amounts: tuple[str, int, dict], **links) -> LedgerEntry:
    """An entry written directly, without ledger.post and its check."""
    entry = LedgerEntry.objects.create(
        foundation=funding.foundation, kind=kind, booked_on=TODAY(), memo="Typed in", **links
    )
    for account, cents, where in amounts:
        LedgerLine.objects.create(entry=entry, account=account, amount_cents=cents, **where)
    return entry


def _kinds() -> set[str]:
    return {breach.kind for breach in verify.breaches()}


# ----------------------------------------------------------------------------- a clean ledger


def test_a_full_grant_cycle_keeps_every_rule(funding):
    grant = _full_cycle(funding)
    figures = ledger.grant_figures_of(grant)
    assert (figures.granted, figures.paid, figures.spent, figures.returned) == (
        20000,
        14000,
        9000,
        1000,
    )
    assert verify.breaches() == []
    assert verify.breaches(funding.foundation) == []
    out = StringIO()
    call_command("ledger", "verify", stdout=out)
    entries, lines = LedgerEntry.objects.count(), LedgerLine.objects.count()
    assert out.getvalue().strip() == f"Ledger OK: {entries} entries, {lines} lines checked."
    out = StringIO()
    call_command("ledger", "verify", "--foundation", str(funding.foundation.pk), stdout=out)
    assert out.getvalue().startswith("Ledger OK")


def test_the_checks_read_a_fixed_number_of_queries(funding, django_assert_max_num_queries):
    _full_cycle(funding)
    with django_assert_max_num_queries(len(verify.CHECKS) + 1):
        assert verify.breaches() == []


def test_an_unknown_foundation_is_an_error(funding):
    with pytest.raises(CommandError, match="No foundation"):
        call_command("ledger", "verify", "--foundation", "999999", stdout=StringIO())


def test_the_buurtnet_command_exits_with_1_on_a_breach(funding, monkeypatch, capsys):
    # manage.py closes the connections when a command ends; the test's transaction stays open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.setattr(sys, "argv", ["buurtnet", "ledger", "verify"])
    cli.main()
    assert "Ledger OK: 1 entries, 2 lines checked." in capsys.readouterr().out

    _entry(funding, EntryKind.RECEIVED, (Account.BANK, 500, {}))
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    printed = capsys.readouterr()
    assert "unbalanced: " in printed.out and "does not balance" in printed.out
    assert "The ledger breaks 3 rules." in printed.err


# ------------------------------------------------------------------------- planted breaches


def test_an_unbalanced_entry_is_found(funding):
    _full_cycle(funding)
    entry = _entry(
        funding,
        EntryKind.RECEIVED,
        (Account.BANK, 5000, {}),
        (Account.FUND, -4000, {"fund": funding.fund}),
        donation=funding.foundation.donations.first(),
    )
    assert [b.kind for b in verify.breaches()] == [verify.UNBALANCED]
    printed = _verify_fails(verify.UNBALANCED)
    assert f"Entry {entry.pk} (received, " in printed
    assert "its lines add up to €\u00a010.00" in printed


def test_an_entry_of_one_line_or_none_is_found(funding):
    lonely = _entry(funding, EntryKind.RECEIVED, (Account.BANK, 5000, {}))
    empty = _entry(funding, EntryKind.RECEIVED)
    found = verify.breaches()
    assert {(b.kind, b.message.split(" (")[0]) for b in found} >= {
        (verify.UNBALANCED, f"Entry {lonely.pk}"),
        (verify.TOO_FEW_LINES, f"Entry {lonely.pk}"),
        (verify.TOO_FEW_LINES, f"Entry {empty.pk}"),
    }
    assert (verify.UNBALANCED, f"Entry {empty.pk}") not in {
        (b.kind, b.message.split(" (")[0]) for b in found
    }
    printed = _verify_fails(verify.TOO_FEW_LINES)
    assert "has 0 line(s); an entry needs at least two." in printed


def test_a_fund_overdrawn_by_a_commitment_is_found(funding):
    grant = _granted(funding, 25000)
    ledger.post(
        foundation=funding.foundation,
        kind=EntryKind.COMMITTED,
        booked_on=TODAY(),
        memo="Promised twice",
        lines=[
            ledger.debit(Account.FUND, 90000, fund=funding.fund),
            ledger.credit(Account.PAYABLE, 90000, grant=grant),
        ],
        grant=grant,
        decision=Decision.objects.get(request=grant),
    )
    assert verify.FUND_BELOW_ZERO in _kinds()
    printed = _verify_fails(verify.FUND_BELOW_ZERO)
    assert "(“Initiatives 2027”) is at -€\u00a0150.00 and may not go below zero." in printed


def test_a_fund_that_may_go_below_zero_is_left_alone(funding):
    grant = _granted(funding, 25000)
    funding.fund.may_go_below_zero = True
    funding.fund.save()
    ledger.post(
        foundation=funding.foundation,
        kind=EntryKind.COMMITTED,
        booked_on=TODAY(),
        memo="Promised ahead",
        lines=[
            ledger.debit(Account.FUND, 90000, fund=funding.fund),
            ledger.credit(Account.PAYABLE, 90000, grant=grant),
        ],
        grant=grant,
        decision=Decision.objects.get(request=grant),
    )
    assert verify.FUND_BELOW_ZERO not in _kinds()


def test_a_payment_above_the_grant_is_found(funding):
    grant = _granted(funding, 25000)
    payment = money_services.payment_mark(by=funding.m(funding.tom), grant=grant, amount_cents=5000)
    _statement(funding, "STMT-1", _paid_line(payment, "BANK-1"))
    ledger.post(
        foundation=funding.foundation,
        kind=EntryKind.PAID,
        booked_on=TODAY(),
        memo="Paid by hand",
        lines=[
            ledger.debit(Account.ADVANCE, 30000, grant=grant),
            ledger.credit(Account.BANK, 30000),
        ],
        grant=grant,
        payment=payment,
    )
    kinds = _kinds()
    assert verify.PAID_ABOVE_GRANTED in kinds
    assert verify.PAYMENT_ENTRY in kinds  # the paid payment now has two entries
    printed = _verify_fails(verify.PAID_ABOVE_GRANTED, verify.PAYMENT_ENTRY)
    assert "(“Samen eten”): €\u00a0350.00 paid, more than the €\u00a0250.00 granted." in printed


def test_receipts_above_what_was_paid_are_found(funding):
    grant = _granted(funding, 25000)
    payment = money_services.payment_mark(
        by=funding.m(funding.tom), grant=grant, amount_cents=10000
    )
    _statement(funding, "STMT-1", _paid_line(payment, "BANK-1"))
    receipt = Receipt.objects.create(
        grant=grant,
        description="A cooker",
        amount_cents=10000,
        spent_on=TODAY(),
        file="receipts/cooker.jpg",
        original_name="cooker.jpg",
    )
    receipt.status = ReceiptStatus.ACCEPTED
    receipt.save()
    assert verify.breaches() == []  # € 100 of € 100 paid
    receipt.amount_cents = 10000 + funding.foundation.receipt_tolerance_cents
    receipt.save()
    assert verify.breaches() == []  # within the tolerance
    receipt.amount_cents += 1
    receipt.save()
    assert [b.kind for b in verify.breaches()] == [verify.RECEIPTS_ABOVE_PAID]
    printed = _verify_fails(verify.RECEIPTS_ABOVE_PAID)
    assert "receipts of €\u00a0105.01 accepted, more than the €\u00a0100.00 paid" in printed


def test_spending_above_what_was_paid_is_found(funding):
    grant = _granted(funding, 25000)
    ledger.post(
        foundation=funding.foundation,
        kind=EntryKind.SPENT,
        booked_on=TODAY(),
        memo="Spent before paid",
        lines=[
            ledger.debit(Account.PAYABLE, 1000, grant=grant),
            ledger.credit(Account.ADVANCE, 1000, grant=grant),
        ],
        grant=grant,
    )
    kinds = _kinds()
    assert verify.SPENT_ABOVE_PAID in kinds
    assert verify.UNLINKED in kinds  # no receipt
    _verify_fails(verify.SPENT_ABOVE_PAID, verify.UNLINKED)


def test_a_bank_line_booked_twice_is_found(funding):
    _statement(funding, "STMT-1", _incoming(2500, "BANK-1"))
    line = BankLine.objects.get()
    donation = money_services.donation_record(
        by=funding.m(funding.tom),
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=2500,
        received_on=TODAY(),
        source_kind="donation",
        bank_line=line,
    )
    assert verify.breaches() == []
    ledger.post(
        foundation=funding.foundation,
        kind=EntryKind.RECEIVED,
        booked_on=TODAY(),
        memo="Recorded again",
        lines=[
            ledger.debit(Account.BANK, 2500),
            ledger.credit(Account.FUND, 2500, fund=funding.fund),
        ],
        donation=donation,
        bank_line=line,
    )
    assert [b.kind for b in verify.breaches()] == [verify.BANK_LINE_TWICE]
    printed = _verify_fails(verify.BANK_LINE_TWICE)
    assert f"Bank line {line.pk} is booked by 2 entries; it may be booked once." in printed


def test_a_bank_line_booked_for_another_amount_is_found(funding):
    _statement(funding, "STMT-1", _incoming(2500, "BANK-1"))
    donation = funding.foundation.donations.get()
    ledger.post(
        foundation=funding.foundation,
        kind=EntryKind.RECEIVED,
        booked_on=date(2026, 1, 16),
        memo="The wrong line",
        lines=[
            ledger.debit(Account.BANK, 2000),
            ledger.credit(Account.FUND, 2000, fund=funding.fund),
        ],
        donation=donation,
        bank_line=BankLine.objects.get(),
    )
    assert [b.kind for b in verify.breaches()] == [verify.BANK_LINE_AMOUNT]


def test_a_reversal_that_does_not_mirror_is_found(funding):
    original = funding.foundation.entries.get()
    wrong = _entry(
        funding,
        EntryKind.RECEIVED,
        (Account.BANK, -60000, {}),
        (Account.FUND, 60000, {"fund": funding.fund}),
        donation=original.donation,
        reverses=original,
    )
    assert [b.kind for b in verify.breaches()] == [verify.REVERSAL_MISMATCH]
    printed = _verify_fails(verify.REVERSAL_MISMATCH)
    assert (
        f"Entry {wrong.pk} (received, " in printed and f"reverses Entry {original.pk} (" in printed
    )


def test_a_reversal_of_another_kind_is_found(funding):
    original = funding.foundation.entries.get()
    grant = _granted(funding, 10000)
    ledger.post(
        foundation=funding.foundation,
        kind=EntryKind.COMMITTED,
        booked_on=TODAY(),
        memo="A reversal of the wrong kind",
        lines=[
            ledger.debit(Account.FUND, 100000, fund=funding.fund),
            ledger.credit(Account.BANK, 100000),
        ],
        grant=grant,
        reverses=original,
    )
    assert verify.REVERSAL_MISMATCH in _kinds()


def test_a_paid_payment_without_its_entry_is_found(funding):
    grant = _granted(funding, 25000)
    payment = money_services.payment_mark(by=funding.m(funding.tom), grant=grant, amount_cents=5000)
    Payment.objects.filter(pk=payment.pk).update(status="paid")
    assert [b.kind for b in verify.breaches()] == [verify.PAYMENT_ENTRY]
    printed = _verify_fails(verify.PAYMENT_ENTRY)
    assert f"Payment {payment.pk} (paid, €\u00a050.00) has 0 standing payment entries" in printed


def test_a_granted_decision_without_its_commitment_is_found(funding):
    grant = _granted(funding, 25000)
    decision = Decision.objects.get(request=grant)
    # A second decision on the same version, as a reversal of the first that books nothing.
    Decision.objects.create(
        request=grant,
        version=decision.version,
        outcome="granted",
        amount_cents=30000,
        fund=funding.fund,
        decided_by=funding.carla,
        reason="Typed in",
        reverses=decision,
    )
    kinds = [b.kind for b in verify.breaches()]
    # The first is reversed with its commitment standing; the second has none.
    assert kinds == [verify.DECISION_ENTRY, verify.DECISION_ENTRY]
    _verify_fails(verify.DECISION_ENTRY)


def test_one_foundation_is_checked_alone(funding):
    _entry(funding, EntryKind.RECEIVED, (Account.BANK, 5000, {}))
    from buurtnet.funding.services.board import foundation_of
    from tests.factories import OrganisationFactory

    other = foundation_of(
        OrganisationFactory(neighbourhood=funding.p.ede, slug="anders", kind="foundation")
    )
    assert verify.breaches(other) == []
    out = StringIO()
    call_command("ledger", "verify", "--foundation", str(other.pk), stdout=out)
    assert out.getvalue().strip() == "Ledger OK: 0 entries, 0 lines checked."
    assert verify.breaches(funding.foundation) != []
