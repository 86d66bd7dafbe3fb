"""The neighbourhood's agenda: a list, a week or a month of occurrences."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from buurtnet.activities.forms import agenda as forms
from buurtnet.activities.links import euros, occurrence_url
from buurtnet.activities.models import localize
from buurtnet.activities.selectors import agenda as selectors
from buurtnet.neighbourhoods.access import member_required

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
