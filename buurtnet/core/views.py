from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from buurtnet.neighbourhoods.selectors import neighbourhoods_for_index


def home(request: HttpRequest) -> HttpResponse:
    """Members go straight to their neighbourhood; visitors see which neighbourhoods are here."""
    neighbourhoods, mine = neighbourhoods_for_index(user=request.user)
    if len(mine) == 1:
        return redirect("front:member_home", mine[0].slug)
    return render(request, "core/index.html", {"neighbourhoods": neighbourhoods, "mine": mine})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """A bare endpoint: what the app costs without any page work (used by bench/)."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
