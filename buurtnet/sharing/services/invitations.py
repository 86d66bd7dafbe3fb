"""Sending an ask (or an initiative's need) to the neighbours Buurtnet suggests, and their answer.

Sending: the asker ticks a few of the suggested neighbours. The suggestions are worked out
again inside the transaction, under a lock of the ask's (or need's) row, and only neighbours
among them are asked: a forged id is refused and nothing is sent. Two sends of one ask queue on
that lock, so a neighbour is never asked twice for the same thing (the database refuses it as
well, see the Invitation constraints).

Answering: the invited neighbour answers once, with one tap. "I can help" tells the asker and
starts (or continues) a private conversation between them; "Not this time" is only recorded,
and the asker reads it without any pressure.

A refusal because of the state of the ask or the invitation is an `InvitationConflict` (the pages
answer 409); a refusal of what was sent is a plain ValidationError (400); someone without the
right gets PermissionDenied (403); starting too many conversations in an hour is RateLimited
(429, from conversations); an invitation that is not the person's own does not exist
for them (Invitation.DoesNotExist, 404).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtnet.conversations.models import Conversation
from buurtnet.conversations.services import conversation_start
from buurtnet.initiatives import permissions as initiative_permissions
from buurtnet.initiatives.models import (
    Initiative,
    Need,
    ParticipantRole,
    Participation,
    ParticipationStatus,
)
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.access import get_membership
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import User
from buurtnet.people.selectors import blocked_between
from buurtnet.sharing import permissions
from buurtnet.sharing.asked import asked_counts_forget
from buurtnet.sharing.matching import suggest_for_need, suggest_for_post
from buurtnet.sharing.models import Answer, Invitation, Post

# At most this many neighbours are asked with one tap.
MAX_PER_SEND = 10
# The suggestions a send is checked against: more than the page shows, so that a neighbour who
# slipped a few places down since the page was read may still be asked.
SUGGESTIONS_CHECKED = 30
# A conversation's subject holds this many characters.
SUBJECT_MAX = 150


class InvitationConflict(ValidationError):
    """The ask or the invitation is not in a state that allows this (answered with 409)."""


def closed_message() -> str:
    return _("This ask is closed — thank you anyway.")


def inbox_url(invitation: Invitation, slug: str) -> str:
    """Where the invited neighbour answers: their list of asks, at this one."""
    return f"{reverse('sharing:inbox', args=[slug])}#invitation-{invitation.pk}"


def _user_ids(user_ids: Iterable) -> list[int]:
    """The chosen neighbours as whole numbers, each once, in the order given."""
    chosen: list[int] = []
    for value in user_ids:
        try:
            user_id = int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                _("Something went wrong with your choice. Please choose again."), code="invalid"
            ) from exc
        if user_id not in chosen:
            chosen.append(user_id)
    if not chosen:
        raise ValidationError(_("Choose at least one neighbour to ask."), code="none")
    if len(chosen) > MAX_PER_SEND:
        raise ValidationError(
            ngettext(
                "You can ask at most %(count)s neighbour at a time.",
                "You can ask at most %(count)s neighbours at a time.",
                MAX_PER_SEND,
            )
            % {"count": MAX_PER_SEND},
            code="too_many",
        )
    return chosen


def _locked_post(post_id: int) -> Post:
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "author", "category")
        .get(pk=post_id)
    )


def _locked_need(need_id: int) -> Need:
    return (
        Need.objects.select_for_update(of=("self",))
        .select_related("initiative__neighbourhood", "talent")
        .get(pk=need_id)
    )


def need_is_open(need: Need) -> bool:
    """Neighbours may still help: not met, and the initiative has not ended."""
    return not need.is_met and need.initiative.status in initiative_permissions.OPEN_STATUSES


@transaction.atomic
def invitations_send(
    *,
    post: Post | None = None,
    need: Need | None = None,
    sent_by: User,
    user_ids: Iterable,
) -> list[Invitation]:
    """The asker sends their ask (or their initiative's need) to some suggested neighbours."""
    if (post is None) == (need is None):
        raise ValueError("Send either an ask or an initiative's need.")
    chosen = _user_ids(user_ids)
    if post is not None:
        post = _locked_post(post.pk)
        neighbourhood = post.neighbourhood
        membership = get_membership(user=sent_by, neighbourhood=neighbourhood)
        if not permissions.is_author(membership, post) or not post.is_ask:
            raise PermissionDenied(_("Only the neighbour who asks can send their ask to others."))
        if not post.is_live:
            raise InvitationConflict(
                _("This ask is closed: it can no longer be sent to neighbours."), code="closed"
            )
        suggestions = suggest_for_post(post, limit=SUGGESTIONS_CHECKED)
        target = {"post": post}
        title = post.title
    else:
        need = _locked_need(need.pk)
        neighbourhood = need.initiative.neighbourhood
        membership = get_membership(user=sent_by, neighbourhood=neighbourhood)
        if not initiative_permissions.is_initiator(membership, need.initiative):
            raise PermissionDenied(_("Only the initiators can send what the initiative needs."))
        if not need_is_open(need):
            raise InvitationConflict(
                _("This need is met or the initiative has ended: it can no longer be sent."),
                code="closed",
            )
        suggestions = suggest_for_need(need, asker=sent_by, limit=SUGGESTIONS_CHECKED)
        target = {"need": need}
        title = need.description
    suggested = {suggestion.user.pk: suggestion for suggestion in suggestions}
    already = set(Invitation.objects.filter(**target).values_list("user_id", flat=True))
    if any(user_id not in suggested and user_id not in already for user_id in chosen):
        raise ValidationError(
            _(
                "Some of the neighbours you chose are not among the suggestions (any more). "
                "Nothing was sent: please choose again."
            ),
            code="not_suggested",
        )
    # Neighbours asked already (the form sent twice) are not asked again.
    new = [user_id for user_id in chosen if user_id in suggested]
    Invitation.objects.bulk_create(
        [
            Invitation(
                neighbourhood=neighbourhood,
                user=suggested[user_id].user,
                sent_by=sent_by,
                reasons=[reason.as_json() for reason in suggested[user_id].reasons],
                **target,
            )
            for user_id in new
        ],
        ignore_conflicts=True,
    )
    # bulk_create sends no signals: the lists of the neighbours now asked are built again.
    shared_cache.bump(neighbourhood.pk)
    created = list(Invitation.objects.filter(**target, user_id__in=new).select_related("user"))
    asked_counts_forget(user_ids=new, neighbourhood_id=neighbourhood.pk)
    for invitation in created:
        notify(
            recipients=[invitation.user],
            kind=Kind.ASKED_FOR_HELP,
            actor=sent_by,
            params={"title": title},
            url=inbox_url(invitation, neighbourhood.slug),
        )
    return created


@dataclass(frozen=True)
class Answered:
    invitation: Invitation
    # The conversation with the asker that "I can help" started (or continued).
    conversation: Conversation | None = None


def _initiator_to_write(initiative: Initiative, sent_by: User) -> User:
    """Who answers for the initiative: the initiator who sent the need, while they still are
    one; otherwise the initiator who joined first."""
    initiators = (
        Participation.objects.filter(
            initiative=initiative,
            role=ParticipantRole.INITIATOR,
            status=ParticipationStatus.ACCEPTED,
        )
        .select_related("user")
        .order_by("created_at", "id")
    )
    first = None
    for participation in initiators:
        if participation.user_id == sent_by.pk:
            return sent_by
        first = first or participation.user
    return first or sent_by


def conversation_url(conversation: Conversation, slug: str) -> str:
    return reverse("conversations:detail", args=[slug, conversation.pk])


@transaction.atomic
def invitation_answer(*, invitation_id: int, user: User, answer: str) -> Answered:
    """The invited neighbour answers once: they can help, or not this time."""
    if answer not in (Answer.YES, Answer.NO):
        raise ValidationError(_("Choose “I can help” or “Not this time”."), code="answer")
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related(
            "neighbourhood",
            "sent_by",
            "post__author",
            "post__neighbourhood",
            "need__initiative__neighbourhood",
        )
        .filter(pk=invitation_id, user_id=user.pk)
        .first()
    )
    if invitation is None:
        # Someone else's invitation looks exactly like one that does not exist.
        raise Invitation.DoesNotExist
    membership = get_membership(user=user, neighbourhood=invitation.neighbourhood)
    if membership is None or membership.is_suspended:
        raise PermissionDenied(_("You are no longer a member of this neighbourhood."))
    if invitation.answer != Answer.WAITING:
        raise InvitationConflict(_("You already answered this ask. Thank you!"), code="answered")
    post, need = invitation.post, invitation.need
    if post is not None:
        asker = post.author
        still_open = post.is_live
        title, topic = post.title, post
    else:
        asker = _initiator_to_write(need.initiative, invitation.sent_by)
        still_open = need_is_open(need)
        title, topic = need.description, need.initiative
    if blocked_between(user.pk, asker.pk):
        raise PermissionDenied(_("You cannot answer this neighbour."))
    if not still_open:
        raise InvitationConflict(closed_message(), code="closed")

    invitation.answer = answer
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answer", "answered_at"])
    asked_counts_forget(user_ids=[user.pk], neighbourhood_id=invitation.neighbourhood_id)
    if answer == Answer.NO:
        return Answered(invitation=invitation)

    # The first message is the answerer's own: in their language.
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        body = _("I can help with this.")
    conversation = conversation_start(
        neighbourhood=invitation.neighbourhood,
        user=user,
        to_user=asker,
        subject=Truncator(title).chars(SUBJECT_MAX),
        body=body,
        topic=topic,
        announce=False,  # the notice below says who can help with what: one, not two
    )
    notify(
        recipients=[asker],
        kind=Kind.ASK_ANSWERED,
        actor=user,
        params={"title": title},
        url=conversation_url(conversation, invitation.neighbourhood.slug),
    )
    return Answered(invitation=invitation, conversation=conversation)
