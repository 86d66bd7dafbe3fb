"""Reads for conversations. Each returns what a page needs in a fixed number of queries.

Who takes part: in a private conversation (no organisation), the people with a Participant row;
in a question to an organisation, the resident who asked and the organisation's professionals.
Nobody else ever reads a conversation. A Participant row also keeps what its person has read; a
question gets the rows of the resident at once and of each professional once they open it.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from buurtnet.conversations.models import Conversation, ConversationStatus, Message, Participant
from buurtnet.neighbourhoods.models import Membership, Organisation, Role


def _seat(user_id: int) -> QuerySet[Participant]:
    return Participant.objects.filter(conversation=OuterRef("pk"), user_id=user_id)


def _access(membership: Membership) -> Q:
    """The conversations this member takes part in (within their neighbourhood)."""
    access = Q(organisation__isnull=True) & Exists(_seat(membership.user_id))
    access |= Q(organisation__isnull=False, started_by_id=membership.user_id)
    if membership.is_professional:
        access |= Q(organisation__isnull=False, organisation_id=membership.organisation_id)
    return access


def _with_unread(qs: QuerySet[Conversation], *, user_id: int) -> QuerySet[Conversation]:
    """Annotate `unread`: someone else wrote something (not hidden) since the member last read.

    Without a row of their own (a question a professional has not opened yet, or one asked
    before conversations kept rows), a question counts as unread for the organisation while it
    waits for an answer, and as read otherwise.
    """
    by_others = Message.objects.filter(conversation=OuterRef("pk"), hidden_at__isnull=True).exclude(
        author_id=user_id
    )
    qs = qs.annotate(
        my_seat=Exists(_seat(user_id)),
        my_read_at=Subquery(_seat(user_id).values("last_read_at")[:1]),
    )
    return qs.annotate(
        unread=Case(
            When(
                Q(my_seat=False)
                & Q(organisation__isnull=False, status=ConversationStatus.OPEN)
                & ~Q(started_by_id=user_id),
                then=Value(True),
            ),
            When(my_seat=False, then=Value(False)),
            When(my_read_at__isnull=True, then=Exists(by_others)),
            default=Exists(by_others.filter(created_at__gt=OuterRef("my_read_at"))),
            output_field=BooleanField(),
        )
    )


def _people() -> QuerySet[Participant]:
    return Participant.objects.select_related("user").order_by("joined_at", "pk")


def inbox_for_member(*, membership: Membership) -> QuerySet[Conversation]:
    """All of a member's conversations here, questions and private ones, newest first, each with
    `unread`; with the organisation, who asked and the people taking part (two queries)."""
    qs = Conversation.objects.filter(
        _access(membership), neighbourhood_id=membership.neighbourhood_id
    )
    return (
        _with_unread(qs, user_id=membership.user_id)
        .select_related("organisation", "started_by")
        .prefetch_related(Prefetch("participants", queryset=_people()))
        .order_by("-updated_at", "-pk")
    )


def unread_conversation_count(*, membership: Membership) -> int:
    """How many of a member's conversations here have something new for them (one query)."""
    qs = Conversation.objects.filter(
        _access(membership), neighbourhood_id=membership.neighbourhood_id
    )
    return _with_unread(qs, user_id=membership.user_id).filter(unread=True).count()


def questions_for_member(*, membership: Membership) -> QuerySet[Conversation]:
    """A resident's own questions; for a professional, their organisation's inbox, open first."""
    qs = (
        Conversation.objects.filter(
            neighbourhood_id=membership.neighbourhood_id, organisation__isnull=False
        )
        .select_related("organisation", "started_by")
        .annotate(message_count=Count("messages"))
    )
    if membership.is_professional:
        open_first = Case(
            When(status=ConversationStatus.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return qs.filter(organisation_id=membership.organisation_id).order_by(
            open_first, "-updated_at", "-pk"
        )
    return qs.filter(started_by_id=membership.user_id).order_by("-updated_at", "-pk")


def conversation_for_member(*, membership: Membership, pk: int) -> Conversation | None:
    """The conversation if this member takes part in it, with its messages and people."""
    return (
        Conversation.objects.filter(
            _access(membership), pk=pk, neighbourhood_id=membership.neighbourhood_id
        )
        .select_related("neighbourhood", "organisation", "started_by", "closed_by")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.select_related("author")),
            Prefetch("participants", queryset=_people()),
        )
        .first()
    )


def messages_after(*, conversation: Conversation, after: int) -> list[Message]:
    """The conversation's messages newer than message `after` (for the page that polls)."""
    return list(
        Message.objects.filter(conversation=conversation, pk__gt=after).select_related("author")
    )


def organisation_member_ids(*, organisation: Organisation | None) -> set[int]:
    """Whose messages speak for the organisation."""
    if organisation is None:
        return set()
    return set(
        Membership.objects.filter(
            organisation=organisation,
            neighbourhood_id=organisation.neighbourhood_id,
            role=Role.PROFESSIONAL,
        ).values_list("user_id", flat=True)
    )


def first_point_of_contact(*, neighbourhood) -> Organisation | None:
    return Organisation.objects.filter(
        neighbourhood=neighbourhood, is_first_point_of_contact=True
    ).first()


def open_private_conversation(
    *, neighbourhood_id: int, user_ids: tuple[int, int], topic=None
) -> Conversation | None:
    """The open private conversation between exactly these two people about this topic (or
    about nothing), if there is one."""
    a, b = user_ids
    qs = Conversation.objects.filter(
        neighbourhood_id=neighbourhood_id, organisation__isnull=True
    ).exclude(status=ConversationStatus.CLOSED)
    if topic is None:
        qs = qs.filter(topic_type__isnull=True)
    else:
        qs = qs.filter(topic_type=ContentType.objects.get_for_model(topic), topic_id=topic.pk)
    others = Participant.objects.filter(conversation=OuterRef("pk")).exclude(user_id__in=[a, b])
    return (
        qs.filter(Exists(_seat(a)), Exists(_seat(b)))
        .exclude(Exists(others))
        .order_by("-updated_at", "-pk")
        .first()
    )


def member_to_write_to(*, neighbourhood_id: int, user_id: int):
    """An active member of this neighbourhood, with their membership as `membership_here`."""
    user = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True, memberships__neighbourhood_id=neighbourhood_id)
        .first()
    )
    if user is not None:
        user.membership_here = Membership.objects.get(
            user_id=user.pk, neighbourhood_id=neighbourhood_id
        )
    return user


def unread_messages_for_email(*, participant: Participant, since: datetime | None) -> list[Message]:
    """What a batched email lists: messages by others, not hidden, not read and not mailed yet."""
    qs = (
        Message.objects.filter(conversation_id=participant.conversation_id, hidden_at__isnull=True)
        .exclude(author_id=participant.user_id)
        .select_related("author")
    )
    for moment in (participant.last_read_at, since):
        if moment is not None:
            qs = qs.filter(created_at__gt=moment)
    return list(qs)
