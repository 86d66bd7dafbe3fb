from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from buurtnet.demo import ede_zuid
from buurtnet.demo import funding as demo_funding
from buurtnet.funding import bankfiles, ledger
from buurtnet.funding.models import (
    BankLine,
    BoardSeat,
    Decision,
    Donation,
    Foundation,
    GrantMessage,
    GrantRequest,
    GrantStatus,
    LedgerEntry,
    LedgerLine,
    Payment,
    PaymentStatus,
    ReceiptStatus,
    Vote,
)
from buurtnet.funding.tally import Next, tally
from buurtnet.neighbourhoods.models import Neighbourhood, Role
from buurtnet.notifications.models import Notification
from buurtnet.people.models import User
from tests.demo.test_demo_command import counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=StringIO())
    return Neighbourhood.objects.get(slug="ede-zuid")


@pytest.fixture
def foundation(demo) -> Foundation:
    return Foundation.objects.get(organisation__slug="vrienden-van-de-hoogbouw")


def person(key: str) -> User:
    return User.objects.get(email=f"{key}@demo.buurtnet.nl")


def request_of(title: str) -> GrantRequest:
    return GrantRequest.objects.select_related("foundation", "initiative").get(
        initiative__title=title
    )


def test_a_board_of_four_residents_with_its_rules(demo, foundation):
    assert foundation.organisation.kind == "foundation"
    seats = BoardSeat.objects.filter(foundation=foundation, ended_at__isnull=True)
    roles = {seat.user.email.partition("@")[0]: seat.role for seat in seats}
    assert roles == {"sami": "chair", "willem": "treasurer", "tom": "secretary", "priya": "member"}
    for seat in seats:
        assert seat.user.memberships.get(neighbourhood=demo).is_resident
        assert seat.granted_by == person("henk")
    assert person("henk").memberships.get(neighbourhood=demo).role == Role.HOST
    assert foundation.max_grant_cents == 100_000
    assert (foundation.approvals_needed, foundation.chair_decides_tie) == (2, True)
    assert foundation.payment_term_days == 14
    assert foundation.funds_what and foundation.does_not_fund
    assert foundation.account_holder == "Stichting Vrienden van de Hoogbouw"
    assert foundation.iban == "NL91ABNA0417164300"


def test_the_board_is_not_among_the_initiators_but_one_shares_the_dinner(foundation):
    board = set(foundation.seats.values_list("user_id", flat=True))
    for title in (ede_zuid.DINNER, ede_zuid.COFFEE, ede_zuid.YOUTH_PLACE):
        initiative = request_of(title).initiative
        initiators = set(
            initiative.participations.filter(role="initiator").values_list("user_id", flat=True)
        )
        assert not board & initiators
    count = tally(request_of(ede_zuid.DINNER))
    conflicted = {user_id for user_id, found in count.conflicts.items() if found}
    assert conflicted == {person("priya").pk}
    assert person("priya").pk not in {seat.user_id for seat in count.eligible}


def test_a_year_of_money_in_on_two_funds(foundation):
    today = timezone.localdate()
    funds = {fund.name: fund for fund in foundation.funds.all()}
    free = funds[f"Initiatieven {today.year}"]
    youth = funds["Jongerenplek — subsidie gemeente"]
    assert not free.earmarked and free.ends_on is None
    assert youth.earmarked and youth.ends_on == date(today.year, 12, 31)

    donations = Donation.objects.filter(foundation=foundation)
    assert all(today - timedelta(days=365) < d.received_on <= today for d in donations)
    friends = donations.filter(source_kind="friends")
    assert friends.count() >= 50
    named = friends.exclude(public_name="")
    assert 0 < named.count() < friends.count() / 2
    assert not donations.filter(name_consent=False).exclude(public_name="").exists()
    months = {(d.received_on.year, d.received_on.month) for d in friends}
    assert len(months) >= 12
    subsidy = donations.get(source_kind="subsidy")
    assert (subsidy.public_name, subsidy.amount_cents, subsidy.fund) == (
        "Gemeente Ede",
        250_000,
        youth,
    )
    assert donations.filter(source_kind="donation").count() >= 2

    balances = ledger.fund_balances(foundation)
    assert set(balances) == {free.pk, youth.pk}
    assert all(balance >= 0 for balance in balances.values())
    assert balances[youth.pk] == 250_000


def test_the_bank_holds_what_came_in_less_what_was_paid(foundation):
    came_in = Donation.objects.filter(foundation=foundation).aggregate(t=Sum("amount_cents"))["t"]
    paid = Payment.objects.filter(
        grant__foundation=foundation, status=PaymentStatus.PAID
    ).aggregate(t=Sum("amount_cents"))["t"]
    assert paid == 25_000
    assert ledger.bank_balance(foundation) == came_in - paid
    # The statement brought the last weeks' money in and the payment out; all of it is matched.
    lines = BankLine.objects.filter(statement__foundation=foundation)
    assert lines.filter(amount_cents__gt=0).count() >= 3
    assert lines.filter(amount_cents__lt=0).count() == 1
    assert all(line.is_matched for line in lines)
    for line in lines.filter(donation__isnull=False).select_related("donation"):
        assert (line.amount_cents, line.booked_on) == (
            line.donation.amount_cents,
            line.donation.received_on,
        )
    for entry in LedgerEntry.objects.filter(foundation=foundation):
        assert sum(entry.lines.values_list("amount_cents", flat=True)) == 0


def test_the_dinner_is_granted_paid_and_fully_accounted_for(foundation):
    grant = request_of(ede_zuid.DINNER)
    assert grant.status == GrantStatus.GRANTED
    version = grant.versions.get()
    assert version.amount_cents == 25_000 and version.lines.count() == 3
    board_asked = grant.messages.filter(from_board=True)
    answered = grant.messages.filter(from_board=False)
    assert board_asked.exists() and answered.exists()
    assert board_asked.first().created_at < answered.first().created_at
    quote = grant.attachments.get()
    assert quote.file.name.startswith("grant-files/") and quote.file.read(5) == b"%PDF-"
    decision = Decision.objects.get(request=grant)
    assert decision.outcome == "granted" and decision.amount_cents == 25_000
    assert Vote.objects.filter(request=grant, choice="approve").count() == 2

    payment = grant.payments.get()
    assert payment.status == PaymentStatus.PAID and payment.batch is not None
    assert payment.end_to_end_id in payment.batch.xml
    assert payment.bank_line.amount_cents == -25_000

    receipts = grant.receipts.all()
    assert receipts.count() == 3
    assert {r.status for r in receipts} == {ReceiptStatus.ACCEPTED}
    assert sum(r.amount_cents for r in receipts) == 25_000
    assert {r.original_name.rsplit(".", 1)[1] for r in receipts} == {"pdf", "png"}
    for receipt in receipts:
        assert receipt.file.name.startswith("receipts/")
        assert receipt.file.read(5) in (b"%PDF-", b"\x89PNG\r")
    figures = ledger.grant_figures_of(grant)
    assert (figures.granted, figures.paid, figures.spent) == (25_000, 25_000, 25_000)
    assert figures.to_pay == 0 and figures.to_account_for == 0


def test_the_coffee_mornings_wait_for_the_board(foundation):
    grant = request_of(ede_zuid.COFFEE)
    assert grant.status == GrantStatus.SUBMITTED
    count = tally(grant)
    assert count.next == Next.WAIT and len(count.votes) == 1
    assert count.may_vote(person("willem").pk) and not count.may_vote(person("sami").pk)
    assert not Decision.objects.filter(request=grant).exists()


def test_the_youth_room_is_declined_with_its_reason(foundation):
    grant = request_of(ede_zuid.YOUTH_PLACE)
    assert grant.status == GrantStatus.DECLINED
    assert grant.fund.earmarked
    decision = Decision.objects.get(request=grant)
    assert decision.outcome == "declined" and "activiteiten" in decision.reason
    assert ledger.grant_figures_of(grant).granted == 0


def test_neighbours_write_in_their_own_languages(foundation):
    messages = GrantMessage.objects.filter(request__foundation=foundation).select_related("author")
    assert {"nl", "ar", "tr"} <= {message.language for message in messages}
    for message in messages:
        assert message.author.languages.filter(code=message.language).exists()


def test_the_ledger_keeps_its_rules(foundation):
    from buurtnet.funding import verify

    assert verify.breaches() == []


def test_no_mail_goes_out_for_the_story(foundation):
    written = Notification.objects.filter(kind__startswith="grant")
    assert written.exists()
    assert not Notification.objects.filter(
        kind__in=[
            "grant_submitted",
            "grant_message",
            "grant_decided",
            "grant_paid",
            "receipt_added",
            "receipt_checked",
        ],
        emailed_at__isnull=True,
    ).exists()
    assert not Notification.objects.filter(read_at__gt=timezone.now()).exists()


def test_a_reset_removes_the_foundation_and_builds_it_again(foundation):
    before = counts()
    call_command("demo", "--reset", stdout=StringIO())
    assert counts() == before
    assert not Foundation.objects.filter(pk=foundation.pk).exists()
    assert LedgerLine.objects.exists()


def test_the_statement_is_one_the_bank_could_give():
    statement = bankfiles.read_camt053(
        demo_funding.camt053(
            account_iban="NL91ABNA0417164300",
            statement_id="2026-11",
            opening_cents=10_000,
            entries=[
                demo_funding.BankEntry(
                    date(2026, 11, 2), 1_050, "A B", "NL20INGB0001234567", "Gift", "R1"
                ),
                demo_funding.BankEntry(
                    date(2026, 11, 3), -25_000, "C D", "NL97RABO0334455667", "Grant", "R2", "E2E"
                ),
            ],
        )
    )
    assert statement.account_iban == "NL91ABNA0417164300"
    assert [(line.amount_cents, line.end_to_end_id) for line in statement.lines] == [
        (1_050, ""),
        (-25_000, "E2E"),
    ]


def test_a_demo_loaded_before_the_foundation_gains_it(demo):
    demo_funding.remove(neighbourhood_slug=demo.slug)
    assert ede_zuid.foundation_missing()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "foundation" in out.getvalue()
    assert not ede_zuid.foundation_missing()
    assert GrantRequest.objects.filter(initiative__neighbourhood=demo).count() == 3
