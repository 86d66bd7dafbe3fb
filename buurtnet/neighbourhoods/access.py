"""Who may see a neighbourhood's private pages. The first lines of every member view use these."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.models import Membership, Neighbourhood


def get_membership(*, user, neighbourhood: Neighbourhood) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organisation", "building")
        .filter(user=user, neighbourhood=neighbourhood)
        .first()
    )


def _membership_row(user, slug: str) -> Membership | None:
    # The neighbourhood and the membership in one query.
    return (
        Membership.objects.select_related("neighbourhood", "organisation", "building")
        .filter(user=user, neighbourhood__slug=slug)
        .first()
    )


def membership_of(user, slug: str) -> Membership | None:
    """The signed-in person's membership of the neighbourhood with this slug (None when there is
    no such neighbourhood or they are not a member: both look the same from outside).

    Kept per member under the neighbourhood's version, so every page after the first costs no
    query here; any change to the membership, its neighbourhood, organisation or flat, or to
    the person, bumps the version.
    """
    neighbourhood_id = shared_cache.neighbourhood_id_of(slug)
    if neighbourhood_id is None:
        membership = _membership_row(user, slug)
        if membership is not None:
            shared_cache.remember_slug(slug, membership.neighbourhood_id)
    else:
        membership = shared_cache.personal(
            neighbourhood_id, user.pk, "membership", build=lambda: _membership_row(user, slug)
        )
        if membership is not None and membership.neighbourhood.slug != slug:
            membership = _membership_row(user, slug)  # the slug now names another place
    if membership is not None:
        membership.user = user
    return membership


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
        membership = membership_of(request.user, slug)
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
