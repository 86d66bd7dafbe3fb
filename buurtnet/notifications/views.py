from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtnet.notifications.forms import EmailSettingsForm
from buurtnet.notifications.selectors import (
    email_kinds_wanted,
    notification_for_recipient,
    notifications_for,
)
from buurtnet.notifications.services import (
    email_preferences_set,
    notification_open,
    notifications_mark_read,
)

PER_PAGE = 20


def _page_context(request: HttpRequest, number: str | None) -> dict:
    page = Paginator(notifications_for(user=request.user), PER_PAGE).get_page(number)
    return {"page": page, "notifications": page.object_list, "marked": False}


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """A person's notifications, newest first, under the menu of their current neighbourhood."""
    context = _page_context(request, request.GET.get("page"))
    return render(request, "notifications/list.html", context)


@login_required
@require_GET
def notification_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: it counts as read, then go where it points."""
    notification = notification_for_recipient(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404
    notification_open(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the person read."""
    notifications_mark_read(user=request.user)
    number = request.POST.get("page", "")
    if request.htmx:
        context = {**_page_context(request, number), "marked": True}
        return render(request, "notifications/_page.html", context)
    messages.success(request, _("All your notifications are marked as read."))
    url = reverse("notifications:list")
    return redirect(f"{url}?page={number}" if number.isdigit() and number != "1" else url)


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    """Choose which notifications also arrive by email."""
    if request.method == "POST":
        form = EmailSettingsForm(request.POST)
        if form.is_valid():
            email_preferences_set(user=request.user, opted_out=form.opted_out())
            if request.htmx:
                return render(
                    request, "notifications/_email_settings.html", {"form": form, "saved": True}
                )
            messages.success(request, _("Your email settings are saved."))
            return redirect(reverse("profile") + "#email")
        if request.htmx:
            template = "notifications/_email_settings.html"
        else:
            template = "notifications/email.html"
        return render(request, template, {"form": form, "saved": False}, status=400)
    form = EmailSettingsForm(initial={"kinds": email_kinds_wanted(user=request.user)})
    return render(request, "notifications/email.html", {"form": form, "saved": False})
