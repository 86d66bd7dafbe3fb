"""The agenda as a week and as a month, next to the list: switching, paging, filters, queries."""

import re
from datetime import date, time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtnet.activities.models import Activity
from buurtnet.activities.services.organise import (
    activity_create,
    occurrence_cancel,
    occurrence_move,
)
from buurtnet.activities.services.places import place_keeper_assign
from buurtnet.activities.services.rsvps import rsvp_set
from buurtnet.activities.views.agenda import agenda_period
from buurtnet.people.models import Language
from tests.activities.conftest import local
from tests.factories import InitiativeFactory, ParticipationFactory

AGENDA = reverse("activities:agenda", args=["ede-zuid"])


def shown_titles(days) -> list[str]:
    return [e["title"] for group in days for e in group["entries"]]


def month_cells(response) -> list[dict]:
    return [cell for week in response.context["weeks"] for cell in week if cell is not None]


@pytest.mark.parametrize("view", ["week", "month"])
def test_anonymous_visitors_are_sent_to_log_in(client, personas, view):
    response = client.get(AGENDA, {"view": view})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("view", ["week", "month"])
def test_members_of_another_neighbourhood_get_404(as_user, personas, dinner, view):
    assert as_user(personas.olga).get(AGENDA, {"view": view}).status_code == 404


# The week


def test_the_week_shows_seven_days_from_monday(as_user, personas, dinner):
    # Friday 26 March 2027 is in the week of Monday 22 March.
    response = as_user(personas.daan).get(AGENDA, {"view": "week", "from": "2027-03-25"})

    assert response.status_code == 200
    days = response.context["week_days"]
    assert [group["day"] for group in days] == [date(2027, 3, 22 + n) for n in range(7)]
    assert [len(group["entries"]) for group in days] == [0, 0, 0, 0, 1, 0, 0]
    assert "Week 12: 22 March to 28 March 2027" in response.text
    assert response.text.count("Nothing planned.") == 6
    assert 'datetime="2027-03-26T18:00:00+01:00">18:00</time>' in response.text
    assert "Huiskamer de Elskamp" in response.text


def test_each_entry_of_the_week_links_to_its_occurrence(as_user, personas, dinner):
    response = as_user(personas.daan).get(AGENDA, {"view": "week", "from": "2027-03-26"})

    url = reverse("activities:occurrence", args=["ede-zuid", dinner.pk, "20270326T1800"])
    assert f'href="{url}"' in response.text


def test_the_week_marks_cancelled_and_moved_dates(as_user, personas, dinner):
    occurrence_cancel(
        user=personas.fatima, activity=dinner, original_start=local(2027, 3, 26, 18), note="Ramadan"
    )
    occurrence_move(
        user=personas.fatima,
        activity=dinner,
        original_start=local(2027, 4, 30, 18),
        new_start=local(2027, 4, 29, 17),
        new_end=local(2027, 4, 29, 19),
    )
    client = as_user(personas.daan)

    cancelled = client.get(AGENDA, {"view": "week", "from": "2027-03-22"})
    moved = client.get(AGENDA, {"view": "week", "from": "2027-04-26"})

    assert "Cancelled" in cancelled.text and "Ramadan" in cancelled.text
    assert 'class="agenda-entry is-cancelled"' in cancelled.text
    assert "Moved" in moved.text and "Planned for 30 April, 18:00" in moved.text
    # The moved dinner is shown on the Thursday it now happens.
    assert [len(g["entries"]) for g in moved.context["week_days"]] == [0, 0, 0, 1, 0, 0, 0]


def test_previous_next_and_today_page_through_weeks(as_user, personas, dinner, room):
    response = as_user(personas.daan).get(
        AGENDA, {"view": "week", "from": "2027-03-25", "place": room.pk}
    )

    assert f"view=week&amp;from=2027-03-15&amp;place={room.pk}" in response.text
    assert f"view=week&amp;from=2027-03-29&amp;place={room.pk}" in response.text
    assert "Previous week: </span>Week 11" in response.text
    assert "Next week: </span>Week 13" in response.text
    # Today drops the date and keeps the rest.
    assert f'href="?view=week&amp;place={room.pk}">Today</a>' in response.text


def test_without_a_date_the_week_is_this_week_with_today_marked(as_user, personas, coffee):
    today = timezone.localdate()

    response = as_user(personas.daan).get(AGENDA, {"view": "week"})

    days = response.context["week_days"]
    assert days[0]["day"] == today - timedelta(days=today.weekday())
    assert [group["is_today"] for group in days].count(True) == 1
    assert 'aria-current="date"' in response.text


# The month


def test_the_month_shows_every_day_of_the_month_in_weeks_from_monday(as_user, personas, dinner):
    response = as_user(personas.daan).get(AGENDA, {"view": "month", "from": "2027-03-17"})

    assert response.status_code == 200
    weeks = response.context["weeks"]
    assert all(len(week) == 7 for week in weeks)
    # 1 March 2027 is a Monday; 31 March a Wednesday.
    assert weeks[0][0]["day"] == date(2027, 3, 1)
    assert [cell["day"] for cell in month_cells(response)] == [
        date(2027, 3, n) for n in range(1, 32)
    ]
    assert weeks[-1][3:] == [None, None, None, None]
    by_day = {cell["day"]: cell["count"] for cell in month_cells(response)}
    assert by_day[date(2027, 3, 26)] == 1
    assert sum(by_day.values()) == 1
    assert [group["day"] for group in response.context["days"]] == [date(2027, 3, 26)]


def test_the_month_is_a_table_with_a_caption_and_weekday_headers(as_user, personas, dinner):
    response = as_user(personas.daan).get(AGENDA, {"view": "month", "from": "2027-03-01"})

    assert "<caption" in response.text and "Calendar of March 2027" in response.text
    headers = re.findall(r'<th scope="col">.*?</th>', response.text)
    assert len(headers) == 7
    assert "Monday" in headers[0] and "Sunday" in headers[6]
    assert '<h2 id="period">March 2027</h2>' in response.text
    # On a phone a day with something links to that day in the list below the grid.
    assert 'href="#day-20270326"' in response.text and 'id="day-20270326"' in response.text
    assert "26 March: 1 activity" in response.text


def test_the_month_marks_cancelled_dates(as_user, personas, dinner):
    occurrence_cancel(user=personas.fatima, activity=dinner, original_start=local(2027, 2, 26, 18))

    response = as_user(personas.daan).get(AGENDA, {"view": "month", "from": "2027-02-01"})

    assert '<li class="agenda-entry is-cancelled">' in response.text
    assert "Cancelled" in response.text


def test_previous_and_next_months_cross_the_year(as_user, personas, dinner):
    response = as_user(personas.daan).get(AGENDA, {"view": "month", "from": "2027-01-31"})

    assert response.context["previous_from"] == "2026-12-01"
    assert response.context["next_from"] == "2027-02-01"
    assert "Previous month: </span>December" in response.text
    assert "Next month: </span>February" in response.text


def test_an_empty_month_says_so(as_user, personas, dinner):
    response = as_user(personas.daan).get(AGENDA, {"view": "month", "from": "2026-06-01"})

    assert response.status_code == 200
    assert "Nothing is planned this month." in response.text


def test_the_period_of_each_view():
    today = date(2027, 3, 17)

    week = agenda_period("week", None, today)
    month = agenda_period("month", date(2027, 12, 5), today)
    two_weeks = agenda_period("list", date(2027, 3, 1), today)

    assert (week.first, week.last) == (date(2027, 3, 15), date(2027, 3, 21))
    assert (month.first, month.last, month.next) == (
        date(2027, 12, 1),
        date(2027, 12, 31),
        date(2028, 1, 1),
    )
    assert (two_weeks.first, two_weeks.end) == (date(2027, 3, 1), date(2027, 3, 15))
    # Paging stops at the ends of the span the agenda covers.
    assert agenda_period("month", date(2099, 12, 1), today).next is None
    assert agenda_period("week", date(2000, 1, 3), today).previous is None


# Switching, filters and bad input


@pytest.mark.parametrize("view", ["list", "week", "month"])
def test_the_switcher_marks_the_view_shown(as_user, personas, dinner, view):
    response = as_user(personas.daan).get(AGENDA, {"view": view, "from": "2027-03-01"})

    current = re.findall(r'<a href="[^"]*" aria-current="page">(\w+)</a>', response.text)
    # The main navigation marks the agenda; the switcher marks the view.
    assert current == ["Agenda", view.capitalize()]


def test_switching_views_keeps_the_date_and_the_filters(as_user, personas, dinner, room):
    response = as_user(personas.daan).get(AGENDA, {"from": "2027-03-10", "place": room.pk})

    assert f'href="?from=2027-03-10&amp;place={room.pk}&amp;view=week"' in response.text
    assert f'href="?from=2027-03-10&amp;place={room.pk}&amp;view=month"' in response.text


def test_the_filter_form_stays_in_the_view(as_user, personas, dinner):
    response = as_user(personas.daan).get(AGENDA, {"view": "month", "from": "2027-03-10"})

    assert '<input type="hidden" name="view" value="month">' in response.text
    assert '<input type="hidden" name="from" value="2027-03-01">' in response.text


@pytest.fixture
def walk(personas):
    arabic = Language.objects.get_or_create(code="ar", defaults={"english_name": "Arabic"})[0]
    walks = InitiativeFactory(
        neighbourhood=personas.ede, title="Wandelen", created_by=personas.daan
    )
    ParticipationFactory(initiative=walks, user=personas.daan, role="initiator")
    return activity_create(
        user=personas.daan,
        neighbourhood=personas.ede,
        initiative=walks,
        title="Wandeling voor vrouwen",
        start_date=date(2027, 3, 3),
        start_time=time(9, 0),
        duration_minutes=60,
        location="Kernhemmerpark",
        audience="women",
        languages=[arabic],
    )


@pytest.mark.parametrize("view", ["week", "month"])
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"Samen eten", "Wandeling voor vrouwen"}),
        ({"audience": "women"}, {"Wandeling voor vrouwen"}),
        ({"language": "ar"}, {"Wandeling voor vrouwen"}),
        ({"place": "ROOM"}, {"Samen eten"}),
        ({"initiative": "DINNER"}, {"Samen eten"}),
        ({"place": "not-a-place", "audience": "nobody"}, {"Samen eten", "Wandeling voor vrouwen"}),
    ],
)
def test_filters_work_in_the_week_and_the_month(
    as_user, personas, room, dinner, walk, view, filters, expected
):
    values = {"ROOM": room.pk, "DINNER": personas.initiative.pk}
    filters = {key: values.get(value, value) for key, value in filters.items()}
    # The week of 1 March 2027 holds the walk; the dinner of 26 March is in the month.
    frm = "2027-03-26" if view == "month" else "2027-03-01"
    response = as_user(personas.daan).get(AGENDA, {"view": view, "from": frm, **filters})

    assert response.status_code == 200
    if view == "week":
        walk_week = {t for t in shown_titles(response.context["week_days"])}
        assert walk_week == expected - {"Samen eten"}
    else:
        assert set(shown_titles(response.context["days"])) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"view": "year"},
        {"view": ""},
        {"view": "week", "from": "2027-02-30"},
        {"view": "month", "from": "99999-01-01"},
        {"view": "month", "from": "1500-01-01"},
        {"view": "week", "from": "\x00"},
        {"view": "month", "from": "2027-13"},
        {"view": "week", "from": "9" * 400},
        {"view": ["week", "month"]},
    ],
)
def test_bad_parameters_fall_back_and_never_fail(as_user, personas, dinner, params):
    response = as_user(personas.daan).get(AGENDA, params)

    assert response.status_code == 200
    view = response.context["view"]
    assert view in ("list", "week", "month")
    if params.get("view") not in ("week", "month", ["week", "month"]):
        assert view == "list"


def test_the_week_falls_back_to_this_week_for_a_bad_date(as_user, personas):
    today = timezone.localdate()

    response = as_user(personas.daan).get(AGENDA, {"view": "week", "from": "2027-02-30"})

    assert response.context["first_day"] == today - timedelta(days=today.weekday())


# Planning and places


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("fatima", True),  # initiator of Samen eten and keeper of the room
        ("henk", False),  # a host who organises nothing himself
        ("priya", False),  # participant only
        ("daan", False),
        ("anna", False),  # professionals join in; they do not organise
    ],
)
def test_plan_an_activity_is_offered_to_who_may_organise(as_user, personas, room, who, sees):
    response = as_user(getattr(personas, who)).get(AGENDA, {"view": "week"})

    plan = reverse("organise:create", args=["ede-zuid"])
    assert (f'href="{plan}"' in response.text) is sees
    assert ("Plan an activity" in response.text) is sees


def test_a_keeper_without_an_initiative_may_plan(as_user, personas, room):
    place_keeper_assign(user=personas.henk, place=room, keeper=personas.daan)

    response = as_user(personas.daan).get(AGENDA)

    assert "Plan an activity" in response.text


def test_the_agenda_links_to_the_places(as_user, personas):
    response = as_user(personas.daan).get(AGENDA, {"view": "month"})

    assert f'href="{reverse("activities:places", args=["ede-zuid"])}"' in response.text


# Queries


def fill_march(personas, *, daily: int, single: int, first_day: int = 1) -> None:
    """Daily series and single activities in March 2027, with answers and a cancelled date."""
    dutch = Language.objects.get_or_create(code="nl", defaults={"english_name": "Dutch"})[0]
    for n in range(daily):
        series = activity_create(
            user=personas.fatima,
            neighbourhood=personas.ede,
            initiative=personas.initiative,
            title=f"Dagelijks {n}",
            location="Kernhemmerpark",
            start_date=date(2027, 3, 1),
            start_time=time(7 + n % 12, 0),
            duration_minutes=45,
            rrule="FREQ=DAILY",
            capacity=20,
            languages=[dutch],
        )
        rsvp_set(
            user=personas.daan,
            activity=series,
            occurrence_start=series.first_start,
            status="going",
        )
        occurrence_cancel(
            user=personas.fatima, activity=series, original_start=local(2027, 3, 9, 7 + n % 12)
        )
    for n in range(single):
        activity_create(
            user=personas.fatima,
            neighbourhood=personas.ede,
            initiative=personas.initiative,
            title=f"Eenmalig {n}",
            location="Kernhemmerpark",
            start_date=date(2027, 3, first_day + n % 31),
            start_time=time(19, 0),
            duration_minutes=60,
            languages=[dutch],
        )


def agenda_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(AGENDA, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("view", ["month", "week"])
def test_500_occurrences_take_as_many_queries_as_5(
    as_user, personas, django_assert_num_queries, view
):
    params = {"view": view, "from": "2027-03-08"}
    client = as_user(personas.priya)
    # Five single dates from Monday 8 March, in the week and in the month.
    fill_march(personas, daily=0, single=5, first_day=8)
    few = agenda_queries(client, params)
    cache.clear()  # the same page again would come from the cache, without its context
    assert len(shown_titles(client.get(AGENDA, params).context["days"])) == 5

    fill_march(personas, daily=15, single=30)
    assert Activity.objects.count() == 50

    with django_assert_num_queries(few):
        response = client.get(AGENDA, params)
    if view == "month":
        # 15 daily series over 31 days and 35 single dates: 500 occurrences in March.
        assert len(shown_titles(response.context["days"])) == 500
    else:
        # 15 series on 7 days, the first five single dates and seven more (8 to 14 March).
        assert len(shown_titles(response.context["week_days"])) == 15 * 7 + 5 + 7
