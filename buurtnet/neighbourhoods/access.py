"""Who may see a neighbourhood's private pages. The first lines of every member view use these."""

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from buurtnet.core.http import referer_path
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.models import Membership, Neighbourhood


def get_membership(*, user, neighbourhood: Neighbourhood) -> Membership | None:
    """The person's membership, or None when they are not a member or are suspended (a
    suspended member sees nothing of the neighbourhood, its photos included)."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.select_related("organisation", "building")
        .filter(user=user, neighbourhood=neighbourhood)
        .first()
    )
    return None if membership is None or membership.is_suspended else membership


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


def neighbourhood_id_or_404(slug: str) -> int:
    """The neighbourhood a slug names, from the cache when seen before (builders check the slug
    of what they load, so a slug given to another neighbourhood since answers 404)."""
    neighbourhood_id = shared_cache.neighbourhood_id_of(slug)
    if neighbourhood_id is None:
        neighbourhood_id = get_object_or_404(Neighbourhood.objects.only("pk"), slug=slug).pk
        shared_cache.remember_slug(slug, neighbourhood_id)
    return neighbourhood_id


def member_required(view: Callable) -> Callable:
    """Resolve `slug` to the neighbourhood and the visitor's membership.

    Anonymous visitors are sent to log in; a signed-in person who is not a member gets 404,
    so private pages give no hint of what is behind them; a suspended member gets 403 with
    until when and why (suspended_response). The view receives
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
        if membership.is_suspended:
            return suspended_response(request, membership)
        request.neighbourhood = membership.neighbourhood
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapper


# A suspension "until a host lifts it" is stored this far ahead (some databases refuse the year
# 9999); an end date beyond half of it reads as no end date at all.
UNTIL_LIFTED = timedelta(days=365 * 100)


def is_until_lifted(suspended_until: datetime | None) -> bool:
    return suspended_until is not None and suspended_until - timezone.now() > UNTIL_LIFTED / 2


def suspended_response(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A host suspended this member (see moderation): every page of the neighbourhood says so,
    until when, and why (the reason of the last suspension, by the reverse relation, so this
    module imports nothing of the moderation app above it).

    The membership comes from the per-member cache; saving it (suspend or lift) bumps the
    neighbourhood's version, so the change is seen on the very next request.
    """
    reason = (
        membership.user.moderation_received.filter(
            neighbourhood_id=membership.neighbourhood_id, kind="suspend"
        )
        .order_by("-created_at", "-id")
        .values_list("reason", flat=True)
        .first()
    )
    # No neighbourhood menu: none of its pages would open.
    request.neighbourhood = None
    request.membership = None
    context = {
        "suspended_from": membership.neighbourhood,
        "suspended_until": membership.suspended_until,
        "until_lifted": is_until_lifted(membership.suspended_until),
        "reason": reason or "",
    }
    return render(request, "moderation/suspended.html", context, status=403)


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


# A member's own pages (profile, notifications, calendar) belong to no neighbourhood by their
# address, yet they keep the menu of the neighbourhood the member came from: the one named by
# `?n=<slug>`, else the one of the page that linked here (the Referer), else the one these pages
# showed last (kept in the session), else the neighbourhood the member joined last.
#
MEMBER_NAV_SESSION_KEY = "member_nav"
_NEIGHBOURHOOD_PATH = re.compile(r"^/n/(?P<slug>[-a-zA-Z0-9_]{1,50})/")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


def _slug_from_referer(request: HttpRequest) -> str | None:
    """The neighbourhood of the page on this site that linked here, if it was one."""
    match = _NEIGHBOURHOOD_PATH.match(referer_path(request) or "")
    return match["slug"] if match else None


def _newest_membership(user) -> Membership | None:
    membership = (
        Membership.objects.select_related("neighbourhood", "organisation", "building")
        .filter(user=user)
        .order_by("-created_at", "-pk")
        .first()
    )
    if membership is not None:
        membership.user = user
    return membership


def current_membership(request: HttpRequest) -> Membership | None:
    """The signed-in member's current membership for the menu of their own pages (see above),
    also set as `request.neighbourhood` and `request.membership`, as member pages have them.

    Costs no query once the member's membership is cached (neighbourhoods.cache, per person),
    except the one that finds the newest when nothing names a neighbourhood. The session is
    written only when the member comes from another neighbourhood than last time.
    """
    user = request.user
    if not user.is_authenticated:
        return None
    remembered = request.session.get(MEMBER_NAV_SESSION_KEY)
    membership = None
    for slug in (request.GET.get("n"), _slug_from_referer(request), remembered):
        if isinstance(slug, str) and _SLUG.fullmatch(slug):
            membership = membership_of(user, slug)
            if membership is not None:
                break
    if membership is None:
        membership = _newest_membership(user)
    elif membership.neighbourhood.slug != remembered:
        request.session[MEMBER_NAV_SESSION_KEY] = membership.neighbourhood.slug
    if membership is None:
        return None
    request.neighbourhood = membership.neighbourhood
    request.membership = membership
    return membership
