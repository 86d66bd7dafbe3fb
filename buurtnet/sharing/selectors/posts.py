"""Reading asks and offers: the neighbourhood's list, a member's own, one post and its helpers.

`visible_to` puts sharing.permissions.can_view into SQL, so a list never shows what its page
would refuse: every list costs the same few queries however many posts there are.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from buurtnet.conversations.models import Conversation, Participant
from buurtnet.conversations.selectors import open_private_conversation
from buurtnet.neighbourhoods.models import Building, Membership, Neighbourhood
from buurtnet.people.models import Block, User
from buurtnet.sharing.models import Answer, Audience, Invitation, Loan, Post, PostStatus, Thanks

PAGE_SIZE = 20


def _blocked_with(user_id: int, author: str = "author_id") -> Exists:
    """Whether the post's author and this person blocked each other (either way)."""
    return Exists(
        Block.objects.filter(
            Q(blocker_id=user_id, blocked_id=OuterRef(author))
            | Q(blocker_id=OuterRef(author), blocked_id=user_id)
        )
    )


def visible_to(membership: Membership, *, reported_to_hosts: bool = False) -> Q:
    """The posts `membership` may see, as permissions.can_view decides for one post.

    Posts for "only the neighbours Buurtnet suggests" are seen by their author and by the
    neighbours they were sent to; a host also sees one while it is reported, but only when it
    is opened (`reported_to_hosts`), never in the lists.
    """
    if membership is None or membership.is_suspended:
        return Q(pk__in=[])
    user_id = membership.user_id
    sent_to_me = Exists(Invitation.objects.filter(post=OuterRef("pk"), user_id=user_id))
    by_audience = Q(audience=Audience.NEIGHBOURHOOD) | (
        Q(audience=Audience.SUGGESTED) & Q(sent_to_me)
    )
    if membership.is_host:
        by_audience |= Q(audience=Audience.FLAT)
    elif membership.building_id is not None:
        by_audience |= Q(audience=Audience.FLAT, building_id=membership.building_id)
    if reported_to_hosts and membership.is_host:
        from buurtnet.moderation.models import Report, ReportStatus

        reported = Report.objects.filter(
            target_type=ContentType.objects.get_for_model(Post),
            target_id=OuterRef("pk"),
            status=ReportStatus.OPEN,
        )
        by_audience |= Q(audience=Audience.SUGGESTED) & Q(Exists(reported))
    others = Q(hidden_at__isnull=True) & ~Q(_blocked_with(user_id)) & by_audience
    return Q(neighbourhood_id=membership.neighbourhood_id) & (Q(author_id=user_id) | others)


def live() -> Q:
    """Open, not past its date and not hidden: what neighbours may still answer."""
    return Q(status=PostStatus.OPEN, expires_at__gt=timezone.now(), hidden_at__isnull=True)


def post_list(
    *,
    membership: Membership,
    side: str = "",
    kind: str = "",
    category: str = "",
    building_id: int | None = None,
) -> QuerySet[Post]:
    """The neighbourhood's live asks and offers this member may see, newest first."""
    posts = (
        Post.objects.filter(visible_to(membership), live())
        .select_related("author", "building", "category")
        .order_by("-created_at", "-id")
    )
    if side:
        posts = posts.filter(side=side)
    if kind:
        posts = posts.filter(kind=kind)
    if category:
        posts = posts.filter(category__slug=category)
    if building_id is not None:
        posts = posts.filter(building_id=building_id)
    return posts


def first_expiry(posts: QuerySet[Post]) -> datetime | None:
    """When the first of these asks and offers expires (it then leaves the list)."""
    return posts.order_by().aggregate(first=Min("expires_at"))["first"]


def flats(*, neighbourhood: Neighbourhood) -> list[Building]:
    """The neighbourhood's flats, for the list's filter."""
    return list(Building.objects.filter(neighbourhood=neighbourhood).order_by("name"))


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) subquery (never a join that would multiply the rows)."""
    counted = (
        queryset.order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _topic_conversations() -> QuerySet[Conversation]:
    return Conversation.objects.filter(
        topic_type=ContentType.objects.get_for_model(Post), topic_id=OuterRef("pk")
    )


def my_posts(*, membership: Membership) -> QuerySet[Post]:
    """The member's own asks and offers, closed and expired ones too, newest first, with how
    many neighbours answered and how many loans each has."""
    return (
        Post.objects.filter(
            neighbourhood_id=membership.neighbourhood_id, author_id=membership.user_id
        )
        .select_related("building", "category")
        .annotate(
            answer_count=_count(_topic_conversations()),
            loan_count=_count(Loan.objects.filter(post=OuterRef("pk"))),
        )
        .order_by("-created_at", "-id")
    )


def post_for_detail(*, neighbourhood: Neighbourhood, pk: int) -> Post | None:
    """One post of this neighbourhood with what its page shows, or None."""
    return (
        Post.objects.select_related("neighbourhood", "author", "building", "category")
        .filter(pk=pk, neighbourhood=neighbourhood)
        .first()
    )


def post_row(*, neighbourhood: Neighbourhood, pk: int) -> Post | None:
    """One post of this neighbourhood, for the forms that change it."""
    return (
        Post.objects.select_related("neighbourhood")
        .filter(pk=pk, neighbourhood=neighbourhood)
        .first()
    )


def answer_conversation(*, post: Post, user) -> Conversation | None:
    """The open private conversation between this neighbour and the author about the post."""
    return open_private_conversation(
        neighbourhood_id=post.neighbourhood_id, user_ids=(user.pk, post.author_id), topic=post
    )


def helper_ids(post: Post) -> set[int]:
    """The neighbours who answered the post: talked with its author about it, or said yes when
    it was sent to them. Only they can be thanked for it."""
    talked = Participant.objects.filter(
        conversation__topic_type=ContentType.objects.get_for_model(Post),
        conversation__topic_id=post.pk,
        conversation__organisation__isnull=True,
    ).filter(
        Exists(
            Participant.objects.filter(
                conversation=OuterRef("conversation"), user_id=post.author_id
            )
        )
    )
    said_yes = Invitation.objects.filter(post=post, answer=Answer.YES)
    members = Membership.objects.filter(neighbourhood_id=post.neighbourhood_id)
    ids = set(talked.values_list("user_id", flat=True)) | set(
        said_yes.values_list("user_id", flat=True)
    )
    ids.discard(post.author_id)
    return set(members.filter(user_id__in=ids).values_list("user_id", flat=True))


def helpers(post: Post) -> list[User]:
    """The neighbours who answered, by name, each with `thanked` (already thanked for it) and
    never anyone the author blocked or was blocked by."""
    ids = helper_ids(post)
    thanked = Thanks.objects.filter(post=post, giver_id=post.author_id, receiver=OuterRef("pk"))
    return list(
        User.objects.filter(pk__in=ids)
        .exclude(_blocked_with(post.author_id, author="pk"))
        .annotate(thanked=Exists(thanked))
        .order_by("display_name", "pk")
    )


def thanks_received(*, person: User, neighbourhood_id: int, limit: int = 5) -> tuple[list, int]:
    """The newest thanks a person received in this neighbourhood, and how many in all."""
    thanks = Thanks.objects.filter(receiver=person, neighbourhood_id=neighbourhood_id)
    newest = list(
        thanks.select_related("giver", "post", "category").order_by("-created_at", "-id")[:limit]
    )
    count = len(newest) if len(newest) < limit else thanks.count()
    return newest, count
