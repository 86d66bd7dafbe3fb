"""Who may do what with places and activities. Views and services ask here.

Hosts assign the keepers of a place; keepers are residents who run it. An activity is organised
by the initiators of its initiative, or, without an initiative, by the keepers of its place.
Every member of the neighbourhood may answer whether they come.
"""

from buurtnet.activities.models import Activity, Place, PlaceKeeper
from buurtnet.initiatives.permissions import is_initiator
from buurtnet.neighbourhoods.models import Membership


def is_keeper(membership: Membership | None, place: Place | None) -> bool:
    if membership is None or place is None or not membership.is_resident:
        return False
    if membership.neighbourhood_id != place.neighbourhood_id:
        return False
    return PlaceKeeper.objects.filter(place=place, user_id=membership.user_id).exists()


def can_manage_places(membership: Membership | None) -> bool:
    return membership is not None and membership.is_host


def can_organise(membership: Membership | None, activity: Activity) -> bool:
    if membership is None or membership.neighbourhood_id != activity.neighbourhood_id:
        return False
    if activity.initiative_id is not None:
        return is_initiator(membership, activity.initiative)
    return is_keeper(membership, activity.place)


def can_rsvp(membership: Membership | None, activity: Activity) -> bool:
    return membership is not None and membership.neighbourhood_id == activity.neighbourhood_id
