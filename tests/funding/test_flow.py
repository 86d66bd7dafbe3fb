"""The whole path of one grant through the services: ask, question, revise, vote, pay, account."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from buurtnet.funding import ledger
from buurtnet.funding.models import (
    Decision,
    GrantStatus,
    LedgerLine,
    PaymentStatus,
    ReceiptStatus,
)
from buurtnet.funding.services import decisions, grants
from buurtnet.funding.services import money as money_services
from buurtnet.funding.tally import Next, tally
from buurtnet.notifications.models import Notification
from tests.core.photos import camera_jpeg
from tests.funding.camt import camt053
from tests.funding.conftest import IBAN_DINNER, IBAN_FOUNDATION, ask, budget

pytestmark = pytest.mark.django_db


def _apply(funding, amount=25000, lines=None):
    return ask(funding, amount, lines, submit=False)


def test_a_grant_from_request_to_receipt(funding):
    p = funding.p
    grant = _apply(funding)
    assert grant.status == GrantStatus.DRAFT
    # A double click returns the same request.
    assert _apply(funding).pk == grant.pk

    v1 = grants.grant_submit(by=funding.m(p.fatima), grant=grant)
    assert v1.number == 1 and v1.submitted_at is not None
    assert grants.grant_submit(by=funding.m(p.fatima), grant=grant).pk == v1.pk  # idempotent
    assert Notification.objects.filter(recipient=funding.bas, kind="grant_submitted").exists()

    grants.grant_message_post(by=funding.m(funding.bas), grant=grant, text="Which rice cooker?")
    assert Notification.objects.filter(recipient=p.fatima, kind="grant_message").exists()
    grants.grant_message_post(by=funding.m(p.fatima), grant=grant, text="A 10-litre one.")

    revised = budget(
        25000, [("Pans", 9000), ("Rice cooker", 12000), ("Ladle", 4000)], change_note="Quote"
    )
    grants.grant_draft_save(by=funding.m(p.fatima), grant=grant, budget=revised)
    v2 = grants.grant_submit(by=funding.m(p.fatima), grant=grant)
    assert v2.number == 2 and v2.lines.count() == 3
    assert list(grant.versions.values_list("number", flat=True)) == [1, 2]

    # priya takes part in the dinner: refused, with the reason.
    with pytest.raises(PermissionDenied, match="take part"):
        decisions.grant_vote(by=funding.m(p.priya), grant=grant, choice="approve", reason="Yes")
    decisions.grant_vote(
        by=funding.m(funding.bas), grant=grant, choice="approve", reason="Good plan"
    )
    assert tally(grant).next == Next.WAIT
    decisions.grant_vote(
        by=funding.m(funding.carla),
        grant=grant,
        choice="approve_lower",
        amount_cents=20000,
        reason="The ladle we have",
    )
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED
    decision = Decision.objects.get(request=grant)
    assert decision.amount_cents == 20000 and decision.version_id == v2.pk
    with pytest.raises(ValidationError):
        decisions.grant_vote(by=funding.m(funding.tom), grant=grant, choice="decline", reason="x")
    assert ledger.fund_balances(funding.foundation)[funding.fund.pk] == 80000
    assert ledger.grant_figures_of(grant).granted == 20000

    tom = funding.m(funding.tom)
    with pytest.raises(ValidationError):
        money_services.payment_mark(by=tom, grant=grant, amount_cents=20001)
    payment = money_services.payment_mark(by=tom, grant=grant, amount_cents=15000)
    with pytest.raises(ValidationError):
        money_services.payment_mark(by=tom, grant=grant, amount_cents=5001)
    batch = money_services.payments_file(
        by=tom, foundation=funding.foundation, execution_date=timezone.localdate()
    )
    assert payment.end_to_end_id in batch.xml
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.IN_FILE

    statement = camt053(
        account_iban=IBAN_FOUNDATION,
        lines=[
            {
                "amount": "150.00",
                "credit": False,
                "booked_on": timezone.localdate(),
                "name": "Samen eten",
                "iban": IBAN_DINNER,
                "remittance": "Grant",
                "end_to_end_id": payment.end_to_end_id,
                "reference": "BANK-1",
            },
            {
                "amount": "25.00",
                "credit": True,
                "booked_on": timezone.localdate(),
                "name": "A. Neighbour",
                "iban": "NL02ABNA0123456789",
                "remittance": "For the dinner",
                "reference": "BANK-2",
            },
        ],
    )
    money_services.statement_import(by=tom, foundation=funding.foundation, data=statement)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    with pytest.raises(ValidationError, match="already"):
        money_services.statement_import(by=tom, foundation=funding.foundation, data=statement)
    figures = ledger.grant_figures_of(grant)
    assert (figures.granted, figures.paid, figures.to_pay) == (20000, 15000, 5000)

    receipt = money_services.receipt_add(
        by=funding.m(p.fatima),
        grant=grant,
        description="Pans",
        amount_cents=9000,
        spent_on=timezone.localdate() - timedelta(days=1),
        upload=camera_jpeg(),
    )
    with pytest.raises(PermissionDenied):
        money_services.receipt_check(by=funding.m(funding.bas), receipt=receipt, accept=True)
    money_services.receipt_check(by=tom, receipt=receipt, accept=True)
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.ACCEPTED
    figures = ledger.grant_figures_of(grant)
    assert (figures.spent, figures.to_account_for) == (9000, 6000)

    # Every entry balances.
    for entry_id in LedgerLine.objects.values_list("entry_id", flat=True).distinct():
        assert (
            sum(LedgerLine.objects.filter(entry_id=entry_id).values_list("amount_cents", flat=True))
            == 0
        )
    assert ledger.bank_balance(funding.foundation) == 100000 - 15000


def test_lines_must_add_up_and_stay_under_the_maximum(funding):
    with pytest.raises(ValidationError) as caught:
        _apply(funding, 25000, [("Pans", 10000)])
    assert "add up" in str(caught.value)
    with pytest.raises(ValidationError):
        _apply(funding, 200000, [("Kitchen", 200000)])


def test_only_initiators_apply(funding):
    with pytest.raises(PermissionDenied):
        grants.grant_request_start(
            by=funding.m(funding.p.priya),
            foundation=funding.foundation,
            initiative=funding.p.initiative,
            fund=funding.fund,
            budget=budget(),
            account_holder="x",
            iban=IBAN_DINNER,
        )


def test_an_invalid_iban_is_refused(funding):
    with pytest.raises(ValidationError) as caught:
        grants.grant_request_start(
            by=funding.m(funding.p.fatima),
            foundation=funding.foundation,
            initiative=funding.p.initiative,
            fund=funding.fund,
            budget=budget(),
            account_holder="x",
            iban="NL00ABNA0000000000",
        )
    assert "iban" in caught.value.message_dict


def test_too_few_eligible_waits_for_the_chair_who_decides(funding):
    foundation = funding.foundation
    foundation.approvals_needed = 4  # carla, tom, bas eligible; priya conflicted
    foundation.save()
    grant = _apply(funding)
    grants.grant_submit(by=funding.m(funding.p.fatima), grant=grant)
    count = tally(grant)
    assert count.too_few_eligible and count.next == Next.CHAIR
    with pytest.raises(PermissionDenied):
        decisions.grant_chair_decide(
            by=funding.m(funding.tom), grant=grant, outcome="granted", reason="x"
        )
    decisions.grant_chair_decide(
        by=funding.m(funding.carla), grant=grant, outcome="declined", reason="Not now"
    )
    grant.refresh_from_db()
    assert grant.status == GrantStatus.DECLINED
    reversal = decisions.grant_decision_reverse(
        by=funding.m(funding.carla),
        decision=Decision.objects.get(request=grant),
        reason="We found money after all",
        amount_cents=10000,
    )
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED and reversal.amount_cents == 10000
    assert ledger.grant_figures_of(grant).granted == 10000
    back = decisions.grant_decision_reverse(
        by=funding.m(funding.carla), decision=reversal, reason="Mistake"
    )
    assert back.outcome == "declined"
    assert ledger.grant_figures_of(grant).granted == 0
    assert ledger.fund_balances(foundation)[funding.fund.pk] == 100000


def test_a_vote_above_the_fund_is_refused(funding):
    grant = _apply(funding, 90000, [("Kitchen", 90000)])
    grants.grant_submit(by=funding.m(funding.p.fatima), grant=grant)
    money_services.ledger_entry_reverse(
        by=funding.m(funding.tom),
        entry=funding.foundation.entries.get(kind="received"),
        reason="Booked twice",
    )
    with pytest.raises(ValidationError, match="not enough"):
        decisions.grant_vote(by=funding.m(funding.bas), grant=grant, choice="approve", reason="ok")


def test_received_money_per_kind_counts_corrections(funding):
    assert ledger.received_by_kind(funding.foundation) == {"subsidy": 100000}
    money_services.donation_record(
        by=funding.m(funding.tom),
        foundation=funding.foundation,
        fund=funding.fund,
        amount_cents=2500,
        received_on=date(2026, 2, 1),
        source_kind="donation",
    )
    assert ledger.received_by_kind(funding.foundation) == {"subsidy": 100000, "donation": 2500}
