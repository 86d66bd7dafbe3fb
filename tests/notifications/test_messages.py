import pytest
from django.utils import translation

from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Kind
from tests.notifications.helpers import PARAMS, make_notification

EXPECTED = {
    Kind.INITIATIVE_JOINED: "Priya would like to join “Samen eten”. Have a look and welcome them!",
    Kind.SUPPORT_OFFERED: (
        "Wijkteam Ede-Zuid offers to help “Samen eten”. You decide whether to accept."
    ),
    Kind.OFFER_ACCEPTED: "Good news: the initiators of “Samen eten” accepted your offer to help.",
    Kind.QUESTION_ANSWERED: "Wijkteam Ede-Zuid answered your question “Can we use the hall?”.",
    Kind.JOIN_APPROVED: "Welcome to Ede-Zuid! Your request to join is approved.",
    Kind.PARTICIPATION_ACCEPTED: (
        "You are on board of “Samen eten”. The initiators are glad you joined!"
    ),
    Kind.QUESTION_ASKED: "Priya asks Wijkteam Ede-Zuid: “Can we use the hall?”",
    Kind.JOIN_REQUESTED: "Priya asks to join Ede-Zuid. Have a look on the page for hosts.",
    Kind.WAITLIST_PROMOTED: (
        "A place came free: you are now going to “Eten op vrijdag” on Friday 30 April 18:00. "
        "See you there!"
    ),
    Kind.BOOKING_REQUESTED: (
        "Priya asks to book Huiskamer de Elskamp on Friday 30 April 18:00: “Birthday”. "
        "Please approve or decline."
    ),
    Kind.BOOKING_DECIDED: (
        "Your booking of Huiskamer de Elskamp on Friday 30 April 18:00 is declined, because: "
        "the floor is being painted"
    ),
    Kind.ACTIVITY_REMINDER: (
        "Tomorrow: “Eten op vrijdag” at 18:00, Elskamp 1. You help with: Shopping."
    ),
    Kind.TASKS_OPEN: (
        "“Eten op vrijdag” on Friday 30 April 18:00 still needs hands: Cooking: 2 hands, "
        "Cleaning up: 1 hand"
    ),
    Kind.GRANT_SUBMITTED: (
        "Priya asks Vrienden van de Hoogbouw for €\u00a0250.00 for “Samen eten”. "
        "Please have a look."
    ),
    Kind.GRANT_MESSAGE: (
        "Priya wrote about the grant request for “Samen eten”: “Which rice cooker?”"
    ),
    Kind.GRANT_DECIDED: (
        "Vrienden van de Hoogbouw decided on your request for “Samen eten”: declined, because: "
        "the floor is being painted"
    ),
    Kind.GRANT_PAID: "Vrienden van de Hoogbouw paid €\u00a0250.00 to the account of “Samen eten”.",
    Kind.RECEIPT_ADDED: "Priya added a receipt of €\u00a0250.00 for “Samen eten”. Please check it.",
    Kind.RECEIPT_CHECKED: (
        "The treasurer of Vrienden van de Hoogbouw checked your receipt “Three pans”: declined, "
        "because: the floor is being painted"
    ),
    Kind.MESSAGE_RECEIVED: "Priya wrote to you: “Can we use the hall?”",
    Kind.ASKED_FOR_HELP: (
        "Priya wonders whether you can help: “Ladder to borrow”. Answer with one tap."
    ),
    Kind.ASK_ANSWERED: "Priya can help with “Ladder to borrow”.",
    Kind.THANKS_RECEIVED: "Priya thanks you for your help with “Ladder to borrow”.",
    Kind.LOAN_REQUESTED: (
        "Priya would like to borrow “Ladder to borrow” from Saturday 1 May to Monday 3 May."
    ),
    Kind.LOAN_DECIDED: (
        "Your request to borrow “Ladder to borrow” is declined, because: the floor is being painted"
    ),
    Kind.LOAN_RETURN_DUE: "Today “Ladder to borrow” goes back to its owner.",
    Kind.REPORT_RECEIVED: (
        "A member reported something in Ede-Zuid. Please have a look at the reports."
    ),
    Kind.MODERATION: ("A host of Ede-Zuid: a warning, because: the floor is being painted"),
}


def test_dates_and_tasks_are_put_in_the_readers_language(personas):
    notification = make_notification(
        personas.fatima, kind=Kind.TASKS_OPEN, actor=personas.priya, params=PARAMS
    )
    with translation.override("nl"):
        text = notification_text(notification)
    assert "vrijdag 30 april 18:00" in text
    assert "Koken: 2 handen" in text


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_its_own_short_text(personas, kind):
    notification = make_notification(
        personas.fatima, kind=kind, actor=personas.priya, params=PARAMS
    )
    with translation.override("en"):
        assert notification_text(notification) == EXPECTED[kind]


def test_a_missing_name_does_not_break_the_text(personas):
    notification = make_notification(personas.fatima, kind=Kind.SUPPORT_OFFERED, params={})
    with translation.override("en"):
        assert notification_text(notification) == (
            "… offers to help “…”. You decide whether to accept."
        )


def test_without_an_actor_it_speaks_of_a_neighbour(personas):
    notification = make_notification(personas.fatima, actor=None)
    with translation.override("en"):
        assert notification_text(notification).startswith("A neighbour would like to join")


def test_an_unknown_kind_still_reads_as_a_sentence(personas):
    notification = make_notification(personas.fatima)
    notification.kind = "retired_kind"
    with translation.override("en"):
        assert (
            notification_text(notification) == "Something happened on Buurtnet that concerns you."
        )


def test_the_actor_shows_by_their_current_display_name(personas):
    notification = make_notification(personas.fatima, actor=personas.priya)
    personas.priya.display_name = "Priya S."
    personas.priya.save()
    notification.refresh_from_db()
    with translation.override("en"):
        assert notification_text(notification).startswith("Priya S. would like")
