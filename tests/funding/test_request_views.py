"""The pages of a grant request: asking, questions and answers, revising, votes and decisions,
receipts; bad input; who may see and do what."""

import html
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtnet.funding.models import (
    BoardSeat,
    Decision,
    GrantAttachment,
    GrantMessage,
    GrantRequest,
    GrantStatus,
    GrantVersion,
    Receipt,
    Vote,
)
from buurtnet.funding.selectors.requests import request_page
from buurtnet.funding.services import decisions, grants
from buurtnet.funding.services import money as money_services
from tests.funding.camt import camt053
from tests.funding.conftest import IBAN_DINNER, IBAN_FOUNDATION, budget

pytestmark = pytest.mark.django_db

SLUG = "ede-zuid"
PDF = b"%PDF-1.4\n% a quote\n"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def pdf(name="quote.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def start_url(funding) -> str:
    return reverse("funding:request_start", args=[SLUG, "vrienden", funding.p.initiative.pk])


def url(name: str, grant) -> str:
    return reverse(f"funding:{name}", args=[SLUG, grant.pk])


def form_data(funding, **changes) -> dict:
    data = {
        "fund": funding.fund.pk,
        "amount": "250",
        "purpose": "Pans, a rice cooker and a ladle for our shared dinner.",
        "what_1": "Pans",
        "line_amount_1": "100",
        "what_2": "Rice cooker",
        "line_amount_2": "120",
        "what_3": "Ladle",
        "line_amount_3": "30",
        "own_contribution": "20",
        "other_funding_amount": "",
        "other_funding": "",
        "needed_by": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "account_holder": "Samen eten",
        "iban": IBAN_DINNER,
        "language": "",
    }
    data.update(changes)
    return data


def apply(funding, amount=25000, lines=None) -> GrantRequest:
    return grants.grant_request_start(
        by=funding.m(funding.p.fatima),
        foundation=funding.foundation,
        initiative=funding.p.initiative,
        fund=funding.fund,
        budget=budget(amount, lines),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )


def submitted(funding, **kwargs) -> GrantRequest:
    grant = apply(funding, **kwargs)
    grants.grant_submit(by=funding.m(funding.p.fatima), grant=grant)
    grant.refresh_from_db()
    return grant


def granted(funding, **kwargs) -> GrantRequest:
    grant = submitted(funding, **kwargs)
    for user in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(user), grant=grant, choice="approve", reason="Good")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED
    return grant


def receipt_data(**changes) -> dict:
    data = {
        "receipt-budget_line": "Pans",
        "receipt-description": "Two big pans",
        "receipt-amount": "95,50",
        "receipt-spent_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "receipt-file": pdf("pans.pdf"),
    }
    data.update(changes)
    return data


# The whole journey ------------------------------------------------------------------------------


def test_a_request_from_asking_to_a_receipt(funding, as_user):
    p = funding.p
    funding.fund.purpose = "Small plans of neighbours, up to a thousand euros."
    funding.fund.save()
    funding.foundation.does_not_fund = "Alcohol."
    funding.foundation.save()
    fatima = as_user(p.fatima)
    page = fatima.get(start_url(funding))
    assert page.status_code == 200
    shown = text(page)
    assert "€ 1,000.00" in shown  # the maximum per request, before the form
    assert "Initiatives 2027" in shown and "Small plans of neighbours" in shown
    assert "Alcohol." in shown and "paid within 14 days" in shown
    assert shown.count('name="what_') == 8

    response = fatima.post(start_url(funding), form_data(funding))
    assert response.status_code == 302
    assert messages_of(response) == ["Your draft is saved. Check it and send it to the board."]
    grant = GrantRequest.objects.get()
    assert response["Location"] == url("request", grant)
    assert [(line.what, line.amount_cents) for line in grant.versions.get().lines.all()] == [
        ("Pans", 10000),
        ("Rice cooker", 12000),
        ("Ladle", 3000),
    ]
    # The initiative has an open request: asking again leads to it.
    again = fatima.get(start_url(funding))
    assert again.status_code == 302 and again["Location"] == url("request", grant)
    again = fatima.post(start_url(funding), form_data(funding))  # a double click
    assert again.status_code == 302 and again["Location"] == url("request", grant)
    assert GrantRequest.objects.count() == 1

    draft_page = text(fatima.get(url("request", grant)))
    assert "Draft (not sent yet)" in draft_page and "Send to the board" in draft_page
    assert IBAN_DINNER in draft_page

    assert fatima.post(url("request_submit", grant)).status_code == 302
    assert fatima.post(url("request_submit", grant)).status_code == 302  # a double click
    assert GrantVersion.objects.filter(request=grant).count() == 1
    grant.refresh_from_db()
    assert grant.status == GrantStatus.SUBMITTED

    bas = as_user(funding.bas)
    board_page = text(bas.get(url("request", grant)))
    assert "2 approvals needed; 3 eligible." in board_page
    assert "Not voted yet" in board_page and 'name="vote-choice"' in board_page
    response = bas.post(url("message_post", grant), {"message-text": "Which rice cooker?"})
    assert response.status_code == 302 and response["Location"].endswith("#messages")

    fatima = as_user(p.fatima)
    page = text(fatima.get(url("request", grant)))
    assert "Which rice cooker?" in page and "Revise the budget" in page
    fatima.post(url("message_post", grant), {"message-text": "A 10-litre one; the quote is up."})
    assert fatima.get(url("request_edit", grant)).status_code == 200
    response = fatima.post(
        url("request_edit", grant),
        form_data(
            funding,
            line_amount_2="110",
            line_amount_3="25",
            what_4="Serving spoons",
            line_amount_4="15",
            change_note="A cheaper rice cooker; serving spoons added.",
        ),
    )
    assert response.status_code == 302
    page = text(fatima.get(url("request", grant)))
    assert "Your new version (not sent yet)" in page
    fatima.post(url("request_submit", grant))
    assert list(grant.versions.values_list("number", flat=True)) == [1, 2]
    assert not grant.versions.filter(submitted_at__isnull=True).exists()
    page = text(fatima.get(url("request", grant)))
    assert "Version 2, sent on" in page and "A cheaper rice cooker" in page
    assert "Version 1, sent on" in page
    assert page.index("Which rice cooker?") < page.index("A 10-litre one")

    priya = as_user(p.priya)
    page = text(priya.get(url("request", grant)))
    assert "You cannot vote on this request: You take part in this initiative." in page
    assert 'name="vote-choice"' not in page
    forged = priya.post(url("vote", grant), {"vote-choice": "approve", "vote-reason": "Yes!"})
    assert forged.status_code == 403
    assert not Vote.objects.exists()

    bas = as_user(funding.bas)
    response = bas.post(url("vote", grant), {"vote-choice": "approve", "vote-reason": "Good"})
    assert response.status_code == 302
    page = text(bas.get(url("request", grant)))
    assert "You voted: Approve." in page
    carla = as_user(funding.carla)
    response = carla.post(
        url("vote", grant),
        {"vote-choice": "approve_lower", "vote-amount": "230", "vote-reason": "No spoons"},
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED
    page = text(carla.get(url("request", grant)))
    assert "Granted: € 230.00" in page
    assert "Decisions" in page and "No spoons" in page

    # A vote after the decision.
    tom = as_user(funding.tom)
    late = tom.post(url("vote", grant), {"vote-choice": "decline", "vote-reason": "Too late"})
    assert late.status_code == 400
    assert "The board has decided on this request already." in text(late)
    assert Vote.objects.count() == 2

    fatima = as_user(p.fatima)
    page = text(fatima.get(url("request", grant)))
    assert "Granted: € 230.00" in page and 'name="receipt-file"' in page
    response = fatima.post(url("receipt_add", grant), receipt_data())
    assert response.status_code == 302 and response["Location"].endswith("#receipts")
    receipt = Receipt.objects.get()
    assert (receipt.budget_line, receipt.amount_cents) == ("Pans", 9550)

    page = text(as_user(funding.tom).get(url("request", grant)))
    check_url = reverse("funding:receipt_check", args=[SLUG, "vrienden", receipt.pk])
    assert f'action="{check_url}"' in page and "Two big pans" in page


def pay(funding, grant, cents: int) -> None:
    """The treasurer pays (part of) the grant and the bank statement shows it."""
    tom = funding.m(funding.tom)
    payment = money_services.payment_mark(by=tom, grant=grant, amount_cents=cents)
    money_services.payments_file(
        by=tom, foundation=funding.foundation, execution_date=timezone.localdate()
    )
    statement = camt053(
        account_iban=IBAN_FOUNDATION,
        lines=[
            {
                "amount": f"{cents / 100:.2f}",
                "credit": False,
                "booked_on": timezone.localdate(),
                "name": "Samen eten",
                "iban": IBAN_DINNER,
                "remittance": "Grant",
                "end_to_end_id": payment.end_to_end_id,
                "reference": "BANK-1",
            }
        ],
    )
    money_services.statement_import(by=tom, foundation=funding.foundation, data=statement)


def test_the_budget_is_shown_line_by_line_against_accepted_receipts(funding, as_user):
    grant = granted(funding)
    tom = funding.m(funding.tom)
    pay(funding, grant, 20000)
    fatima = funding.m(funding.p.fatima)
    for line, cents in (("Pans", 4000), ("Pans", 2000), ("", 500)):
        receipt = money_services.receipt_add(
            by=fatima,
            grant=grant,
            budget_line=line,
            description="Bought",
            amount_cents=cents,
            spent_on=timezone.localdate(),
            upload=pdf(),
        )
        money_services.receipt_check(by=tom, receipt=receipt, accept=True)
    page = text(as_user(funding.p.fatima).get(url("request", grant)))
    spending = page[page.index('id="spending"') : page.index('id="receipts"')]
    assert "€ 100.00" in spending and "€ 60.00" in spending and "€ 40.00" in spending
    assert "Other" in spending and "€ 5.00" in spending
    # Paid 200, accounted for 65.
    assert "Paid and not yet accounted for: € 135.00." in spending


def test_the_treasurer_checks_a_receipt_from_the_request_page(funding, as_user):
    grant = granted(funding)
    receipt = money_services.receipt_add(
        by=funding.m(funding.p.fatima),
        grant=grant,
        budget_line="Pans",
        description="Pans",
        amount_cents=5000,
        spent_on=timezone.localdate(),
        upload=pdf(),
    )
    tom = as_user(funding.tom)
    page = text(tom.get(url("request", grant)))
    check_url = reverse("funding:receipt_check", args=[SLUG, "vrienden", receipt.pk])
    assert page.count(f'action="{check_url}"') == 2
    assert 'name="decision" value="accept"' in page and 'name="decision" value="reject"' in page
    response = tom.post(check_url, {"decision": "reject", "note": "We cannot read it."})
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.status == "rejected"
    page = text(as_user(funding.p.fatima).get(url("request", grant)))
    assert "Not accepted" in page and "We cannot read it." in page
    assert f'action="{check_url}"' not in page


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "0"}, "The amount must be more than zero."),
        ({"amount": "-250"}, "Write an amount in euros"),
        ({"amount": "lots"}, "Write an amount in euros"),
        ({"line_amount_1": "abc"}, "Write an amount in euros"),
        (
            {"amount": "1500", "line_amount_1": "1350"},
            "gives at most € 1,000.00 per request.",
        ),
        ({"line_amount_1": "90"}, "The budget lines add up to € 240.00, not to the € 250.00"),
        ({"what_1": ""}, "Every budget line needs what it is for and an amount above zero."),
        ({"iban": "NL00ABNA0000000000"}, "This IBAN is not valid."),
        ({"fund": ""}, "Please choose one of the foundation's funds."),
        ({"needed_by": "2001-01-01"}, "This date has passed."),
    ],
)
def test_bad_input_is_refused_and_what_was_typed_kept(funding, as_user, changes, message):
    response = as_user(funding.p.fatima).post(start_url(funding), form_data(funding, **changes))
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "Pans, a rice cooker and a ladle for our shared dinner." in page
    assert 'value="Rice cooker"' in page
    assert not GrantRequest.objects.exists()


def test_a_revision_that_does_not_add_up_is_refused_and_kept(funding, as_user):
    grant = submitted(funding)
    response = as_user(funding.p.fatima).post(
        url("request_edit", grant),
        form_data(funding, line_amount_3="31", change_note="A new ladle"),
    )
    assert response.status_code == 400
    page = text(response)
    assert "The budget lines add up to € 251.00" in page and "A new ladle" in page
    assert grant.versions.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("big.pdf", PDF + b"0" * (50 * 1024 * 1024)),
            "The file is too large: at most 10 MB, please.",
        ),
        (
            lambda: SimpleUploadedFile("setup.exe", b"MZ\x90\x00 a program"),
            "Please upload a PDF or a photo",
        ),
        (
            lambda: SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>"),
            "Please upload a PDF or a photo",
        ),
    ],
    ids=["50MB", "exe", "html"],
)
def test_a_file_that_is_too_big_or_not_a_pdf_or_photo_is_refused(funding, as_user, upload, message):
    grant = submitted(funding)
    response = as_user(funding.p.fatima).post(
        url("attachment_add", grant),
        {"file-file": upload(), "file-description": "The quote of the shop"},
    )
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'value="The quote of the shop"' in page
    assert not GrantAttachment.objects.exists()


def test_a_receipt_that_is_not_a_pdf_or_photo_is_refused(funding, as_user):
    grant = granted(funding)
    response = as_user(funding.p.fatima).post(
        url("receipt_add", grant),
        receipt_data(**{"receipt-file": SimpleUploadedFile("r.html", b"<html></html>")}),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Please upload a PDF or a photo" in page and 'value="Two big pans"' in page
    assert not Receipt.objects.exists()


def test_a_receipt_for_a_line_that_is_not_in_the_budget_is_refused(funding, as_user):
    grant = granted(funding)
    response = as_user(funding.p.fatima).post(
        url("receipt_add", grant),
        receipt_data(**{"receipt-budget_line": "Holiday", "receipt-amount": "0"}),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Select a valid choice." in page and "The amount must be more than zero." in page
    assert not Receipt.objects.exists()


def test_a_quote_is_added_and_listed_for_the_board(funding, as_user):
    grant = submitted(funding)
    response = as_user(funding.p.fatima).post(
        url("attachment_add", grant), {"file-file": pdf(), "file-description": "The quote"}
    )
    assert response.status_code == 302
    page = text(as_user(funding.bas).get(url("request", grant)))
    assert "quote.pdf" in page and GrantAttachment.objects.get().file.url in page


def test_an_empty_message_or_vote_reason_is_refused(funding, as_user):
    grant = submitted(funding)
    bas = as_user(funding.bas)
    response = bas.post(url("message_post", grant), {"message-text": "  "})
    assert response.status_code == 400 and "Please write a message." in text(response)
    response = bas.post(url("vote", grant), {"vote-choice": "approve_lower", "vote-reason": ""})
    assert response.status_code == 400
    page = text(response)
    assert "Please give a short reason." in page and "Please give the lower amount." in page
    response = bas.post(
        url("vote", grant),
        {"vote-choice": "approve_lower", "vote-amount": "300", "vote-reason": "Less"},
    )
    assert response.status_code == 400
    assert "A lower amount is less than the € 250.00 asked." in text(response)
    assert not Vote.objects.exists() and not GrantMessage.objects.exists()


def test_the_chair_decides_when_too_few_may_vote_and_reverses(funding, as_user):
    funding.foundation.approvals_needed = 4
    funding.foundation.save()
    grant = submitted(funding)
    page = text(as_user(funding.bas).get(url("request", grant)))
    assert (
        "Not enough board members may vote on this request (3 of 4 needed). "
        "It waits for the chair." in page
    )
    assert 'name="chair-outcome"' not in page
    carla = as_user(funding.carla)
    assert 'name="chair-outcome"' in text(carla.get(url("request", grant)))
    response = carla.post(
        url("chair_decide", grant),
        {"chair-outcome": "granted", "chair-amount": "300", "chair-reason": "Yes"},
    )
    assert response.status_code == 400
    assert "The amount must be above zero and at most what was asked." in text(response)
    response = carla.post(
        url("chair_decide", grant), {"chair-outcome": "declined", "chair-reason": "Not now"}
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    page = text(carla.get(url("request", grant)))
    assert "Not now" in page and 'name="reverse-amount"' in page
    reverse_url = reverse("funding:decision_reverse", args=[SLUG, decision.pk])
    response = carla.post(reverse_url, {"reverse-reason": ""})
    assert response.status_code == 400 and "Please give the reason for the reversal." in text(
        response
    )
    response = carla.post(
        reverse_url, {"reverse-reason": "Money found after all", "reverse-amount": "100"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED
    page = text(carla.get(url("request", grant)))
    assert "Reversal:" in page and "reversed later" in page and "Granted: € 100.00" in page
    # The reversed decision cannot be reversed again.
    response = carla.post(reverse_url, {"reverse-reason": "Again", "reverse-amount": "100"})
    assert response.status_code == 400
    assert "This decision has been reversed already." in text(response)


def test_a_tie_waits_for_the_chair(funding, as_user):
    grant = submitted(funding)
    decisions.grant_vote(by=funding.m(funding.bas), grant=grant, choice="approve", reason="Yes")
    decisions.grant_vote(by=funding.m(funding.tom), grant=grant, choice="decline", reason="No")
    decisions.grant_vote(
        by=funding.m(funding.carla), grant=grant, choice="more_info", reason="Which pans?"
    )
    page = text(as_user(funding.carla).get(url("request", grant)))
    assert "The votes are tied. It waits for the chair." in page
    assert 'name="chair-outcome"' in page
    assert "Which pans?" in page  # asked through the vote, shown in the thread


def test_sending_a_draft_for_a_fund_that_ended_is_refused(funding, as_user):
    grant = apply(funding)
    funding.fund.ends_on = timezone.localdate() - timedelta(days=1)
    funding.fund.save()
    response = as_user(funding.p.fatima).post(url("request_submit", grant))
    assert response.status_code == 400
    assert "This fund has ended. Please choose another." in text(response)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.DRAFT
    # The ended fund is no longer offered.
    page = text(as_user(funding.p.fatima).get(url("request_edit", grant)))
    assert "Initiatives 2027" not in page


def test_withdrawing(funding, as_user):
    grant = apply(funding)
    response = as_user(funding.p.fatima).post(url("request_withdraw", grant))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.WITHDRAWN
    assert as_user(funding.p.fatima).post(url("request_withdraw", grant)).status_code == 403


# Who sees what ---------------------------------------------------------------------------------


def test_a_participant_reads_the_request_without_the_account_or_files(funding, as_user):
    BoardSeat.objects.filter(user=funding.p.priya).update(ended_at=timezone.now())
    grant = granted(funding)
    GrantAttachment.objects.create(
        request=grant, file="grant-files/q.pdf", original_name="quote.pdf"
    )
    money_services.receipt_add(
        by=funding.m(funding.p.fatima),
        grant=grant,
        description="Pans",
        amount_cents=5000,
        spent_on=timezone.localdate(),
        upload=pdf("pans.pdf"),
    )
    response = as_user(funding.p.priya).get(url("request", grant))
    assert response.status_code == 200
    page = text(response)
    assert "Rice cooker" in page and "Pans" in page
    assert IBAN_DINNER not in page and "quote.pdf" not in page
    assert "/media/" not in page and 'id="files"' not in page
    assert 'id="board"' not in page


def test_a_resident_sees_a_granted_request_but_not_one_waiting(funding, as_user):
    grant = submitted(funding)
    daan = as_user(funding.p.daan)
    assert daan.get(url("request", grant)).status_code == 404
    for user in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(user), grant=grant, choice="approve", reason="Good")
    response = daan.get(url("request", grant))
    assert response.status_code == 200
    page = text(response)
    assert "Granted: € 250.00" in page
    assert IBAN_DINNER not in page and 'id="messages"' not in page and 'id="board"' not in page


ROLES = ["anonymous", "daan", "fatima", "priya", "bas", "tom", "anna", "olga"]


def user_of(funding, role):
    return {
        "anonymous": None,
        "daan": funding.p.daan,
        "fatima": funding.p.fatima,
        "priya": funding.p.priya,
        "bas": funding.bas,
        "tom": funding.tom,
        "anna": funding.p.anna,
        "olga": funding.p.olga,
        "carla": funding.carla,
    }[role]


def assert_status(response, expected):
    if expected == "login":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == expected, response.content.decode()[:400]


START = {
    "anonymous": "login",
    "daan": 403,
    "fatima": 200,
    "priya": 403,
    "bas": 403,
    "tom": 403,
    "anna": 403,
    "olga": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_ask(funding, as_user, role):
    client = as_user(user_of(funding, role))
    assert_status(client.get(start_url(funding)), START[role])
    response = client.post(start_url(funding), form_data(funding))
    assert_status(response, 302 if role == "fatima" else START[role])
    assert GrantRequest.objects.exists() == (role == "fatima")


def test_an_initiative_of_another_neighbourhood_is_not_found(funding, as_user):
    from tests.factories import InitiativeFactory, ParticipationFactory

    elsewhere = InitiativeFactory(neighbourhood=funding.p.other, title="Elders eten")
    ParticipationFactory(initiative=elsewhere, user=funding.p.fatima, role="initiator")
    response = as_user(funding.p.fatima).get(
        reverse("funding:request_start", args=[SLUG, "vrienden", elsewhere.pk])
    )
    assert response.status_code == 404


# Reading: a request waiting for the board, and a granted one.
READ_SUBMITTED = {
    "anonymous": "login",
    "daan": 404,
    "fatima": 200,
    "priya": 200,
    "bas": 200,
    "tom": 200,
    "anna": 404,
    "olga": 404,
}
READ_GRANTED = {**READ_SUBMITTED, "daan": 200, "anna": 200}


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_a_request(funding, as_user, role):
    grant = submitted(funding)
    client = as_user(user_of(funding, role))
    assert_status(client.get(url("request", grant)), READ_SUBMITTED[role])
    for user in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(user), grant=grant, choice="approve", reason="Good")
    assert_status(client.get(url("request", grant)), READ_GRANTED[role])


def test_a_draft_is_for_the_people_of_the_initiative(funding, as_user):
    grant = apply(funding)
    # The board sees a request once it is sent; priya has a seat on it too.
    assert as_user(funding.bas).get(url("request", grant)).status_code == 404
    assert as_user(funding.p.priya).get(url("request", grant)).status_code == 404
    BoardSeat.objects.filter(user=funding.p.priya).update(ended_at=timezone.now())
    assert as_user(funding.p.priya).get(url("request", grant)).status_code == 200


# Each POST endpoint: (status for the allowed roles, status for everyone else who can read).
def _edit(funding, grant):
    return form_data(funding, change_note="Cheaper")


def _file(funding, grant):
    return {"file-file": pdf(), "file-description": "Quote"}


def _message(funding, grant):
    return {"message-text": "A question"}


def _vote(funding, grant):
    return {"vote-choice": "approve", "vote-reason": "Fine"}


def _chair(funding, grant):
    return {"chair-outcome": "declined", "chair-reason": "Not now"}


def _reverse(funding, grant):
    return {"reverse-reason": "We found money", "reverse-amount": "100"}


def _receipt(funding, grant):
    return receipt_data()


def _nothing(funding, grant):
    return {}


OUTSIDERS = {"anonymous": "login", "daan": 404, "anna": 404, "olga": 404}
ENDPOINTS = {
    # name: (state of the request, the form, {role: status})
    "request_edit": ("submitted", _edit, {"fatima": 302, "priya": 403, "bas": 403, "tom": 403}),
    "request_submit": (
        "draft",
        _nothing,
        {"fatima": 302, "priya": 404, "bas": 404, "tom": 404},
    ),
    "request_withdraw": (
        "submitted",
        _nothing,
        {"fatima": 302, "priya": 403, "bas": 403, "tom": 403},
    ),
    "attachment_add": ("submitted", _file, {"fatima": 302, "priya": 403, "bas": 403, "tom": 403}),
    "message_post": ("submitted", _message, {"fatima": 302, "priya": 302, "bas": 302, "tom": 302}),
    "vote": ("submitted", _vote, {"fatima": 403, "priya": 403, "bas": 302, "tom": 302}),
    "chair_decide": ("too_few", _chair, {"fatima": 403, "priya": 403, "bas": 403, "tom": 403}),
    "decision_reverse": (
        "declined",
        _reverse,
        {"fatima": 403, "priya": 403, "bas": 403, "tom": 403},
    ),
    "receipt_add": (
        "granted",
        _receipt,
        {"fatima": 302, "priya": 403, "bas": 403, "tom": 403, "daan": 403, "anna": 403},
    ),
}


def _grant_in(funding, state: str) -> GrantRequest:
    if state == "draft":
        return apply(funding)
    if state == "submitted":
        return submitted(funding)
    if state == "granted":
        return granted(funding)
    funding.foundation.approvals_needed = 4
    funding.foundation.save()
    grant = submitted(funding)
    if state == "declined":
        decisions.grant_chair_decide(
            by=funding.m(funding.carla), grant=grant, outcome="declined", reason="Not now"
        )
    return grant


def _written(grant) -> tuple:
    return (
        GrantVersion.objects.filter(request=grant).count(),
        GrantVersion.objects.filter(request=grant, submitted_at__isnull=True).count(),
        GrantAttachment.objects.count(),
        GrantMessage.objects.count(),
        Vote.objects.count(),
        Decision.objects.count(),
        Receipt.objects.count(),
        GrantRequest.objects.get(pk=grant.pk).status,
    )


@pytest.mark.parametrize("role", [*ROLES, "carla"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_who_may_post(funding, as_user, endpoint, role):
    state, data, allowed = ENDPOINTS[endpoint]
    expected = {**OUTSIDERS, **allowed}.get(role)
    if role == "carla":  # the chair: only she decides and reverses
        expected = {"chair_decide": 302, "decision_reverse": 302}.get(endpoint, allowed["bas"])
        if endpoint == "vote":
            expected = 302
    grant = _grant_in(funding, state)
    if endpoint == "decision_reverse":
        target = reverse("funding:decision_reverse", args=[SLUG, Decision.objects.get().pk])
    else:
        target = url(endpoint, grant)
    before = _written(grant)
    response = as_user(user_of(funding, role)).post(target, data(funding, grant))
    assert_status(response, expected)
    if expected != 302:
        assert _written(grant) == before


# Queries ---------------------------------------------------------------------------------------


def _busy_grant(funding, n: int) -> GrantRequest:
    """A granted request with n versions, n messages and n receipts."""
    fatima = funding.m(funding.p.fatima)
    grant = apply(funding)
    grants.grant_submit(by=fatima, grant=grant)
    for number in range(1, n):
        grants.grant_draft_save(
            by=fatima,
            grant=grant,
            budget=budget(25000, [("Pans", 10000 + number), ("Rice", 15000 - number)]),
        )
        grants.grant_submit(by=fatima, grant=grant)
    for number in range(n):
        grants.grant_message_post(by=funding.m(funding.bas), grant=grant, text=f"Question {number}")
    for user in (funding.bas, funding.carla):
        decisions.grant_vote(by=funding.m(user), grant=grant, choice="approve", reason="Good")
    grant.refresh_from_db()
    for number in range(n):
        money_services.receipt_add(
            by=fatima,
            grant=grant,
            budget_line="Pans",
            description=f"Receipt {number}",
            amount_cents=100,
            spent_on=timezone.localdate(),
            upload=pdf(),
        )
    grant.refresh_from_db()
    return grant


def _count(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


@pytest.mark.parametrize("role", ["fatima", "bas", "tom", "daan"])
def test_the_page_costs_the_same_queries_for_one_or_five_of_everything(funding, as_user, role):
    one = _busy_grant(funding, 1)
    five = _busy_grant(funding, 5)
    assert five.versions.count() == 5 and five.receipts.count() == 5
    client = as_user(user_of(funding, role))
    for _warm_up in range(2):  # the membership is kept in the cache after the first pages
        client.get(url("request", one))
    counts = [
        _count(lambda grant=grant: client.get(url("request", grant))) for grant in (one, five)
    ]
    assert counts[0] == counts[1]
    membership = funding.m(user_of(funding, role))
    loaded = []
    for grant in (one, five):
        grant = GrantRequest.objects.select_related("foundation", "initiative", "fund").get(
            pk=grant.pk
        )
        loaded.append(_count(lambda grant=grant: request_page(grant, membership)))
    assert loaded[0] == loaded[1]
