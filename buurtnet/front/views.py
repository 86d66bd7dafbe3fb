from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from buurtnet.core.cache_control import public_for_visitors
from buurtnet.front import selectors
from buurtnet.initiatives import permissions
from buurtnet.initiatives import selectors as initiative_selectors
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.access import get_membership, member_required
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.neighbourhoods.selectors import neighbourhoods_for_index
from buurtnet.notifications import unread

# How long browsers and shared caches may keep a visitor's copy of a public page.
PUBLIC_MAX_AGE = 60


@public_for_visitors(PUBLIC_MAX_AGE)
def home(request: HttpRequest) -> HttpResponse:
    """Members go straight to their neighbourhood; visitors see which neighbourhoods are here."""
    neighbourhoods, mine = neighbourhoods_for_index(user=request.user)
    if len(mine) == 1:
        return redirect("front:member_home", mine[0].slug)
    return render(request, "front/index.html", {"neighbourhoods": neighbourhoods, "mine": mine})


def _landing(request: HttpRequest, neighbourhood: Neighbourhood, membership) -> str:
    context = {
        "nav": "home",
        "neighbourhood": neighbourhood,
        "membership": membership,
        "numbers": selectors.neighbourhood_numbers(neighbourhood=neighbourhood),
        "initiatives": selectors.public_initiatives(neighbourhood=neighbourhood),
        "partners": selectors.partners(neighbourhood=neighbourhood),
    }
    return render_to_string("front/landing.html", context, request=request)


@public_for_visitors(PUBLIC_MAX_AGE)
@require_GET
def landing(request: HttpRequest, slug: str) -> HttpResponse:
    """The public face of a neighbourhood: what it is and how to join, without personal data.

    A visitor without cookies gets the whole page from the cache (per language): it holds no
    form token and nothing personal, so every visitor's copy is the same.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and not request.GET:
        neighbourhood_id = shared_cache.neighbourhood_id_of(slug)
        if neighbourhood_id is None:
            neighbourhood_id = get_object_or_404(Neighbourhood.objects.only("pk"), slug=slug).pk
            shared_cache.remember_slug(slug, neighbourhood_id)
        page = shared_cache.shared(
            neighbourhood_id,
            "landing",
            slug,
            audience="public",
            build=lambda: _landing_for_visitors(request, slug),
        )
        if page is None:
            raise Http404
        return HttpResponse(page)
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.prefetch_related("languages"), slug=slug
    )
    membership = get_membership(user=request.user, neighbourhood=neighbourhood)
    return HttpResponse(_landing(request, neighbourhood, membership))


def _landing_for_visitors(request: HttpRequest, slug: str) -> str | None:
    neighbourhood = Neighbourhood.objects.prefetch_related("languages").filter(slug=slug).first()
    if neighbourhood is None:
        return None  # the slug is free again: the full path answers 404
    return _landing(request, neighbourhood, None)


def _fragment(template: str, context: dict) -> str:
    """A part of a page, rendered without the request (so without anything of the reader's
    that was not passed in); an empty part is an empty string."""
    return mark_safe(render_to_string(template, context).strip())  # noqa: S308 - our template


def _home_shared(neighbourhood) -> dict:
    """What every member's start page shows alike: recent updates, who joined an initiative,
    and the newest neighbours (one more than shown, so the reader can be left out)."""
    newest = selectors.new_neighbours(neighbourhood=neighbourhood, limit=NEW_NEIGHBOURS + 1)
    return {
        "updates": _fragment(
            "front/_home_updates.html",
            {
                "neighbourhood": neighbourhood,
                "updates": initiative_selectors.recent_updates(neighbourhood=neighbourhood),
            },
        ),
        "new_neighbours": [(m.user_id, m.user.display_name) for m in newest],
        "participants": _fragment(
            "front/_home_joined.html",
            {
                "new_participants": initiative_selectors.recent_participants(
                    neighbourhood=neighbourhood
                )
            },
        ),
    }


def _home_own(request: HttpRequest) -> dict:
    """Needs that fit this member's talents, and their own initiatives: theirs alone."""
    neighbourhood, membership = request.neighbourhood, request.membership
    context = {
        "neighbourhood": neighbourhood,
        "membership": membership,
        "matching_needs": initiative_selectors.matching_needs(membership=membership),
        "my_participations": initiative_selectors.initiatives_of(
            user=request.user, neighbourhood=neighbourhood
        ),
    }
    return {
        "needs": _fragment("front/_home_needs.html", context),
        "mine": _fragment("front/_home_mine.html", context),
    }


NEW_NEIGHBOURS = 8


@member_required
@require_GET
def member_home(request: HttpRequest) -> HttpResponse:
    """A member's start page: where they are needed, what happened, who is new."""
    neighbourhood = request.neighbourhood
    user_id = request.user.pk
    shared = shared_cache.shared(
        neighbourhood.pk, "home", build=lambda: _home_shared(neighbourhood)
    )
    own = shared_cache.personal(neighbourhood.pk, user_id, "home", build=lambda: _home_own(request))
    context = {
        "nav": "home",
        "needs_html": own["needs"],
        "mine_html": own["mine"],
        "updates_html": shared["updates"],
        "participants_html": shared["participants"],
        "new_neighbours": [name for pk, name in shared["new_neighbours"] if pk != user_id][
            :NEW_NEIGHBOURS
        ],
        "notifications": unread.recent(user=request.user, limit=5),
        "can_start": permissions.can_start(request.membership),
    }
    return render(request, "front/member_home.html", context)
