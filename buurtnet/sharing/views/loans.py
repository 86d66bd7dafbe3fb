"""Lending: asking to borrow an offered item, the loan's own page, and the owner's and the
borrower's buttons on it (accept, decline, cancel, handed over, returned)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from buurtnet.core.forms import add_service_errors
from buurtnet.neighbourhoods.access import member_required
from buurtnet.sharing import permissions
from buurtnet.sharing.forms.loans import DeclineForm, LoanRequestForm
from buurtnet.sharing.models import Loan, Post
from buurtnet.sharing.selectors import loans as selectors
from buurtnet.sharing.services import loans as services
from buurtnet.sharing.services.loans import LoanConflict, today_in

STEPS = {
    "accept": services.loan_accept,
    "decline": services.loan_decline,
    "cancel": services.loan_cancel,
    "hand_over": services.loan_hand_over,
    "returned": services.loan_return,
}


def _offer(request: HttpRequest, pk: int) -> Post:
    """A lendable offer the member may see (404 otherwise, like one that does not exist)."""
    post = (
        Post.objects.select_related("neighbourhood", "author")
        .filter(pk=pk, neighbourhood=request.neighbourhood)
        .first()
    )
    if post is None or not permissions.can_view(request.membership, post) or not post.is_lendable:
        raise Http404
    return post


def _loan(request: HttpRequest, pk: int) -> Loan:
    """A loan the member owns or borrows (404 for everyone else, hosts included)."""
    loan = selectors.loan_of(neighbourhood=request.neighbourhood, pk=pk)
    if loan is None or not permissions.can_follow_loan(request.membership, loan):
        raise Http404
    return loan


def _refusal(request: HttpRequest, post: Post) -> tuple[str, int]:
    """Why this member cannot ask to borrow this item at all, with the status to answer."""
    if post.author_id == request.user.pk:
        return _("This is your own item: you cannot borrow it."), 403
    if not post.is_live:
        return _("This offer is closed or no longer up: you can no longer borrow it."), 409
    return "", 200


def _service_errors(form, exc: ValidationError) -> int:
    add_service_errors(form, exc)
    return 409 if isinstance(exc, LoanConflict) else 400


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def loan_request(request: HttpRequest, pk: int) -> HttpResponse:
    post = _offer(request, pk)
    today = today_in(post.neighbourhood)
    refusal, status = _refusal(request, post)
    posted = request.method == "POST" and not refusal
    form = LoanRequestForm(request.POST if posted else None, today=today)
    if posted:
        status = 400
        if form.is_valid():
            try:
                loan = services.loan_request(
                    by=request.membership,
                    post=post,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as exc:
                status = _service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your request is sent. %(name)s will let you know.")
                    % {"name": post.author.display_name},
                )
                return redirect("sharing:loan", request.neighbourhood.slug, loan.pk)
    context = {
        "post": post,
        "form": form,
        "refusal": refusal,
        "taken": selectors.taken_spans(post, today=today),
    }
    return render(request, "sharing/loan_form.html", context, status=status)


def _render_loan(
    request: HttpRequest,
    loan: Loan,
    *,
    status: int = 200,
    error: str = "",
    decline_form: DeclineForm | None = None,
) -> HttpResponse:
    context = {
        "page": selectors.loan_page(loan=loan, membership=request.membership),
        "loan": loan,
        "post": loan.post,
        "error": error,
        "decline_form": decline_form or DeclineForm(),
    }
    return render(request, "sharing/loan.html", context, status=status)


@member_required
@require_safe
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_loan(request, _loan(request, pk))


def _done(action: str, loan: Loan) -> str:
    name = loan.borrower.display_name
    return {
        "accept": _("You lend it to %(name)s. They hear it from Buurtnet.") % {"name": name},
        "decline": _("You said no to %(name)s. They hear it from Buurtnet.") % {"name": name},
        "cancel": _("Your request is cancelled."),
        "hand_over": _("Noted: the item is with %(name)s.") % {"name": name},
        "returned": _("Noted: the item is back with you. Thank you for lending it!"),
    }[action]


@member_required
@require_POST
def loan_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in STEPS:
        raise Http404
    loan = _loan(request, pk)
    decline_form = DeclineForm(request.POST) if action == "decline" else None
    try:
        if decline_form is not None:
            if not decline_form.is_valid():
                # Only the owner hears that their reason is too long.
                if not permissions.can_decide_loan(request.membership, loan):
                    raise PermissionDenied
                return _render_loan(request, loan, status=400, decline_form=decline_form)
            services.loan_decline(
                by=request.membership, loan=loan, reason=decline_form.cleaned_data["reason"]
            )
        else:
            STEPS[action](by=request.membership, loan=loan)
    except LoanConflict as exc:
        fresh = selectors.loan_of(neighbourhood=request.neighbourhood, pk=loan.pk)
        return _render_loan(request, fresh, status=409, error=" ".join(exc.messages))
    except ValidationError as exc:
        if decline_form is not None:
            add_service_errors(decline_form, exc)
            return _render_loan(request, loan, status=400, decline_form=decline_form)
        return _render_loan(request, loan, status=400, error=" ".join(exc.messages))
    messages.success(request, _done(action, loan))
    if request.POST.get("back") == "post":
        return redirect(f"{loan.post.get_absolute_url()}#loans")
    return redirect("sharing:loan", request.neighbourhood.slug, loan.pk)
