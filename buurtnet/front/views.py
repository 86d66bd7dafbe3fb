from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from buurtnet.front import selectors
from buurtnet.initiatives import permissions
from buurtnet.initiatives import selectors as initiative_selectors
from buurtnet.neighbourhoods.access import get_membership, member_required
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.notifications.selectors import recent_notifications


@require_GET
def landing(request: HttpRequest, slug: str) -> HttpResponse:
    """The public face of a neighbourhood: what it is and how to join, without personal data."""
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.prefetch_related("languages"), slug=slug
    )
    membership = get_membership(user=request.user, neighbourhood=neighbourhood)
    context = {
        "nav": "home",
        "neighbourhood": neighbourhood,
        "membership": membership,
        "numbers": selectors.neighbourhood_numbers(neighbourhood=neighbourhood),
        "initiatives": selectors.public_initiatives(neighbourhood=neighbourhood),
        "partners": selectors.partners(neighbourhood=neighbourhood),
    }
    return render(request, "front/landing.html", context)


@member_required
@require_GET
def member_home(request: HttpRequest) -> HttpResponse:
    """A member's start page: where they are needed, what happened, who is new."""
    neighbourhood = request.neighbourhood
    membership = request.membership
    context = {
        "nav": "home",
        "matching_needs": initiative_selectors.matching_needs(membership=membership),
        "updates": initiative_selectors.recent_updates(neighbourhood=neighbourhood),
        "new_neighbours": selectors.new_neighbours(
            neighbourhood=neighbourhood, reader=request.user
        ),
        "new_participants": initiative_selectors.recent_participants(neighbourhood=neighbourhood),
        "my_participations": initiative_selectors.initiatives_of(
            user=request.user, neighbourhood=neighbourhood
        ),
        "notifications": recent_notifications(user=request.user, limit=5),
        "can_start": permissions.can_start(membership),
    }
    return render(request, "front/member_home.html", context)
