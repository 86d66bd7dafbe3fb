"""Where a foundation's money comes from and where it goes: a page for everyone, and the board's
annual report (PDF) and exports (CSV).

The public page holds nothing of the reader: a visitor without cookies gets it whole from the
shared cache (audience "public"); any change to the foundation's rows bumps the
neighbourhood's version. Members see the same page with their menu, board members a link to
their desk.
"""

import csv
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from buurtnet.core.cache_control import cookie_less, public_for_visitors
from buurtnet.funding import ledger, permissions
from buurtnet.funding import report as reports
from buurtnet.funding.access import board_view
from buurtnet.funding.models import GrantRequest, GrantVersion, LedgerLine
from buurtnet.funding.selectors.public import (
    decided_at_subquery,
    foundation_overview,
    public_foundation,
)
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.access import membership_of, neighbourhood_id_or_404

# How long browsers and shared caches may keep a visitor's copy of the public page.
PUBLIC_MAX_AGE = 60
TEMPLATE = "funding/public/foundation.html"


# --- The public page ---------------------------------------------------------------------------


def _overview(foundation, year: int):
    """The foundation's public figures: the same for every reader, kept per year."""
    return shared_cache.shared(
        foundation.neighbourhood_id,
        "foundation-overview",
        foundation.neighbourhood.slug,
        foundation.organisation.slug,
        year,
        audience="public",
        build=lambda: foundation_overview(foundation, year=year),
    )


def _page(request: HttpRequest, foundation, membership, year: int) -> str:
    context = {
        "nav": "organisations",
        "neighbourhood": foundation.neighbourhood,
        "membership": membership,
        "foundation": foundation,
        "overview": _overview(foundation, year),
        "is_board": permissions.is_board(membership, foundation),
    }
    return render_to_string(TEMPLATE, context, request=request)


@public_for_visitors(PUBLIC_MAX_AGE)
@require_safe
def foundation_page(request: HttpRequest, slug: str, org: str) -> HttpResponse:
    """The foundation in plain language: its rules, money in, grants and what the funds hold."""
    year = timezone.localdate().year
    if cookie_less(request):
        neighbourhood_id = neighbourhood_id_or_404(slug)

        def build() -> str | None:
            foundation = public_foundation(
                neighbourhood_id=neighbourhood_id, slug=slug, org_slug=org
            )
            if foundation is None:
                return None
            request.neighbourhood, request.membership = foundation.neighbourhood, None
            return _page(request, foundation, None, year)

        page = shared_cache.shared(
            neighbourhood_id, "foundation-page", slug, org, year, audience="public", build=build
        )
        if page is None:
            raise Http404
        return HttpResponse(page)
    membership = membership_of(request.user, slug) if request.user.is_authenticated else None
    if membership is not None:
        neighbourhood_id = membership.neighbourhood_id
    else:
        neighbourhood_id = neighbourhood_id_or_404(slug)
    foundation = public_foundation(neighbourhood_id=neighbourhood_id, slug=slug, org_slug=org)
    if foundation is None:
        raise Http404
    # The menu is this neighbourhood's for its members; others read the page as visitors do.
    request.neighbourhood, request.membership = foundation.neighbourhood, membership
    return HttpResponse(_page(request, foundation, membership, year))


# --- The board's annual report -----------------------------------------------------------------


@board_view
@require_safe
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The year's figures as a printable PDF."""
    if not reports.year_in_range(year):
        raise Http404
    foundation = request.foundation
    report = reports.annual_report(foundation, year=year)
    response = HttpResponse(reports.annual_report_pdf(report), content_type="application/pdf")
    name = f"foundation-{foundation.organisation.slug}-{year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- CSV exports --------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _decimal(cents: int) -> str:
    """Cents as decimal euros with a dot: 25000 → "250.00"."""
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _iso(moment) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


def _csv_response(name: str):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # spreadsheets read the file as UTF-8
    return response, csv.writer(response)


@board_view
@require_safe
def ledger_csv(request: HttpRequest) -> HttpResponse:
    """Every ledger line: one row each, in the order they were booked."""
    foundation = request.foundation
    response, writer = _csv_response(f"ledger-{foundation.organisation.slug}.csv")
    writer.writerow(
        [
            _("entry"),
            _("date"),
            _("kind"),
            _("memo"),
            _("account"),
            _("fund"),
            _("grant"),
            _("debit"),
            _("credit"),
            _("amount in cents"),
            _("reverses entry"),
        ]
    )
    lines = (
        LedgerLine.objects.filter(entry__foundation=foundation)
        .select_related("entry", "fund")
        .order_by("entry__booked_on", "entry_id", "pk")
    )
    for line in lines.iterator(chunk_size=2000):
        entry = line.entry
        cents = line.amount_cents
        writer.writerow(
            [
                entry.pk,
                _iso(entry.booked_on),
                _text(entry.get_kind_display()),
                _text(entry.memo),
                _text(line.get_account_display()),
                _text(line.fund.name if line.fund else ""),
                line.grant_id or "",
                _decimal(cents) if cents > 0 else "",
                _decimal(-cents) if cents < 0 else "",
                cents,
                entry.reverses_id or "",
            ]
        )
    return response


@board_view
@require_safe
def grants_csv(request: HttpRequest) -> HttpResponse:
    """Every request: what was asked (latest version), granted, paid, spent and returned."""
    foundation = request.foundation
    response, writer = _csv_response(f"grants-{foundation.organisation.slug}.csv")
    money = [_("asked"), _("granted"), _("paid"), _("spent"), _("returned")]
    header = [_("request"), _("initiative"), _("status")]
    for column in money:
        header += [column, _("%(column)s in cents") % {"column": column}]
    writer.writerow([*header, _("fund"), _("submitted at"), _("decided at")])
    latest = GrantVersion.objects.filter(
        request=OuterRef("pk"), submitted_at__isnull=False
    ).order_by("-number")
    grants = list(
        GrantRequest.objects.filter(foundation=foundation, submitted_at__isnull=False)
        .select_related("initiative", "fund")
        .annotate(
            asked_cents=Subquery(latest.values("amount_cents")[:1]),
            decided_at=decided_at_subquery(outcome=None),
        )
        .order_by("pk")
    )
    figures = ledger.grant_figures(g.pk for g in grants)
    for grant in grants:
        figure = figures[grant.pk]
        amounts = [
            grant.asked_cents or 0,
            figure.granted,
            figure.paid,
            figure.spent,
            figure.returned,
        ]
        row = [grant.pk, _text(grant.initiative.title), _text(grant.get_status_display())]
        for cents in amounts:
            row += [_decimal(cents), cents]
        writer.writerow(
            [
                *row,
                _text(grant.fund.name if grant.fund else ""),
                _iso(grant.submitted_at),
                _iso(grant.decided_at),
            ]
        )
    return response
