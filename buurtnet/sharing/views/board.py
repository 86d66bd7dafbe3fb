"""A flat's notice board: its live asks and offers on one A4 page for the lift or the entrance,
as a page to print and as a PDF, in Dutch and the languages the host picks (`?lang=ar&lang=tr`).

Who may see it: the hosts of the neighbourhood and the residents of that flat, as for the
flat's own posts (sharing.permissions). Anyone else who is a member gets 404, like a member of
another neighbourhood; a visitor is sent to log in.
"""

import math
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from buurtnet.core.ratelimit import RateLimit
from buurtnet.neighbourhoods.access import member_required
from buurtnet.neighbourhoods.models import Building, Membership
from buurtnet.neighbourhoods.selectors import site_url
from buurtnet.sharing import board
from buurtnet.sharing.selectors.board import board_building, board_content

PAGE_TEMPLATE = "sharing/board.html"
# Laying out a PDF takes WeasyPrint a noticeable moment: enough for a host printing a few
# versions, not for a script asking over and over.
PDF_PER_MEMBER = RateLimit("sharing-board-pdf", limit=30, window=10 * 60)


def may_see_board(membership: Membership, building: Building) -> bool:
    """Hosts (who print it) and the residents of the flat; not professionals."""
    if membership.is_suspended or membership.neighbourhood_id != building.neighbourhood_id:
        return False
    if membership.is_host:
        return True
    return membership.is_resident and membership.building_id == building.pk


def _building_or_404(request: HttpRequest, building_pk: int) -> Building:
    building = board_building(neighbourhood=request.neighbourhood, building_pk=building_pk)
    if not may_see_board(request.membership, building):
        raise Http404
    return building


def _sheet(request: HttpRequest, building: Building, languages: list[str]) -> board.BoardSheet:
    content = board_content(
        building=building,
        slug=request.neighbourhood.slug,
        viewer_id=request.user.pk,
        site=site_url(request),
    )
    return board.board_sheet(
        neighbourhood=request.neighbourhood, building=building, content=content, languages=languages
    )


def _page(
    request: HttpRequest,
    building: Building,
    form: board.BoardLanguagesForm,
    sheet: board.BoardSheet | None,
    *,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    # The PDF in the languages shown: what was chosen, or Dutch only after a wrong choice.
    query = urlencode([("lang", code) for code in form.languages()[1:]])
    pdf_url = reverse("sharing:board_pdf", args=[request.neighbourhood.slug, building.pk])
    context = {
        "nav": "sharing",
        "building": building,
        "form": form,
        "sheet": sheet,
        "pdf_url": f"{pdf_url}?{query}" if query else pdf_url,
        "notice": notice,
    }
    return render(request, PAGE_TEMPLATE, context, status=status)


def _too_often(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    return ngettext(
        "The PDF was made many times in a short while. Please wait %(minutes)s minute and try "
        "again, or print this page from your browser.",
        "The PDF was made many times in a short while. Please wait %(minutes)s minutes and try "
        "again, or print this page from your browser.",
        minutes,
    ) % {"minutes": minutes}


def _form(request: HttpRequest) -> board.BoardLanguagesForm:
    return board.BoardLanguagesForm(request.GET if "lang" in request.GET else None)


@member_required
@require_safe
def board_page(request: HttpRequest, building_pk: int) -> HttpResponse:
    """The flat's board to look at and print, with the choice of languages."""
    building = _building_or_404(request, building_pk)
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return _page(request, building, form, None, status=400)
    return _page(request, building, form, _sheet(request, building, form.languages()))


@member_required
@require_safe
def board_pdf(request: HttpRequest, building_pk: int) -> HttpResponse:
    """The same sheet as an A4 PDF, shown in the browser; never kept by a shared cache."""
    building = _building_or_404(request, building_pk)
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return _page(request, building, form, None, status=400)
    sheet = _sheet(request, building, form.languages())
    if not PDF_PER_MEMBER.hit(str(request.user.pk)):
        # The page instead, which prints the same board from the browser.
        retry_after = PDF_PER_MEMBER.retry_after()
        response = _page(request, building, form, sheet, status=429, notice=_too_often(retry_after))
        response["Retry-After"] = str(retry_after)
        return response
    response = HttpResponse(board.board_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{sheet.filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


__all__ = ["board_page", "board_pdf", "may_see_board"]
