"""The batched email of private conversations: at most one per conversation per person an hour.

A new message sets Participant.email_due_at for each other person (services._schedule_emails):
now when they were not mailed about this conversation in the last hour, else an hour after that
email; messages that come while an email is due wait for it. At that time this task sends one
email, in the person's own language, listing what they have not read and were not mailed yet.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from buurtnet.conversations import selectors
from buurtnet.conversations.models import Message, Participant
from buurtnet.neighbourhoods.models import Membership
from buurtnet.notifications.models import EmailOptOut, Kind


def email_enqueue(*, participant_id: int, run_after: datetime | None = None) -> None:
    """Queue the email, to run at `run_after` (now when None).

    A backend that cannot run a task later (the one tests use runs each at once) queues nothing
    for later: `send_due_conversation_emails` sends such an email once it is due.
    """
    job = send_conversation_email
    if run_after is not None:
        if not job.get_backend().supports_defer:
            return
        job = job.using(run_after=run_after)
    job.enqueue(participant_id=participant_id)


def _email(seat: Participant, messages: list[Message]) -> EmailMultiAlternatives:
    recipient = seat.user
    conversation = seat.conversation
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        names = []
        for message in messages:
            if message.author.display_name not in names:
                names.append(message.author.display_name)
        context = {
            "recipient": recipient,
            "conversation": conversation,
            "messages": messages,
            "url": settings.SITE_URL
            + reverse(
                "conversations:detail", args=[conversation.neighbourhood.slug, conversation.pk]
            ),
            "settings_url": f"{settings.SITE_URL}{reverse('profile')}#email",
        }
        # A header is one line, whatever the names and the subject hold.
        subject = _("[Buurtnet] %(names)s wrote to you: “%(subject)s”") % {
            "names": ", ".join(names),
            "subject": conversation.subject,
        }
        subject = " ".join(subject.split())
        body = render_to_string("conversations/emails/email_messages.txt", context)
        html = render_to_string("conversations/emails/email_messages.html", context)
    message = EmailMultiAlternatives(subject, body, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message


def _may_mail(seat: Participant) -> bool:
    recipient = seat.user
    if seat.conversation.organisation_id is not None:
        return False  # a question's emails go with its notifications
    if not recipient.is_active or not recipient.email:
        return False
    if EmailOptOut.objects.filter(user=recipient, kind=Kind.MESSAGE_RECEIVED).exists():
        return False
    return Membership.objects.filter(
        user=recipient, neighbourhood_id=seat.conversation.neighbourhood_id
    ).exists()


@task()
def send_conversation_email(*, participant_id: int) -> bool:
    """Send the person's due email about one conversation, if anything is still unread.

    Safe to run twice, or at once: the sending is claimed with one conditional UPDATE (the due
    time cleared, the email's time set), and whoever finds nothing due sends nothing.
    """
    now = timezone.now()
    seat = (
        Participant.objects.select_related("user", "conversation__neighbourhood")
        .filter(pk=participant_id, email_due_at__lte=now)
        .first()
    )
    if seat is None:
        return False
    claimed = Participant.objects.filter(pk=seat.pk, email_due_at=seat.email_due_at).update(
        email_due_at=None, emailed_at=now
    )
    if not claimed:
        return False

    def give_back(**due) -> None:
        # Not sent after all: the last email stays the one that was sent. Only this claim's.
        Participant.objects.filter(pk=seat.pk, emailed_at=now).update(
            emailed_at=seat.emailed_at, **due
        )

    if not _may_mail(seat):
        give_back()
        return False
    seat.last_read_at = (
        Participant.objects.filter(pk=seat.pk).values_list("last_read_at", flat=True).first()
    )
    messages = selectors.unread_messages_for_email(participant=seat, since=seat.emailed_at)
    messages = [m for m in messages if m.created_at <= now]
    if not messages:
        give_back()
        return False
    email = _email(seat, messages)
    try:
        email.send()
    except Exception:
        # Due again, so the next message (or the schedule's sweep) sends it; the worker reports
        # the error.
        give_back(email_due_at=seat.email_due_at)
        raise
    return True


@task()
def conversation_emails_due() -> int:
    """The `schedule` command's round: send the conversation emails that are due."""
    return send_due_conversation_emails()


def send_due_conversation_emails() -> int:
    """Send every conversation email that is due: for backends that cannot run a task later, and
    for emails whose task was lost. Meant for the `schedule` command's rounds."""
    now = timezone.now()
    due = Participant.objects.filter(Q(email_due_at__lte=now)).values_list("pk", flat=True)
    return sum(bool(send_conversation_email.call(participant_id=pk)) for pk in list(due))
