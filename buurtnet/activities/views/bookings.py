"""A place's booking page and the keepers' approve, decline and cancel buttons."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtnet.activities import permissions
from buurtnet.activities.forms.bookings import BookingForm
from buurtnet.activities.models import (
    ACTIVE_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    Place,
)
from buurtnet.activities.services import bookings as services
from buurtnet.core.forms import add_service_errors
from buurtnet.neighbourhoods.access import member_required

# Where a service's field errors go on the form.
_FORM_FIELDS = {"starts_at": "start", "ends_at": "end", "purpose": "purpose"}


def _place(request: HttpRequest, pk: int) -> Place:
    return get_object_or_404(
        Place.objects.select_related("neighbourhood"), pk=pk, neighbourhood=request.neighbourhood
    )


def _booking(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("place", "place__neighbourhood"),
        pk=pk,
        place__neighbourhood=request.neighbourhood,
    )


# The bookings page shows this far ahead; requests waiting for the keepers always show.
BOOKINGS_AHEAD = timedelta(weeks=8)


def _coming_bookings(place: Place) -> QuerySet[Booking]:
    now = timezone.now()
    return (
        Booking.objects.filter(place=place, status__in=ACTIVE_BOOKING_STATUSES, ends_at__gt=now)
        .filter(Q(starts_at__lt=now + BOOKINGS_AHEAD) | Q(status=BookingStatus.REQUESTED))
        .select_related("requested_by")
        .order_by("starts_at", "id")
    )


def _place_url(booking_or_place: Booking | Place) -> str:
    place = booking_or_place.place if isinstance(booking_or_place, Booking) else booking_or_place
    return reverse("bookings:place", args=[place.neighbourhood.slug, place.pk])


def _render_place(
    request: HttpRequest,
    place: Place,
    *,
    form: BookingForm | None = None,
    status: int = 200,
    failed_pk: int | None = None,
    failed_reason: str = "",
) -> HttpResponse:
    bookings = list(_coming_bookings(place))
    for booking in bookings:
        booking.is_mine = booking.requested_by_id == request.user.pk
    context = {
        "nav": "",
        "place": place,
        "tz": place.neighbourhood.timezone,
        "bookings": bookings,
        "is_keeper": permissions.is_keeper(request.membership, place),
        "form": form or BookingForm(),
        "failed_pk": failed_pk,
        "failed_reason": failed_reason,
    }
    return render(request, "activities/bookings/place.html", context, status=status)


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def place(request: HttpRequest, pk: int) -> HttpResponse:
    place = _place(request, pk)
    if request.method != "POST":
        return _render_place(request, place)
    form = BookingForm(request.POST)
    if form.is_valid():
        starts_at, ends_at = form.moments(ZoneInfo(place.neighbourhood.timezone))
        try:
            services.booking_request(
                user=request.user,
                place=place,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, fields=_FORM_FIELDS)
        else:
            messages.success(
                request, _("Your request is in. The keepers of the place will let you know.")
            )
            return redirect(_place_url(place))
    messages.error(request, _("Please check what you filled in: some of it needs a change."))
    return _render_place(request, place, form=form, status=400)


@member_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    if not permissions.is_keeper(request.membership, booking.place):
        raise PermissionDenied
    decision = request.POST.get("decision")
    reason = request.POST.get("reason", "")
    try:
        if decision not in ("approve", "decline"):
            raise ValidationError(_("Choose to approve or to decline."))
        services.booking_decide(
            keeper=request.user, booking=booking, approve=decision == "approve", reason=reason
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_place(
            request, booking.place, status=400, failed_pk=booking.pk, failed_reason=reason
        )
    if decision == "approve":
        messages.success(request, _("The booking is approved."))
    else:
        messages.success(request, _("The booking is declined."))
    return redirect(_place_url(booking))


@member_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    try:
        services.booking_cancel(user=request.user, booking=booking)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_place(request, booking.place, status=400)
    messages.success(request, _("The booking is cancelled; the time is free again."))
    return redirect(_place_url(booking))
