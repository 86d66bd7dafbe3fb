"""Reads for calendars and organisers. Each returns what its page or feed shows, loaded."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from buurtnet.activities.models import (
    ACTIVE_BOOKING_STATUSES,
    Activity,
    Booking,
    CalendarToken,
    Place,
    PlaceKeeper,
    PlaceKey,
    PlacePhoto,
    Rsvp,
    RsvpStatus,
)
from buurtnet.activities.recurrence import Occurrence, occurrences_for_neighbourhood
from buurtnet.initiatives.models import (
    Initiative,
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Visibility,
)
from buurtnet.neighbourhoods import names
from buurtnet.neighbourhoods.models import Membership, Neighbourhood, Role
from buurtnet.people.models import Language, User


def _for_calendars(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.select_related("neighbourhood", "place", "initiative").prefetch_related(
        "changes", "languages"
    )


def public_activities(neighbourhood: Neighbourhood) -> QuerySet[Activity]:
    """What visitors may see: public activities, never those of members-only initiatives."""
    return _for_calendars(
        Activity.objects.filter(neighbourhood=neighbourhood, is_public=True).filter(
            Q(initiative__isnull=True) | Q(initiative__visibility=Visibility.PUBLIC)
        )
    )


def feed_activities(queryset: QuerySet[Activity]) -> list[Activity]:
    """Series still to come or of the past year, without series that ended before they began."""
    year_ago = timezone.now() - timedelta(days=365)
    activities = queryset.filter(Q(until__isnull=True) | Q(until__gte=year_ago)).order_by(
        "start_date", "start_time", "id"
    )
    return [a for a in activities if a.until is None or a.until >= a.first_start]


def public_initiative_in(neighbourhood: Neighbourhood, pk: int) -> Initiative:
    """An initiative of the neighbourhood that visitors may see; members-only ones are not found."""
    return get_object_or_404(
        Initiative, neighbourhood=neighbourhood, pk=pk, visibility=Visibility.PUBLIC
    )


def calendar_token_of(user: User) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


def calendar_owner(token: str) -> User:
    """The active person whose calendar address holds this token; unknown tokens are not found."""
    found = get_object_or_404(
        CalendarToken.objects.select_related("user"), token=token, user__is_active=True
    )
    return found.user


def going_activities(user: User) -> QuerySet[Activity]:
    """The series in which the person has a place ("going", not waiting), loaded for a calendar.

    Only in neighbourhoods the person still belongs to.
    """
    going = Rsvp.objects.filter(user=user, status=RsvpStatus.GOING, waitlisted=False)
    return _for_calendars(
        Activity.objects.filter(
            pk__in=going.values("activity_id"),
            neighbourhood__in=Membership.objects.filter(user=user).values("neighbourhood_id"),
        )
    )


def place_in(neighbourhood: Neighbourhood, pk: int) -> Place:
    return get_object_or_404(Place, neighbourhood=neighbourhood, pk=pk)


def dietary_summary(activity: Activity, occurrence_start: datetime) -> dict:
    """What the cooks need to know for one occurrence, counted per person (guests included).

    {"people": 14, "halal": 6, "vegetarian": 3, "vegan": 0, "no_pork": 2,
     "allergies": [{"text": "nuts", "people": 1}], "waiting": 2}
    """
    summary: dict = {
        "people": 0,
        "halal": 0,
        "vegetarian": 0,
        "vegan": 0,
        "no_pork": 0,
        "allergies": [],
        "waiting": 0,
    }
    allergies: dict[str, int] = {}
    answers = Rsvp.objects.filter(
        activity=activity, occurrence_start=occurrence_start, status=RsvpStatus.GOING
    ).only("guests", "halal", "vegetarian", "vegan", "no_pork", "allergies", "waitlisted")
    for rsvp in answers:
        if rsvp.waitlisted:
            summary["waiting"] += rsvp.seats
            continue
        summary["people"] += rsvp.seats
        for need in ("halal", "vegetarian", "vegan", "no_pork"):
            if getattr(rsvp, need):
                summary[need] += rsvp.seats
        if rsvp.allergies:
            key = rsvp.allergies.strip().lower()
            allergies[key] = allergies.get(key, 0) + rsvp.seats
    summary["allergies"] = [
        {"text": text, "people": people} for text, people in sorted(allergies.items())
    ]
    return summary


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
    activities = _for_calendars(Activity.objects.filter(neighbourhood=neighbourhood))
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


def seats_going(activity: Activity, occurrence_start: datetime) -> int:
    """Seats taken at one occurrence (guests included), the waiting list not counted."""
    return (
        Rsvp.objects.filter(
            activity=activity,
            occurrence_start=occurrence_start,
            status=RsvpStatus.GOING,
            waitlisted=False,
        ).aggregate(seats=Sum(F("guests") + 1))["seats"]
        or 0
    )


def rsvp_of(user: User, activity: Activity, occurrence_start: datetime) -> Rsvp | None:
    return Rsvp.objects.filter(
        activity=activity, occurrence_start=occurrence_start, user=user
    ).first()


def waiting_position(rsvp: Rsvp) -> int | None:
    """Where a waiting answer stands in line (1 is next), or None when it is not waiting."""
    if not rsvp.waitlisted:
        return None
    ahead = (
        Rsvp.objects.filter(
            activity_id=rsvp.activity_id, occurrence_start=rsvp.occurrence_start, waitlisted=True
        )
        .filter(
            Q(waiting_since__lt=rsvp.waiting_since)
            | Q(waiting_since=rsvp.waiting_since, id__lt=rsvp.pk)
        )
        .count()
    )
    return ahead + 1


def attendees(activity: Activity, occurrence_start: datetime) -> dict[str, list[Rsvp]]:
    """Who is going and who waits, in line order, for the organisers."""
    answers = (
        Rsvp.objects.filter(
            activity=activity, occurrence_start=occurrence_start, status=RsvpStatus.GOING
        )
        .select_related("user")
        .order_by("waiting_since", "created_at", "id")
    )
    going: list[Rsvp] = []
    waiting: list[Rsvp] = []
    for rsvp in answers:
        (waiting if rsvp.waitlisted else going).append(rsvp)
    return {"going": going, "waiting": waiting}


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


def places_of(neighbourhood: Neighbourhood) -> QuerySet[Place]:
    """The neighbourhood's places with their keepers and photos: three queries for any number."""
    return Place.objects.filter(neighbourhood=neighbourhood).prefetch_related(
        Prefetch("keepers", queryset=PlaceKeeper.objects.select_related("user")),
        "photos",
    )


def place_detail(neighbourhood: Neighbourhood, pk: int) -> Place:
    """A place of the neighbourhood with its keepers and photos; another's place is not found."""
    return get_object_or_404(places_of(neighbourhood).select_related("neighbourhood"), pk=pk)


def _place_ties(place: Place) -> Q:
    """Members whom the keepers and hosts of this place see named already.

    Keepers of any place here (the places page names them), the place's key holders, and members
    whose booking of it still stands (its keepers see who asked). A condition on memberships.
    """
    keepers = PlaceKeeper.objects.filter(place__neighbourhood_id=place.neighbourhood_id)
    holders = PlaceKey.objects.filter(place=place)
    bookers = Booking.objects.filter(place=place, status__in=ACTIVE_BOOKING_STATUSES)
    return (
        Q(user__in=keepers.values("user_id"))
        | Q(user__in=holders.values("holder_id"))
        | Q(user__in=bookers.values("requested_by_id"))
    )


def _place_choosable(place: Place, viewer: User) -> QuerySet[Membership]:
    """Active members a keeper or host of the place may pick (see neighbourhoods.names): those
    listed in the directory, the viewer, and those tied to the place; one query."""
    return names.with_shown_flat(
        Membership.objects.filter(neighbourhood_id=place.neighbourhood_id, user__is_active=True)
        .filter(names.findable(viewer=viewer, ties=_place_ties(place)))
        .order_by("user__display_name", "user_id")
    )


def keeper_candidates(place: Place, *, viewer: User) -> QuerySet[Membership]:
    """Residents (hosts included) the host may make keeper of the place: not keeping it yet."""
    return (
        _place_choosable(place, viewer)
        .filter(role__in=[Role.RESIDENT, Role.HOST])
        .exclude(user__in=PlaceKeeper.objects.filter(place=place).values("user_id"))
    )


def key_candidates(place: Place, *, viewer: User) -> QuerySet[Membership]:
    """Members a keeper or host may put on the key list: holding no key of the place yet."""
    return _place_choosable(place, viewer).exclude(
        user__in=PlaceKey.objects.filter(place=place).values("holder_id")
    )


def place_keys(place: Place) -> list[PlaceKey]:
    """The key list of a place, for its keepers and the hosts."""
    return list(PlaceKey.objects.filter(place=place).select_related("holder", "given_by"))


def place_photo_in(place: Place, pk: int) -> PlacePhoto:
    return get_object_or_404(PlacePhoto.objects.select_related("place"), place=place, pk=pk)


def activity_in(neighbourhood: Neighbourhood, pk: int) -> Activity:
    """An activity of the neighbourhood, loaded to describe it; another's is not found."""
    return get_object_or_404(
        Activity.objects.select_related("neighbourhood", "place", "initiative").prefetch_related(
            "languages"
        ),
        neighbourhood=neighbourhood,
        pk=pk,
    )
