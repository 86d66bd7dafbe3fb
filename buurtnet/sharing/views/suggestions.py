"""The right neighbour for each ask: the asker's page of suggested neighbours (for an ask or an
initiative's need), and the invited neighbour's asks to answer with one tap.

- `for_post`: the author of a live ask (others 404 when they cannot see it, 403 otherwise).
- `for_need`: the initiators of the need's initiative (other members 403).
- `inbox`: any member, their own asks to answer.
- `respond`: the invited neighbour only (anyone else's invitation is 404).
Works without JavaScript; with htmx an answer updates its row in place.
"""

import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtnet.core.ratelimit import RateLimited
from buurtnet.initiatives import permissions as initiative_permissions
from buurtnet.initiatives.models import Need
from buurtnet.neighbourhoods.access import member_required
from buurtnet.sharing import permissions
from buurtnet.sharing.matching import suggest_for_need, suggest_for_post
from buurtnet.sharing.models import Invitation, Post
from buurtnet.sharing.selectors import invitations as selectors
from buurtnet.sharing.services import invitations as services

# The neighbours a suggestions page shows.
SHOWN = 10


def _chosen(request: HttpRequest) -> set[int]:
    """The neighbours ticked in the form sent, to tick them again when it comes back."""
    return {int(value) for value in request.POST.getlist("user") if value.isdigit()}


def _render_suggestions(
    request: HttpRequest,
    *,
    post: Post | None = None,
    need: Need | None = None,
    is_open: bool,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    slug = request.neighbourhood.slug
    if post is not None:
        subject = {
            "title": post.title,
            "text": post.body,
            "when": post.when,
            "language": post.language,
            "on_behalf_of": post.on_behalf_of,
            "initiative_title": "",
        }
        back_url = post.get_absolute_url()
        action_url = reverse("sharing:suggestions", args=[slug, post.pk])
        found = suggest_for_post(post, limit=SHOWN) if is_open else []
        asked = selectors.asked(post=post, asker=request.user, slug=slug)
    else:
        initiative = need.initiative
        subject = {
            "title": need.description,
            "text": "",
            "when": "",
            "language": initiative.language,
            "on_behalf_of": "",
            "initiative_title": initiative.title,
        }
        back_url = reverse("initiatives:detail", args=[slug, initiative.pk])
        action_url = reverse("sharing:need_suggestions", args=[slug, need.pk])
        found = suggest_for_need(need, asker=request.user, limit=SHOWN) if is_open else []
        asked = selectors.asked(need=need, asker=request.user, slug=slug)
    context = {
        "nav": "initiatives" if need is not None else "sharing",
        "subject": subject,
        "is_need": need is not None,
        "is_open": is_open,
        "suggested": selectors.suggested_rows(found, slug=slug),
        "asked": asked,
        "chosen": _chosen(request) if request.method == "POST" else set(),
        "error": error,
        "back_url": back_url,
        "action_url": action_url,
        "max_per_send": services.MAX_PER_SEND,
    }
    return render(request, "sharing/suggestions.html", context, status=status)


def _send(
    request: HttpRequest, *, post: Post | None = None, need: Need | None = None, is_open: bool
) -> HttpResponse:
    """Ask the ticked neighbours; the page again with what went wrong, or with who was asked."""
    try:
        sent = services.invitations_send(
            post=post, need=need, sent_by=request.user, user_ids=request.POST.getlist("user")
        )
    except services.InvitationConflict as exc:
        return _render_suggestions(
            request, post=post, need=need, is_open=False, error=" ".join(exc.messages), status=409
        )
    except ValidationError as exc:
        return _render_suggestions(
            request, post=post, need=need, is_open=is_open, error=" ".join(exc.messages), status=400
        )
    if sent:
        messages.success(
            request,
            ngettext(
                "Sent to %(count)s neighbour. We let you know when they answer.",
                "Sent to %(count)s neighbours. We let you know when they answer.",
                len(sent),
            )
            % {"count": len(sent)},
        )
    else:
        messages.info(request, _("These neighbours were already asked."))
    slug = request.neighbourhood.slug
    if post is not None:
        return redirect("sharing:suggestions", slug, post.pk)
    return redirect("sharing:need_suggestions", slug, need.pk)


@member_required
@require_http_methods(["GET", "POST"])
def for_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.select_related("neighbourhood", "author", "category"),
        pk=pk,
        neighbourhood=request.neighbourhood,
    )
    if not post.is_ask or not permissions.can_view(request.membership, post):
        raise Http404
    if not permissions.is_author(request.membership, post):
        raise PermissionDenied
    is_open = permissions.can_send_to_suggestions(request.membership, post)
    if request.method == "POST":
        return _send(request, post=post, is_open=is_open)
    return _render_suggestions(request, post=post, is_open=is_open)


@member_required
@require_http_methods(["GET", "POST"])
def for_need(request: HttpRequest, need_pk: int) -> HttpResponse:
    need = get_object_or_404(
        Need.objects.select_related("initiative__neighbourhood", "talent"),
        pk=need_pk,
        initiative__neighbourhood=request.neighbourhood,
    )
    initiative = need.initiative
    if not initiative_permissions.can_view(request.membership, initiative):
        raise Http404
    if not initiative_permissions.is_initiator(request.membership, initiative):
        raise PermissionDenied
    is_open = services.need_is_open(need)
    if request.method == "POST":
        return _send(request, need=need, is_open=is_open)
    return _render_suggestions(request, need=need, is_open=is_open)


# --- The invited neighbour --------------------------------------------------------------------


def _render_inbox(
    request: HttpRequest, *, error: str = "", error_pk: int | None = None, status: int = 200
) -> HttpResponse:
    entries = selectors.inbox(user=request.user, neighbourhood=request.neighbourhood)
    context = {
        "nav": "sharing",
        "entries": entries,
        "waiting": sum(1 for entry in entries if entry.can_answer),
        "error": error,
        "error_pk": error_pk,
    }
    return render(request, "sharing/inbox.html", context, status=status)


@member_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return _render_inbox(request)


def _row(request: HttpRequest, pk: int, *, notice: str = "", error: str = "") -> HttpResponse:
    """The answered row alone, for htmx to swap in place (2xx only: it says what went wrong)."""
    entry = selectors.inbox_entry_of(user=request.user, neighbourhood=request.neighbourhood, pk=pk)
    if entry is None:
        return HttpResponse(status=204)
    context = {"entry": entry, "notice": notice, "error": error}
    return render(request, "sharing/_invitation.html", context)


def _refused(
    request: HttpRequest, pk: int, exc: Exception, status: int, *, error: str = ""
) -> HttpResponse:
    error = (
        error
        or " ".join(getattr(exc, "messages", None) or [str(exc)])
        or _("You cannot answer this ask.")
    )
    if request.htmx:
        return _row(request, pk, error=error)
    return _render_inbox(request, error=error, error_pk=pk, status=status)


@member_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    if not Invitation.objects.filter(
        pk=pk, user_id=request.user.pk, neighbourhood=request.neighbourhood
    ).exists():
        raise Http404
    try:
        answered = services.invitation_answer(
            invitation_id=pk, user=request.user, answer=request.POST.get("answer", "")
        )
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc
    except services.InvitationConflict as exc:
        return _refused(request, pk, exc, 409)
    except ValidationError as exc:
        return _refused(request, pk, exc, 400)
    except PermissionDenied as exc:
        return _refused(request, pk, exc, 403)
    except RateLimited as exc:
        # "I can help" starts a conversation, and those are limited per hour.
        minutes = max(1, math.ceil(exc.retry_after / 60))
        error = ngettext(
            "You started many conversations in a short time. Please wait %(minutes)s minute, "
            "then tap “I can help” again.",
            "You started many conversations in a short time. Please wait %(minutes)s minutes, "
            "then tap “I can help” again.",
            minutes,
        ) % {"minutes": minutes}
        response = _refused(request, pk, exc, 429, error=error)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if answered.conversation is not None:
        messages.success(request, _("Thank you! Agree here on how and when you help."))
        url = services.conversation_url(answered.conversation, request.neighbourhood.slug)
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url)
    notice = _("Thank you for letting them know. Maybe another time!")
    if request.htmx:
        return _row(request, pk, notice=notice)
    messages.success(request, notice)
    return redirect(
        f"{reverse('sharing:inbox', args=[request.neighbourhood.slug])}#invitation-{pk}"
    )
