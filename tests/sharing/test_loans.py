"""Lending Fatima's ladder: asking with dates, her yes or no, handing over, the return, the
reminder on the last day, and who may see and do what."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from buurtnet.notifications.models import Kind, Notification
from buurtnet.people.models import Block
from buurtnet.sharing.models import Loan, LoanStatus, PostStatus
from buurtnet.sharing.selectors import loans as selectors
from buurtnet.sharing.selectors.loans import days_in_words, post_loans
from buurtnet.sharing.services import loans as services
from buurtnet.sharing.services.loans import LoanConflict, loans_remind_due
from buurtnet.sharing.tasks import loans_due_remind
from tests.factories import LoanFactory, MembershipFactory, PostFactory, UserFactory

SLUG = "ede-zuid"
TAKEN = "Someone already borrows it on these days."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def ladder(personas):
    return PostFactory(
        neighbourhood=personas.ede,
        author=personas.fatima,
        side="offer",
        kind="borrow",
        title="Ladder",
        language="en",
    )


@pytest.fixture
def bram(sharing):
    """A member of Ede-Zuid whom Fatima blocked (tests/sharing/conftest.py)."""
    return sharing.bram


def today() -> date:
    """Today in Ede-Zuid."""
    return timezone.localdate(timezone=ZoneInfo("Europe/Amsterdam"))


def day(n: int) -> date:
    return today() + timedelta(days=n)


def m(personas, user):
    return user.memberships.select_related("neighbourhood", "user").get(
        neighbourhood__in=[personas.ede, personas.other]
    )


def ask(personas, ladder, user, start: int = 1, end: int = 3, message: str = "") -> Loan:
    return services.loan_request(
        by=m(personas, user), post=ladder, starts_on=day(start), ends_on=day(end), message=message
    )


def borrow_url(ladder) -> str:
    return reverse("sharing:borrow", args=[SLUG, ladder.pk])


def loan_url(loan) -> str:
    return reverse("sharing:loan", args=[SLUG, loan.pk])


def act_url(loan, action: str) -> str:
    return reverse("sharing:loan_act", args=[SLUG, loan.pk, action])


def form_data(start: date, end: date, message: str = "") -> dict:
    return {"starts_on": start.isoformat(), "ends_on": end.isoformat(), "message": message}


# --- The whole cycle, through the pages ---------------------------------------------------------


def test_a_neighbour_borrows_the_ladder_and_brings_it_back(personas, ladder, as_user):
    client = as_user(personas.daan)
    page = client.get(borrow_url(ladder))
    assert page.status_code == 200
    assert "Borrow “<bdi>Ladder</bdi>”" in page.content.decode()

    response = client.post(
        borrow_url(ladder), form_data(day(2), day(4), "For the gutter, thank you!")
    )

    loan = Loan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == loan_url(loan)
    assert (loan.borrower, loan.starts_on, loan.ends_on) == (personas.daan, day(2), day(4))
    assert loan.status == LoanStatus.REQUESTED
    asked = Notification.objects.get(recipient=personas.fatima)
    assert asked.kind == Kind.LOAN_REQUESTED
    assert asked.actor == personas.daan
    assert asked.params == {
        "title": "Ladder",
        "from_iso": day(2).isoformat(),
        "until_iso": day(4).isoformat(),
    }
    assert asked.url == loan_url(loan)

    owner = as_user(personas.fatima)
    page = owner.get(loan_url(loan)).content.decode()
    assert "For the gutter, thank you!" in page
    assert "Waiting for your answer." in page
    assert owner.post(act_url(loan, "accept"))["Location"] == loan_url(loan)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACCEPTED and loan.decided_at is not None
    told = Notification.objects.get(recipient=personas.daan)
    assert told.kind == Kind.LOAN_DECIDED
    assert told.params == {"title": "Ladder", "decision_code": "approved"}

    owner.post(act_url(loan, "hand_over"))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.HANDED_OVER and loan.handed_over_at is not None

    owner.post(act_url(loan, "returned"))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and loan.returned_at is not None
    assert (
        "The item is back with its owner."
        in as_user(personas.daan).get(loan_url(loan)).content.decode()
    )


def test_the_owner_declines_with_a_reason(personas, ladder, as_user):
    loan = ask(personas, ladder, personas.daan)

    response = as_user(personas.fatima).post(
        act_url(loan, "decline"), {"reason": "I need it myself that weekend."}
    )

    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DECLINED
    told = Notification.objects.get(recipient=personas.daan, kind=Kind.LOAN_DECIDED)
    assert told.params == {
        "title": "Ladder",
        "decision_code": "declined",
        "reason": "I need it myself that weekend.",
    }


def test_declining_needs_no_reason(personas, ladder, as_user):
    loan = ask(personas, ladder, personas.daan)

    as_user(personas.fatima).post(act_url(loan, "decline"))

    loan.refresh_from_db()
    assert loan.status == LoanStatus.DECLINED
    told = Notification.objects.get(recipient=personas.daan, kind=Kind.LOAN_DECIDED)
    assert told.params == {"title": "Ladder", "decision_code": "declined"}


def test_a_too_long_reason_is_sent_back_with_what_was_typed(personas, ladder, as_user):
    loan = ask(personas, ladder, personas.daan)

    response = as_user(personas.fatima).post(act_url(loan, "decline"), {"reason": "x" * 301})

    assert response.status_code == 400
    assert "x" * 301 in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REQUESTED


@pytest.mark.parametrize("status", [LoanStatus.REQUESTED, LoanStatus.ACCEPTED])
def test_the_borrower_cancels_before_the_hand_over(personas, ladder, as_user, status):
    loan = LoanFactory(post=ladder, borrower=personas.daan, status=status)

    response = as_user(personas.daan).post(act_url(loan, "cancel"), {"back": "post"})

    assert response.status_code == 302
    assert response["Location"] == f"{ladder.get_absolute_url()}#loans"
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CANCELLED


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (LoanStatus.ACCEPTED, "accept", "This request is already accepted."),
        (LoanStatus.DECLINED, "accept", "This request was declined."),
        (LoanStatus.CANCELLED, "decline", "This request was cancelled."),
        (LoanStatus.REQUESTED, "hand_over", "This request is still waiting for the owner."),
        (LoanStatus.ACCEPTED, "returned", "This request is already accepted."),
        (LoanStatus.RETURNED, "hand_over", "This item is already back with its owner."),
        (LoanStatus.HANDED_OVER, "decline", "This item is already handed over."),
    ],
)
def test_a_step_that_does_not_follow_is_refused_with_409(
    personas, ladder, as_user, status, action, message
):
    loan = LoanFactory(post=ladder, borrower=personas.daan, status=status)

    response = as_user(personas.fatima).post(act_url(loan, action))

    assert response.status_code == 409
    assert f"That is not possible now: {message}" in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == status


@pytest.mark.parametrize("status", [LoanStatus.HANDED_OVER, LoanStatus.RETURNED])
def test_the_borrower_cannot_cancel_once_it_is_handed_over(personas, ladder, as_user, status):
    loan = LoanFactory(post=ladder, borrower=personas.daan, status=status)

    response = as_user(personas.daan).post(act_url(loan, "cancel"))

    assert response.status_code == 409
    loan.refresh_from_db()
    assert loan.status == status


# --- Overlapping days ---------------------------------------------------------------------------


def test_requests_may_overlap_and_the_owner_picks_one(personas, ladder, as_user):
    first = ask(personas, ladder, personas.daan, 1, 3)
    second = ask(personas, ladder, personas.priya, 3, 5)
    owner = as_user(personas.fatima)

    assert owner.post(act_url(second, "accept")).status_code == 302
    response = owner.post(act_url(first, "accept"))

    assert response.status_code == 409
    assert TAKEN in response.content.decode()
    first.refresh_from_db()
    assert first.status == LoanStatus.REQUESTED
    # She can still say no to it.
    assert owner.post(act_url(first, "decline")).status_code == 302


def test_back_to_back_loans_are_fine(personas, ladder):
    first = ask(personas, ladder, personas.daan, 1, 3)
    second = ask(personas, ladder, personas.priya, 4, 6)
    owner = m(personas, personas.fatima)

    services.loan_accept(by=owner, loan=first)
    services.loan_accept(by=owner, loan=second)

    assert set(Loan.objects.values_list("status", flat=True)) == {LoanStatus.ACCEPTED}


def test_a_handed_over_loan_holds_its_days_too(personas, ladder):
    LoanFactory(
        post=ladder,
        borrower=personas.priya,
        starts_on=day(0),
        ends_on=day(2),
        status=LoanStatus.HANDED_OVER,
    )
    loan = ask(personas, ladder, personas.daan, 2, 2)

    with pytest.raises(LoanConflict) as exc:
        services.loan_accept(by=m(personas, personas.fatima), loan=loan)

    assert exc.value.messages == [TAKEN]


def test_a_cancelled_loan_frees_its_days(personas, ladder):
    first = ask(personas, ladder, personas.daan, 1, 3)
    second = ask(personas, ladder, personas.priya, 2, 2)
    owner = m(personas, personas.fatima)
    services.loan_accept(by=owner, loan=first)
    services.loan_cancel(by=m(personas, personas.daan), loan=first)

    services.loan_accept(by=owner, loan=second)

    second.refresh_from_db()
    assert second.status == LoanStatus.ACCEPTED


def test_the_databases_refusal_becomes_the_same_clear_message(
    personas, ladder, as_user, monkeypatch
):
    """Were the service's own check to miss an overlap, the database refuses it: a 409 with the
    same words, never a 500."""
    LoanFactory(
        post=ladder,
        borrower=personas.priya,
        starts_on=day(1),
        ends_on=day(3),
        status=LoanStatus.ACCEPTED,
    )
    loan = ask(personas, ladder, personas.daan, 3, 4)
    monkeypatch.setattr(services, "overlapping_holds", lambda loan: Loan.objects.none())

    response = as_user(personas.fatima).post(act_url(loan, "accept"))

    assert response.status_code == 409
    assert TAKEN in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REQUESTED
    assert not Notification.objects.filter(recipient=personas.daan).exists()


def test_the_database_refuses_two_overlapping_holds(personas, ladder):
    one = LoanFactory(post=ladder, borrower=personas.daan, starts_on=day(1), ends_on=day(3))
    two = LoanFactory(post=ladder, borrower=personas.priya, starts_on=day(3), ends_on=day(5))
    Loan.objects.filter(pk=one.pk).update(status=LoanStatus.ACCEPTED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.filter(pk=two.pk).update(status=LoanStatus.HANDED_OVER)

    with pytest.raises(IntegrityError), transaction.atomic():
        LoanFactory(
            post=ladder,
            borrower=personas.priya,
            starts_on=day(2),
            ends_on=day(2),
            status=LoanStatus.ACCEPTED,
        )
    two.refresh_from_db()
    assert two.status == LoanStatus.REQUESTED


# --- What is typed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field_error"),
    [
        (-1, 2, "Choose a day from today on."),
        (3, 2, "The last day cannot come before the first."),
        (1, 91, "You can borrow something for at most 90 days."),
    ],
)
def test_bad_days_are_sent_back_with_what_was_typed(
    personas, ladder, as_user, start, end, field_error
):
    data = form_data(day(start), day(end), "Pick it up Saturday?")

    response = as_user(personas.daan).post(borrow_url(ladder), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert field_error in page
    assert f'value="{day(start).isoformat()}"' in page
    assert f'value="{day(end).isoformat()}"' in page
    assert "Pick it up Saturday?" in page
    assert not Loan.objects.exists()


def test_ninety_days_is_the_longest_loan(personas, ladder, as_user):
    response = as_user(personas.daan).post(borrow_url(ladder), form_data(day(0), day(89)))

    assert response.status_code == 302
    assert Loan.objects.get().ends_on == day(89)


def test_missing_days_and_a_long_word_are_sent_back(personas, ladder, as_user):
    response = as_user(personas.daan).post(
        borrow_url(ladder), {"starts_on": "", "ends_on": "not a day", "message": "x" * 501}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in page
    assert "Enter a valid date." in page
    assert "not a day" in page
    assert not Loan.objects.exists()


def test_the_service_checks_the_days_itself(personas, ladder):
    with pytest.raises(ValidationError) as exc:
        ask(personas, ladder, personas.daan, -2, -1)

    assert exc.value.message_dict == {"starts_on": ["Choose a day from today on."]}


def test_the_form_shows_the_days_already_taken(personas, ladder, as_user):
    LoanFactory(
        post=ladder,
        borrower=personas.priya,
        starts_on=day(1),
        ends_on=day(1),
        status=LoanStatus.ACCEPTED,
    )

    page = as_user(personas.daan).get(borrow_url(ladder)).content.decode()

    assert f"Taken: {days_in_words(day(1), day(1), today=today())}" in page
    assert "Priya" not in page


# --- Which offers can be borrowed ---------------------------------------------------------------


def test_you_cannot_borrow_your_own_item(personas, ladder, as_user):
    client = as_user(personas.fatima)

    assert client.get(borrow_url(ladder)).status_code == 403
    response = client.post(borrow_url(ladder), form_data(day(1), day(2)))

    assert response.status_code == 403
    assert "This is your own item: you cannot borrow it." in response.content.decode()
    assert not Loan.objects.exists()
    with pytest.raises(PermissionDenied):
        ask(personas, ladder, personas.fatima)


@pytest.mark.parametrize(
    "change",
    [
        {"expires_at": timezone.now() - timedelta(hours=1)},
        {"status": PostStatus.HELPED, "closed_at": timezone.now()},
    ],
    ids=["expired", "closed"],
)
def test_an_offer_that_is_no_longer_up_cannot_be_borrowed(personas, ladder, as_user, change):
    type(ladder).objects.filter(pk=ladder.pk).update(**change)

    response = as_user(personas.daan).post(borrow_url(ladder), form_data(day(1), day(2)))

    assert response.status_code == 409
    assert "This offer is closed or no longer up" in response.content.decode()
    assert not Loan.objects.exists()
    ladder.refresh_from_db()
    with pytest.raises(LoanConflict):
        ask(personas, ladder, personas.daan)


def test_a_hidden_offer_is_not_there_for_borrowers(personas, ladder, as_user):
    type(ladder).objects.filter(pk=ladder.pk).update(hidden_at=timezone.now())

    assert as_user(personas.daan).get(borrow_url(ladder)).status_code == 404
    assert (
        as_user(personas.daan).post(borrow_url(ladder), form_data(day(1), day(2))).status_code
        == 404
    )
    assert not Loan.objects.exists()


@pytest.mark.parametrize(("side", "kind"), [("ask", "borrow"), ("offer", "give")])
def test_only_an_offer_to_lend_has_a_borrow_page(personas, as_user, side, kind):
    post = PostFactory(neighbourhood=personas.ede, author=personas.fatima, side=side, kind=kind)

    assert as_user(personas.daan).get(borrow_url(post)).status_code == 404
    with pytest.raises(LoanConflict):
        ask(personas, post, personas.daan)


def test_blocked_neighbours_cannot_borrow_from_each_other(personas, ladder, bram, as_user):
    # Fatima blocked Bram; and Daan blocks Fatima.
    Block.objects.create(blocker=personas.daan, blocked=personas.fatima)

    for user in (bram, personas.daan):
        client = as_user(user)
        assert client.get(borrow_url(ladder)).status_code == 404
        assert client.post(borrow_url(ladder), form_data(day(1), day(2))).status_code == 404
        with pytest.raises(PermissionDenied):
            ask(personas, ladder, user)
    assert not Loan.objects.exists()


def test_a_request_made_before_a_block_can_no_longer_be_accepted(personas, ladder, as_user):
    loan = ask(personas, ladder, personas.daan)
    Block.objects.create(blocker=personas.daan, blocked=personas.fatima)

    response = as_user(personas.fatima).post(act_url(loan, "accept"))

    assert response.status_code == 409
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REQUESTED


# --- Who may see and do what --------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(personas, ladder, as_user):
    loan = LoanFactory(post=ladder, borrower=personas.daan)
    client = as_user(None)

    for response in (
        client.get(borrow_url(ladder)),
        client.get(loan_url(loan)),
        client.post(act_url(loan, "accept")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REQUESTED


def test_the_owner_and_the_borrower_see_the_loan_and_no_one_else(personas, ladder, bram, as_user):
    loan = LoanFactory(post=ladder, borrower=personas.daan, message="Saturday?")

    for user in (personas.fatima, personas.daan):
        page = as_user(user).get(loan_url(loan))
        assert page.status_code == 200
        assert "Saturday?" in page.content.decode()
    # Another neighbour, a blocked one, the host (no extra power), another neighbourhood.
    for user in (personas.priya, bram, personas.henk, personas.anna, personas.olga):
        client = as_user(user)
        assert client.get(loan_url(loan)).status_code == 404
        for action in ("accept", "decline", "cancel", "hand_over", "returned"):
            assert client.post(act_url(loan, action)).status_code == 404
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REQUESTED


def test_the_borrower_cannot_decide_and_the_owner_cannot_cancel(personas, ladder, as_user):
    loan = LoanFactory(post=ladder, borrower=personas.daan)

    for action in ("accept", "decline"):
        assert as_user(personas.daan).post(act_url(loan, action)).status_code == 403
    assert as_user(personas.fatima).post(act_url(loan, "cancel")).status_code == 403
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REQUESTED


def test_the_buttons_follow_role_and_state(personas, ladder, as_user):
    loan = LoanFactory(post=ladder, borrower=personas.daan)

    owner_page = as_user(personas.fatima).get(loan_url(loan)).content.decode()
    borrower_page = as_user(personas.daan).get(loan_url(loan)).content.decode()

    assert act_url(loan, "accept") in owner_page and act_url(loan, "decline") in owner_page
    assert act_url(loan, "cancel") not in owner_page
    assert act_url(loan, "cancel") in borrower_page
    assert act_url(loan, "accept") not in borrower_page


def test_unknown_steps_and_get_requests_are_refused(personas, ladder, as_user):
    loan = LoanFactory(post=ladder, borrower=personas.daan)
    client = as_user(personas.fatima)

    assert client.post(act_url(loan, "lend_forever")).status_code == 404
    assert client.get(act_url(loan, "accept")).status_code == 405


def test_a_loan_of_another_neighbourhood_is_not_found_here(personas, as_user):
    elsewhere = PostFactory(
        neighbourhood=personas.other, author=personas.olga, side="offer", kind="borrow"
    )
    loan = LoanFactory(post=elsewhere, borrower=personas.olga)

    assert as_user(personas.fatima).get(loan_url(loan)).status_code == 404


# --- Writing to each other ----------------------------------------------------------------------


def test_the_loan_page_links_to_a_conversation_with_the_other(personas, ladder, as_user):
    loan = LoanFactory(post=ladder, borrower=personas.daan)

    owner_page = as_user(personas.fatima).get(loan_url(loan)).content.decode()
    borrower_page = as_user(personas.daan).get(loan_url(loan)).content.decode()

    start = reverse("conversations:start", args=[SLUG])
    about = f"about=sharing.post%3A{ladder.pk}"
    assert f'href="{start}?to={personas.daan.pk}&amp;{about}"' in owner_page
    assert "Write to <bdi>Daan</bdi>" in owner_page
    assert f'href="{start}?to={personas.fatima.pk}&amp;{about}"' in borrower_page
    assert "Write to <bdi>Fatima</bdi>" in borrower_page


# --- On the offer's page ------------------------------------------------------------------------


def _render_part(personas, post, user) -> str:
    context = {"post_loans": post_loans(post=post, membership=m(personas, user))}
    return render_to_string("sharing/_post_loans.html", context)


@pytest.fixture
def history(personas, ladder):
    """Priya has it on days 1–3; Daan asks for day 5; Anna returned it last month."""
    LoanFactory(
        post=ladder,
        borrower=personas.priya,
        starts_on=day(1),
        ends_on=day(3),
        status=LoanStatus.ACCEPTED,
    )
    LoanFactory(post=ladder, borrower=personas.daan, starts_on=day(5), ends_on=day(5))
    LoanFactory(
        post=ladder,
        borrower=personas.anna,
        starts_on=day(-30),
        ends_on=day(-28),
        status=LoanStatus.RETURNED,
    )


def test_everyone_sees_the_taken_days_without_names(personas, ladder, history):
    page = _render_part(personas, ladder, personas.henk)

    assert f"Taken: {days_in_words(day(1), day(3), today=today())}" in page
    assert "Priya" not in page and "Daan" not in page and "Anna" not in page
    assert reverse("sharing:borrow", args=[SLUG, ladder.pk]) in page


def test_the_owner_sees_every_loan_with_its_buttons(personas, ladder, history):
    page = _render_part(personas, ladder, personas.fatima)

    for name in ("Priya", "Daan", "Anna"):
        assert name in page
    daan_loan = Loan.objects.get(borrower=personas.daan)
    priya_loan = Loan.objects.get(borrower=personas.priya)
    assert act_url(daan_loan, "accept") in page
    assert act_url(daan_loan, "decline") in page
    assert act_url(priya_loan, "hand_over") in page
    assert "Ask to borrow it" not in page


def test_the_borrower_sees_their_own_requests(personas, ladder, history):
    page = _render_part(personas, ladder, personas.daan)

    mine = Loan.objects.get(borrower=personas.daan)
    assert act_url(mine, "cancel") in page
    assert "Priya" not in page and "Anna" not in page
    assert act_url(Loan.objects.get(borrower=personas.priya), "hand_over") not in page


def test_the_offers_loans_cost_one_query(personas, ladder, history, django_assert_num_queries):
    for user in (personas.fatima, personas.daan, personas.henk):
        membership = m(personas, user)
        with django_assert_num_queries(1):
            part = post_loans(post=ladder, membership=membership)
        assert part.taken == [days_in_words(day(1), day(3), today=today())]


def test_other_posts_have_no_lending_part(personas):
    post = PostFactory(neighbourhood=personas.ede, author=personas.fatima, side="ask")

    assert _render_part(personas, post, personas.daan).strip() == ""


def test_days_in_words():
    this_year = date(2026, 6, 1)
    assert days_in_words(date(2026, 12, 3), date(2026, 12, 5), today=this_year) == "3–5 December"
    assert days_in_words(date(2026, 12, 3), date(2026, 12, 3), today=this_year) == "3 December"
    assert (
        days_in_words(date(2026, 11, 30), date(2026, 12, 2), today=this_year)
        == "30 November – 2 December"
    )
    assert (
        days_in_words(date(2026, 12, 30), date(2027, 1, 2), today=this_year)
        == "30 December 2026 – 2 January 2027"
    )


# --- The reminder on the last day ---------------------------------------------------------------


def _handed_over(post, borrower, ends_on: date, days: int = 1) -> Loan:
    return LoanFactory(
        post=post,
        borrower=borrower,
        starts_on=ends_on - timedelta(days=days - 1),
        ends_on=ends_on,
        status=LoanStatus.HANDED_OVER,
    )


def test_on_the_last_day_both_hear_it_once(personas, ladder):
    due = _handed_over(ladder, personas.daan, today(), days=3)
    _handed_over(ladder, personas.priya, today() + timedelta(days=3))

    first = loans_due_remind.enqueue()
    second = loans_due_remind.enqueue()

    assert (first.return_value, second.return_value) == (1, 0)
    reminders = Notification.objects.filter(kind=Kind.LOAN_RETURN_DUE)
    assert sorted(n.recipient_id for n in reminders) == sorted(
        [personas.daan.pk, personas.fatima.pk]
    )
    assert all(n.params == {"title": "Ladder"} and n.url == loan_url(due) for n in reminders)
    due.refresh_from_db()
    assert due.reminded_on == today()


def test_only_handed_over_loans_are_reminded(personas, ladder):
    for status in (LoanStatus.ACCEPTED, LoanStatus.RETURNED):
        LoanFactory(
            post=ladder, borrower=personas.daan, starts_on=today(), ends_on=today(), status=status
        )

    assert loans_remind_due() == 0
    assert not Notification.objects.filter(kind=Kind.LOAN_RETURN_DUE).exists()


def test_the_day_is_the_neighbourhoods(personas, ladder):
    """At 11:00 UTC on 1 March it is 1 March in Ede and already 2 March in Auckland."""
    personas.other.timezone = "Pacific/Auckland"
    personas.other.save(update_fields=["timezone"])
    kayak = PostFactory(
        neighbourhood=personas.other, author=personas.olga, side="offer", kind="borrow"
    )
    elders_borrower = UserFactory(display_name="Kiri")
    MembershipFactory(user=elders_borrower, neighbourhood=personas.other)
    ede_due = _handed_over(ladder, personas.daan, date(2027, 3, 1))
    ede_tomorrow = _handed_over(ladder, personas.priya, date(2027, 3, 2))
    elders_yesterday = _handed_over(kayak, elders_borrower, date(2027, 3, 1))
    elders_due = _handed_over(kayak, elders_borrower, date(2027, 3, 2))

    assert loans_remind_due(now=datetime(2027, 3, 1, 11, 0, tzinfo=UTC)) == 2

    reminded = dict(Loan.objects.values_list("pk", "reminded_on"))
    assert reminded == {
        ede_due.pk: date(2027, 3, 1),
        ede_tomorrow.pk: None,
        elders_yesterday.pk: None,
        elders_due.pk: date(2027, 3, 2),
    }
    assert sorted(
        Notification.objects.filter(kind=Kind.LOAN_RETURN_DUE).values_list(
            "recipient_id", flat=True
        )
    ) == sorted([personas.daan.pk, personas.fatima.pk, elders_borrower.pk, personas.olga.pk])


def test_each_schedule_round_queues_the_reminder(personas, ladder):
    due = _handed_over(ladder, personas.daan, today())

    call_command("schedule", "--once")
    call_command("schedule", "--once")

    due.refresh_from_db()
    assert due.reminded_on == today()
    assert Notification.objects.filter(kind=Kind.LOAN_RETURN_DUE).count() == 2


def test_the_selector_lists_a_loans_buttons(personas, ladder):
    loan = LoanFactory(post=ladder, borrower=personas.daan, status=LoanStatus.ACCEPTED)

    assert selectors.actions_for(m(personas, personas.fatima), loan) == ("hand_over",)
    assert selectors.actions_for(m(personas, personas.daan), loan) == ("cancel",)
    assert selectors.actions_for(m(personas, personas.henk), loan) == ()
