"""Conflicts of interest: which board members may not vote on a request, and why.

A board member may not vote on a request for an initiative they start or take part in, when they
live in the same home as one of its initiators, or when they gave money earmarked for it. The
service that records a vote asks here, so a forged POST is refused as firmly as the page hides
the buttons.
"""

import enum

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


def conflicts_of(grant: GrantRequest, user_ids: list[int]) -> dict[int, list[Conflict]]:
    """For each of these people, what keeps them from voting (an empty list: nothing). Three
    queries for any number of people."""
    found: dict[int, list[Conflict]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return found
    initiative = grant.initiative
    taking_part = Participation.objects.filter(
        initiative=initiative,
        status__in=[ParticipationStatus.ACCEPTED, ParticipationStatus.PENDING],
    ).values_list("user_id", "role")
    initiators = set()
    for user_id, role in taking_part:
        if role == ParticipantRole.INITIATOR:
            initiators.add(user_id)
            if user_id in found:
                found[user_id].append(Conflict.INITIATOR)
        elif user_id in found:
            found[user_id].append(Conflict.PARTICIPANT)
    homes = {}
    for user_id, home_id in Membership.objects.filter(
        neighbourhood_id=initiative.neighbourhood_id,
        user_id__in=[*initiators, *user_ids],
        home__isnull=False,
    ).values_list("user_id", "home_id"):
        homes[user_id] = home_id
    initiator_homes = {homes[u] for u in initiators if u in homes}
    for user_id in user_ids:
        if user_id not in initiators and homes.get(user_id) in initiator_homes:
            found[user_id].append(Conflict.SAME_HOME)
    donors = set(
        Donation.objects.filter(
            foundation_id=grant.foundation_id,
            earmarked_initiative_id=initiative.pk,
            donor_id__in=user_ids,
        ).values_list("donor_id", flat=True)
    )
    for user_id in donors:
        found[user_id].append(Conflict.DONOR)
    return found


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
