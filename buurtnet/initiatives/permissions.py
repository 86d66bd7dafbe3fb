"""Who may do what with an initiative. Views, templates and services all ask here.

The initiators keep the lead: only they change the initiative, decide who joins and which
support is welcome. Neighbours on board share updates and learnings. Professionals offer support
on behalf of their organisation and never act for the initiative. Hosts have no extra power here:
they look after people, not initiatives.
"""

from dataclasses import dataclass

from buurtnet.initiatives.models import (
    Initiative,
    OfferStatus,
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Status,
    SupportOffer,
)
from buurtnet.neighbourhoods.models import Membership

# Statuses from which people can still join, offer support or add needs.
OPEN_STATUSES = frozenset(s for s in Status.values if s != Status.ENDED)


def _in_neighbourhood(membership: Membership | None, initiative: Initiative) -> bool:
    return membership is not None and membership.neighbourhood_id == initiative.neighbourhood_id


def participation_of(membership: Membership | None, initiative: Initiative) -> Participation | None:
    """The member's participation in the initiative, from the prefetch when there is one."""
    if not _in_neighbourhood(membership, initiative):
        return None
    cache = getattr(initiative, "_prefetched_objects_cache", {})
    if "participations" in cache:
        for participation in cache["participations"]:
            if participation.user_id == membership.user_id:
                return participation
        return None
    memo = initiative.__dict__.setdefault("_participation_memo", {})
    if membership.user_id not in memo:
        memo[membership.user_id] = Participation.objects.filter(
            initiative=initiative, user_id=membership.user_id
        ).first()
    return memo[membership.user_id]


def is_initiator(membership: Membership | None, initiative: Initiative) -> bool:
    if membership is None or not membership.is_resident:
        return False
    participation = participation_of(membership, initiative)
    return (
        participation is not None
        and participation.role == ParticipantRole.INITIATOR
        and participation.status == ParticipationStatus.ACCEPTED
    )


def is_on_board(membership: Membership | None, initiative: Initiative) -> bool:
    """An accepted participant or initiator (always a resident)."""
    if membership is None or not membership.is_resident:
        return False
    participation = participation_of(membership, initiative)
    return participation is not None and participation.status == ParticipationStatus.ACCEPTED


def can_start(membership: Membership | None) -> bool:
    """Residents (hosts included) start initiatives; professionals join in on them instead."""
    return membership is not None and membership.is_resident


def can_view(membership: Membership | None, initiative: Initiative) -> bool:
    return _in_neighbourhood(membership, initiative)


def can_edit(membership: Membership | None, initiative: Initiative) -> bool:
    return is_initiator(membership, initiative)


def can_change_status(membership: Membership | None, initiative: Initiative) -> bool:
    return is_initiator(membership, initiative)


def can_decide_participants(membership: Membership | None, initiative: Initiative) -> bool:
    return is_initiator(membership, initiative)


def can_add_initiator(membership: Membership | None, initiative: Initiative) -> bool:
    return is_initiator(membership, initiative)


def can_join(membership: Membership | None, initiative: Initiative) -> bool:
    """Residents who are not on board yet (or left earlier) may ask to join an open initiative."""
    if membership is None or not membership.is_resident:
        return False
    if not _in_neighbourhood(membership, initiative) or initiative.status not in OPEN_STATUSES:
        return False
    participation = participation_of(membership, initiative)
    return participation is None or participation.status == ParticipationStatus.LEFT


def _has_other_initiators(initiative: Initiative, participation: Participation) -> bool:
    cache = getattr(initiative, "_prefetched_objects_cache", {})
    if "participations" in cache:
        others = [
            p
            for p in cache["participations"]
            if p.role == ParticipantRole.INITIATOR
            and p.status == ParticipationStatus.ACCEPTED
            and p.pk != participation.pk
        ]
        return bool(others)
    return (
        Participation.objects.filter(
            initiative=initiative,
            role=ParticipantRole.INITIATOR,
            status=ParticipationStatus.ACCEPTED,
        )
        .exclude(pk=participation.pk)
        .exists()
    )


def can_leave(membership: Membership | None, initiative: Initiative) -> bool:
    """Anyone on board or waiting may step out; the last initiator first passes on the lead."""
    if membership is None:
        return False
    participation = participation_of(membership, initiative)
    if participation is None:
        return False
    if participation.status not in (ParticipationStatus.PENDING, ParticipationStatus.ACCEPTED):
        return False
    if participation.role == ParticipantRole.INITIATOR:
        return _has_other_initiators(initiative, participation)
    return True


def can_offer_support(membership: Membership | None, initiative: Initiative) -> bool:
    """Professionals offer support on behalf of their organisation in this neighbourhood."""
    if membership is None or not membership.is_professional:
        return False
    if membership.organisation_id is None or not _in_neighbourhood(membership, initiative):
        return False
    return initiative.status in OPEN_STATUSES


def can_decide_offers(membership: Membership | None, initiative: Initiative) -> bool:
    return is_initiator(membership, initiative)


def can_withdraw_offer(membership: Membership | None, offer: SupportOffer) -> bool:
    if membership is None or offer.offered_by_id != membership.user_id:
        return False
    if not _in_neighbourhood(membership, offer.initiative):
        return False
    return offer.status in (OfferStatus.PENDING, OfferStatus.ACCEPTED)


def can_post_update(membership: Membership | None, initiative: Initiative) -> bool:
    return is_on_board(membership, initiative)


def can_post_learning(membership: Membership | None, initiative: Initiative) -> bool:
    return is_on_board(membership, initiative)


def can_add_need(membership: Membership | None, initiative: Initiative) -> bool:
    return is_initiator(membership, initiative) and initiative.status in OPEN_STATUSES


def can_mark_need_met(membership: Membership | None, initiative: Initiative) -> bool:
    return is_initiator(membership, initiative)


@dataclass(frozen=True)
class InitiativePermissions:
    """Every answer for one member and one initiative, for templates (`perms.edit`)."""

    view: bool
    edit: bool
    change_status: bool
    decide_participants: bool
    add_initiator: bool
    join: bool
    leave: bool
    offer_support: bool
    decide_offers: bool
    post_update: bool
    post_learning: bool
    add_need: bool
    mark_need_met: bool
    is_initiator: bool
    is_on_board: bool
    participation: Participation | None

    @property
    def manage(self) -> bool:
        """Whether the initiators' page has anything for this member."""
        return self.decide_participants or self.decide_offers or self.change_status


def permissions_for(membership: Membership | None, initiative: Initiative) -> InitiativePermissions:
    return InitiativePermissions(
        view=can_view(membership, initiative),
        edit=can_edit(membership, initiative),
        change_status=can_change_status(membership, initiative),
        decide_participants=can_decide_participants(membership, initiative),
        add_initiator=can_add_initiator(membership, initiative),
        join=can_join(membership, initiative),
        leave=can_leave(membership, initiative),
        offer_support=can_offer_support(membership, initiative),
        decide_offers=can_decide_offers(membership, initiative),
        post_update=can_post_update(membership, initiative),
        post_learning=can_post_learning(membership, initiative),
        add_need=can_add_need(membership, initiative),
        mark_need_met=can_mark_need_met(membership, initiative),
        is_initiator=is_initiator(membership, initiative),
        is_on_board=is_on_board(membership, initiative),
        participation=participation_of(membership, initiative),
    )
