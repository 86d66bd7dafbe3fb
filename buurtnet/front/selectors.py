"""Reads for the pages composed from several domains."""

from dataclasses import dataclass

from django.db.models import QuerySet

from buurtnet.initiatives.models import (
    Initiative,
    Participation,
    ParticipationStatus,
    Status,
    Visibility,
)
from buurtnet.initiatives.selectors import with_counts
from buurtnet.neighbourhoods.models import Membership, Neighbourhood, Organisation, Role

# Initiatives that are under way: past the idea, not paused or ended.
ACTIVE_STATUSES = (Status.STARTING, Status.ACTIVE, Status.STRUCTURAL)


@dataclass(frozen=True)
class Numbers:
    members: int
    active_initiatives: int
    partners: int
    people_taking_part: int


def neighbourhood_numbers(*, neighbourhood: Neighbourhood) -> Numbers:
    """Totals only: the public page never names a member."""
    return Numbers(
        members=Membership.objects.filter(
            neighbourhood=neighbourhood, user__is_active=True
        ).count(),
        active_initiatives=Initiative.objects.filter(
            neighbourhood=neighbourhood, status__in=ACTIVE_STATUSES
        ).count(),
        partners=Organisation.objects.filter(neighbourhood=neighbourhood).count(),
        people_taking_part=Participation.objects.filter(
            initiative__neighbourhood=neighbourhood, status=ParticipationStatus.ACCEPTED
        )
        .values("user_id")
        .distinct()
        .count(),
    )


def public_initiatives(*, neighbourhood: Neighbourhood, limit: int = 12) -> QuerySet[Initiative]:
    """What the initiators chose to show everyone, liveliest first (ended ones are left out)."""
    return (
        with_counts(
            Initiative.objects.filter(neighbourhood=neighbourhood, visibility=Visibility.PUBLIC)
        )
        .exclude(status=Status.ENDED)
        .prefetch_related("themes")
        .order_by("-updated_at", "-id")[:limit]
    )


def partners(*, neighbourhood: Neighbourhood) -> QuerySet[Organisation]:
    return Organisation.objects.filter(neighbourhood=neighbourhood)


def new_neighbours(*, neighbourhood: Neighbourhood, limit: int = 8) -> QuerySet[Membership]:
    """The newest residents who chose to be listed; only names are shown. The same for every
    reader (the page leaves the reader out), so it is shared.

    Professionals are partners, not neighbours: the organisations page presents them.
    """
    return (
        Membership.objects.filter(
            neighbourhood=neighbourhood,
            role__in=[Role.RESIDENT, Role.HOST],
            user__is_active=True,
            user__listed_in_directory=True,
        )
        .select_related("user")
        .order_by("-created_at", "-id")[:limit]
    )
