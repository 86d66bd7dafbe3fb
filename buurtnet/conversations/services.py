"""Writes for conversations: residents' questions to the first point of contact, and private
conversations between members (started from an ask or offer, an initiative or a profile).

Who takes part is explained in selectors.py. Every new message tells the others in the app
(notify); a question's email goes out with its notification, as it always did, while the emails of
private conversations are batched per person and conversation (at most one an hour, see tasks.py).
"""

import math
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.conversations import selectors, topics
from buurtnet.conversations.models import Conversation, ConversationStatus, Message, Participant
from buurtnet.conversations.unread import unread_count_forget
from buurtnet.core.ratelimit import RateLimited
from buurtnet.core.stale_tasks import stale_after
from buurtnet.neighbourhoods.models import Membership, Neighbourhood, Organisation, Role
from buurtnet.notifications.models import EmailOptOut, Kind, Notification
from buurtnet.notifications.services import notifications_mark_read, notify
from buurtnet.people.selectors import blocked_between

MAX_SUBJECT = 150
MAX_BODY = 4000
# New private conversations one member may start per hour, counted in the database.
STARTS_PER_HOUR = 10
STARTS_WINDOW = timedelta(hours=1)
# At most one email per conversation per person in this time.
EMAIL_EVERY = timedelta(hours=1)


def _error(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def _text_errors(*, subject: str | None, body: str) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if subject is not None:
        if not (subject or "").strip():
            errors["subject"] = [
                ValidationError(_("Please say in a few words what it is about."), code="required")
            ]
        elif len(subject.strip()) > MAX_SUBJECT:
            errors["subject"] = [
                ValidationError(_("Please use at most 150 characters."), code="max_length")
            ]
    if not (body or "").strip():
        errors["body"] = [ValidationError(_("Please write your message."), code="required")]
    elif len(body.strip()) > MAX_BODY:
        errors["body"] = [
            ValidationError(_("Please use at most 4000 characters."), code="max_length")
        ]
    return errors


def _check_text(*, subject: str | None, body: str) -> None:
    errors = _text_errors(subject=subject, body=body)
    if errors:
        raise ValidationError(errors)


def conversation_url(conversation: Conversation) -> str:
    return reverse("conversations:detail", args=[conversation.neighbourhood.slug, conversation.pk])


def _professionals(organisation: Organisation):
    return get_user_model().objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__neighbourhood_id=organisation.neighbourhood_id,
        memberships__role=Role.PROFESSIONAL,
    )


def _membership(user, neighbourhood_id: int) -> Membership | None:
    return Membership.objects.filter(user_id=user.pk, neighbourhood_id=neighbourhood_id).first()


def _not_suspended(membership: Membership | None) -> None:
    if membership is not None and membership.is_suspended:
        raise PermissionDenied(
            _("Your membership is suspended for now, so you cannot send messages.")
        )


def _closed_error() -> ValidationError:
    return _error(_("This conversation is closed: nobody can send new messages in it."), "closed")


def _forget_unread(conversation: Conversation, user_ids) -> None:
    unread_count_forget(user_ids=user_ids, neighbourhood_id=conversation.neighbourhood_id)


def _seen_until(conversation: Conversation, user, moment: datetime) -> None:
    """The person has read everything up to `moment` (a row of their own for a question).
    Writes only when that is news."""
    seat = Participant.objects.filter(conversation=conversation, user_id=user.pk)
    changed = seat.filter(Q(last_read_at__isnull=True) | Q(last_read_at__lt=moment)).update(
        last_read_at=moment
    )
    if not changed and conversation.is_question:
        _seat, changed = Participant.objects.get_or_create(
            conversation=conversation, user_id=user.pk, defaults={"last_read_at": moment}
        )
    if changed:
        _forget_unread(conversation, [user.pk])


# Questions to the first point of contact --------------------------------------------------------


@transaction.atomic
def question_ask(*, neighbourhood: Neighbourhood, user, subject: str, body: str) -> Conversation:
    """A resident asks the neighbourhood's first point of contact; its professionals hear of it."""
    membership = _membership(user, neighbourhood.pk)
    if membership is None or not membership.is_resident:
        raise PermissionDenied(_("Only residents of the neighbourhood can ask a question here."))
    _not_suspended(membership)
    organisation = Organisation.objects.filter(
        neighbourhood=neighbourhood, is_first_point_of_contact=True
    ).first()
    if organisation is None:
        raise _error(
            _("This neighbourhood has no first point of contact yet, so there is no one to ask."),
            "no_first_point_of_contact",
        )
    _check_text(subject=subject, body=body)
    conversation = Conversation.objects.create(
        neighbourhood=neighbourhood,
        organisation=organisation,
        started_by=user,
        subject=subject.strip(),
    )
    message = Message.objects.create(conversation=conversation, author=user, body=body.strip())
    Participant.objects.create(
        conversation=conversation, user=user, last_read_at=message.created_at
    )
    professionals = list(_professionals(organisation))
    notify(
        recipients=professionals,
        kind=Kind.QUESTION_ASKED,
        actor=user,
        params={"organisation": organisation.name, "subject": conversation.subject},
        url=conversation_url(conversation),
    )
    _forget_unread(conversation, [p.pk for p in professionals])
    return conversation


def _question_reply(*, conversation: Conversation, user, body: str) -> Message:
    """A professional's answer marks the question answered, the resident's reply reopens it."""
    is_asker = conversation.started_by_id == user.pk
    membership = _membership(user, conversation.neighbourhood_id)
    is_professional = (
        membership is not None
        and membership.role == Role.PROFESSIONAL
        and membership.organisation_id == conversation.organisation_id
    )
    if not (is_asker or is_professional):
        raise PermissionDenied(_("Only the resident who asked and the organisation can reply."))
    _not_suspended(membership)
    if conversation.is_closed:
        raise _closed_error()
    _check_text(subject=None, body=body)
    message = Message.objects.create(conversation=conversation, author=user, body=body.strip())
    params = {"organisation": conversation.organisation.name, "subject": conversation.subject}
    if is_professional:
        conversation.status = ConversationStatus.ANSWERED
        recipients = [conversation.started_by]
        kind = Kind.QUESTION_ANSWERED
    else:
        conversation.status = ConversationStatus.OPEN
        recipients = list(_professionals(conversation.organisation))
        kind = Kind.QUESTION_ASKED
    conversation.save(update_fields=["status", "updated_at"])
    _seen_until(conversation, user, message.created_at)
    notify(
        recipients=recipients,
        kind=kind,
        actor=user,
        params=params,
        url=conversation_url(conversation),
    )
    _forget_unread(conversation, [r.pk for r in recipients])
    return message


# Private conversations --------------------------------------------------------------------------


def _notify_in_app(*, conversation: Conversation, recipients: list, actor) -> None:
    """Tell the others in the app that a message came. The single place that does so.

    Their email is not the notification's: it is batched per conversation (tasks.py).

    A person who still has an unread notification of this conversation gets no second one.
    """
    url = conversation_url(conversation)
    waiting = set(
        Notification.objects.filter(
            recipient__in=recipients,
            kind=Kind.MESSAGE_RECEIVED,
            url=url,
            read_at__isnull=True,
        ).values_list("recipient_id", flat=True)
    )
    notify(
        recipients=[r for r in recipients if r.pk not in waiting],
        kind=Kind.MESSAGE_RECEIVED,
        actor=actor,
        params={"subject": conversation.subject},
        url=url,
        email=False,
    )


def _schedule_emails(*, seats: list[Participant]) -> None:
    """Each other person gets one email for this message now, or, when they were mailed about
    this conversation less than an hour ago, one email an hour after that one for everything
    that came meanwhile. A person with an email already on its way gets no second one."""
    from buurtnet.conversations.tasks import email_enqueue

    now = timezone.now()
    opted_out = set(
        EmailOptOut.objects.filter(
            user_id__in=[seat.user_id for seat in seats], kind=Kind.MESSAGE_RECEIVED
        ).values_list("user_id", flat=True)
    )
    for seat in seats:
        if seat.user_id in opted_out or not seat.user.is_active or not seat.user.email:
            continue
        if seat.emailed_at is None or seat.emailed_at <= now - EMAIL_EVERY:
            due = now
        else:
            due = seat.emailed_at + EMAIL_EVERY
        # Only the message that finds no email on its way sends one: a conditional UPDATE, so
        # of two messages at once only one does. An email due long ago that is still waiting
        # was lost with its task (a worker that died, a mail server that refused): it goes now.
        waiting = Q(email_due_at__isnull=True) | Q(email_due_at__lt=now - stale_after())
        if Participant.objects.filter(waiting, pk=seat.pk).update(email_due_at=due):
            transaction.on_commit(
                lambda pk=seat.pk, due=due, now=now: email_enqueue(
                    participant_id=pk, run_after=None if due <= now else due
                )
            )


def _add_message(*, conversation: Conversation, user, body: str, announce: bool = True) -> Message:
    """A participant writes in a private conversation (locked by the caller). With
    announce=False the caller tells the others itself, in a notice of its own."""
    seats = list(conversation.participants.select_related("user"))
    if user.pk not in {seat.user_id for seat in seats}:
        raise PermissionDenied(_("Only the people in this conversation can write in it."))
    others = [seat for seat in seats if seat.user_id != user.pk]
    members = {
        m.user_id: m
        for m in Membership.objects.filter(
            neighbourhood_id=conversation.neighbourhood_id,
            user_id__in=[seat.user_id for seat in seats],
        )
    }
    if user.pk not in members:
        raise PermissionDenied(_("Only members of the neighbourhood can send messages here."))
    _not_suspended(members[user.pk])
    if conversation.is_closed:
        raise _closed_error()
    for seat in others:
        if blocked_between(user.pk, seat.user_id):
            raise PermissionDenied(
                _("One of you blocked the other, so you cannot send messages to each other.")
            )
        member = members.get(seat.user_id)
        if member is None or member.is_suspended or not seat.user.is_active:
            raise PermissionDenied(
                _("%(name)s cannot receive messages here right now.")
                % {"name": seat.user.display_name}
            )
    _check_text(subject=None, body=body)
    message = Message.objects.create(conversation=conversation, author=user, body=body.strip())
    conversation.save(update_fields=["updated_at"])
    _seen_until(conversation, user, message.created_at)
    if announce:
        _notify_in_app(conversation=conversation, recipients=[s.user for s in others], actor=user)
        _schedule_emails(seats=others)
    _forget_unread(conversation, [seat.user_id for seat in others])
    return message


def _lock(conversation_id: int) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "organisation", "started_by")
        .get(pk=conversation_id)
    )


@transaction.atomic
def message_send(*, conversation_id: int, user, body: str) -> Message:
    """Write in a conversation one takes part in: a question or a private conversation."""
    conversation = _lock(conversation_id)
    if conversation.is_question:
        return _question_reply(conversation=conversation, user=user, body=body)
    return _add_message(conversation=conversation, user=user, body=body)


def _starts_retry_after(*, user, now: datetime) -> int | None:
    """Seconds until this member may start another conversation; None when they may now."""
    recent = list(
        Conversation.objects.filter(
            started_by_id=user.pk,
            organisation__isnull=True,
            created_at__gt=now - STARTS_WINDOW,
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:STARTS_PER_HOUR]
    )
    if len(recent) < STARTS_PER_HOUR:
        return None
    # The oldest of the last ten leaves the window first.
    return max(1, math.ceil((recent[-1] + STARTS_WINDOW - now).total_seconds()))


@transaction.atomic
def conversation_start(
    *,
    neighbourhood: Neighbourhood,
    user,
    to_user,
    subject: str,
    body: str,
    topic: models.Model | None = None,
    announce: bool = True,
) -> Conversation:
    """A member writes privately to another, maybe about something (an ask or offer, an
    initiative, a profile). With an open conversation between the two about the same thing
    already there, the message goes there instead.

    The other person is told of the message (in the app, and by the batched email) unless
    announce=False: then the caller sends one notice of its own that says more ("Ravi can
    help with your ask"), so that one event never makes two."""
    if to_user.pk == user.pk:
        raise _error(_("You cannot start a conversation with yourself."), "self")
    if topic is not None and not topics.is_registered(topic):
        raise _error(_("A conversation cannot be about this."), "topic")
    # Both memberships locked, in a fixed order: two starts between the same two people wait
    # for each other (no double conversation), and the count below holds across workers.
    members = {
        m.user_id: m
        for m in Membership.objects.select_for_update()
        .filter(neighbourhood=neighbourhood, user_id__in=[user.pk, to_user.pk])
        .order_by("pk")
    }
    if user.pk not in members:
        raise PermissionDenied(_("Only members of the neighbourhood can send messages here."))
    _not_suspended(members[user.pk])
    recipient = members.get(to_user.pk)
    if recipient is None or recipient.is_suspended or not to_user.is_active:
        raise PermissionDenied(
            _("%(name)s cannot receive messages here right now.") % {"name": to_user.display_name}
        )
    if blocked_between(user.pk, to_user.pk):
        raise PermissionDenied(
            _("One of you blocked the other, so you cannot send messages to each other.")
        )
    existing = selectors.open_private_conversation(
        neighbourhood_id=neighbourhood.pk, user_ids=(user.pk, to_user.pk), topic=topic
    )
    if existing is not None:
        _check_text(subject=None, body=body)
        conversation = _lock(existing.pk)
        _add_message(conversation=conversation, user=user, body=body, announce=announce)
        return conversation
    _check_text(subject=subject, body=body)
    now = timezone.now()
    retry_after = _starts_retry_after(user=user, now=now)
    if retry_after is not None:
        raise RateLimited(retry_after)
    conversation = Conversation.objects.create(
        neighbourhood=neighbourhood,
        started_by=user,
        subject=subject.strip(),
        topic_type=ContentType.objects.get_for_model(topic) if topic is not None else None,
        topic_id=topic.pk if topic is not None else None,
    )
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, user=user),
            Participant(conversation=conversation, user=to_user),
        ]
    )
    _add_message(conversation=conversation, user=user, body=body, announce=announce)
    return conversation


@transaction.atomic
def conversation_close(*, conversation_id: int, user) -> Conversation:
    """Whoever takes part closes the conversation: from now on nobody can write in it."""
    conversation = _lock(conversation_id)
    if conversation.is_question:
        membership = _membership(user, conversation.neighbourhood_id)
        allowed = conversation.started_by_id == user.pk or (
            membership is not None
            and membership.is_professional
            and membership.organisation_id == conversation.organisation_id
        )
    else:
        allowed = conversation.participants.filter(user_id=user.pk).exists()
    if not allowed:
        raise PermissionDenied(_("Only the people in this conversation can close it."))
    if conversation.is_closed:
        return conversation
    conversation.status = ConversationStatus.CLOSED
    conversation.closed_at = timezone.now()
    conversation.closed_by = user
    conversation.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return conversation


def conversation_read(*, conversation: Conversation, user, until: datetime | None = None) -> None:
    """The person has seen the conversation, up to message time `until` (default: its newest
    message): it no longer counts as unread, nor do its notifications."""
    if until is None:
        until = (
            Message.objects.filter(conversation=conversation)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if until is None:
            return
    with transaction.atomic():
        _seen_until(conversation, user, until)
    url = conversation_url(conversation)
    old_url = reverse(
        "conversations:question", args=[conversation.neighbourhood.slug, conversation.pk]
    )
    waiting = list(
        Notification.objects.filter(
            recipient_id=user.pk, read_at__isnull=True, url__in=[url, old_url]
        ).values_list("pk", flat=True)
    )
    if waiting:
        notifications_mark_read(user=user, ids=waiting)
