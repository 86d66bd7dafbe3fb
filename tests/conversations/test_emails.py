"""Emails of private conversations: at most one per conversation per person an hour, in their
own language, listing what they have not read yet. The in-app notification comes with every
message."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import F

from buurtnet.conversations import services
from buurtnet.conversations.models import Message, Participant
from buurtnet.conversations.tasks import send_conversation_email, send_due_conversation_emails
from buurtnet.notifications.models import EmailOptOut, Kind, Notification
from tests.conversations.helpers import html_of


@pytest.fixture
def send(personas, django_capture_on_commit_callbacks):
    """Daan writes to Priya (committing, so what waits for the commit happens)."""

    def write(body: str, *, user=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.conversation_start(
                neighbourhood=personas.ede,
                user=user or personas.daan,
                to_user=personas.priya if user is None else personas.daan,
                subject="Samen eten",
                body=body,
                topic=personas.initiative,
            )

    return write


def seat(conversation, user) -> Participant:
    return Participant.objects.get(conversation=conversation, user=user)


def an_hour_passes(conversation) -> None:
    """Move everything of the conversation an hour (and a second) back: its emails are due."""
    back = timedelta(hours=1, seconds=1)
    Message.objects.filter(conversation=conversation).update(created_at=F("created_at") - back)
    Participant.objects.filter(conversation=conversation).update(
        emailed_at=F("emailed_at") - back,
        email_due_at=F("email_due_at") - back,
        last_read_at=F("last_read_at") - back,
    )


def test_the_first_message_is_mailed_at_once(personas, send):
    conversation = send("Can I bring my big pan?")

    [email] = mail.outbox
    assert email.to == [personas.priya.email]
    assert "Daan" in email.body and "Can I bring my big pan?" in email.body
    assert "Samen eten" in email.subject and "\n" not in email.subject
    assert f"/n/ede-zuid/conversations/{conversation.pk}/" in email.body
    assert "Can I bring my big pan?" in html_of(email)
    assert personas.daan.email not in email.body + html_of(email)
    priya = seat(conversation, personas.priya)
    assert priya.emailed_at is not None and priya.email_due_at is None
    # The in-app notification is there, and it is not mailed once more on its own.
    notification = Notification.objects.get(recipient=personas.priya)
    assert notification.kind == Kind.MESSAGE_RECEIVED


def test_messages_within_the_hour_come_in_one_email_an_hour_later(personas, send):
    conversation = send("Can I bring my big pan?")
    send("And a ladle?")
    send("And twelve plates?")

    assert len(mail.outbox) == 1  # only the first, for now
    priya = seat(conversation, personas.priya)
    assert priya.email_due_at == priya.emailed_at + timedelta(hours=1)
    # Not due yet: the task sends nothing.
    assert send_conversation_email.call(participant_id=priya.pk) is False
    assert len(mail.outbox) == 1

    an_hour_passes(conversation)
    assert send_conversation_email.call(participant_id=priya.pk) is True
    assert send_conversation_email.call(participant_id=priya.pk) is False  # safe to run twice

    assert len(mail.outbox) == 2
    batched = mail.outbox[1]
    assert batched.to == [personas.priya.email]
    assert "And a ladle?" in batched.body and "And twelve plates?" in batched.body
    assert "Can I bring my big pan?" not in batched.body  # mailed already
    priya.refresh_from_db()
    assert priya.email_due_at is None
    # Every message was a notification in the app, though (one waiting at a time).
    assert Notification.objects.filter(recipient=personas.priya).count() == 1


def test_the_sweep_sends_what_is_due(personas, send):
    conversation = send("Can I bring my big pan?")
    send("And a ladle?")
    assert send_due_conversation_emails() == 0
    an_hour_passes(conversation)
    assert send_due_conversation_emails() == 1
    assert "And a ladle?" in mail.outbox[-1].body


def test_nothing_is_mailed_when_it_was_read_meanwhile(personas, send):
    conversation = send("Can I bring my big pan?")
    send("And a ladle?")
    services.conversation_read(conversation=conversation, user=personas.priya)
    an_hour_passes(conversation)

    assert (
        send_conversation_email.call(participant_id=seat(conversation, personas.priya).pk) is False
    )
    assert len(mail.outbox) == 1
    priya = seat(conversation, personas.priya)
    assert priya.email_due_at is None
    # The last email is still the one that went out: the next message is mailed at once.
    first_email_at = priya.emailed_at
    send("Still there?")
    assert seat(conversation, personas.priya).emailed_at > first_email_at
    assert "Still there?" in mail.outbox[-1].body


def test_a_hidden_message_is_not_mailed(personas, send):
    conversation = send("Can I bring my big pan?")
    send("Something rude")
    conversation.messages.filter(body="Something rude").update(hidden_at=conversation.created_at)
    an_hour_passes(conversation)
    assert (
        send_conversation_email.call(participant_id=seat(conversation, personas.priya).pk) is False
    )
    assert all("Something rude" not in email.body for email in mail.outbox)


def test_the_email_speaks_the_recipients_language(personas, send):
    personas.priya.preferred_language = "nl"
    personas.priya.save()
    send("Can I bring my big pan?")
    [email] = mail.outbox
    assert email.body.startswith("Hallo Priya")
    assert '<html lang="nl">' in html_of(email)


def test_no_email_for_who_opted_out(personas, send):
    EmailOptOut.objects.create(user=personas.priya, kind=Kind.MESSAGE_RECEIVED)
    conversation = send("Can I bring my big pan?")
    assert mail.outbox == []
    assert seat(conversation, personas.priya).email_due_at is None
    assert Notification.objects.filter(recipient=personas.priya).exists()  # still in the app


def test_each_person_is_mailed_about_each_conversation_on_their_own(personas, send):
    conversation = send("Can I bring my big pan?")
    send("Sure, bring it!", user=personas.priya)
    assert [email.to for email in mail.outbox] == [[personas.priya.email], [personas.daan.email]]
    assert seat(conversation, personas.daan).emailed_at is not None
