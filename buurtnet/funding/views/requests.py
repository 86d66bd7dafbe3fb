"""The pages of a grant request: asking, the request itself, and what the board and the
initiators do on it (files, messages, receipts, votes, decisions)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from buurtnet.core.forms import add_service_errors
from buurtnet.funding import permissions
from buurtnet.funding.access import foundation_member_view, grant_view
from buurtnet.funding.forms import requests as forms
from buurtnet.funding.models import (
    OPEN_GRANT_STATUSES,
    Decision,
    DecisionOutcome,
    Fund,
    GrantRequest,
    GrantStatus,
)
from buurtnet.funding.selectors import requests as selectors
from buurtnet.funding.services import decisions, grants
from buurtnet.funding.services import money as money_services
from buurtnet.funding.services.grants import MAX_BUDGET_LINES
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods.access import member_required

# The forms of the request page, each shown in its own part of the page (its anchor).
PAGE_FORMS = {
    "attachment_form": "files",
    "message_form": "messages",
    "receipt_form": "receipts",
    "vote_form": "board",
    "chair_form": "board",
    "reverse_form": "decisions",
}


def _open_funds(foundation):
    today = timezone.localdate()
    return Fund.objects.filter(foundation=foundation).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def _url(grant: GrantRequest, anchor: str = "") -> str:
    url = reverse("funding:request", args=[grant.foundation.neighbourhood.slug, grant.pk])
    return f"{url}#{anchor}" if anchor else url


def _shown(page: selectors.RequestPage, name: str) -> bool:
    """Whether the page shows this form (a form it does not show has its errors on top)."""
    perms = page.perms
    board = page.board
    return {
        "attachment_form": perms.can_add_files,
        "message_form": perms.can_write_message,
        "receipt_form": perms.can_upload_receipt,
        "vote_form": board is not None and board.may_vote,
        "chair_form": board is not None and board.chair_may_decide,
        "reverse_form": board is not None and board.can_reverse,
    }[name]


def _errors(form) -> list[str]:
    found = [str(error) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            found += [str(error) for error in errors]
    return found


def _render_request(
    request: HttpRequest,
    grant: GrantRequest,
    *,
    status: int = 200,
    action_error: str = "",
    **bound,
) -> HttpResponse:
    """The request page; a form sent back with errors is shown as it was filled in."""
    page = selectors.request_page(grant, request.membership)
    errors_above = [action_error] if action_error else []
    context_forms = {}
    for name in PAGE_FORMS:
        form = bound.get(name)
        if form is not None and not _shown(page, name):
            errors_above += _errors(form)
            form = None
        context_forms[name] = form
    if context_forms["attachment_form"] is None:
        context_forms["attachment_form"] = forms.AttachmentForm(prefix="file")
    if context_forms["message_form"] is None:
        context_forms["message_form"] = forms.MessageForm(prefix="message")
    if context_forms["receipt_form"] is None:
        context_forms["receipt_form"] = forms.ReceiptForm(
            prefix="receipt", lines=page.receipt_line_choices
        )
    if context_forms["vote_form"] is None:
        latest = page.latest_submitted
        context_forms["vote_form"] = forms.VoteForm(
            prefix="vote", initial={"version": latest.number if latest else None}
        )
    if context_forms["chair_form"] is None:
        context_forms["chair_form"] = forms.ChairDecisionForm(prefix="chair")
    if context_forms["reverse_form"] is None:
        standing = page.standing
        context_forms["reverse_form"] = forms.ReverseForm(
            prefix="reverse",
            grants=standing is not None and standing.outcome == DecisionOutcome.DECLINED,
        )
    context = {
        "grant": grant,
        "foundation": grant.foundation,
        "page": page,
        "perms": page.perms,
        "errors_above": errors_above,
        "sent_back": {PAGE_FORMS[name] for name, form in bound.items() if form is not None},
        **context_forms,
    }
    return render(request, "funding/request/detail.html", context, status=status)


# --- Asking -------------------------------------------------------------------------------------


@foundation_member_view
@require_http_methods(["GET", "POST"])
def request_start(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    foundation = request.foundation
    initiative = get_object_or_404(
        Initiative.objects.select_related("neighbourhood"),
        pk=initiative_pk,
        neighbourhood=request.neighbourhood,
    )
    if not permissions.can_apply(request.membership, initiative):
        raise PermissionDenied
    open_request = GrantRequest.objects.filter(
        foundation=foundation, initiative=initiative, status__in=OPEN_GRANT_STATUSES
    ).first()
    if open_request is not None:
        open_request.foundation = foundation
        return redirect(_url(open_request))
    funds = _open_funds(foundation)
    form = forms.GrantRequestForm(
        request.POST if request.method == "POST" else None, funds=funds, start=True
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                grant = grants.grant_request_start(
                    by=request.membership,
                    foundation=foundation,
                    initiative=initiative,
                    fund=form.cleaned_data["fund"],
                    budget=form.budget(),
                    account_holder=form.cleaned_data["account_holder"],
                    iban=form.cleaned_data["iban"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                grant.foundation = foundation
                messages.success(
                    request, _("Your draft is saved. Check it and send it to the board.")
                )
                return redirect(_url(grant))
    context = {
        "foundation": foundation,
        "initiative": initiative,
        "form": form,
        "has_funds": funds.exists(),
        "max_lines": MAX_BUDGET_LINES,
    }
    return render(request, "funding/request/start.html", context, status=status)


@grant_view
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest) -> HttpResponse:
    """The initiators change their draft, or write the next version of a sent request."""
    grant = request.grant
    if not permissions.can_edit_request(request.membership, grant):
        raise PermissionDenied
    draft = grants.draft_of(grant)
    version = draft or grants.latest_submitted(grant)
    revision = grant.status == GrantStatus.SUBMITTED
    funds = _open_funds(grant.foundation) if grant.status == GrantStatus.DRAFT else None
    rows = forms.LINE_ROWS
    if version is not None:
        rows = min(max(rows, version.lines.count() + 2), MAX_BUDGET_LINES)
    form = forms.GrantRequestForm(
        request.POST if request.method == "POST" else None,
        initial=forms.GrantRequestForm.initial_from(grant, version),
        funds=funds,
        revision=revision,
        rows=rows,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                grants.grant_draft_save(
                    by=request.membership,
                    grant=grant,
                    budget=form.budget(),
                    fund=form.cleaned_data.get("fund"),
                    account_holder=form.cleaned_data["account_holder"],
                    iban=form.cleaned_data["iban"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request, _("Your draft is saved. Check it and send it to the board.")
                )
                return redirect(_url(grant))
    context = {
        "grant": grant,
        "foundation": grant.foundation,
        "initiative": grant.initiative,
        "form": form,
        "revision": revision,
        "has_funds": True,
        "max_lines": MAX_BUDGET_LINES,
    }
    return render(request, "funding/request/edit.html", context, status=status)


@grant_view
@require_POST
def request_submit(request: HttpRequest) -> HttpResponse:
    grant = request.grant
    try:
        grants.grant_submit(by=request.membership, grant=grant)
    except ValidationError as exc:
        return _render_request(request, grant, status=400, action_error=" ".join(exc.messages))
    messages.success(request, _("Your request is sent to the board."))
    return redirect(_url(grant))


@grant_view
@require_POST
def request_withdraw(request: HttpRequest) -> HttpResponse:
    grant = request.grant
    try:
        grants.grant_withdraw(by=request.membership, grant=grant)
    except ValidationError as exc:
        return _render_request(request, grant, status=400, action_error=" ".join(exc.messages))
    messages.success(request, _("Your request is withdrawn."))
    return redirect(_url(grant))


# --- Files, messages and receipts ---------------------------------------------------------------


@grant_view
@require_POST
def attachment_add(request: HttpRequest) -> HttpResponse:
    grant = request.grant
    if not permissions.is_applicant(request.membership, grant):
        raise PermissionDenied
    form = forms.AttachmentForm(request.POST, request.FILES, prefix="file")
    if form.is_valid():
        try:
            grants.grant_attachment_add(
                by=request.membership,
                grant=grant,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The file is added."))
            return redirect(_url(grant, "files"))
    return _render_request(request, grant, status=400, attachment_form=form)


@grant_view
@require_POST
def message_post(request: HttpRequest) -> HttpResponse:
    grant = request.grant
    if not permissions.can_write_message(request.membership, grant):
        raise PermissionDenied
    form = forms.MessageForm(request.POST, prefix="message")
    if form.is_valid():
        try:
            grants.grant_message_post(
                by=request.membership,
                grant=grant,
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(_url(grant, "messages"))
    return _render_request(request, grant, status=400, message_form=form)


@grant_view
@require_POST
def receipt_add(request: HttpRequest) -> HttpResponse:
    grant = request.grant
    if not permissions.can_upload_receipt(request.membership, grant):
        raise PermissionDenied
    form = forms.ReceiptForm(
        request.POST,
        request.FILES,
        prefix="receipt",
        lines=selectors.granted_line_texts(grant),
    )
    if form.is_valid():
        try:
            money_services.receipt_add(
                by=request.membership,
                grant=grant,
                budget_line=form.cleaned_data["budget_line"],
                description=form.cleaned_data["description"],
                amount_cents=form.cleaned_data["amount"],
                spent_on=form.cleaned_data["spent_on"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The receipt is sent to the treasurer."))
            return redirect(_url(grant, "receipts"))
    return _render_request(request, grant, status=400, receipt_form=form)


# --- The board ----------------------------------------------------------------------------------


@grant_view
@require_POST
def vote(request: HttpRequest) -> HttpResponse:
    grant = request.grant
    if not permissions.is_board(request.membership, grant.foundation):
        raise PermissionDenied
    form = forms.VoteForm(request.POST, prefix="vote")
    if form.is_valid():
        try:
            decisions.grant_vote(
                by=request.membership,
                grant=grant,
                choice=form.cleaned_data["choice"],
                reason=form.cleaned_data["reason"],
                amount_cents=form.cleaned_data["amount"],
                version_number=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "new_version" and form.cleaned_data.get("version"):
                # Keep what was typed; the form now names the version on the page.
                data = request.POST.copy()
                latest = grant.versions.filter(submitted_at__isnull=False).order_by("-number")
                data["vote-version"] = str(latest.values_list("number", flat=True).first())
                form = forms.VoteForm(data, prefix="vote")
                form.is_valid()
            add_service_errors(form, exc)
        else:
            grant.refresh_from_db(fields=["status"])
            if grant.status == GrantStatus.SUBMITTED:
                messages.success(request, _("Your vote is counted."))
            else:
                messages.success(request, _("Your vote is counted, and it decided the request."))
            return redirect(_url(grant, "board"))
    return _render_request(request, grant, status=400, vote_form=form)


@grant_view
@require_POST
def chair_decide(request: HttpRequest) -> HttpResponse:
    grant = request.grant
    if not permissions.is_chair(request.membership, grant.foundation):
        raise PermissionDenied
    form = forms.ChairDecisionForm(request.POST, prefix="chair")
    if form.is_valid():
        try:
            decisions.grant_chair_decide(
                by=request.membership,
                grant=grant,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                amount_cents=form.cleaned_data["amount"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect(_url(grant, "decisions"))
    return _render_request(request, grant, status=400, chair_form=form)


@member_required
@require_POST
def decision_reverse(request: HttpRequest, decision_pk: int) -> HttpResponse:
    decision = (
        Decision.objects.select_related(
            "request__foundation__organisation",
            "request__foundation__neighbourhood",
            "request__initiative",
            "request__fund",
            "version",
        )
        .filter(pk=decision_pk, request__foundation__neighbourhood=request.neighbourhood)
        .first()
    )
    if decision is None or not permissions.can_view_request(request.membership, decision.request):
        raise Http404
    grant = decision.request
    request.grant = grant
    request.foundation = grant.foundation
    if not permissions.is_chair(request.membership, grant.foundation):
        raise PermissionDenied
    form = forms.ReverseForm(
        request.POST, prefix="reverse", grants=decision.outcome == DecisionOutcome.DECLINED
    )
    if form.is_valid():
        try:
            decisions.grant_decision_reverse(
                by=request.membership,
                decision=decision,
                reason=form.cleaned_data["reason"],
                amount_cents=form.cleaned_data.get("amount"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision is reversed."))
            return redirect(_url(grant, "decisions"))
    return _render_request(request, grant, status=400, reverse_form=form)


@grant_view
@require_safe
def request_detail(request: HttpRequest) -> HttpResponse:
    return _render_request(request, request.grant)
