"""The treasurer's pages: money in, bank statements, payments, receipts and the ledger.

Every page is the treasurer's alone (access.treasurer_view); every write goes through
services.money, which checks the same again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from buurtnet.core.forms import add_service_errors
from buurtnet.core.money import euros
from buurtnet.funding import bankfiles
from buurtnet.funding.access import treasurer_view
from buurtnet.funding.forms.treasurer import (
    DonationForm,
    MatchPaymentForm,
    PaymentMarkForm,
    PaymentsFileForm,
    ReceiptCheckForm,
    RefundForm,
    ReverseForm,
    StatementForm,
)
from buurtnet.funding.models import (
    BankLine,
    EntryKind,
    GrantRequest,
    LedgerEntry,
    Payment,
    PaymentBatch,
    PaymentStatus,
    Receipt,
)
from buurtnet.funding.selectors import treasurer as selectors
from buurtnet.funding.services import money

PAGE_SIZE = 50
_GET_POST = ["GET", "HEAD", "POST"]


def _url(request: HttpRequest, name: str, *args) -> str:
    return reverse(
        f"funding:{name}",
        args=[request.neighbourhood.slug, request.foundation.organisation.slug, *args],
    )


def _invalid(request: HttpRequest) -> None:
    messages.error(request, _("Please check what you filled in: some of it needs a change."))


def _errors_of(form: Form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


def _render(request: HttpRequest, template: str, context: dict, status: int = 200):
    context = {"foundation": request.foundation, **context}
    return render(request, f"funding/board/treasurer_{template}.html", context, status=status)


# ------------------------------------------------------------------------------------- money in


def _donation_values(form: DonationForm) -> dict:
    data = form.cleaned_data
    return {
        "fund": data["fund"],
        "amount_cents": data["amount"],
        "received_on": data["received_on"],
        "source_kind": data["source_kind"],
        "public_name": data["public_name"],
        "name_consent": data["name_consent"],
        "reference": data["reference"],
        "donor": data["donor"],
        "earmarked_initiative": data["earmarked_initiative"],
    }


@treasurer_view
@require_http_methods(_GET_POST)
def money_in(request: HttpRequest) -> HttpResponse:
    foundation = request.foundation
    form = DonationForm(
        request.POST if request.method == "POST" else None,
        foundation=foundation,
        initial={"received_on": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                donation = money.donation_record(
                    by=request.membership, foundation=foundation, **_donation_values(form)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(amount)s received for %(fund)s is recorded.")
                    % {"amount": euros(donation.amount_cents), "fund": donation.fund.name},
                )
                return redirect(_url(request, "money_in"))
        _invalid(request)
        status = 400
    page = Paginator(selectors.money_received(foundation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(request, "money_in", {"form": form, "page": page}, status)


# ----------------------------------------------------------------------------------------- bank


def _bank_page(request: HttpRequest, form: StatementForm, status: int = 200) -> HttpResponse:
    foundation = request.foundation
    context = {
        "form": form,
        "statements": selectors.statements(foundation),
        "unmatched": selectors.unmatched_lines(foundation),
        "matched": selectors.recently_matched_lines(foundation),
    }
    return _render(request, "bank", context, status)


@treasurer_view
@require_http_methods(_GET_POST)
def bank(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _bank_page(request, StatementForm())
    form = StatementForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement = money.statement_import(
                by=request.membership,
                foundation=request.foundation,
                data=upload.read(bankfiles.MAX_STATEMENT_BYTES + 1),
                file_name=upload.name or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            lines = statement.lines.count()
            paid = statement.lines.filter(payment__isnull=False).count()
            messages.success(
                request,
                ngettext(
                    "The statement is imported: %(lines)s line, %(paid)s of them matched to a "
                    "payment.",
                    "The statement is imported: %(lines)s lines, %(paid)s of them matched to a "
                    "payment.",
                    lines,
                )
                % {"lines": lines, "paid": paid},
            )
            return redirect(_url(request, "bank"))
    _invalid(request)
    return _bank_page(request, form, status=400)


def _matched_message(line: BankLine) -> str:
    return _("The bank line of %(amount)s is matched.") % {"amount": euros(line.amount_cents)}


@treasurer_view
@require_http_methods(_GET_POST)
def bank_line(request: HttpRequest, line_pk: int) -> HttpResponse:
    foundation = request.foundation
    line = selectors.bank_line(foundation, line_pk)
    if line is None:
        raise Http404
    incoming = line.amount_cents > 0
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if posted is not None else None
    forms: dict[str, Form | None] = {
        "donation_form": None,
        "refund_form": None,
        "payment_form": None,
    }
    if incoming:
        forms["donation_form"] = DonationForm(
            posted if action == "donation" else None,
            foundation=foundation,
            initial={
                "amount": line.amount_cents,
                "received_on": line.booked_on,
                "reference": (line.remittance or line.bank_reference)[:140],
            },
        )
        forms["refund_form"] = RefundForm(
            posted if action == "refund" else None, foundation=foundation
        )
    else:
        forms["payment_form"] = MatchPaymentForm(
            posted if action == "payment" else None, foundation=foundation
        )
    status = 200
    if posted is not None:
        form = forms.get(f"{action}_form") if action in ("donation", "refund", "payment") else None
        if form is None:
            messages.error(request, _("Please choose what this bank line is."))
        elif form.is_valid():
            try:
                if action == "donation":
                    money.donation_record(
                        by=request.membership,
                        foundation=foundation,
                        bank_line=line,
                        **_donation_values(form),
                    )
                elif action == "refund":
                    money.bank_line_match_refund(
                        by=request.membership, line=line, grant=form.cleaned_data["grant"]
                    )
                else:
                    money.bank_line_match_payment(
                        by=request.membership, line=line, payment=form.cleaned_data["payment"]
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
                fresh = selectors.bank_line(foundation, line_pk)
                if fresh is not None and fresh.is_matched:
                    line = fresh
                    messages.error(request, " ".join(exc.messages))
                else:
                    _invalid(request)
            else:
                messages.success(request, _matched_message(line))
                return redirect(_url(request, "bank"))
        else:
            _invalid(request)
        status = 400
    context = {"line": line, "incoming": incoming, **forms}
    return _render(request, "bank_line", context, status)


# ------------------------------------------------------------------------------------- payments


def _payments_page(
    request: HttpRequest,
    *,
    mark: tuple[int, PaymentMarkForm] | None = None,
    file_form: PaymentsFileForm | None = None,
    status: int = 200,
) -> HttpResponse:
    foundation = request.foundation
    rows = selectors.grants_to_pay(foundation)
    shown = False
    for row in rows:
        if mark is not None and mark[0] == row.grant.pk:
            row.form, shown = mark[1], True
        else:
            row.form = PaymentMarkForm(
                initial={"amount": row.left}, auto_id=f"id_grant{row.grant.pk}_%s"
            )
    if mark is not None and not shown:
        for message in _errors_of(mark[1]):
            messages.error(request, message)
    payments = list(selectors.pending_payments(foundation))
    context = {
        "rows": rows,
        "to_pay": [p for p in payments if p.status == PaymentStatus.TO_PAY],
        "in_file": [p for p in payments if p.status == PaymentStatus.IN_FILE],
        "batches": selectors.batches(foundation),
        "file_form": file_form or PaymentsFileForm(),
    }
    return _render(request, "payments", context, status)


@treasurer_view
@require_safe
def payments(request: HttpRequest) -> HttpResponse:
    return _payments_page(request)


@treasurer_view
@require_POST
def payment_mark(request: HttpRequest, grant_pk: int) -> HttpResponse:
    grant = get_object_or_404(
        GrantRequest.objects.select_related("initiative"),
        pk=grant_pk,
        foundation=request.foundation,
    )
    grant.foundation = request.foundation
    form = PaymentMarkForm(request.POST, auto_id=f"id_grant{grant.pk}_%s")
    if form.is_valid():
        try:
            payment = money.payment_mark(
                by=request.membership, grant=grant, amount_cents=form.cleaned_data["amount"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(amount)s for “%(title)s” is marked to pay.")
                % {"amount": euros(payment.amount_cents), "title": grant.initiative.title},
            )
            return redirect(_url(request, "payments"))
    _invalid(request)
    return _payments_page(request, mark=(grant.pk, form), status=400)


@treasurer_view
@require_POST
def payments_file(request: HttpRequest) -> HttpResponse:
    form = PaymentsFileForm(request.POST)
    if form.is_valid():
        try:
            batch = money.payments_file(
                by=request.membership,
                foundation=request.foundation,
                execution_date=form.cleaned_data["execution_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except bankfiles.BadPayments as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                format_html(
                    '{} <a href="{}" download>{}</a>',
                    _("The bank file is made. Upload it on your bank's website."),
                    _url(request, "batch_xml", batch.pk),
                    _("Download %(name)s") % {"name": f"{batch.message_id}.xml"},
                ),
            )
            return redirect(_url(request, "payments"))
    _invalid(request)
    return _payments_page(request, file_form=form, status=400)


@treasurer_view
@require_safe
@never_cache
def batch_xml(request: HttpRequest, batch_pk: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch, pk=batch_pk, foundation=request.foundation)
    response = HttpResponse(batch.xml.encode("utf-8"), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.message_id}.xml"'
    return response


@treasurer_view
@require_POST
def payment_cancel(request: HttpRequest, payment_pk: int) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.select_related("grant__initiative"),
        pk=payment_pk,
        grant__foundation=request.foundation,
    )
    payment.grant.foundation = request.foundation
    try:
        money.payment_cancel(by=request.membership, payment=payment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _payments_page(request, status=400)
    messages.success(
        request,
        _("The payment of %(amount)s to “%(title)s” is cancelled.")
        % {"amount": euros(payment.amount_cents), "title": payment.grant.initiative.title},
    )
    return redirect(_url(request, "payments"))


# -------------------------------------------------------------------------------------- receipts


@treasurer_view
@require_POST
def receipt_check(request: HttpRequest, receipt_pk: int) -> HttpResponse:
    """Posted from the grant request's page; back there after, or a small page with the error."""
    receipt = get_object_or_404(
        Receipt.objects.select_related("grant__initiative"),
        pk=receipt_pk,
        grant__foundation=request.foundation,
    )
    grant = receipt.grant
    grant.foundation = request.foundation
    back = reverse("funding:request", args=[request.neighbourhood.slug, grant.pk]) + "#receipts"
    form = ReceiptCheckForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            money.receipt_check(
                by=request.membership,
                receipt=receipt,
                accept=form.accept,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            if form.accept:
                text = _("The receipt “%(what)s” is accepted.")
            else:
                text = _("The receipt “%(what)s” is not accepted; the initiators are told why.")
            messages.success(request, text % {"what": receipt.description})
            return redirect(back)
    else:
        errors = _errors_of(form)
    context = {"receipt": receipt, "grant": grant, "errors": errors, "back": back}
    return _render(request, "receipt_error", context, status=400)


# ---------------------------------------------------------------------------------------- ledger


def _ledger_page(
    request: HttpRequest,
    page_number,
    *,
    bound: tuple[int, ReverseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    foundation = request.foundation
    page = Paginator(selectors.ledger_entries(foundation), PAGE_SIZE).get_page(page_number)
    shown = False
    for entry in page.object_list:
        reversed_by = getattr(entry, "reversed_by", None)
        entry.reversed_entry = reversed_by
        entry.rows = list(entry.lines.all())
        for line in entry.rows:
            line.debit = max(line.amount_cents, 0)
            line.credit = max(-line.amount_cents, 0)
        entry.form = None
        if entry.kind == EntryKind.RECEIVED and not entry.reverses_id and reversed_by is None:
            if bound is not None and bound[0] == entry.pk:
                entry.form, shown = bound[1], True
            else:
                entry.form = ReverseForm(auto_id=f"id_entry{entry.pk}_%s")
    if bound is not None and not shown:
        for message in _errors_of(bound[1]):
            messages.error(request, message)
    context = {
        "page": page,
        "totals": selectors.account_totals(foundation),
    }
    return _render(request, "ledger", context, status)


@treasurer_view
@require_safe
def ledger(request: HttpRequest) -> HttpResponse:
    return _ledger_page(request, request.GET.get("page"))


@treasurer_view
@require_POST
def entry_reverse(request: HttpRequest, entry_pk: int) -> HttpResponse:
    entry = get_object_or_404(LedgerEntry, pk=entry_pk, foundation=request.foundation)
    entry.foundation = request.foundation
    form = ReverseForm(request.POST, auto_id=f"id_entry{entry.pk}_%s")
    if form.is_valid():
        try:
            money.ledger_entry_reverse(
                by=request.membership, entry=entry, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The entry is reversed. Record the money again if it was booked wrongly."),
            )
            return redirect(_url(request, "ledger"))
    _invalid(request)
    return _ledger_page(request, request.POST.get("page"), bound=(entry.pk, form), status=400)
