"""Reading who was asked: a member's asks to answer (their inbox), the neighbours an ask was sent
to with their answers, and the neighbours suggested for an ask, as the pages show them.

Each is one query however many rows it has: the strings and URLs of a row are worked out here,
once, in the reader's language.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from buurtnet.initiatives.models import Need
from buurtnet.initiatives.permissions import OPEN_STATUSES
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.people.models import Block, User
from buurtnet.sharing.matching import Suggestion, explain
from buurtnet.sharing.models import Answer, Invitation, Post, PostStatus

# The inbox shows every ask still waiting, then the latest answered ones, up to this many rows.
INBOX_SIZE = 60


def _blocked_with(user_id: int, other: str) -> Exists:
    """Whether this person and the one in field `other` blocked each other (either way)."""
    return Exists(
        Block.objects.filter(
            Q(blocker_id=user_id, blocked_id=OuterRef(other))
            | Q(blocker_id=OuterRef(other), blocked_id=user_id)
        )
    )


def _still_open(now: datetime) -> Q:
    """The ask is live (open, not past its date, not hidden), or the need is open."""
    return Q(
        post__status=PostStatus.OPEN,
        post__expires_at__gt=now,
        post__hidden_at__isnull=True,
    ) | Q(need__is_met=False, need__initiative__status__in=OPEN_STATUSES)


def _mine(*, user_id: int, neighbourhood_id: int) -> QuerySet[Invitation]:
    """The asks sent to this member here, without those hidden by a host or sent by someone
    they blocked (or who blocked them)."""
    return (
        Invitation.objects.filter(user_id=user_id, neighbourhood_id=neighbourhood_id)
        .filter(Q(post__isnull=True) | Q(post__hidden_at__isnull=True))
        .exclude(_blocked_with(user_id, "sent_by_id"))
    )


# --- The inbox --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxEntry:
    """One ask sent to the member, as their inbox shows it."""

    pk: int
    answer: str
    is_need: bool
    title: str
    text: str
    when: str
    language: str
    asker_name: str
    on_behalf_of: str
    initiative_title: str
    initiative_url: str
    why: str
    is_open: bool
    respond_url: str
    sent_at: datetime

    @property
    def is_waiting(self) -> bool:
        return self.answer == Answer.WAITING

    @property
    def can_answer(self) -> bool:
        return self.is_waiting and self.is_open


def inbox_entry(invitation: Invitation, *, slug: str) -> InboxEntry:
    """The row of one invitation (post, need, initiative and sender already loaded)."""
    post, need = invitation.post, invitation.need
    if post is not None:
        title, text, when, language = post.title, post.body, post.when, post.language
        asker_name = post.author.display_name
        on_behalf_of = post.on_behalf_of
        initiative_title = initiative_url = ""
        is_open = post.is_live
    else:
        initiative = need.initiative
        title, text, when, language = need.description, "", "", initiative.language
        asker_name = invitation.sent_by.display_name
        on_behalf_of = ""
        initiative_title = initiative.title
        initiative_url = reverse("initiatives:detail", args=[slug, initiative.pk])
        is_open = not need.is_met and initiative.status in OPEN_STATUSES
    return InboxEntry(
        pk=invitation.pk,
        answer=invitation.answer,
        is_need=need is not None,
        title=title,
        text=text,
        when=when,
        language=language,
        asker_name=asker_name,
        on_behalf_of=on_behalf_of,
        initiative_title=initiative_title,
        initiative_url=initiative_url,
        # The reasons are kept as codes: put into words in the reader's language.
        why=explain(invitation.reasons),
        is_open=is_open,
        respond_url=reverse("sharing:respond", args=[slug, invitation.pk]),
        sent_at=invitation.created_at,
    )


def _with_details(queryset: QuerySet[Invitation]) -> QuerySet[Invitation]:
    return queryset.select_related("sent_by", "post__author", "need__initiative")


def inbox(*, user: User, neighbourhood: Neighbourhood) -> list[InboxEntry]:
    """The asks sent to the member: those still waiting for their answer first, newest first."""
    now = timezone.now()
    rows = (
        _with_details(_mine(user_id=user.pk, neighbourhood_id=neighbourhood.pk))
        .annotate(
            waiting_first=Case(
                When(Q(answer=Answer.WAITING) & _still_open(now), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting_first", "-created_at", "-id")[:INBOX_SIZE]
    )
    return [inbox_entry(invitation, slug=neighbourhood.slug) for invitation in rows]


def inbox_entry_of(*, user: User, neighbourhood: Neighbourhood, pk: int) -> InboxEntry | None:
    """One row of the member's inbox (for an answer swapped in place), None if not theirs."""
    invitation = (
        _with_details(_mine(user_id=user.pk, neighbourhood_id=neighbourhood.pk))
        .filter(pk=pk)
        .first()
    )
    return inbox_entry(invitation, slug=neighbourhood.slug) if invitation else None


def waiting_count(*, user_id: int, neighbourhood_id: int) -> tuple[int, int]:
    """How many asks wait for the member's answer, and how many were ever sent to them here."""
    counts = _mine(user_id=user_id, neighbourhood_id=neighbourhood_id).aggregate(
        waiting=Count("pk", filter=Q(answer=Answer.WAITING) & _still_open(timezone.now())),
        total=Count("pk"),
    )
    return counts["waiting"], counts["total"]


# --- Neighbours, as the asker sees them ------------------------------------------------------


@dataclass(frozen=True)
class Neighbour:
    """A neighbour as the asker's pages show them: only what they chose to show, never their
    door. `url` is their member page when they are listed in the directory."""

    pk: int
    name: str
    url: str
    photo_url: str


def neighbour(user: User, *, slug: str) -> Neighbour:
    return Neighbour(
        pk=user.pk,
        name=user.display_name,
        url=(
            reverse("neighbourhoods:member", args=[slug, user.pk])
            if user.listed_in_directory
            else ""
        ),
        photo_url=user.photo.url if user.show_photo and user.photo else "",
    )


@dataclass(frozen=True)
class Suggested:
    neighbour: Neighbour
    why: str


def suggested_rows(suggestions: list[Suggestion], *, slug: str) -> list[Suggested]:
    return [
        Suggested(neighbour=neighbour(s.user, slug=slug), why=s.explanation) for s in suggestions
    ]


@dataclass(frozen=True)
class Asked:
    """A neighbour the ask was sent to, and their answer so far."""

    neighbour: Neighbour
    answer: str
    answer_label: str
    why: str


def asked(
    *, post: Post | None = None, need: Need | None = None, asker: User, slug: str
) -> list[Asked]:
    """The neighbours an ask (or a need) was sent to, who can help first, then who has not
    answered yet; none the asker blocked since, or who blocked them."""
    target = {"post": post} if post is not None else {"need": need}
    rows = (
        Invitation.objects.filter(**target)
        .exclude(_blocked_with(asker.pk, "user_id"))
        .select_related("user")
        .annotate(
            answer_order=Case(
                When(answer=Answer.YES, then=Value(0)),
                When(answer=Answer.WAITING, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("answer_order", "user__sort_name", "user_id")
    )
    return [
        Asked(
            neighbour=neighbour(invitation.user, slug=slug),
            answer=invitation.answer,
            answer_label=invitation.get_answer_display(),
            why=explain(invitation.reasons),
        )
        for invitation in rows
    ]


def open_needs(initiative) -> list[Need]:
    """The needs of an initiative nobody has met yet, in the order its page lists them."""
    return list(Need.objects.filter(initiative=initiative, is_met=False))


__all__ = [
    "INBOX_SIZE",
    "Asked",
    "InboxEntry",
    "Neighbour",
    "Suggested",
    "asked",
    "inbox",
    "inbox_entry",
    "inbox_entry_of",
    "neighbour",
    "open_needs",
    "suggested_rows",
    "waiting_count",
]
