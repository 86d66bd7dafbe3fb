"""Reads for initiative pages. Each returns a queryset with everything its page shows loaded."""

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from buurtnet.initiatives.models import (
    Initiative,
    Learning,
    Need,
    NeedKind,
    OfferStatus,
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Status,
    SupportOffer,
    Update,
    Visibility,
)
from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import Talent


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) per initiative, so several counts never multiply each other."""
    counted = queryset.order_by().values("initiative").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def open_needs_for(*, user) -> Q:
    """Open needs someone can help with: hands and time, or a talent they have."""
    my_talents = Talent.objects.filter(people=user).values("pk")
    return Q(is_met=False) & (
        Q(kind=NeedKind.HANDS) | Q(kind=NeedKind.TALENT, talent__in=my_talents)
    )


def with_counts(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Add `participant_count` (people on board) and `open_need_count`."""
    return queryset.annotate(
        participant_count=_count(
            Participation.objects.filter(
                initiative=OuterRef("pk"), status=ParticipationStatus.ACCEPTED
            )
        ),
        open_need_count=_count(Need.objects.filter(initiative=OuterRef("pk"), is_met=False)),
    )


def initiative_list(
    *,
    neighbourhood: Neighbourhood,
    membership: Membership,
    status: str = "",
    theme: str = "",
    need_kind: str = "",
    needs_my_talents: bool = False,
    q: str = "",
) -> QuerySet[Initiative]:
    """The initiatives a member sees, filtered, with counts and themes; newest activity first."""
    qs = Initiative.objects.filter(neighbourhood=neighbourhood)
    if status:
        qs = qs.filter(status=status)
    if theme:
        qs = qs.filter(themes__slug=theme)
    if need_kind:
        qs = qs.filter(
            Exists(Need.objects.filter(initiative=OuterRef("pk"), is_met=False, kind=need_kind))
        )
    if needs_my_talents:
        qs = qs.filter(
            Exists(
                Need.objects.filter(open_needs_for(user=membership.user), initiative=OuterRef("pk"))
            )
        )
    for word in q.split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(wish__icontains=word) | Q(description__icontains=word)
        )
    return with_counts(qs).prefetch_related("themes").order_by("-updated_at", "-id")


def initiative_for_detail(*, neighbourhood: Neighbourhood, pk: int) -> Initiative:
    """One initiative with its people, needs, offers, updates and learnings (404 elsewhere)."""
    queryset = Initiative.objects.filter(neighbourhood=neighbourhood).prefetch_related(
        "themes",
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("user")
            .prefetch_related("talents")
            .order_by("created_at", "id"),
        ),
        Prefetch(
            "needs",
            queryset=Need.objects.select_related("talent", "met_by", "met_by_organisation"),
        ),
        Prefetch(
            "support_offers",
            queryset=SupportOffer.objects.select_related("organisation", "offered_by", "need"),
        ),
        Prefetch("updates", queryset=Update.objects.select_related("author")),
        Prefetch("learnings", queryset=Learning.objects.select_related("author")),
    )
    return get_object_or_404(queryset, pk=pk)


def public_initiative(*, neighbourhood: Neighbourhood, pk: int) -> Initiative | None:
    """An initiative its initiators show everyone, for visitors: with its counts, themes and the
    partners whose support it accepted (three queries). None when it is members-only or
    belongs elsewhere: visitors cannot tell the two apart."""
    return (
        with_counts(
            Initiative.objects.filter(
                neighbourhood=neighbourhood, pk=pk, visibility=Visibility.PUBLIC
            )
        )
        .prefetch_related(
            "themes",
            Prefetch(
                "support_offers",
                queryset=SupportOffer.objects.filter(status=OfferStatus.ACCEPTED)
                .select_related("organisation")
                .order_by("created_at", "id"),
            ),
        )
        .first()
    )


def initiatives_of(*, user, neighbourhood: Neighbourhood) -> QuerySet[Participation]:
    """A person's own place in initiatives (leading, on board or waiting), newest first."""
    return (
        Participation.objects.filter(
            user=user,
            initiative__neighbourhood=neighbourhood,
            status__in=[ParticipationStatus.PENDING, ParticipationStatus.ACCEPTED],
        )
        .select_related("initiative")
        .order_by("-initiative__updated_at", "-id")
    )


def supporters(initiative: Initiative) -> list:
    """Organisations whose offer the initiators accepted, once each (uses the detail prefetch)."""
    seen: dict[int, object] = {}
    for offer in initiative.support_offers.all():
        if offer.status == OfferStatus.ACCEPTED and offer.organisation_id not in seen:
            seen[offer.organisation_id] = offer.organisation
    return list(seen.values())


def initiators(initiative: Initiative) -> list[Participation]:
    return [
        p
        for p in initiative.participations.all()
        if p.role == ParticipantRole.INITIATOR and p.status == ParticipationStatus.ACCEPTED
    ]


def participants(initiative: Initiative) -> list[Participation]:
    return [
        p
        for p in initiative.participations.all()
        if p.role == ParticipantRole.PARTICIPANT and p.status == ParticipationStatus.ACCEPTED
    ]


def pending_participations(initiative: Initiative) -> list[Participation]:
    return [p for p in initiative.participations.all() if p.status == ParticipationStatus.PENDING]


def pending_offers(initiative: Initiative) -> list[SupportOffer]:
    return [o for o in initiative.support_offers.all() if o.status == OfferStatus.PENDING]


def waiting_count(initiative: Initiative) -> int:
    """Requests to join and support offers still waiting for the initiators: two counts."""
    return (
        Participation.objects.filter(
            initiative=initiative, status=ParticipationStatus.PENDING
        ).count()
        + SupportOffer.objects.filter(initiative=initiative, status=OfferStatus.PENDING).count()
    )


def offers_of_organisation(initiative: Initiative, *, organisation_id: int) -> list[SupportOffer]:
    """The support offers one organisation made to the initiative, oldest first."""
    return list(
        SupportOffer.objects.filter(initiative=initiative, organisation_id=organisation_id)
        .select_related("organisation", "offered_by", "need")
        .order_by("created_at", "id")
    )


def recent_updates(*, neighbourhood: Neighbourhood, limit: int = 8) -> QuerySet[Update]:
    return Update.objects.filter(initiative__neighbourhood=neighbourhood).select_related(
        "initiative", "author"
    )[:limit]


def matching_needs(*, membership: Membership, limit: int = 8) -> QuerySet[Need]:
    """Open needs a member could meet, in initiatives that have not ended.

    Residents see needs for hands and for their own talents, in initiatives they are not on board
    of yet; professionals, who join in on behalf of their organisation, see every open need.
    """
    needs = Need.objects.filter(
        initiative__neighbourhood_id=membership.neighbourhood_id, is_met=False
    ).exclude(initiative__status=Status.ENDED)
    if not membership.is_professional:
        on_board = Participation.objects.filter(
            initiative=OuterRef("initiative"),
            user_id=membership.user_id,
            status=ParticipationStatus.ACCEPTED,
        )
        needs = needs.filter(open_needs_for(user=membership.user)).exclude(Exists(on_board))
    return needs.select_related("initiative", "talent").order_by("-created_at", "-id")[:limit]


def recent_participants(*, neighbourhood: Neighbourhood, limit: int = 8) -> QuerySet[Participation]:
    """Neighbours listed in the directory who came on board of an initiative recently."""
    return (
        Participation.objects.filter(
            initiative__neighbourhood=neighbourhood,
            role=ParticipantRole.PARTICIPANT,
            status=ParticipationStatus.ACCEPTED,
            user__listed_in_directory=True,
        )
        .select_related("user", "initiative")
        .order_by(F("decided_at").desc(nulls_last=True), "-created_at", "-id")[:limit]
    )
