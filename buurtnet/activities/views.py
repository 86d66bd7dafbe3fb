"""The agenda for members (eight weeks as a list, a week or a month), and the calendar feeds.

The neighbourhood, place and initiative feeds are public: they hold only public activities and
nothing about people. A person's own feed sits behind a secret address they can renew.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from buurtnet.activities import forms, selectors, services
from buurtnet.activities.ical import calendar_for, occurrence_calendar
from buurtnet.activities.links import euros, occurrence_from_key, occurrence_key, occurrence_url
from buurtnet.activities.models import localize
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
# The agenda pages through a sensible span of years; further dates fall back to today.
AGENDA_YEARS = range(2000, 2100)
AGENDA_VIEWS = ("list", "week", "month")


@dataclass(frozen=True)
class Period:
    """The days one agenda page shows, [first, end), and the pages before and after it."""

    view: str
    first: date
    end: date
    previous: date | None
    next: date | None

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)


def _agenda_start(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if day.year in AGENDA_YEARS else None


def _month_after(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def agenda_period(view: str, chosen: date | None, today: date) -> Period:
    """The week (from Monday), the month, or eight weeks from the chosen day (or today)."""
    day = chosen or today
    if view == "week":
        first = day - timedelta(days=day.weekday())
        end = first + timedelta(weeks=1)
        previous = first - timedelta(weeks=1)
    elif view == "month":
        first = day.replace(day=1)
        end = _month_after(first, 1)
        previous = _month_after(first, -1)
    else:
        first = day
        end = first + timedelta(weeks=AGENDA_WEEKS)
        previous = first - timedelta(weeks=AGENDA_WEEKS)
    return Period(
        view=view,
        first=first,
        end=end,
        previous=previous if previous.year in AGENDA_YEARS else None,
        next=end if end.year in AGENDA_YEARS else None,
    )


def _month_weeks(period: Period, by_day: dict[date, list], today: date) -> list[list[dict | None]]:
    """The month as rows of seven cells from Monday; days of other months are empty cells."""
    cells: list[dict | None] = [None] * period.first.weekday()
    day = period.first
    while day < period.end:
        cells.append({"day": day, "entries": by_day.get(day, []), "is_today": day == today})
        day += timedelta(days=1)
    cells += [None] * (-len(cells) % 7)
    return [cells[n : n + 7] for n in range(0, len(cells), 7)]


@require_safe
@member_required
def agenda(request: HttpRequest) -> HttpResponse:
    neighbourhood = request.neighbourhood
    tz = ZoneInfo(neighbourhood.timezone)
    now = timezone.now()
    today = now.astimezone(tz).date()
    view = request.GET.get("view") or "list"
    if view not in AGENDA_VIEWS:
        view = "list"
    chosen = _agenda_start(request.GET.get("from"))
    period = agenda_period(view, chosen, today)
    # The list without a date starts now; the week and the month show their days whole.
    if view == "list" and chosen is None:
        start = now
    else:
        start = localize(datetime.combine(period.first, time.min), tz)
    end = localize(datetime.combine(period.end, time.min), tz)

    form = forms.AgendaFilterForm(request.GET or None, neighbourhood=neighbourhood)
    form.is_valid()
    chosen_filters = getattr(form, "cleaned_data", {})
    activities = selectors.agenda_activities(
        neighbourhood,
        place=chosen_filters.get("place"),
        initiative=chosen_filters.get("initiative"),
        language=chosen_filters.get("language"),
        audience=chosen_filters.get("audience", ""),
    )
    entries = [
        {
            "occurrence": entry.occurrence,
            "going": entry.going,
            "cost": euros(entry.occurrence.activity.cost_cents),
            "url": occurrence_url(neighbourhood.slug, entry.occurrence),
            "day": entry.occurrence.start.astimezone(tz).date(),
        }
        for entry in selectors.agenda(neighbourhood, start, end, activities=activities)
    ]
    by_day = {day: list(group) for day, group in groupby(entries, key=lambda e: e["day"])}
    days = [
        {"day": day, "entries": group, "is_today": day == today} for day, group in by_day.items()
    ]
    context = {
        "nav": "agenda",
        "view": view,
        "form": form,
        "days": days,
        "tz": neighbourhood.timezone,
        "today": today,
        "period": period,
        "first_day": period.first,
        "last_day": period.last,
        "previous_from": period.previous.isoformat() if period.previous else "",
        "next_from": period.next.isoformat() if period.next else "",
        "may_plan": selectors.may_plan(request.membership),
        "week_days": [],
        "weeks": [],
        "weekdays": [],
    }
    if view == "week":
        context["week_days"] = [
            {"day": day, "entries": by_day.get(day, []), "is_today": day == today}
            for day in (period.first + timedelta(days=n) for n in range(7))
        ]
    elif view == "month":
        context["weeks"] = _month_weeks(period, by_day, today)
        monday = period.first - timedelta(days=period.first.weekday())
        context["weekdays"] = [monday + timedelta(days=n) for n in range(7)]
        # Days that begin in the month; an evening that runs past midnight into it stays out.
        context["days"] = [group for group in days if period.first <= group["day"] < period.end]
    return render(request, "activities/agenda.html", context)


@require_safe
@member_required
def occurrence_ics(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    """One date of an activity as a calendar file, to add to the member's own calendar."""
    activity = selectors.activity_in(request.neighbourhood, activity_pk)
    occurrence = occurrence_from_key(activity, when)
    if occurrence is None:
        raise Http404
    url = f"{settings.SITE_URL}{occurrence_url(request.neighbourhood.slug, occurrence)}"
    filename = f"{request.neighbourhood.slug}-{activity.pk}-{occurrence_key(occurrence)}.ics"
    response = _ics(occurrence_calendar(occurrence, url=url), filename)
    # Members-only: keep it out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
