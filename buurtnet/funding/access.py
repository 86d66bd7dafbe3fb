"""The first lines of every foundation view: which foundation or request, and who may see it.

- `foundation_member_view`: a member of the neighbourhood; `request.foundation` is set.
- `board_view`: a member with a seat on the board (403 for other members).
- `treasurer_view`: the treasurer (403 for other members).
- `grant_view`: a request the member may see (404 otherwise, like a request that does not
  exist); `request.grant` is set.
Non-members get 404 and visitors are sent to log in, as on every member page.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from buurtnet.funding import permissions
from buurtnet.funding.models import Foundation, GrantRequest
from buurtnet.funding.services.board import foundation_of
from buurtnet.neighbourhoods.access import member_required
from buurtnet.neighbourhoods.models import Organisation, OrganisationKind


def get_foundation(neighbourhood, org_slug: str) -> Foundation:
    """The foundation with this slug in the neighbourhood (its money side made on first use)."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("neighbourhood"),
        neighbourhood=neighbourhood,
        slug=org_slug,
        kind=OrganisationKind.FOUNDATION,
    )
    foundation = foundation_of(organisation)
    foundation.organisation = organisation
    foundation.neighbourhood = organisation.neighbourhood
    return foundation


def foundation_member_view(view: Callable) -> Callable:
    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, org: str, *args, **kwargs) -> HttpResponse:
        request.foundation = get_foundation(request.neighbourhood, org)
        return view(request, *args, **kwargs)

    return wrapper


def board_view(view: Callable) -> Callable:
    @foundation_member_view
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.is_board(request.membership, request.foundation):
            raise PermissionDenied
        request.seat = permissions.seat_of(request.foundation, request.user)
        return view(request, *args, **kwargs)

    return wrapper


def treasurer_view(view: Callable) -> Callable:
    @foundation_member_view
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.is_treasurer(request.membership, request.foundation):
            raise PermissionDenied
        request.seat = permissions.seat_of(request.foundation, request.user)
        return view(request, *args, **kwargs)

    return wrapper


def grant_view(view: Callable) -> Callable:
    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        grant = (
            GrantRequest.objects.select_related(
                "foundation__organisation", "foundation__neighbourhood", "initiative", "fund"
            )
            .filter(pk=pk, foundation__neighbourhood=request.neighbourhood)
            .first()
        )
        if grant is None or not permissions.can_view_request(request.membership, grant):
            raise Http404
        request.grant = grant
        request.foundation = grant.foundation
        return view(request, *args, **kwargs)

    return wrapper
