"""The organisers' pages: plan an activity, change it, cancel or move one of its dates."""

from zoneinfo import ZoneInfo

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buurtnet.activities import permissions
from buurtnet.activities.forms.organise import (
    CancelForm,
    ChangeFromForm,
    EditForm,
    MoveForm,
    PlanForm,
    organiser_value,
    repeat_in_words,
    repeat_of,
)
from buurtnet.activities.links import occurrence_from_key, occurrence_key, occurrence_url
from buurtnet.activities.models import Activity
from buurtnet.activities.recurrence import CUSTOM, Occurrence, occurrence_at
from buurtnet.activities.selectors import organise as selectors
from buurtnet.activities.services import organise as services
from buurtnet.core.forms import add_service_errors
from buurtnet.neighbourhoods.access import member_required

_METHODS = ["GET", "HEAD", "POST"]


def _add_errors(form: django_forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields (or above the form when none fits)."""
    fields = dict(getattr(form, "service_fields", {}))
    if hasattr(form, "rule_field"):
        fields["rrule"] = form.rule_field()
    add_service_errors(form, exc, fields=fields)


def _invalid(request: HttpRequest) -> None:
    messages.error(request, _("Please check what you filled in: some of it needs a change."))


def _when(occurrence: Occurrence) -> str:
    start = timezone.localtime(occurrence.start, occurrence.activity.tz)
    return f"{date_format(start, 'l j F Y')}, {start:%H:%M}"


def _tell_about_the_place(request: HttpRequest, activity: Activity) -> None:
    """Whether the place still has to say yes, and the dates it was booked by someone else."""
    series = getattr(activity, "place_request", None) if activity.place_id else None
    if series is not None and series.is_waiting:
        messages.info(
            request,
            _(
                "The keepers of %(place)s decide whether it can take place there: they are "
                "asked once for all its dates. Until they approve, the agenda shows it as "
                "waiting for their approval, and the dates are held for you."
            )
            % {"place": activity.place.name},
        )
    unreserved = getattr(activity, "unreserved", None)
    if not unreserved:
        return
    messages.warning(
        request,
        _(
            "%(place)s was already booked at these times, so there is no room there for the "
            "activity: %(dates)s. Move those dates, or find another place for them."
        )
        % {
            "place": activity.place.name if activity.place_id else "",
            "dates": "; ".join(_when(occurrence) for occurrence in unreserved),
        },
    )


def _activity(request: HttpRequest, pk: int) -> Activity:
    """An activity of the member's neighbourhood that the member organises (404, then 403)."""
    activity = selectors.activity_in(request.neighbourhood, pk)
    if activity is None:
        raise Http404
    if not permissions.can_organise(request.membership, activity):
        raise PermissionDenied
    return activity


def _from_key(activity: Activity, when: str) -> Occurrence | None:
    """The date a key names; keys at the ends of the calendar (year 1, year 9999) name none."""
    try:
        return occurrence_from_key(activity, when)
    except OverflowError:
        return None


def _occurrence(request: HttpRequest, activity_pk: int, when: str) -> Occurrence:
    activity = _activity(request, activity_pk)
    occurrence = _from_key(activity, when)
    if occurrence is None:
        raise Http404
    return occurrence


def _closed(request: HttpRequest, occurrence: Occurrence, message: str) -> HttpResponse:
    """A date that can no longer be changed: say why, and lead back."""
    context = {
        "nav": "agenda",
        "activity": occurrence.activity,
        "occurrence": occurrence,
        "tz": occurrence.activity.neighbourhood.timezone,
        "back": occurrence_url(request.neighbourhood.slug, occurrence),
        "reason": message,
    }
    return render(request, "activities/organise/closed.html", context, status=400)


def _has_begun(occurrence: Occurrence) -> bool:
    return occurrence.start <= timezone.now()


def _past() -> str:
    return _("This date has already begun or passed; it can no longer be changed.")


# --- Plan ---------------------------------------------------------------------------------------


@member_required
@require_http_methods(_METHODS)
def create(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    neighbourhood = request.neighbourhood
    initiatives = selectors.initiatives_led_by(membership)
    kept = selectors.places_kept_by(membership)
    if not initiatives and not kept:
        context = {"nav": "agenda"}
        return render(request, "activities/organise/not_organiser.html", context, status=403)
    initial = {}
    chosen = request.GET.get("initiative", "")
    for initiative in initiatives:
        if str(initiative.pk) == chosen:
            initial["organiser"] = organiser_value(initiative)
    if len(initiatives) + len(kept) == 1:
        initial["organiser"] = organiser_value([*initiatives, *kept][0])
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        initiatives=initiatives,
        kept=kept,
        places=selectors.places_of(neighbourhood),
        tz=ZoneInfo(neighbourhood.timezone),
        advanced=membership.is_host or bool(kept),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                activity = services.activity_create(
                    user=request.user, neighbourhood=neighbourhood, **form.service_kwargs()
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("%(title)s is in the agenda.") % {"title": activity.title}
                )
                _tell_about_the_place(request, activity)
                first = occurrence_at(activity, activity.first_start)
                if first is None:  # a first start skipped by the clock change
                    return redirect("activities:agenda", neighbourhood.slug)
                return redirect(occurrence_url(neighbourhood.slug, first))
        _invalid(request)
        status = 400
    else:
        status = 200
    context = {"nav": "agenda", "form": form}
    return render(request, "activities/organise/plan.html", context, status=status)


# --- Edit the whole activity ---------------------------------------------------------------------


@member_required
@require_http_methods(_METHODS)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    slug = request.neighbourhood.slug
    upcoming = selectors.next_occurrence(activity)
    # Back to the date the organiser came from (?date=…), or else the next one, or the agenda.
    came_from = _from_key(activity, request.GET.get("date", "")) or upcoming
    if came_from is None:
        back = reverse("activities:agenda", args=[slug])
    else:
        back = occurrence_url(slug, came_from)
    form = EditForm(request.POST if request.method == "POST" else None, activity=activity)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.activity_update(
                    user=request.user, activity=activity, **form.service_kwargs()
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(back)
        _invalid(request)
        status = 400
    else:
        status = 200
    repeat, _rule = repeat_of(activity.rrule, activity.start_date)
    context = {
        "nav": "agenda",
        "activity": activity,
        "form": form,
        "repeats": repeat_in_words(activity),
        "rule_by_hand": repeat == CUSTOM,
        "may_write_rules": services.may_write_rules(request.membership)
        if repeat == CUSTOM
        else True,
        "has_location": "location" in form.fields,
        "back": back,
        "upcoming": upcoming,
        "upcoming_url": occurrence_url(slug, upcoming) if upcoming else "",
        "tz": activity.neighbourhood.timezone,
    }
    return render(request, "activities/organise/edit.html", context, status=status)


# --- One date -----------------------------------------------------------------------------------


def _date_context(request: HttpRequest, occurrence: Occurrence, form) -> dict:
    return {
        "nav": "agenda",
        "activity": occurrence.activity,
        "occurrence": occurrence,
        "key": occurrence_key(occurrence),
        "tz": occurrence.activity.neighbourhood.timezone,
        "back": occurrence_url(request.neighbourhood.slug, occurrence),
        "form": form,
    }


@member_required
@require_http_methods(_METHODS)
def occurrence_cancel(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    occurrence = _occurrence(request, activity_pk, when)
    if _has_begun(occurrence):
        return _closed(request, occurrence, _past())
    if occurrence.cancelled:
        return _closed(request, occurrence, _("This date is already cancelled."))
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.occurrence_cancel(
                    user=request.user,
                    activity=occurrence.activity,
                    original_start=occurrence.original_start,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("%(title)s on %(when)s is cancelled.")
                    % {"title": occurrence.activity.title, "when": _when(occurrence)},
                )
                return redirect(occurrence_url(request.neighbourhood.slug, occurrence))
        _invalid(request)
        status = 400
    else:
        status = 200
    context = _date_context(request, occurrence, form)
    return render(request, "activities/organise/cancel.html", context, status=status)


@member_required
@require_http_methods(_METHODS)
def occurrence_move(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    occurrence = _occurrence(request, activity_pk, when)
    if _has_begun(occurrence):
        return _closed(request, occurrence, _past())
    activity = occurrence.activity
    tz = activity.tz
    start = timezone.localtime(occurrence.start, tz)
    end = timezone.localtime(occurrence.end, tz)
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        initial={
            "date": start.date(),
            "start": start.time(),
            "end": end.time(),
            "note": occurrence.note,
        },
        tz=tz,
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = services.occurrence_move(
                    user=request.user,
                    activity=activity,
                    original_start=occurrence.original_start,
                    new_start=data["new_start"],
                    new_end=data["new_end"],
                    note=data["note"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                moved = occurrence_at(activity, change.original_start)
                messages.success(
                    request,
                    _("%(title)s now takes place on %(when)s.")
                    % {"title": activity.title, "when": _when(moved or occurrence)},
                )
                return redirect(occurrence_url(request.neighbourhood.slug, occurrence))
        _invalid(request)
        status = 400
    else:
        status = 200
    context = _date_context(request, occurrence, form)
    return render(request, "activities/organise/move.html", context, status=status)


@member_required
@require_http_methods(_METHODS)
def change_from(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    occurrence = _occurrence(request, activity_pk, when)
    activity = occurrence.activity
    if not activity.rrule:
        return _closed(
            request, occurrence, _("Only a repeating activity can be changed from a date on.")
        )
    if occurrence.original_start <= timezone.now():
        return _closed(request, occurrence, _past())
    first = timezone.localtime(occurrence.original_start, activity.tz).date()
    form = ChangeFromForm(
        request.POST if request.method == "POST" else None,
        activity=activity,
        first=first,
        places=selectors.places_of(request.neighbourhood),
        advanced=services.may_write_rules(request.membership),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                new = services.activity_change_from(
                    user=request.user,
                    activity=activity,
                    from_start=occurrence.original_start,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your changes hold from %(date)s on.")
                    % {"date": date_format(first, "l j F Y")},
                )
                _tell_about_the_place(request, new)
                target = selectors.next_occurrence(new)
                if target is None:
                    return redirect("activities:agenda", request.neighbourhood.slug)
                return redirect(occurrence_url(request.neighbourhood.slug, target))
        _invalid(request)
        status = 400
    else:
        status = 200
    context = _date_context(request, occurrence, form)
    return render(request, "activities/organise/change_from.html", context, status=status)
