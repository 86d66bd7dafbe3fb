"""Asks and offers: the list, a member's own, one post, and the one-tap actions on it."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtnet.core.forms import add_service_errors
from buurtnet.core.http import known_params
from buurtnet.core.ratelimit import RateLimited, rate_limited_message
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.access import member_required
from buurtnet.sharing import permissions
from buurtnet.sharing.forms.posts import AnswerForm, CloseForm, FilterForm, PostForm, ThanksForm
from buurtnet.sharing.models import Post, PostStatus, Side
from buurtnet.sharing.selectors import posts as selectors
from buurtnet.sharing.selectors.loans import post_loans
from buurtnet.sharing.services import posts as services

NAV = "sharing"
LIST_PARAMS = ("side", "kind", "category", "flat", "page")
# Answers to a post that is no longer where the request expected it.
CONFLICT = 409


def _post(request: HttpRequest, pk: int, *, for_page: bool = False) -> Post:
    """The post in the member's own neighbourhood, if they may see it; else it does not exist."""
    find = selectors.post_for_detail if for_page else selectors.post_row
    post = find(neighbourhood=request.neighbourhood, pk=pk)
    if post is None or not permissions.can_view(request.membership, post):
        raise Http404
    return post


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _has_code(exc: ValidationError, code: str) -> bool:
    return any(error.code == code for error in getattr(exc, "error_list", []))


def _invalid(request: HttpRequest) -> None:
    messages.error(request, _("Please check what you filled in: some of it needs a change."))


def conversation_url(request: HttpRequest, conversation) -> str:
    """Where a conversation is read."""
    return reverse("conversations:detail", args=[request.neighbourhood.slug, conversation.pk])


# --- The list and the member's own ------------------------------------------------------------


def _filters(neighbourhood, query) -> tuple[str, dict]:
    """The filter form as HTML, and the filters it accepts: alike for every member."""
    form = FilterForm(query, buildings=selectors.flats(neighbourhood=neighbourhood))
    filters = form.filters()
    html = render_to_string("sharing/_filters.html", {"form": form, "neighbourhood": neighbourhood})
    return html, filters


@dataclass(frozen=True)
class _Results:
    html: str
    # The first moment one of the listed asks or offers expires by itself (None: none listed).
    until: datetime | None


def _results(request: HttpRequest, query, filters: dict) -> _Results:
    posts = selectors.post_list(membership=request.membership, **filters)
    page = Paginator(posts, selectors.PAGE_SIZE).get_page(query.get("page"))
    context = {
        "neighbourhood": request.neighbourhood,
        "query": query,
        "page_obj": page,
        "posts": page.object_list,
        "filtered": any(value not in ("", None) for value in filters.values()),
    }
    html = render_to_string("sharing/_results.html", context)
    return _Results(html=html, until=selectors.first_expiry(posts))


def _lasts(results: _Results) -> float:
    """The member's list holds until one of its asks or offers expires, or something changes."""
    if results.until is None:
        return shared_cache.TIMEOUT
    return (results.until - timezone.now()).total_seconds()


@member_required
@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    """The asks and offers the member may see. Both parts come from the cache: the filters are
    alike for everyone, the list is the member's own (what they may see is theirs), kept until
    something in the neighbourhood changes or one of its asks expires."""
    query = known_params(request.GET, LIST_PARAMS)
    without_page = known_params(query, LIST_PARAMS[:-1])
    neighbourhood = request.neighbourhood
    filters_html, filters = shared_cache.shared(
        neighbourhood.pk,
        "share-filters",
        without_page.urlencode(),
        build=lambda: _filters(neighbourhood, without_page),
    )
    results = shared_cache.personal(
        neighbourhood.pk,
        request.membership.user_id,
        "share-list",
        query.urlencode(),
        build=lambda: _results(request, query, filters),
        lasts=_lasts,
    )
    context = {"nav": NAV, "filters": filters_html, "results": results.html}
    return render(request, "sharing/list.html", context)


@member_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    posts = selectors.my_posts(membership=request.membership)
    page = Paginator(posts, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": NAV,
        "page_obj": page,
        "posts": page.object_list,
        "query": known_params(request.GET, ("page",)),
    }
    return render(request, "sharing/mine.html", context)


# --- Writing one --------------------------------------------------------------------------------


def _render_form(request, form, *, side: str, post: Post | None = None, status: int = 200):
    context = {"nav": NAV, "form": form, "side": side, "post": post}
    return render(request, "sharing/post_form.html", context, status=status)


def _rate_limited(request, form, *, side: str, retry_after: int) -> HttpResponse:
    minutes = max(1, -(-retry_after // 60))
    form.add_error(
        None,
        ngettext(
            "You shared a lot in the last hour. Please wait %(minutes)s minute, then send "
            "this again. What you typed is still here.",
            "You shared a lot in the last hour. Please wait %(minutes)s minutes, then send "
            "this again. What you typed is still here.",
            minutes,
        )
        % {"minutes": minutes},
    )
    response = _render_form(request, form, side=side, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@member_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest, side: str) -> HttpResponse:
    if side not in Side.values:
        raise Http404
    _require(not request.membership.is_suspended)
    membership = request.membership
    form = PostForm(request.POST or None, request.FILES or None, side=side, membership=membership)
    if request.method == "GET":
        return _render_form(request, form, side=side)
    if form.is_valid():
        try:
            post = services.post_create(
                membership=membership, side=side, **form.service_arguments()
            )
        except RateLimited as exc:
            return _rate_limited(request, form, side=side, retry_after=exc.retry_after)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if post.is_ask:
                messages.success(
                    request,
                    _("Your ask is up. Neighbours who can help will answer you here."),
                )
            else:
                messages.success(request, _("Your offer is up. Thank you for sharing!"))
            return redirect(reverse("sharing:post", args=[request.neighbourhood.slug, post.pk]))
    _invalid(request)
    return _render_form(request, form, side=side, status=400)


@member_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    _require(permissions.can_edit(request.membership, post))
    # A separate copy: the form writes what was typed onto its instance, valid or not.
    instance = Post.objects.get(pk=post.pk)
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        side=post.side,
        membership=request.membership,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.post_update(
                    membership=request.membership, post=post, **form.service_arguments()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(_url(request, post))
        _invalid(request)
        return _render_form(request, form, side=post.side, post=post, status=400)
    return _render_form(request, form, side=post.side, post=post)


def _url(request: HttpRequest, post: Post) -> str:
    return reverse("sharing:post", args=[request.neighbourhood.slug, post.pk])


# --- One post -----------------------------------------------------------------------------------


def _render_post(
    request: HttpRequest,
    post: Post,
    *,
    status: int = 200,
    answer_form: AnswerForm | None = None,
    error: str = "",
) -> HttpResponse:
    membership = request.membership
    is_author = permissions.is_author(membership, post)
    can_answer = permissions.can_answer(membership, post)
    conversation = (
        None if is_author else selectors.answer_conversation(post=post, user=request.user)
    )
    helpers = selectors.helpers(post) if is_author and post.is_ask else []
    context = {
        "nav": NAV,
        "post": post,
        "author": post.author,
        "is_author": is_author,
        "can_answer": can_answer and conversation is None,
        "can_borrow": permissions.can_request_loan(membership, post),
        "can_suggest": permissions.can_send_to_suggestions(membership, post),
        "conversation_url": conversation_url(request, conversation) if conversation else "",
        "answer_form": answer_form or AnswerForm(),
        "helpers": helpers,
        "can_thank": any(not helper.thanked for helper in helpers),
        "error": error,
        "post_loans": post_loans(post=post, membership=membership),
    }
    return render(request, "sharing/post.html", context, status=status)


@member_required
@require_GET
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_post(request, _post(request, pk, for_page=True))


@member_required
@require_POST
def post_renew(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    _require(permissions.can_edit(request.membership, post))
    try:
        renewed = services.post_renew(membership=request.membership, post=post)
    except ValidationError as exc:
        post = _post(request, pk, for_page=True)
        return _render_post(request, post, status=CONFLICT, error=" ".join(exc.messages))
    messages.success(
        request,
        _("Renewed: it stays up for another two weeks, until %(date)s.")
        % {"date": _date(renewed.expires_at)},
    )
    return redirect(_url(request, post))


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


@member_required
@require_POST
def post_close(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    _require(permissions.can_edit(request.membership, post))
    form = CloseForm(request.POST)
    if not form.is_valid():
        post = _post(request, pk, for_page=True)
        return _render_post(request, post, status=400, error=_("Choose why you close it."))
    try:
        services.post_close(
            membership=request.membership, post=post, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        if _has_code(exc, services.ALREADY_CLOSED):
            # A second tap: it is already where it was meant to go.
            messages.info(request, " ".join(exc.messages))
            return redirect(_url(request, post))
        post = _post(request, pk, for_page=True)
        return _render_post(request, post, status=CONFLICT, error=" ".join(exc.messages))
    if form.cleaned_data["status"] == PostStatus.HELPED:
        text = _("Closed. How good that it worked out!")
        if post.is_ask:
            text = _("Closed. How good that it worked out! You can thank who helped.")
        messages.success(request, text)
    else:
        messages.success(request, _("Closed. Neighbours no longer see it in the list."))
    return redirect(_url(request, post))


@member_required
@require_POST
def post_answer(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk, for_page=True)
    if permissions.is_author(request.membership, post):
        raise PermissionDenied(_("This is your own. Your neighbours answer it."))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        _invalid(request)
        return _render_post(request, post, status=400, answer_form=form)
    try:
        conversation = services.post_answer(
            membership=request.membership, post=post, message=form.cleaned_data["message"]
        )
    except RateLimited as exc:
        response = _render_post(
            request,
            post,
            status=429,
            answer_form=form,
            error=rate_limited_message(exc.retry_after),
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    except ValidationError as exc:
        if _has_code(exc, services.NOT_LIVE):
            return _render_post(
                request, post, status=CONFLICT, answer_form=form, error=" ".join(exc.messages)
            )
        add_service_errors(form, exc, fields={"body": "message"})
        return _render_post(request, post, status=400, answer_form=form)
    messages.success(
        request,
        _("Your message is on its way to %(name)s. Their answer comes to you here.")
        % {"name": post.author.display_name},
    )
    return redirect(conversation_url(request, conversation))


@member_required
@require_http_methods(["GET", "POST"])
def post_thank(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk, for_page=True)
    _require(permissions.is_author(request.membership, post) and post.is_ask)
    people = [helper for helper in selectors.helpers(post) if not helper.thanked]
    form = ThanksForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            receiver = form.cleaned_data["receiver"]
            try:
                services.thanks_give(
                    membership=request.membership,
                    post=post,
                    receiver=receiver,
                    note=form.cleaned_data["note"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as exc:
                if _has_code(exc, services.ALREADY_THANKED):
                    messages.info(request, " ".join(exc.messages))
                    return redirect(_url(request, post))
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your thanks are on their way to %(name)s.")
                    % {"name": receiver.display_name},
                )
                return redirect(_url(request, post))
        _invalid(request)
        status = 400
    context = {"nav": NAV, "post": post, "form": form, "people": people}
    return render(request, "sharing/thank.html", context, status=status)
