"""Reporting, the hosts' queue and what they do about a report, and blocks between members."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtnet.conversations.models import Message
from buurtnet.core.forms import add_service_errors
from buurtnet.core.http import referer_path, safe_next
from buurtnet.moderation import permissions, selectors, services
from buurtnet.moderation.forms import ActionForm, ReportForm
from buurtnet.moderation.models import ActionKind, Report, ReportStatus
from buurtnet.neighbourhoods.access import host_required, member_required
from buurtnet.neighbourhoods.models import Membership
from buurtnet.people import services as people_services
from buurtnet.people.models import User
from buurtnet.sharing.models import Post

PAGE_SIZE = 25


def _problem(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "moderation/problem.html", {"problem": message}, status=status)


def _error_codes(exc: ValidationError) -> set[str]:
    return {error.code for error in exc.error_list} if hasattr(exc, "error_list") else set()


# --- Reporting -----------------------------------------------------------------------------------


def _report_target(request: HttpRequest, what: str, pk: int):
    """What the member reports, if they can see it (404 otherwise, as if it did not exist)."""
    membership = request.membership
    target = None
    visible = False
    if what == "post":
        target = (
            Post.objects.select_related("author")
            .filter(pk=pk, neighbourhood=request.neighbourhood)
            .first()
        )
        visible = target is not None and permissions.can_see_post(membership, target)
    elif what == "message":
        target = (
            Message.objects.select_related("conversation", "author")
            .filter(pk=pk, conversation__neighbourhood=request.neighbourhood)
            .first()
        )
        visible = target is not None and permissions.can_see_message(membership, target)
    elif what == "member":
        target = User.objects.filter(pk=pk).first()
        visible = target is not None and permissions.can_see_member(membership, target)
    if not visible:
        raise Http404
    return target


def _report_back(request: HttpRequest, what: str, target) -> str:
    """Where the member goes after reporting: where they came from, else what they reported."""
    given = request.POST.get("next") if request.method == "POST" else request.GET.get("next")
    back = safe_next(request, given)
    if back is None and request.method == "GET":
        back = safe_next(request, referer_path(request))
    if back and back != request.path:
        return back
    slug = request.neighbourhood.slug
    if what == "post":
        return reverse("sharing:post", args=[slug, target.pk])
    if what == "member":
        return reverse("neighbourhoods:member", args=[slug, target.pk])
    return reverse("front:member_home", args=[slug])


@member_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    """Tell the hosts about an ask or offer, a message or a member that should not be here."""
    target = _report_target(request, what, pk)
    context = {
        "what": what,
        "target_pk": pk,
        "reported": selectors.describe(what, target),
        "next": _report_back(request, what, target),
    }
    if services.about_of(target).pk == request.user.pk:
        context["problem"] = _("You cannot report yourself or what you wrote.")
        return render(request, "moderation/report.html", context, status=400)
    if request.method == "GET":
        already = selectors.open_report_exists(reporter=request.user, target=target)
        return render(
            request,
            "moderation/report.html",
            {**context, "already": already, "form": None if already else ReportForm()},
        )
    form = ReportForm(request.POST)
    if not form.is_valid():
        return render(request, "moderation/report.html", {**context, "form": form}, status=400)
    try:
        services.report_make(
            neighbourhood=request.neighbourhood,
            reporter=request.user,
            target=target,
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
        )
    except ValidationError as exc:
        codes = _error_codes(exc)
        if services.ALREADY_REPORTED in codes:
            return render(
                request, "moderation/report.html", {**context, "already": True}, status=409
            )
        add_service_errors(form, exc)
        status = 429 if services.TOO_MANY in codes else 400
        return render(request, "moderation/report.html", {**context, "form": form}, status=status)
    messages.success(
        request,
        _("Thank you for telling us. A host of %(neighbourhood)s will look at it.")
        % {"neighbourhood": request.neighbourhood.name},
    )
    return redirect(context["next"])


# --- The hosts' queue ----------------------------------------------------------------------------


@host_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Reports waiting for a host first, then the ones handled before."""
    neighbourhood = request.neighbourhood
    page = Paginator(selectors.report_queue(neighbourhood=neighbourhood), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "nav": "host",
        "page": page,
        "reports": selectors.attach_targets(list(page.object_list)),
        "open_count": selectors.open_report_count(neighbourhood_id=neighbourhood.pk),
    }
    return render(request, "moderation/queue.html", context)


def _offered(report: Report, about: Membership | None, host: Membership) -> list[str]:
    """What this host can do about this report, in the order the page lists them."""
    if not permissions.may_act_on(host, report.about):
        return []
    kinds = []
    if report.reported.what in ("post", "message") and report.reported.obj is not None:
        if not report.reported.is_hidden:
            kinds.append(ActionKind.HIDE)
    kinds.append(ActionKind.WARN)
    if about is not None and about.is_suspended:
        kinds.append(ActionKind.LIFT)
    elif permissions.may_suspend(host, about):
        kinds.append(ActionKind.SUSPEND)
    if report.status == ReportStatus.OPEN:
        kinds.append(ActionKind.DISMISS)
    return kinds


def _detail(
    request: HttpRequest,
    report: Report,
    about: Membership | None,
    *,
    form: ActionForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    kinds = _offered(report, about, request.membership)
    context = {
        "nav": "host",
        "report": report,
        "reported": report.reported,
        "about_membership": about,
        "about_me": report.about_id == request.user.pk,
        "history": list(
            selectors.actions_about(neighbourhood=request.neighbourhood, member=report.about)[:20]
        ),
        "form": (form or ActionForm(kinds=kinds)) if kinds else None,
        "problem": problem,
    }
    return render(request, "moderation/report_detail.html", context, status=status)


def _act(kind: str, *, report: Report, host: Membership, data: dict):
    reason = data["reason"]
    if kind == ActionKind.HIDE:
        return services.content_hide(report=report, host=host, reason=reason)
    if kind == ActionKind.WARN:
        return services.member_warn(report=report, host=host, reason=reason)
    if kind == ActionKind.SUSPEND:
        return services.member_suspend(
            report=report, host=host, reason=reason, period=data.get("period") or ""
        )
    if kind == ActionKind.LIFT:
        return services.suspension_lift(report=report, host=host, reason=reason)
    return services.report_dismiss(report=report, host=host, reason=reason)


DONE = {
    ActionKind.HIDE: gettext_lazy("It is hidden, and its author knows why."),
    ActionKind.WARN: gettext_lazy("The member is warned."),
    ActionKind.SUSPEND: gettext_lazy("The member is suspended from the neighbourhood."),
    ActionKind.LIFT: gettext_lazy("The suspension is lifted."),
    ActionKind.DISMISS: gettext_lazy("The report is closed: nothing to do."),
}


@host_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report, what it is about, what hosts did before, and what this host does now."""
    report = selectors.report_for_host(neighbourhood=request.neighbourhood, pk=pk)
    if report is None:
        raise Http404
    about = selectors.membership_here(neighbourhood=request.neighbourhood, user=report.about)
    if request.method == "GET":
        return _detail(request, report, about)
    kinds = _offered(report, about, request.membership)
    kept = {"action": request.POST.get("action", ""), "reason": request.POST.get("reason", "")}
    if report.about_id == request.user.pk:
        return _detail(
            request,
            report,
            about,
            problem=_("This report is about you, so another host decides about it."),
            status=403,
        )
    if kept["action"] == ActionKind.SUSPEND and about is not None and about.is_host:
        return _detail(
            request,
            report,
            about,
            form=ActionForm(initial=kept, kinds=kinds),
            problem=_("A host cannot suspend another host."),
            status=403,
        )
    form = ActionForm(request.POST, kinds=kinds)
    if not form.is_valid():
        return _detail(request, report, about, form=form, status=400)
    kind = form.cleaned_data["action"]
    try:
        _act(kind, report=report, host=request.membership, data=form.cleaned_data)
    except PermissionDenied as exc:
        message = str(exc) or _("You cannot do this here.")
        return _detail(request, report, about, form=form, problem=message, status=403)
    except ValidationError as exc:
        add_service_errors(form, exc)
        status = 409 if services.ALREADY_HANDLED in _error_codes(exc) else 400
        return _detail(request, report, about, form=form, status=status)
    messages.success(request, str(DONE[kind]))
    return redirect("moderation:queue", request.neighbourhood.slug)


@host_required
@require_GET
def actions(request: HttpRequest) -> HttpResponse:
    """Everything hosts did, newest first: the record, never edited."""
    page = Paginator(
        selectors.actions_list(neighbourhood=request.neighbourhood), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "moderation/actions.html", {"nav": "host", "page": page})


# --- Blocks --------------------------------------------------------------------------------------


def _back_or(request: HttpRequest, default: str) -> str:
    return safe_next(request, request.POST.get("next")) or default


@member_required
@require_POST
def block(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Block a member of this neighbourhood: no messages, suggestions or answers, both ways."""
    person = get_object_or_404(
        User.objects.filter(is_active=True, memberships__neighbourhood=request.neighbourhood),
        pk=user_pk,
    )
    try:
        people_services.block_add(blocker=request.user, blocked=person)
    except ValidationError as exc:
        return _problem(request, " ".join(exc.messages), status=400)
    messages.success(
        request,
        _(
            "You blocked %(name)s. You will not see each other's asks, offers or messages, "
            "and Buurtnet will not suggest you to each other."
        )
        % {"name": person.display_name},
    )
    slug = request.neighbourhood.slug
    return redirect(_back_or(request, reverse("neighbourhoods:member", args=[slug, person.pk])))


@member_required
@require_POST
def unblock(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Lift one's own block (the person may have left the neighbourhood since)."""
    person = get_object_or_404(User, pk=user_pk)
    if people_services.block_remove(blocker=request.user, blocked=person):
        messages.success(request, _("You unblocked %(name)s.") % {"name": person.display_name})
    else:
        messages.info(request, _("You had not blocked %(name)s.") % {"name": person.display_name})
    return redirect(
        _back_or(request, reverse("moderation:blocks", args=[request.neighbourhood.slug]))
    )


@member_required
@require_GET
def blocks(request: HttpRequest) -> HttpResponse:
    """The people I blocked, each with a button to unblock."""
    return render(
        request,
        "moderation/blocks.html",
        {"nav": "members", "blocks": list(selectors.blocks_made(user=request.user))},
    )
