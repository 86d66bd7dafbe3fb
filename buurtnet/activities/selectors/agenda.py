"""The agenda's reads: which activities can occur in a period, and who may plan one."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet, Sum
from django.shortcuts import get_object_or_404

from buurtnet.activities.links import occurrence_from_key
from buurtnet.activities.models import (
    Activity,
    Place,
    PlaceKeeper,
    Rsvp,
    RsvpStatus,
)
from buurtnet.activities.recurrence import Occurrence, occurrences_for_neighbourhood
from buurtnet.activities.selectors.feeds import public_activities, with_schedule
from buurtnet.initiatives.models import (
    Initiative,
    ParticipantRole,
    Participation,
    ParticipationStatus,
)
from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import Language


@dataclass(frozen=True)
class AgendaEntry:
    """One occurrence on the agenda, with the seats its "going" answers take."""

    occurrence: Occurrence
    going: int


def agenda_activities(
    neighbourhood: Neighbourhood,
    *,
    place: Place | None = None,
    initiative: Initiative | None = None,
    language: Language | None = None,
    audience: str = "",
) -> QuerySet[Activity]:
    """The neighbourhood's activities for its members, narrowed by the agenda's filters."""
    activities = with_schedule(Activity.objects.filter(neighbourhood=neighbourhood))
    if place is not None:
        activities = activities.filter(place=place)
    if initiative is not None:
        activities = activities.filter(initiative=initiative)
    if language is not None:
        activities = activities.filter(languages=language)
    if audience:
        activities = activities.filter(audience=audience)
    return activities


def agenda(
    neighbourhood: Neighbourhood,
    start: datetime,
    end: datetime,
    *,
    activities: QuerySet[Activity] | None = None,
) -> list[AgendaEntry]:
    """Occurrences in [start, end) with their seats taken: three queries however many there are."""
    found = occurrences_for_neighbourhood(
        neighbourhood,
        start,
        end,
        queryset=activities if activities is not None else agenda_activities(neighbourhood),
    )
    going: dict[tuple[int, datetime], int] = {}
    if found:
        rows = (
            Rsvp.objects.filter(
                activity__in={o.activity.pk for o in found},
                occurrence_start__gte=min(o.original_start for o in found),
                occurrence_start__lte=max(o.original_start for o in found),
                status=RsvpStatus.GOING,
                waitlisted=False,
            )
            .values("activity_id", "occurrence_start")
            .annotate(seats=Sum(F("guests") + 1))
        )
        going = {(row["activity_id"], row["occurrence_start"]): row["seats"] for row in rows}
    return [AgendaEntry(o, going.get((o.activity.pk, o.original_start), 0)) for o in found]


def public_agenda(
    neighbourhood: Neighbourhood,
    start: datetime,
    end: datetime,
    *,
    initiative: Initiative | None = None,
) -> list[Occurrence]:
    """What visitors may see in [start, end): occurrences of the public activities (never those
    of a members-only initiative), cancelled ones flagged, by start. Three queries (activities,
    their changes, their languages) however many there are; no answers are read.

    `initiative` narrows it to one initiative's activities."""
    activities = public_activities(neighbourhood)
    if initiative is not None:
        activities = activities.filter(initiative=initiative)
    return occurrences_for_neighbourhood(neighbourhood, start, end, queryset=activities)


def public_occurrence(
    neighbourhood: Neighbourhood, activity_pk: int, when: str
) -> Occurrence | None:
    """One date of a public activity as its address names it; None for any other (a
    members-only activity looks the same as one that does not exist)."""
    activity = public_activities(neighbourhood).filter(pk=activity_pk).first()
    if activity is None:
        return None
    return occurrence_from_key(activity, when)


def may_plan(membership: Membership | None) -> bool:
    """Whether the member may organise something: a keeper of one of the neighbourhood's
    places, or an initiator of one of its initiatives. Two queries at most."""
    if membership is None or not membership.is_resident:
        return False
    if PlaceKeeper.objects.filter(
        user_id=membership.user_id, place__neighbourhood_id=membership.neighbourhood_id
    ).exists():
        return True
    return Participation.objects.filter(
        user_id=membership.user_id,
        initiative__neighbourhood_id=membership.neighbourhood_id,
        role=ParticipantRole.INITIATOR,
        status=ParticipationStatus.ACCEPTED,
    ).exists()


def activity_in(neighbourhood: Neighbourhood, pk: int) -> Activity:
    """An activity of the neighbourhood, loaded to describe it; another's is not found."""
    return get_object_or_404(
        Activity.objects.select_related("neighbourhood", "place", "initiative").prefetch_related(
            "languages"
        ),
        neighbourhood=neighbourhood,
        pk=pk,
    )
