"""Conflicts of interest: which board members may not vote on a request, and why.

A board member may not vote on a request for an initiative they start or take part in, when they
live in the same home as one of its initiators, or when they gave money earmarked for it. The
service that records a vote asks here, so a forged POST is refused as firmly as the page hides
the buttons.
"""

import enum
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from buurtnet.funding.models import BoardSeat, Donation, GrantRequest
from buurtnet.initiatives.models import ParticipantRole, Participation, ParticipationStatus
from buurtnet.neighbourhoods.models import Membership


class Conflict(enum.Enum):
    INITIATOR = "initiator"
    PARTICIPANT = "participant"
    SAME_HOME = "same_home"
    DONOR = "donor"

    @property
    def reason(self) -> str:
        return str(REASONS[self])


REASONS = {
    Conflict.INITIATOR: _("You are an initiator of this initiative."),
    Conflict.PARTICIPANT: _("You take part in this initiative."),
    Conflict.SAME_HOME: _("You live in the same home as one of its initiators."),
    Conflict.DONOR: _("You gave money earmarked for this initiative."),
}


def conflicts_of_requests(
    grants: list[GrantRequest], user_ids: list[int]
) -> dict[int, dict[int, list[Conflict]]]:
    """For each request (of one foundation) and each of these people, what keeps them from
    voting (an empty list: nothing): grant id → user id → conflicts. Three queries in all,
    however many requests and people."""
    if not grants:
        return {}
    foundation_id = grants[0].foundation_id
    neighbourhood_id = grants[0].initiative.neighbourhood_id
    initiative_ids = {grant.initiative_id for grant in grants}
    initiators: dict[int, set[int]] = defaultdict(set)
    participants: dict[int, set[int]] = defaultdict(set)
    taking_part = Participation.objects.filter(
        initiative_id__in=initiative_ids,
        status__in=[ParticipationStatus.ACCEPTED, ParticipationStatus.PENDING],
    ).values_list("initiative_id", "user_id", "role")
    for initiative_id, user_id, role in taking_part:
        if role == ParticipantRole.INITIATOR:
            initiators[initiative_id].add(user_id)
        else:
            participants[initiative_id].add(user_id)
    all_initiators = set().union(*initiators.values()) if initiators else set()
    homes = dict(
        Membership.objects.filter(
            neighbourhood_id=neighbourhood_id,
            user_id__in=[*all_initiators, *user_ids],
            home__isnull=False,
        ).values_list("user_id", "home_id")
    )
    donors: dict[int, set[int]] = defaultdict(set)
    for initiative_id, donor_id in Donation.objects.filter(
        foundation_id=foundation_id,
        earmarked_initiative_id__in=initiative_ids,
        donor_id__in=user_ids,
    ).values_list("earmarked_initiative_id", "donor_id"):
        donors[initiative_id].add(donor_id)

    found: dict[int, dict[int, list[Conflict]]] = {}
    for grant in grants:
        leads = initiators[grant.initiative_id]
        lead_homes = {homes[u] for u in leads if u in homes}
        per_user: dict[int, list[Conflict]] = {}
        for user_id in user_ids:
            conflicts = []
            if user_id in leads:
                conflicts.append(Conflict.INITIATOR)
            elif user_id in participants[grant.initiative_id]:
                conflicts.append(Conflict.PARTICIPANT)
            if user_id not in leads and homes.get(user_id) in lead_homes:
                conflicts.append(Conflict.SAME_HOME)
            if user_id in donors[grant.initiative_id]:
                conflicts.append(Conflict.DONOR)
            per_user[user_id] = conflicts
        found[grant.pk] = per_user
    return found


def conflicts_of(grant: GrantRequest, user_ids: list[int]) -> dict[int, list[Conflict]]:
    """For each of these people, what keeps them from voting on this request."""
    return conflicts_of_requests([grant], user_ids)[grant.pk]


def conflicts_for(grant: GrantRequest, user) -> list[Conflict]:
    return conflicts_of(grant, [user.pk])[user.pk]


def eligible_seats(grant: GrantRequest) -> tuple[list[BoardSeat], dict[int, list[Conflict]]]:
    """The board's current seats whose holders may vote, and the conflicts of all seats."""
    seats = list(
        BoardSeat.objects.filter(foundation_id=grant.foundation_id, ended_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    conflicts = conflicts_of(grant, [seat.user_id for seat in seats])
    return [seat for seat in seats if not conflicts[seat.user_id]], conflicts
