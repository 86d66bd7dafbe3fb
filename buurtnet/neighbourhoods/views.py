import io
from email.utils import parseaddr

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from buurtnet.core.forms import add_service_errors
from buurtnet.core.http import known_params, safe_next
from buurtnet.core.ratelimit import (
    RateLimit,
    RateLimited,
    client_address,
    rate_limited_response,
)
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods import selectors, services
from buurtnet.neighbourhoods.access import (
    get_membership,
    host_required,
    member_required,
)
from buurtnet.neighbourhoods.forms import (
    AskToJoinForm,
    DirectoryFilterForm,
    InviteFilterForm,
    InviteIssueForm,
    MembershipForm,
    SignupForm,
    SignupPasswordForm,
    SlipLanguagesForm,
)
from buurtnet.neighbourhoods.models import (
    InviteCode,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Neighbourhood,
)
from buurtnet.neighbourhoods.slips import slip_pages

DIRECTORY_PARAMS = ("q", "talent", "language", "building", "page")
DIRECTORY_PAGE_SIZE = 48
INVITES_PAGE_SIZE = 100
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


# Joining ----------------------------------------------------------------------------------------
#
# A visitor's sign-up ends on "check your email", whatever the address: the emailed link creates
# the account (see services). Both forms are rate-limited per client address here, and per email
# address in the services.

# Form posts per client address per 15 minutes. Generous: people behind one address (a mobile
# network, the community centre's wifi) share it.
SIGNUP_POSTS_PER_CLIENT = RateLimit(scope="signup-client", limit=30, window=15 * 60)
# What was typed, for the "check your email" page and for fixing a typo.
SIGNUP_SESSION_KEY = "signup_sent"


def _signup_remember(request: HttpRequest, *, email: str, back: str, initial: dict) -> None:
    request.session[SIGNUP_SESSION_KEY] = {"email": email, "back": back, "initial": initial}


def _signup_initial(request: HttpRequest, defaults: dict) -> dict:
    """What was typed before, when the person came back from "check your email" to change it."""
    if request.GET.get("change"):
        sent = request.session.get(SIGNUP_SESSION_KEY) or {}
        return {**defaults, **sent.get("initial", {})}
    return defaults


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Join with the code from the letter; a signed-in person adds another neighbourhood."""
    signed_in = request.user.is_authenticated
    if request.method == "POST":
        form = SignupForm(request.POST, signed_in=signed_in)
        code = request.POST.get("code", "")
        if not SIGNUP_POSTS_PER_CLIENT.hit(client_address(request)):
            return rate_limited_response(
                request,
                "neighbourhoods/signup.html",
                _signup_context(request, code=code),
                form=form,
                retry_after=SIGNUP_POSTS_PER_CLIENT.retry_after(),
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                if signed_in:
                    membership = services.invite_redeem(code=data["code"], user=request.user)
                else:
                    email = services.signup_with_code_start(
                        code=data["code"],
                        display_name=data["display_name"],
                        email=data["email"],
                        preferred_language=data["preferred_language"],
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except RateLimited as exc:
                return rate_limited_response(
                    request,
                    "neighbourhoods/signup.html",
                    _signup_context(request, code=code),
                    form=form,
                    retry_after=exc.retry_after,
                )
            else:
                if not signed_in:
                    _signup_remember(
                        request,
                        email=email,
                        back=f"{reverse('neighbourhoods:signup')}?change=1",
                        initial={
                            "code": services.normalise_invite_code(data["code"]),
                            "display_name": data["display_name"],
                            "email": data["email"],
                            "preferred_language": data["preferred_language"],
                        },
                    )
                    return redirect("neighbourhoods:signup_sent")
                messages.success(
                    request,
                    _("Welcome to %(neighbourhood)s!")
                    % {"neighbourhood": membership.neighbourhood.name},
                )
                return redirect("front:member_home", membership.neighbourhood.slug)
        else:
            _signup_code_check(form)
        return render(
            request,
            "neighbourhoods/signup.html",
            {**_signup_context(request, code=code), "form": form},
            status=400,
        )
    code = services.normalise_invite_code(request.GET.get("code", ""))[:40]
    initial = _signup_initial(request, {"code": code} if code else {})
    form = SignupForm(initial=initial, signed_in=signed_in)
    return render(
        request,
        "neighbourhoods/signup.html",
        {**_signup_context(request, code=initial.get("code", "")), "form": form},
    )


def _signup_code_check(form: SignupForm) -> None:
    """With other fields wrong, the code is checked all the same: every problem at once."""
    code = form.cleaned_data.get("code") if "code" not in form.errors else None
    if not code:
        return
    try:
        services.invite_code_check(code=code)
    except ValidationError as exc:
        add_service_errors(form, exc)


def _signup_context(request: HttpRequest, *, code: str) -> dict:
    back = reverse("neighbourhoods:signup")
    code = services.normalise_invite_code(code)[:40]
    if code:
        back = f"{back}?{urlencode({'code': code})}"
    return {
        "signed_in": request.user.is_authenticated,
        "login_url": f"{reverse('login')}?{urlencode({'next': back})}",
    }


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    """After a visitor's sign-up: look in your email (and in the spam folder) for the link."""
    sent = request.session.get(SIGNUP_SESSION_KEY)
    if not sent:
        return redirect("neighbourhoods:signup")
    context = {
        "email": sent["email"],
        "back": sent["back"],
        "sender": parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        "valid_days": services.SIGNUP_LINK_DAYS,
    }
    return render(request, "neighbourhoods/signup_sent.html", context)


def _landing(result) -> str:
    """Where a new member lands: their neighbourhood, or the page of their request to join."""
    if isinstance(result, Membership):
        return reverse("front:member_home", args=[result.neighbourhood.slug])
    return reverse("neighbourhoods:ask_to_join", args=[result.neighbourhood.slug])


# The link from the sign-up email is a page (`signup_confirm`) whose form posts the link's token
# to a fixed address (`signup_finish`). Django logs the address of every 4xx answer at WARNING;
# so the page with the token in its address only answers 200 or a redirect, also for a link that
# cannot work, and the refusals with their 400 and 409 come from the fixed address.


def _signup_link_page(
    request: HttpRequest,
    link: services.SignupLink | None,
    *,
    form: SignupPasswordForm | None = None,
    error: ValidationError | None = None,
    status: int = 200,
) -> HttpResponse:
    again = reverse("neighbourhoods:signup")
    if link is not None and link.with_code:
        again = f"{again}?{urlencode({'code': link.code})}"
    elif link is not None and link.neighbourhood is not None:
        again = reverse("neighbourhoods:ask_to_join", args=[link.neighbourhood.slug])
    context = {
        "link": link,
        "form": form,
        "error": error,
        "used": "link_used" in _error_codes(error),
        "again": again,
        "login_url": f"{reverse('login')}?{urlencode({'next': again})}",
    }
    return render(request, "neighbourhoods/signup_confirm.html", context, status=status)


# A link that cannot work is refused with 400; one that did its work already, or whose code can
# no longer be used, with 409.
LINK_BROKEN = {"link_invalid", "link_expired"}


def _error_codes(exc: ValidationError | None) -> set[str]:
    if exc is None:
        return set()
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def _link_status(exc: ValidationError) -> int:
    return 400 if _error_codes(exc) & LINK_BROKEN else 409


def _speak_link_language(request: HttpRequest, link: services.SignupLink) -> None:
    """The page speaks the language chosen on the form, also in another browser than that one."""
    translation.activate(link.preferred_language)
    request.LANGUAGE_CODE = link.preferred_language


@never_cache
@require_safe
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the sign-up email: the owner of the mailbox chooses a password here.

    Opening the link changes nothing, so a mail program that looks at links first does not use
    it up; the form posts to `signup_finish`.
    """
    try:
        link = services.signup_link_read(token)
    except ValidationError as exc:
        response = _signup_link_page(request, None, error=exc)
    else:
        _speak_link_language(request, link)
        try:
            services.signup_link_check(link)
        except ValidationError as exc:
            response = _signup_link_failed(request, link, exc, status=200)
        else:
            form = SignupPasswordForm(initial={"token": token})
            response = _signup_link_page(request, link, form=form)
    # Requests from this page (its links, its form) name only the site as where they come from,
    # never this address with the token in it: web servers log that too.
    response["Referrer-Policy"] = "strict-origin"
    return response


@sensitive_post_parameters("password", "password_confirm", "token")
@never_cache
@require_POST
def signup_finish(request: HttpRequest) -> HttpResponse:
    """The form on the sign-up link's page: with a good password, the account is made (once)."""
    token = request.POST.get("token", "")
    try:
        link = services.signup_link_read(token)
    except ValidationError as exc:
        return _signup_link_page(request, None, error=exc, status=400)
    _speak_link_language(request, link)
    try:
        # Before the password: a link that can no longer work says so, whatever was typed.
        services.signup_link_check(link)
    except ValidationError as exc:
        return _signup_link_failed(request, link, exc)
    form = SignupPasswordForm(request.POST)
    if not form.is_valid():
        _signup_password_check(form, link)
    else:
        try:
            result = services.signup_confirm(token=token, password=form.cleaned_data["password"])
        except ValidationError as exc:
            if set(getattr(exc, "error_dict", {})) != {"password"}:
                return _signup_link_failed(request, link, exc)
            add_service_errors(form, exc)
        else:
            login(request, result.user, backend=LOGIN_BACKEND)
            if isinstance(result, Membership):
                messages.success(
                    request,
                    _("Welcome to %(neighbourhood)s!")
                    % {"neighbourhood": result.neighbourhood.name},
                )
            request.session.pop(SIGNUP_SESSION_KEY, None)
            return HttpResponseRedirect(_landing(result))
    return _signup_link_page(request, link, form=form, status=400)


@sensitive_variables("password")
def _signup_password_check(form: SignupPasswordForm, link: services.SignupLink) -> None:
    """With the two passwords different, the password rules speak all the same: every problem
    at once, each beside its field."""
    password = form.cleaned_data.get("password") if "password" not in form.errors else None
    if not password:
        return
    try:
        services.signup_password_check(link=link, password=password)
    except ValidationError as exc:
        add_service_errors(form, exc)


def _signup_link_failed(
    request: HttpRequest,
    link: services.SignupLink,
    exc: ValidationError,
    *,
    status: int | None = None,
) -> HttpResponse:
    """Why the link does not work (with `status`, or the one that fits); or, for the person it
    made the account of, the way in."""
    if request.user.is_authenticated and request.user.email == link.email:
        # Opened once more on the phone that used it: just go in, to the neighbourhood (or the
        # request to join it) the link was for.
        if link.neighbourhood is not None:
            membership = get_membership(user=request.user, neighbourhood=link.neighbourhood)
            if membership is not None:
                return redirect("front:member_home", link.neighbourhood.slug)
            return redirect("neighbourhoods:ask_to_join", link.neighbourhood.slug)
        return redirect("home")
    status = _link_status(exc) if status is None else status
    return _signup_link_page(request, link, error=exc, status=status)


@require_http_methods(["GET", "POST"])
def ask_to_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Someone without a code asks the hosts to let them in."""
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    membership = get_membership(user=request.user, neighbourhood=neighbourhood)
    if membership is not None:
        messages.info(
            request,
            _("You are already a member of %(neighbourhood)s.")
            % {"neighbourhood": neighbourhood.name},
        )
        return redirect("front:member_home", neighbourhood.slug)
    signed_in = request.user.is_authenticated
    pending = None
    if signed_in:
        pending = JoinRequest.objects.filter(
            neighbourhood=neighbourhood, user=request.user, status=JoinRequestStatus.PENDING
        ).first()
    context = {
        "neighbourhood": neighbourhood,
        "membership": None,
        "pending": pending,
        "signed_in": signed_in,
    }
    if pending is not None:
        return render(request, "neighbourhoods/ask_to_join.html", {**context, "form": None})

    if request.method == "GET":
        initial = _signup_initial(request, {})
        form = AskToJoinForm(initial=initial, neighbourhood=neighbourhood, signed_in=signed_in)
        return render(request, "neighbourhoods/ask_to_join.html", {**context, "form": form})

    form = AskToJoinForm(request.POST, neighbourhood=neighbourhood, signed_in=signed_in)
    if not SIGNUP_POSTS_PER_CLIENT.hit(client_address(request)):
        return rate_limited_response(
            request,
            "neighbourhoods/ask_to_join.html",
            context,
            form=form,
            retry_after=SIGNUP_POSTS_PER_CLIENT.retry_after(),
        )
    if form.is_valid():
        data = form.cleaned_data
        try:
            if signed_in:
                services.join_request_create(
                    neighbourhood=neighbourhood,
                    user=request.user,
                    building=data["building"],
                    message=data["message"],
                )
            else:
                email = services.signup_with_request_start(
                    neighbourhood=neighbourhood,
                    display_name=data["display_name"],
                    email=data["email"],
                    preferred_language=data["preferred_language"],
                    building=data["building"],
                    message=data["message"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except RateLimited as exc:
            return rate_limited_response(
                request,
                "neighbourhoods/ask_to_join.html",
                context,
                form=form,
                retry_after=exc.retry_after,
            )
        else:
            if signed_in:
                return redirect("neighbourhoods:ask_to_join", neighbourhood.slug)
            _signup_remember(
                request,
                email=email,
                back=f"{reverse('neighbourhoods:ask_to_join', args=[neighbourhood.slug])}?change=1",
                initial={
                    "display_name": data["display_name"],
                    "email": data["email"],
                    "preferred_language": data["preferred_language"],
                    "building": data["building"].pk if data["building"] else None,
                    "message": data["message"],
                },
            )
            return redirect("neighbourhoods:signup_sent")
    return render(request, "neighbourhoods/ask_to_join.html", {**context, "form": form}, status=400)


@member_required
@require_http_methods(["GET", "POST"])
def my_membership(request: HttpRequest) -> HttpResponse:
    """The member's own settings for this neighbourhood: which flat (never the door)."""
    membership = request.membership
    if request.method == "POST":
        form = MembershipForm(request.POST, neighbourhood=request.neighbourhood)
        if form.is_valid():
            try:
                services.membership_building_set(
                    membership=membership, building=form.cleaned_data["building"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("neighbourhoods:my_membership", request.neighbourhood.slug)
        status = 400
    else:
        form = MembershipForm(
            initial={"building": membership.building_id}, neighbourhood=request.neighbourhood
        )
        status = 200
    return render(
        request,
        "neighbourhoods/my_membership.html",
        {"form": form, "nav": "home"},
        status=status,
    )


# Hosts ------------------------------------------------------------------------------------------


def _invite_filters(request: HttpRequest) -> tuple[InviteFilterForm, dict]:
    form = InviteFilterForm(
        request.GET if ("building" in request.GET or "status" in request.GET) else None,
        neighbourhood=request.neighbourhood,
    )
    return form, form.filters()


def _export_params(filters: dict) -> dict:
    """The host page's filters, for the links and forms that print or download its codes."""
    return {
        "building": filters["building"].pk if filters["building"] else "",
        "status": filters["status"],
    }


def _host_page(
    request: HttpRequest, *, issue_form: InviteIssueForm | None = None, status: int = 200
) -> HttpResponse:
    neighbourhood = request.neighbourhood
    filter_form, filters = _invite_filters(request)
    if filter_form.is_bound and filter_form.errors and status == 200:
        status = 400
    codes = selectors.invite_codes_for_host(neighbourhood=neighbourhood, **filters)
    page = Paginator(codes, INVITES_PAGE_SIZE).get_page(request.GET.get("page"))
    site = selectors.site_url(request)
    context = {
        "nav": "host",
        "join_requests": list(selectors.join_requests_pending(neighbourhood=neighbourhood)),
        "issue_form": issue_form or InviteIssueForm(neighbourhood=neighbourhood),
        "filter_form": filter_form,
        "page": page,
        "codes": list(
            zip(
                page.object_list,
                selectors.invite_slips(page.object_list, site=site),
                strict=True,
            )
        ),
        "export_query": urlencode(_export_params(filters)),
        "export_params": _export_params(filters),
        "languages_form": SlipLanguagesForm(),
        "buildings": list(neighbourhood.buildings.all()),
    }
    return render(request, "neighbourhoods/host.html", context, status=status)


@host_required
@require_GET
def host(request: HttpRequest) -> HttpResponse:
    """Hosts welcome people: requests to join and the invite codes for the letterboxes."""
    return _host_page(request)


@host_required
@require_POST
def join_request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    join_request = get_object_or_404(
        JoinRequest, pk=request_id, neighbourhood=request.neighbourhood
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        return HttpResponseBadRequest(_("Please choose to approve or decline."))
    error = ""
    try:
        services.join_request_decide(
            request_id=join_request.pk, host=request.user, approve=decision == "approve"
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    join_request.refresh_from_db()
    if request.htmx:
        return render(
            request,
            "neighbourhoods/_join_request_row.html",
            {"join_request": join_request, "error": error},
            status=409 if error else 200,
        )
    if error:
        messages.error(request, error)
    elif join_request.status == JoinRequestStatus.APPROVED:
        messages.success(
            request,
            _("%(name)s is now a member.") % {"name": join_request.user.display_name},
        )
    else:
        messages.success(
            request,
            _("You declined the request of %(name)s.") % {"name": join_request.user.display_name},
        )
    return redirect("neighbourhoods:host", request.neighbourhood.slug)


@host_required
@require_POST
def invites_issue(request: HttpRequest) -> HttpResponse:
    neighbourhood = request.neighbourhood
    form = InviteIssueForm(request.POST, neighbourhood=neighbourhood)
    if form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.invite_codes_issue(
                neighbourhood=neighbourhood,
                building=data["building"],
                numbers=data["numbers"],
                max_uses=data["max_uses"],
                issued_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if issued:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s new code for %(flat)s. Print it below.",
                        "%(count)s new codes for %(flat)s. Print them below.",
                        len(issued),
                    )
                    % {"count": len(issued), "flat": data["building"].name},
                )
            else:
                messages.info(
                    request,
                    _("Every home of %(flat)s already has a code.")
                    % {"flat": data["building"].name},
                )
            query = urlencode({"building": data["building"].pk, "status": "unused"})
            return redirect(
                f"{reverse('neighbourhoods:host', args=[neighbourhood.slug])}?{query}#invites"
            )
    return _host_page(request, issue_form=form, status=400)


@host_required
@require_POST
def invite_revoke(request: HttpRequest, code_id: int) -> HttpResponse:
    invite = get_object_or_404(InviteCode, pk=code_id, neighbourhood=request.neighbourhood)
    invite = services.invite_revoke(code_id=invite.pk, host=request.user)
    if request.htmx:
        row = selectors.invite_codes_for_host(neighbourhood=request.neighbourhood).get(pk=invite.pk)
        return render(
            request,
            "neighbourhoods/_invite_row.html",
            {
                "invite": row,
                "slip": selectors.invite_slips([row], site=selectors.site_url(request))[0],
            },
        )
    messages.success(request, _("Code %(code)s can no longer be used.") % {"code": invite.code})
    back = safe_next(request, request.POST.get("next"))
    return HttpResponseRedirect(
        back or reverse("neighbourhoods:host", args=[request.neighbourhood.slug])
    )


def _slips_for_export(request: HttpRequest) -> tuple[dict, list[selectors.InviteSlip]]:
    """The codes the host page shows, with sign-up addresses on the address of this request."""
    _form, filters = _invite_filters(request)
    codes = selectors.invite_codes_for_host(neighbourhood=request.neighbourhood, **filters)
    return filters, selectors.invite_slips(codes, site=selectors.site_url(request))


@host_required
@require_GET
def invites_csv(request: HttpRequest) -> HttpResponse:
    """The codes as a spreadsheet, with the same filters as the host page."""
    _filters, slips = _slips_for_export(request)
    out = io.StringIO()
    selectors.invite_slips_csv(slips, out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"invite-codes-{request.neighbourhood.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@host_required
@require_GET
def invites_print(request: HttpRequest) -> HttpResponse:
    """One slip per home, eight to an A4 page, to print, cut and put in the letterboxes; in Dutch
    and the languages the host chose. Revoked codes are left out."""
    languages_form = SlipLanguagesForm(request.GET if "languages" in request.GET else None)
    _filter_form, filters = _invite_filters(request)
    context = {
        "nav": "host",
        "languages_form": languages_form,
        "export_params": _export_params(filters),
        "pages": [],
        "slip_count": 0,
    }
    if languages_form.is_bound and not languages_form.is_valid():
        return render(request, "neighbourhoods/invites_print.html", context, status=400)
    _filters, slips = _slips_for_export(request)
    slips = [s for s in slips if not s.revoked]
    context["pages"] = slip_pages(
        neighbourhood=request.neighbourhood.name,
        slips=slips,
        languages=languages_form.chosen_languages(),
    )
    context["slip_count"] = len(slips)
    return render(request, "neighbourhoods/invites_print.html", context)


# Members ----------------------------------------------------------------------------------------


@member_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """Neighbours who chose to be listed, with only what each chose to show."""
    neighbourhood = request.neighbourhood
    query = known_params(request.GET, DIRECTORY_PARAMS)
    filter_query = known_params(query, DIRECTORY_PARAMS[:-1])
    bound = any(name in request.GET for name in DIRECTORY_PARAMS[:-1])

    def form() -> DirectoryFilterForm:
        choices = selectors.directory_choices(neighbourhood=neighbourhood)
        return DirectoryFilterForm(
            filter_query if bound else None, choices=choices, neighbourhood=neighbourhood
        )

    def results() -> tuple[str, bool]:
        checked = form()
        filters = checked.filters()
        members = selectors.directory_members(neighbourhood=neighbourhood, **filters)
        page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(query.get("page"))
        html = render_to_string(
            "neighbourhoods/_directory_results.html",
            {
                "neighbourhood": neighbourhood,
                "page": page,
                "query": query,
                "filtered": any(filters.values()),
            },
        )
        return html, bool(checked.is_bound and checked.errors)

    html, invalid = shared_cache.shared(
        neighbourhood.pk, "directory", bound, query.urlencode(), build=results
    )
    status = 400 if invalid else 200
    if request.htmx and request.htmx.target == "directory-results":
        return HttpResponse(html, status=status)
    context = {
        "nav": "members",
        "filters": shared_cache.shared(
            neighbourhood.pk,
            "directory-filters",
            bound,
            filter_query.urlencode(),
            build=lambda: str(form()),
        ),
        "results": html,
        "filtered": bool(filter_query),
    }
    return render(request, "neighbourhoods/directory.html", context, status=status)


@member_required
@require_GET
def member(request: HttpRequest, user_id: int) -> HttpResponse:
    """A neighbour's page: only what they chose to show, and never their door."""
    profile = selectors.member_profile(neighbourhood=request.neighbourhood, user_id=user_id)
    if profile is None:
        raise Http404
    if not profile.user.listed_in_directory and profile.user_id != request.user.pk:
        raise Http404
    # Imported here: this function's own additions (blocks, moderation) stay in one place.
    from buurtnet.people.models import Block
    from buurtnet.people.selectors import blocked_between

    is_me = profile.user_id == request.user.pk
    blocked_by_me = (
        not is_me
        and Block.objects.filter(blocker_id=request.user.pk, blocked_id=profile.user_id).exists()
    )
    return render(
        request,
        "neighbourhoods/member.html",
        {
            "nav": "members",
            "profile": profile,
            "person": profile.user,
            "is_me": is_me,
            "blocked_by_me": blocked_by_me,
            # Either blocked the other: no "Send a message" (a block works both ways).
            "blocked": blocked_by_me
            or (not is_me and blocked_between(request.user.pk, profile.user_id)),
        },
    )


# Partners ---------------------------------------------------------------------------------------


@member_required
@require_GET
def organisations(request: HttpRequest) -> HttpResponse:
    """Partners who join in, the first point of contact first."""
    return render(
        request,
        "neighbourhoods/organisations.html",
        {
            "nav": "organisations",
            "organisations": selectors.organisations_for_neighbourhood(
                neighbourhood=request.neighbourhood
            ),
        },
    )


@member_required
@require_GET
def organisation(request: HttpRequest, org_slug: str) -> HttpResponse:
    found = selectors.organisation_detail(neighbourhood=request.neighbourhood, slug=org_slug)
    if found is None:
        raise Http404
    return render(
        request,
        "neighbourhoods/organisation.html",
        {"nav": "organisations", "organisation": found},
    )
