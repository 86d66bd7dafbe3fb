"""Edges of the foundation's rules: what a careful treasurer or board member would try."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from buurtnet.core.money import parse_euros
from buurtnet.funding import ledger
from buurtnet.funding.models import GrantStatus, PaymentStatus
from buurtnet.funding.selectors.treasurer import neighbours
from buurtnet.funding.services import decisions, grants
from buurtnet.funding.services import money as money_services
from buurtnet.funding.tally import Next, tally
from tests.core.photos import camera_jpeg
from tests.funding.camt import camt053
from tests.funding.conftest import IBAN_FOUNDATION, ask, budget, paid_on_statement

pytestmark = pytest.mark.django_db


def _granted(funding, amount=25000):
    grant = ask(funding, amount, [("Kitchen", amount)])
    for member in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(member), grant=grant, choice="approve", reason="Yes")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED
    return grant


def _pay(funding, grant, cents, reference):
    tom = funding.m(funding.tom)
    payment = money_services.payment_mark(by=tom, grant=grant, amount_cents=cents)
    money_services.payments_file(
        by=tom, foundation=funding.foundation, execution_date=timezone.localdate()
    )
    _statement(funding, payment, cents, reference)
    payment.refresh_from_db()
    return payment


def _statement(funding, payment, cents, reference):
    data = camt053(
        account_iban=IBAN_FOUNDATION,
        statement_id=reference,
        lines=[paid_on_statement(payment, reference, cents)],
    )
    money_services.statement_import(
        by=funding.m(funding.tom), foundation=funding.foundation, data=data
    )


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("250", 25000), ("250,5", 25050), ("1.250", 125000), ("1,250.00", 125000), ("0,5", 50)],
)
def test_amounts_read_as_people_write_them(typed, cents):
    assert parse_euros(typed) == cents


@pytest.mark.parametrize("typed", ["0,500", "0.123", "001.000", "1,2345", "-5", "abc", ""])
def test_three_decimals_after_a_zero_are_no_thousands(typed):
    with pytest.raises(ValueError):
        parse_euros(typed)


def test_a_draft_withdrawn_unsent_stays_the_initiators(as_user, funding):
    grant = ask(funding, submit=False)
    grants.grant_withdraw(by=funding.m(funding.p.fatima), grant=grant)
    url = reverse("funding:request", args=[funding.p.ede.slug, grant.pk])
    assert as_user(funding.bas).get(url).status_code == 404
    assert as_user(funding.p.fatima).get(url).status_code == 200
    csv = as_user(funding.bas).get(
        reverse("funding:grants_csv", args=[funding.p.ede.slug, funding.p.foundation.slug])
    )
    assert "Samen eten" not in csv.content.decode()


def test_a_vote_on_a_version_no_longer_current_is_refused(as_user, funding):
    grant = ask(funding)
    grants.grant_draft_save(
        by=funding.m(funding.p.fatima), grant=grant, budget=budget(90000, [("Oven", 90000)])
    )
    grants.grant_submit(by=funding.m(funding.p.fatima), grant=grant)
    url = reverse("funding:vote", args=[funding.p.ede.slug, grant.pk])
    page = as_user(funding.bas).post(
        url, {"vote-version": "1", "vote-choice": "approve", "vote-reason": "Nice pans"}
    )
    assert page.status_code == 400
    assert "new version" in page.content.decode()
    assert "Nice pans" in page.content.decode()
    assert not grant.votes.exists()


def test_only_questions_are_no_tie_for_the_chair(funding):
    grant = ask(funding)
    for member in (funding.bas, funding.carla, funding.tom):
        decisions.grant_vote(
            by=funding.m(member), grant=grant, choice="more_info", reason="Which pans?"
        )
    assert tally(grant).next == Next.WAIT


def test_a_cancelled_payment_the_bank_carried_out_is_still_paid(funding):
    grant = _granted(funding)
    tom = funding.m(funding.tom)
    payment = money_services.payment_mark(by=tom, grant=grant, amount_cents=25000)
    money_services.payments_file(
        by=tom, foundation=funding.foundation, execution_date=timezone.localdate()
    )
    money_services.payment_cancel(by=tom, payment=payment)
    _statement(funding, payment, 25000, "BANK-LATE")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert ledger.grant_figures_of(grant).to_pay == 0
    with pytest.raises(ValidationError):
        money_services.payment_mark(by=tom, grant=grant, amount_cents=1)


def test_receipts_above_a_first_part_count_once_the_rest_is_paid(funding):
    grant = _granted(funding)
    tom = funding.m(funding.tom)
    _pay(funding, grant, 10000, "BANK-A")
    first = money_services.receipt_add(
        by=funding.m(funding.p.fatima),
        grant=grant,
        description="Pans",
        amount_cents=10300,
        spent_on=timezone.localdate() - timedelta(days=1),
        upload=camera_jpeg(),
    )
    money_services.receipt_check(by=tom, receipt=first, accept=True)
    assert ledger.grant_figures_of(grant).spent == 10000
    _pay(funding, grant, 15000, "BANK-B")
    second = money_services.receipt_add(
        by=funding.m(funding.p.fatima),
        grant=grant,
        description="Rice cooker",
        amount_cents=14700,
        spent_on=timezone.localdate(),
        upload=camera_jpeg(),
    )
    money_services.receipt_check(by=tom, receipt=second, accept=True)
    figures = ledger.grant_figures_of(grant)
    assert (figures.paid, figures.spent, figures.to_account_for) == (25000, 25000, 0)


def test_a_huge_budget_row_number_is_no_server_error(as_user, funding):
    url = reverse(
        "funding:request_start",
        args=[funding.p.ede.slug, funding.p.foundation.slug, funding.p.initiative.pk],
    )
    response = as_user(funding.p.fatima).post(url, {"what_" + "9" * 5000: "x", "amount": "5"})
    assert response.status_code == 400


def test_the_rules_refuse_a_bic_the_bank_would_refuse(as_user, funding):
    url = reverse("funding:rules", args=[funding.p.ede.slug, funding.p.foundation.slug])
    page = as_user(funding.carla).get(url)
    assert page.status_code == 200
    response = as_user(funding.carla).post(
        url,
        {
            "max_grant": "1000",
            "approvals_needed": "2",
            "payment_term_days": "14",
            "receipt_tolerance": "5",
            "account_holder": "Stichting",
            "iban": IBAN_FOUNDATION,
            "bic": "ABNANL01",
        },
    )
    assert response.status_code == 400
    assert "ABNANL2A" in response.content.decode()  # the example in the message
    funding.foundation.refresh_from_db()
    assert funding.foundation.bic == ""


def test_the_givers_chooser_offers_only_residents_in_the_directory(funding):
    daan = funding.p.daan
    offered = set(neighbours(funding.foundation))
    assert daan in offered and funding.p.anna not in offered
    daan.listed_in_directory = False
    daan.save(update_fields=["listed_in_directory"])
    assert daan not in set(neighbours(funding.foundation))
