"""The neighbourhood's agenda: a list, a week or a month of occurrences."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from buurtnet.activities.forms import agenda as forms
from buurtnet.activities.links import euros, occurrence_key, occurrence_url
from buurtnet.activities.models import localize
from buurtnet.activities.selectors import agenda as selectors
from buurtnet.core.http import known_params
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.access import member_required

# The list shows two weeks from the chosen day, and at most this many entries: "later" goes on.
AGENDA_LIST_DAYS = 14
AGENDA_LIST_MAX = 50


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
    """The week (from Monday), the month, or two weeks from the chosen day (or today)."""
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
        end = first + timedelta(days=AGENDA_LIST_DAYS)
        previous = first - timedelta(days=AGENDA_LIST_DAYS)
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
        cells.append({"day": day, "count": len(by_day.get(day, [])), "is_today": day == today})
        day += timedelta(days=1)
    cells += [None] * (-len(cells) % 7)
    return [cells[n : n + 7] for n in range(0, len(cells), 7)]


FILTERS = ("place", "initiative", "language", "audience")


def _query(request: HttpRequest, view: str, chosen: date | None) -> QueryDict:
    """The agenda's own parameters (see core.http.known_params), the view and the day checked."""
    query = QueryDict(mutable=True)
    if view != "list":
        query["view"] = view
    if chosen is not None:
        query["from"] = chosen.isoformat()
    query.update(known_params(request.GET, FILTERS, max_length=40))
    return query


def agenda_entry(occurrence, going: int, tz: ZoneInfo, url: str) -> dict[str, Any]:
    """One occurrence as the agenda shows it: times, words and the link worked out once.

    Plain values only, so a list of them can be kept in the cache; `starts_at` and `ends_at`
    let a reader leave out what ended since the list was made.
    """
    activity = occurrence.activity
    start = occurrence.start.astimezone(tz)
    end = occurrence.end.astimezone(tz)
    if activity.capacity:
        seats = _("%(going)s of %(capacity)s places taken") % {
            "going": going,
            "capacity": activity.capacity,
        }
    elif going:
        seats = ngettext("%(going)s person going", "%(going)s people going", going) % {
            "going": going
        }
    else:
        seats = ""
    planned_for = ""
    if occurrence.moved and not occurrence.cancelled:
        planned_for = date_format(occurrence.original_start.astimezone(tz), "j F, H:i")
    return {
        "activity_pk": activity.pk,
        "key": occurrence_key(occurrence),
        "day": start.date(),
        "starts_at": start,
        "ends_at": end,
        # A valid HTML date and time: to the second, never with microseconds.
        "start_iso": start.isoformat(timespec="seconds"),
        "end_iso": end.isoformat(timespec="seconds"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "title": activity.title,
        "where": activity.where,
        "url": url,
        "cancelled": occurrence.cancelled,
        "moved": occurrence.moved,
        "note": occurrence.note,
        "planned_for": planned_for,
        "audience": activity.get_audience_display(),
        "languages": [(language.code, language.name) for language in activity.languages.all()],
        "cost": euros(activity.cost_cents) if activity.cost_cents else None,
        "seats": seats,
    }


def public_where(activity) -> str:
    """Where a public activity is, as visitors read it: the name of the neighbourhood's place,
    never an address (a place may be someone's living room, a free-text location their door)."""
    return activity.place.name if activity.place_id else ""


def visitor_entry(occurrence, tz: ZoneInfo, url: str) -> dict[str, Any]:
    """One public date as visitors see it: no seats taken, the place's name only, and no note
    (the organisers write it for the neighbours; the public calendar leaves it out too)."""
    return agenda_entry(occurrence, 0, tz, url) | {
        "where": public_where(occurrence.activity),
        "seats": "",
        "note": "",
    }


def _body(
    neighbourhood, view: str, chosen: date | None, query: QueryDict, start: datetime, today: date
) -> str:
    """The agenda under the page's heading: filters, the period and its entries. The same for
    every member of the neighbourhood, so it is shared through the cache."""
    tz = ZoneInfo(neighbourhood.timezone)
    period = agenda_period(view, chosen, today)
    if view != "list" or chosen is not None:
        start = localize(datetime.combine(period.first, time.min), tz)
    end = localize(datetime.combine(period.end, time.min), tz)
    form = forms.AgendaFilterForm(query, neighbourhood=neighbourhood)
    form.is_valid()
    chosen_filters = getattr(form, "cleaned_data", {})
    activities = selectors.agenda_activities(
        neighbourhood,
        place=chosen_filters.get("place"),
        initiative=chosen_filters.get("initiative"),
        language=chosen_filters.get("language"),
        audience=chosen_filters.get("audience", ""),
    )
    found = selectors.agenda(neighbourhood, start, end, activities=activities)
    next_from = period.next.isoformat() if period.next else ""
    if view == "list" and len(found) > AGENDA_LIST_MAX:
        # A busy fortnight: the page ends after AGENDA_LIST_MAX entries, "later" goes on from
        # the day of the first one left out (from the day after, if that is the first day).
        later = found[AGENDA_LIST_MAX].occurrence.start.astimezone(tz).date()
        found = found[:AGENDA_LIST_MAX]
        later = max(later, period.first + timedelta(days=1))
        found = [e for e in found if e.occurrence.start.astimezone(tz).date() < later]
        next_from = later.isoformat()
        period = Period(view, period.first, later, period.previous, later)
    entries = [
        agenda_entry(e.occurrence, e.going, tz, occurrence_url(neighbourhood.slug, e.occurrence))
        for e in found
    ]
    by_day = {day: list(group) for day, group in groupby(entries, key=lambda e: e["day"])}
    days = [
        {"day": day, "entries": group, "is_today": day == today} for day, group in by_day.items()
    ]
    context = {
        "neighbourhood": neighbourhood,
        "view": view,
        "form": form,
        "query": query,
        "filtered": any(name in query for name in FILTERS),
        "days": days,
        "today": today,
        "period": period,
        "first_day": period.first,
        "last_day": period.last,
        "previous_from": period.previous.isoformat() if period.previous else "",
        "next_from": next_from,
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
    return render_to_string("activities/_agenda_body.html", context)


@require_safe
@member_required
def agenda(request: HttpRequest) -> HttpResponse:
    neighbourhood = request.neighbourhood
    tz = ZoneInfo(neighbourhood.timezone)
    # To the minute: the list without a date starts now, and one shared page serves a minute.
    now = timezone.now().replace(second=0, microsecond=0)
    today = now.astimezone(tz).date()
    view = request.GET.get("view") or "list"
    if view not in AGENDA_VIEWS:
        view = "list"
    chosen = _agenda_start(request.GET.get("from"))
    query = _query(request, view, chosen)
    moment = now if view == "list" and chosen is None else today
    body = shared_cache.shared(
        neighbourhood.pk,
        "agenda",
        query.urlencode(),
        moment,
        build=lambda: _body(neighbourhood, view, chosen, query, now, today),
    )
    context = {
        "nav": "agenda",
        "agenda_body": body,
        "may_plan": shared_cache.personal(
            neighbourhood.pk,
            request.user.pk,
            "may-plan",
            build=lambda: selectors.may_plan(request.membership),
        ),
    }
    return render(request, "activities/agenda.html", context)
