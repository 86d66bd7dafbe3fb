"""The agenda and its occurrences for members, and the calendar feeds.

The neighbourhood, place and initiative feeds are public: they hold only public activities and
nothing about people. A person's own feed sits behind a secret address they can renew.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import groupby
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from buurtnet.activities import forms, permissions, selectors, services
from buurtnet.activities.ical import calendar_for
from buurtnet.activities.models import Activity, RsvpStatus, localize
from buurtnet.activities.recurrence import Occurrence, occurrence_at
from buurtnet.initiatives.models import Visibility
from buurtnet.neighbourhoods.access import member_required
from buurtnet.neighbourhoods.models import Neighbourhood


def _ics(calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def feed_neighbourhood(request: HttpRequest, slug: str) -> HttpResponse:
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    activities = selectors.feed_activities(selectors.public_activities(neighbourhood))
    name = _("Agenda of %(neighbourhood)s") % {"neighbourhood": neighbourhood.name}
    return _ics(calendar_for(activities, name=name), f"{neighbourhood.slug}.ics")


@require_safe
def feed_place(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    place = selectors.place_in(neighbourhood, pk)
    activities = selectors.feed_activities(
        selectors.public_activities(neighbourhood).filter(place=place)
    )
    name = _("%(place)s in %(neighbourhood)s") % {
        "place": place.name,
        "neighbourhood": neighbourhood.name,
    }
    return _ics(calendar_for(activities, name=name), f"{neighbourhood.slug}-place-{place.pk}.ics")


@require_safe
def feed_initiative(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    initiative = selectors.public_initiative_in(neighbourhood, pk)
    activities = selectors.feed_activities(
        selectors.public_activities(neighbourhood).filter(initiative=initiative)
    )
    name = _("%(initiative)s in %(neighbourhood)s") % {
        "initiative": initiative.title,
        "neighbourhood": neighbourhood.name,
    }
    filename = f"{neighbourhood.slug}-initiative-{initiative.pk}.ics"
    return _ics(calendar_for(activities, name=name), filename)


@require_safe
def feed_personal(request: HttpRequest, token: str) -> HttpResponse:
    user = selectors.calendar_owner(token)
    activities = selectors.feed_activities(selectors.going_activities(user))
    response = _ics(calendar_for(activities, name=_("My activities")), "my-activities.ics")
    # The address is the key: keep it out of shared caches and away from search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    token = selectors.calendar_token_of(request.user)
    feed_url = (
        request.build_absolute_uri(reverse("activities:feed_personal", args=[token.token]))
        if token is not None
        else ""
    )
    return render(request, "activities/my_calendar.html", {"feed_url": feed_url})


@require_POST
@login_required
def my_calendar_renew(request: HttpRequest) -> HttpResponse:
    had_address = selectors.calendar_token_of(request.user) is not None
    services.calendar_token_renew(user=request.user)
    if had_address:
        messages.success(request, _("Your calendar has a new address. The old one stops working."))
    else:
        messages.success(request, _("Your calendar address is ready."))
    return redirect("activities:my_calendar")


AGENDA_WEEKS = 8
OCCURRENCE_FORMAT = "%Y%m%dT%H%M"
# The agenda pages through a sensible span of years; further dates fall back to today.
AGENDA_YEARS = range(2000, 2100)


def occurrence_key(occurrence: Occurrence) -> str:
    """The occurrence's original local start as it appears in its address."""
    return occurrence.original_start.astimezone(occurrence.activity.tz).strftime(OCCURRENCE_FORMAT)


def occurrence_url(slug: str, occurrence: Occurrence) -> str:
    return reverse(
        "activities:occurrence", args=[slug, occurrence.activity.pk, occurrence_key(occurrence)]
    )


def _euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


def _agenda_start(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if day.year in AGENDA_YEARS else None


@require_safe
@member_required
def agenda(request: HttpRequest) -> HttpResponse:
    neighbourhood = request.neighbourhood
    tz = ZoneInfo(neighbourhood.timezone)
    first_day = _agenda_start(request.GET.get("from"))
    if first_day is None:
        start = timezone.now()
        first_day = start.astimezone(tz).date()
    else:
        start = localize(datetime.combine(first_day, time.min), tz)
    last_day = first_day + timedelta(weeks=AGENDA_WEEKS)
    end = localize(datetime.combine(last_day, time.min), tz)

    form = forms.AgendaFilterForm(request.GET or None, neighbourhood=neighbourhood)
    form.is_valid()
    chosen = getattr(form, "cleaned_data", {})
    activities = selectors.agenda_activities(
        neighbourhood,
        place=chosen.get("place"),
        initiative=chosen.get("initiative"),
        language=chosen.get("language"),
        audience=chosen.get("audience", ""),
    )
    entries = selectors.agenda(neighbourhood, start, end, activities=activities)
    days = [
        {
            "day": day,
            "entries": [
                {
                    "occurrence": entry.occurrence,
                    "going": entry.going,
                    "cost": _euros(entry.occurrence.activity.cost_cents),
                    "url": occurrence_url(neighbourhood.slug, entry.occurrence),
                }
                for entry in group
            ],
        }
        for day, group in groupby(entries, key=lambda e: e.occurrence.start.astimezone(tz).date())
    ]
    previous_day = first_day - timedelta(weeks=AGENDA_WEEKS)
    return render(
        request,
        "activities/agenda.html",
        {
            "nav": "agenda",
            "form": form,
            "days": days,
            "tz": neighbourhood.timezone,
            "first_day": first_day,
            "last_day": last_day - timedelta(days=1),
            "previous_from": previous_day.isoformat() if previous_day.year in AGENDA_YEARS else "",
            "next_from": last_day.isoformat() if last_day.year in AGENDA_YEARS else "",
        },
    )


def _occurrence(request: HttpRequest, activity_pk: int, when: str) -> Occurrence:
    """The occurrence of an activity of the member's own neighbourhood; anything else is 404."""
    activity = get_object_or_404(
        Activity.objects.select_related("neighbourhood", "place", "initiative"),
        pk=activity_pk,
        neighbourhood=request.neighbourhood,
    )
    try:
        naive = datetime.strptime(when, OCCURRENCE_FORMAT)  # noqa: DTZ007 - wall-clock, zoned next
    except ValueError as exc:
        raise Http404 from exc
    original_start = localize(naive, activity.tz)
    occurrence = occurrence_at(activity, original_start)
    if occurrence is None or occurrence_key(occurrence) != when:
        raise Http404
    return occurrence


def _render_occurrence(
    request: HttpRequest,
    occurrence: Occurrence,
    *,
    form: forms.RsvpForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    activity = occurrence.activity
    membership = request.membership
    my_rsvp = selectors.rsvp_of(request.user, activity, occurrence.original_start)
    if form is None:
        initial = {"status": RsvpStatus.GOING, "guests": 0}
        if my_rsvp is not None:
            initial = {
                field: getattr(my_rsvp, field)
                for field in ("status", "guests", "halal", "vegetarian", "vegan", "no_pork")
            } | {"allergies": my_rsvp.allergies}
        form = forms.RsvpForm(initial=initial)
    is_organiser = permissions.can_organise(membership, activity)
    initiative = activity.initiative
    in_public_feed = activity.is_public and (
        initiative is None or initiative.visibility == Visibility.PUBLIC
    )
    return render(
        request,
        "activities/occurrence.html",
        {
            "nav": "agenda",
            "occurrence": occurrence,
            "activity": activity,
            "languages": list(activity.languages.all()),
            "cost": _euros(activity.cost_cents),
            "tz": activity.neighbourhood.timezone,
            "going": selectors.seats_going(activity, occurrence.original_start),
            "my_rsvp": my_rsvp,
            "waiting_position": selectors.waiting_position(my_rsvp) if my_rsvp else None,
            "form": form,
            "error": error,
            "is_past": occurrence.start <= timezone.now(),
            "is_organiser": is_organiser,
            "summary": selectors.dietary_summary(activity, occurrence.original_start)
            if is_organiser
            else None,
            "people": selectors.attendees(activity, occurrence.original_start)
            if is_organiser
            else None,
            "in_public_feed": in_public_feed,
            "key": occurrence_key(occurrence),
        },
        status=status,
    )


@require_safe
@member_required
def occurrence(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    return _render_occurrence(request, _occurrence(request, activity_pk, when))


@require_POST
@member_required
def rsvp(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    found = _occurrence(request, activity_pk, when)
    form = forms.RsvpForm(request.POST)
    if not form.is_valid():
        return _render_occurrence(request, found, form=form, status=400)
    try:
        answer = services.rsvp_set(
            user=request.user,
            activity=found.activity,
            occurrence_start=found.original_start,
            **form.cleaned_data,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return _render_occurrence(request, found, form=form, status=400)
    if answer.waitlisted:
        text = _("You're on the waiting list (number %(position)s).") % {
            "position": selectors.waiting_position(answer)
        }
    elif answer.status == RsvpStatus.GOING:
        text = _("You're going.")
    elif answer.status == RsvpStatus.MAYBE:
        text = _("You answered maybe.")
    else:
        text = _("You're not going.")
    messages.success(request, text)
    return redirect(occurrence_url(request.neighbourhood.slug, found))


@require_POST
@member_required
def rsvp_cancel(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    found = _occurrence(request, activity_pk, when)
    try:
        services.rsvp_cancel(
            user=request.user, activity=found.activity, occurrence_start=found.original_start
        )
    except ValidationError as exc:
        return _render_occurrence(request, found, error=" ".join(exc.messages), status=400)
    messages.success(request, _("You're no longer going; your place goes to the next in line."))
    return redirect(occurrence_url(request.neighbourhood.slug, found))
