"""A place's booking page and the keepers' approve, decline and cancel buttons; a series asked
for at once is approved or declined at once, from any of its dates."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtnet.activities import permissions
from buurtnet.activities.forms.bookings import BookingForm
from buurtnet.activities.forms.organise import repeat_in_words
from buurtnet.activities.models import (
    ACTIVE_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    Place,
    localize,
)
from buurtnet.activities.recurrence import Occurrence
from buurtnet.activities.selectors import places as selectors
from buurtnet.activities.services import bookings as services
from buurtnet.core.forms import add_service_errors
from buurtnet.neighbourhoods.access import member_required

# Where a service's field errors go on the form.
_FORM_FIELDS = {"starts_at": "start", "ends_at": "end", "purpose": "purpose"}


def _place(request: HttpRequest, pk: int) -> Place:
    return get_object_or_404(
        Place.objects.select_related("neighbourhood").prefetch_related("openings"),
        pk=pk,
        neighbourhood=request.neighbourhood,
    )


def _booking(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("place", "place__neighbourhood"),
        pk=pk,
        place__neighbourhood=request.neighbourhood,
    )


# The bookings page shows this far ahead; requests waiting for the keepers always show (a
# series waiting for them shows once, with its dates in these weeks).
BOOKINGS_AHEAD = timedelta(weeks=8)
# A waiting series names at most this many of the dates someone else holds already.
CLASHES_SHOWN = 12


def _coming_bookings(place: Place) -> QuerySet[Booking]:
    now = timezone.now()
    return (
        Booking.objects.filter(place=place, status__in=ACTIVE_BOOKING_STATUSES, ends_at__gt=now)
        .filter(
            Q(starts_at__lt=now + BOOKINGS_AHEAD)
            | Q(status=BookingStatus.REQUESTED, activity__isnull=True)
        )
        .select_related("requested_by")
        .order_by("starts_at", "id")
    )


def _when(occurrence: Occurrence, tz: ZoneInfo) -> str:
    start = timezone.localtime(occurrence.start, tz)
    return f"{date_format(start, 'l j F Y')}, {start:%H:%M}"


def _span(series, tz: ZoneInfo) -> str:
    """The next date of a waiting series and its hours: "Wednesday 3 February 2027, 15:00–16:30"
    (its first date when none of its dates is held)."""
    activity = series.activity
    start = timezone.localtime(series.next_start or activity.first_start, tz)
    end = localize(start.replace(tzinfo=None) + activity.duration, tz)
    return f"{date_format(start, 'l j F Y')}, {start:%H:%M}–{end:%H:%M}"


def _dates(occurrences: list[Occurrence], tz: ZoneInfo) -> str:
    """Dates in words, the first CLASHES_SHOWN of them, and how many more."""
    shown = "; ".join(_when(o, tz) for o in occurrences[:CLASHES_SHOWN])
    more = len(occurrences) - CLASHES_SHOWN
    if more > 0:
        shown = _("%(dates)s and %(count)s more") % {"dates": shown, "count": more}
    return shown


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
    is_keeper = permissions.is_keeper(request.membership, place)
    tz = ZoneInfo(place.neighbourhood.timezone)
    waiting = selectors.waiting_series(place, now=timezone.now())
    waiting_ids = {series.activity_id for series in waiting}
    for booking in bookings:
        booking.is_mine = booking.requested_by_id == request.user.pk
        booking.in_waiting_series = booking.activity_id in waiting_ids
    shown = []
    for series in waiting:
        series.is_mine = series.requested_by_id == request.user.pk
        if is_keeper or series.is_mine:
            series.repeats = repeat_in_words(series.activity)
            series.when = _span(series, tz)
            series.clash_dates = _dates(series.clashes, tz)
            shown.append(series)
    context = {
        "nav": "",
        "place": place,
        "tz": place.neighbourhood.timezone,
        "bookings": bookings,
        "waiting_series": shown,
        "opening_week": selectors.opening_week(place),
        "is_keeper": is_keeper,
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
    series = selectors.series_booking_for(booking)
    try:
        if decision not in ("approve", "decline"):
            raise ValidationError(_("Choose to approve or to decline."))
        if series is not None:
            series = services.series_booking_decide(
                keeper=request.user, series=series, approve=decision == "approve", reason=reason
            )
        else:
            services.booking_decide(
                keeper=request.user, booking=booking, approve=decision == "approve", reason=reason
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_place(
            request,
            _place(request, booking.place_id),
            status=400,
            failed_pk=booking.pk,
            failed_reason=reason,
        )
    if series is not None:
        _tell_series_decided(request, series, approved=decision == "approve")
    elif decision == "approve":
        messages.success(request, _("The booking is approved."))
    else:
        messages.success(request, _("The booking is declined."))
    return redirect(_place_url(booking))


def _tell_series_decided(request: HttpRequest, series, *, approved: bool) -> None:
    title = series.activity.title
    if not approved:
        messages.success(
            request,
            _("%(title)s is declined for all its dates; the place is free again then.")
            % {"title": title},
        )
        return
    messages.success(request, _("%(title)s is approved: its dates are booked.") % {"title": title})
    if series.unreserved:
        messages.warning(
            request,
            _(
                "These dates of %(title)s could not be booked, because someone else has the "
                "place then: %(dates)s. Its organisers can move them."
            )
            % {
                "title": title,
                "dates": _dates(series.unreserved, ZoneInfo(series.place.neighbourhood.timezone)),
            },
        )


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
