"""Who may see a neighbourhood's private pages. The first lines of every member view use these."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from buurtnet.neighbourhoods.models import Membership, Neighbourhood


def get_membership(*, user, neighbourhood: Neighbourhood) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organisation", "building")
        .filter(user=user, neighbourhood=neighbourhood)
        .first()
    )


def member_required(view: Callable) -> Callable:
    """Resolve `slug` to the neighbourhood and the visitor's membership.

    Anonymous visitors are sent to log in; a signed-in person who is not a member gets 404,
    so private pages give no hint of what is behind them. The view receives
    `request.neighbourhood` and `request.membership`.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            get_object_or_404(Neighbourhood, slug=slug)
            return redirect_to_login(request.get_full_path())
        # The neighbourhood and the membership in one query; no such neighbourhood and no
        # membership of it look the same from outside.
        membership = (
            Membership.objects.select_related("neighbourhood", "organisation", "building")
            .filter(user=request.user, neighbourhood__slug=slug)
            .first()
        )
        if membership is None:
            raise Http404
        request.neighbourhood = membership.neighbourhood
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapper


def host_required(view: Callable) -> Callable:
    """Like member_required, and the member must be a host (403 otherwise)."""

    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.membership.is_host:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def resident_required(view: Callable) -> Callable:
    """Like member_required, and the member must live here (a resident or host; 403 otherwise)."""

    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.membership.is_resident:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
