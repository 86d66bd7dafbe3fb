from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from buurtnet.core.forms import add_service_errors
from buurtnet.core.http import SafeNextMixin, referer_path, safe_next
from buurtnet.core.ratelimit import RateLimit, client_address, rate_limited_response
from buurtnet.people.forms import EmailAuthenticationForm, PasswordResetForm, ProfileForm
from buurtnet.people.selectors import profile_for_edit
from buurtnet.people.services import preferred_language_set, profile_update


class BadInputIs400:
    """A form sent back with mistakes answers 400, so clients and tests can tell it apart."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LoginView(SafeNextMixin, BadInputIs400, auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    pass


# Reset links asked for per client address per 15 minutes, and per email address per hour: the
# same for every address, so the limit tells nothing about which have an account.
RESETS_PER_CLIENT = RateLimit(scope="password-reset-client", limit=20, window=15 * 60)
RESETS_PER_ADDRESS = RateLimit(scope="password-reset-address", limit=5, window=60 * 60)


class PasswordResetView(BadInputIs400, auth_views.PasswordResetView):
    # The form queues the email; the worker renders it (buurtnet/people/tasks.py).
    form_class = PasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        for limit, key in (
            (RESETS_PER_CLIENT, client_address(self.request)),
            (RESETS_PER_ADDRESS, email),
        ):
            if not limit.hit(key):
                return rate_limited_response(
                    self.request,
                    self.template_name,
                    self.get_context_data(form=form),
                    form=form,
                    retry_after=limit.retry_after(),
                )
        return super().form_valid(form)


class PasswordResetConfirmView(BadInputIs400, auth_views.PasswordResetConfirmView):
    pass


class PasswordChangeView(BadInputIs400, auth_views.PasswordChangeView):
    pass


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass


# Pages that saving the profile does not go back to: the profile itself and signing in or out.
NOT_RETURNED_TO = frozenset(
    {
        "profile",
        "login",
        "logout",
        "language_switch",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


def _return_path(request: HttpRequest, value: object) -> str | None:
    """`value` if it is a safe local page to go back to after saving the profile."""
    path = safe_next(request, value)
    if path is None:
        return None
    try:
        match = resolve(unquote(urlsplit(path).path))
    except Resolver404:
        return None
    return None if match.view_name in NOT_RETURNED_TO else path


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Edit one's own profile, privacy choices and language; saving goes back to where the
    member came from (`next`, kept in the form), or to the profile."""
    person = profile_for_edit(user=request.user)
    if request.method == "POST":
        back = _return_path(request, request.POST.get("next"))
        form = ProfileForm(request.POST, request.FILES, instance=person)
        if form.is_valid():
            try:
                updated = profile_update(user=request.user, **form.profile_changes())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # Say it in the language just chosen: that is the language of the next page.
                with translation.override(updated.preferred_language):
                    messages.success(request, _("Your profile is saved."))
                response = redirect(back or reverse("profile"))
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    updated.preferred_language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
                return response
        # Browsers cannot send a file again by themselves, so say so when a good one was chosen.
        photo_lost = "photo" in request.FILES and "photo" not in form.errors
        context = {"form": form, "person": person, "photo_lost": photo_lost, "next": back or ""}
        return render(request, "people/profile.html", context, status=400)
    back = _return_path(request, request.GET.get("next")) or _return_path(
        request, referer_path(request)
    )
    form = ProfileForm(instance=person)
    return render(
        request, "people/profile.html", {"form": form, "person": person, "next": back or ""}
    )


# The switcher is in the footer of every page, public ones included. A CSRF token in it would
# give every visitor a csrftoken cookie, and a page that sets a cookie cannot be kept by a shared
# cache. So a visitor's switch needs no token: all a forged one can do is choose the language of
# the browser it comes from, which the visitor changes back in one click. A member's switch also
# changes their stored preference, so it is checked like every other form (members' pages carry
# a token anyway). A POST rather than a link (GET): links are followed by crawlers and prefetched
# by browsers, and a GET must not change anything, certainly not a member's settings.
@csrf_exempt
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The footer's language switcher; for members it also changes their preferred language."""
    if request.user.is_authenticated:
        return _member_language_switch(request)
    return _language_chosen(request)


@csrf_protect
def _member_language_switch(request: HttpRequest) -> HttpResponse:
    try:
        preferred_language_set(user=request.user, language=request.POST.get("language", ""))
    except ValidationError:
        return HttpResponseBadRequest(_("This language is not available."))
    return _language_chosen(request)


def _language_chosen(request: HttpRequest) -> HttpResponse:
    """Back to the page the switch was on, with the language cookie set."""
    language = request.POST.get("language", "")
    # Django's set_language would take a bare word such as "abc" as a relative address.
    response = HttpResponseRedirect(safe_next(request, request.POST.get("next")) or "/")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
