from django.http import HttpRequest

from buurtnet.neighbourhoods.access import current_membership


def current(request: HttpRequest) -> dict:
    """The neighbourhood and membership a member view resolved (see access.member_required).

    A member's own pages (profile, notifications, calendar) belong to no neighbourhood by their
    address; they keep the menu of the neighbourhood the member came from
    (access.current_membership).
    """
    if not hasattr(request, "membership") and getattr(request, "user", None) is not None:
        current_membership(request)
    return {
        "neighbourhood": getattr(request, "neighbourhood", None),
        "membership": getattr(request, "membership", None),
    }
