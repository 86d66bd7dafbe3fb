"""What a flat's printed notice board shows: its live asks and offers, newest first, and the
hosts a neighbour without a smartphone can ask.

A fixed number of queries however many posts the flat has: the page is cut in SQL, and the
rest is only counted.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from buurtnet.neighbourhoods.models import Building, Membership, Neighbourhood, Role
from buurtnet.people.models import Block
from buurtnet.sharing.models import Audience, Post, PostStatus

# What one A4 page holds: two columns of four.
BOARD_SIZE = 8
# Named under "No smartphone?": more names would not fit on the line.
BOARD_HOSTS = 3


@dataclass(frozen=True)
class BoardPost:
    """One ask or offer as the board prints it; `url` is what its QR code opens."""

    pk: int
    side: str
    kind: str
    title: str
    body: str
    language: str
    author: str
    expires_at: datetime
    url: str


@dataclass(frozen=True)
class BoardContent:
    posts: list[BoardPost]
    # Live posts of the flat beyond those printed.
    more: int
    # The neighbourhood's list of asks and offers, for "and N more on Buurtnet".
    list_url: str
    hosts: list[str]


def board_building(*, neighbourhood: Neighbourhood, building_pk: int) -> Building:
    """The flat, only in this neighbourhood (404 otherwise)."""
    return get_object_or_404(Building, pk=building_pk, neighbourhood=neighbourhood)


def _active_member(neighbourhood_id: int, now: datetime) -> Exists:
    """The author still belongs to the neighbourhood and is not suspended."""
    return Exists(
        Membership.objects.filter(
            user_id=OuterRef("author_id"), neighbourhood_id=neighbourhood_id
        ).filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=now))
    )


def board_posts_queryset(*, building: Building, viewer_id: int, now: datetime | None = None):
    """The flat's live asks and offers for everyone in it, newest first.

    Only posts for the whole neighbourhood or for this flat (never those for "only the
    neighbours Buurtnet suggests"), made for this flat, open, not past their date, not hidden;
    not by someone who left or is suspended, and not by anyone the viewer blocked or was
    blocked by (a block works both ways, on paper too).
    """
    now = timezone.now() if now is None else now
    blocked = Block.objects.filter(
        Q(blocker_id=viewer_id, blocked_id=OuterRef("author_id"))
        | Q(blocked_id=viewer_id, blocker_id=OuterRef("author_id"))
    )
    return (
        Post.objects.filter(
            neighbourhood_id=building.neighbourhood_id,
            building=building,
            audience__in=(Audience.NEIGHBOURHOOD, Audience.FLAT),
            status=PostStatus.OPEN,
            expires_at__gt=now,
            hidden_at__isnull=True,
        )
        .filter(_active_member(building.neighbourhood_id, now))
        .exclude(Exists(blocked))
        .order_by("-created_at", "-id")
    )


def board_hosts(*, building: Building, now: datetime | None = None) -> list[str]:
    """Up to BOARD_HOSTS hosts by display name, those living in this flat first."""
    now = timezone.now() if now is None else now
    rows = (
        Membership.objects.filter(neighbourhood_id=building.neighbourhood_id, role=Role.HOST)
        .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=now))
        .annotate(
            elsewhere=Case(
                When(building_id=building.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("elsewhere", "user__display_name", "pk")
        .values_list("user__display_name", flat=True)[:BOARD_HOSTS]
    )
    return [name for name in rows if name]


def board_content(
    *, building: Building, slug: str, viewer_id: int, site: str, limit: int = BOARD_SIZE
) -> BoardContent:
    """What the board of `building` prints for this viewer (three queries). `site` is where
    the absolute addresses in the QR codes start (neighbourhoods.selectors.site_url)."""
    now = timezone.now()
    live = board_posts_queryset(building=building, viewer_id=viewer_id, now=now)
    rows = list(
        live.select_related("author").only(
            "pk",
            "side",
            "kind",
            "title",
            "body",
            "language",
            "expires_at",
            "author__display_name",
        )[:limit]
    )
    total = len(rows) if len(rows) < limit else live.count()
    posts = [
        BoardPost(
            pk=post.pk,
            side=post.side,
            kind=post.kind,
            title=post.title,
            body=post.body,
            language=post.language,
            author=post.author.display_name,
            expires_at=post.expires_at,
            url=site + reverse("sharing:post", args=[slug, post.pk]),
        )
        for post in rows
    ]
    return BoardContent(
        posts=posts,
        more=total - len(posts),
        list_url=site + reverse("sharing:list", args=[slug]),
        hosts=board_hosts(building=building, now=now),
    )
