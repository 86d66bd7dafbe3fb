"""The board's pages: the desk, the rules, the seats and the funds."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from buurtnet.core.forms import add_service_errors
from buurtnet.funding import ledger, permissions
from buurtnet.funding.access import board_view, foundation_member_view, treasurer_view
from buurtnet.funding.forms.board import FundForm, RulesForm, SeatForm
from buurtnet.funding.models import BoardRole, BoardSeat, Fund
from buurtnet.funding.selectors import board as selectors
from buurtnet.funding.services import board as services

GET_OR_POST = ["GET", "HEAD", "POST"]


def _invalid(request: HttpRequest) -> None:
    messages.error(request, _("Please check what you filled in: some of it needs a change."))


def _back(request: HttpRequest, name: str) -> HttpResponse:
    return redirect(
        f"funding:{name}", request.neighbourhood.slug, request.foundation.organisation.slug
    )


def _context(request: HttpRequest, page: str, **extra) -> dict:
    foundation = request.foundation
    return {
        "nav": "organisations",
        "page": page,
        "foundation": foundation,
        "organisation": foundation.organisation,
        "seat": permissions.seat_of(foundation, request.user),
        **extra,
    }


@board_view
@require_safe
def desk(request: HttpRequest) -> HttpResponse:
    """The board's home: open requests in order of need, the money, recent decisions."""
    foundation = request.foundation
    is_treasurer = request.seat.role == BoardRole.TREASURER
    context = _context(
        request,
        "desk",
        requests=selectors.open_requests(foundation, user_id=request.user.pk),
        funds=selectors.funds_with_balance(foundation),
        bank_balance=ledger.bank_balance(foundation),
        decisions=selectors.recent_decisions(foundation),
        work=selectors.treasurer_work(foundation) if is_treasurer else None,
        year=timezone.localdate().year,
    )
    return render(request, "funding/board/desk.html", context)


@board_view
@require_http_methods(GET_OR_POST)
def rules(request: HttpRequest) -> HttpResponse:
    foundation = request.foundation
    status = 200
    if request.method == "POST":
        form = RulesForm(request.POST)
        if form.is_valid():
            try:
                # A copy: the service sets what was typed on it, saved or not.
                services.rules_update(
                    by=request.membership, foundation=copy.copy(foundation), **form.values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc, fields=RulesForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("The rules are saved."))
                return _back(request, "rules")
        _invalid(request)
        status = 400
    else:
        form = RulesForm(initial=RulesForm.initial_of(foundation))
    return render(
        request, "funding/board/rules.html", _context(request, "rules", form=form), status=status
    )


@foundation_member_view
@require_http_methods(GET_OR_POST)
def seats(request: HttpRequest) -> HttpResponse:
    """The board and its history; the chair or a host gives seats here."""
    foundation = request.foundation
    membership = request.membership
    may_manage = permissions.can_manage_seats(membership, foundation)
    if not may_manage and not permissions.is_board(membership, foundation):
        raise PermissionDenied
    form = None
    status = 200
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        form = SeatForm(request.POST, foundation=foundation)
        if form.is_valid():
            member = form.cleaned_data["member"]
            try:
                seat = services.seat_grant(
                    by=membership,
                    foundation=foundation,
                    member=member,
                    role=form.cleaned_data["role"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s now sits on the board as %(role)s.")
                    % {"name": member.user.display_name, "role": seat.get_role_display().lower()},
                )
                return _back(request, "seats")
        _invalid(request)
        status = 400
    elif may_manage:
        form = SeatForm(foundation=foundation)
    context = _context(
        request,
        "seats",
        form=form,
        may_manage=may_manage,
        seats_now=selectors.current_seats(foundation),
        seats_ended=selectors.ended_seats(foundation),
    )
    return render(request, "funding/board/seats.html", context, status=status)


@foundation_member_view
@require_POST
def seat_end(request: HttpRequest, seat_pk: int) -> HttpResponse:
    foundation = request.foundation
    if not permissions.can_manage_seats(request.membership, foundation):
        raise PermissionDenied
    seat = get_object_or_404(
        BoardSeat.objects.select_related("user"), pk=seat_pk, foundation=foundation
    )
    seat.foundation = foundation
    if seat.ended_at is not None:
        messages.info(request, _("This seat had ended already."))
    else:
        services.seat_end(by=request.membership, seat=seat)
        messages.success(
            request,
            _("%(name)s no longer sits on the board.") % {"name": seat.user.display_name},
        )
    return _back(request, "seats")


@board_view
@require_http_methods(GET_OR_POST)
def funds(request: HttpRequest) -> HttpResponse:
    """Every fund with its balance; the treasurer opens new ones."""
    foundation = request.foundation
    is_treasurer = permissions.is_treasurer(request.membership, foundation)
    form = None
    status = 200
    if request.method == "POST":
        if not is_treasurer:
            raise PermissionDenied
        form = FundForm(request.POST)
        if form.is_valid():
            try:
                fund = services.fund_save(
                    by=request.membership, foundation=foundation, **form.values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The fund “%(name)s” is opened.") % {"name": fund.name})
                return _back(request, "funds")
        _invalid(request)
        status = 400
    elif is_treasurer:
        form = FundForm()
    context = _context(
        request,
        "funds",
        funds=selectors.funds_with_balance(foundation),
        form=form,
        is_treasurer=is_treasurer,
    )
    return render(request, "funding/board/funds.html", context, status=status)


@treasurer_view
@require_http_methods(GET_OR_POST)
def fund_edit(request: HttpRequest, fund_pk: int) -> HttpResponse:
    foundation = request.foundation
    fund = get_object_or_404(Fund, pk=fund_pk, foundation=foundation)
    name = fund.name  # the heading keeps the saved name while the form is sent back
    status = 200
    if request.method == "POST":
        form = FundForm(request.POST)
        if form.is_valid():
            try:
                services.fund_save(
                    by=request.membership, foundation=foundation, fund=fund, **form.values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The fund is saved."))
                return _back(request, "funds")
        _invalid(request)
        status = 400
    else:
        form = FundForm(initial=FundForm.initial_of(fund))
    context = _context(request, "funds", fund=fund, fund_name=name, form=form)
    return render(request, "funding/board/fund_edit.html", context, status=status)
