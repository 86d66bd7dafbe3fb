"""A person's own calendar feed holds exactly the dates they signed up for, one event each.

The feed behind the secret address is not the series of every activity they once answered for:
it holds the dates where their answer is "going" with a place and the dates where they took a
task, each as it stands now (moved, cancelled), in the person's own language, within a window
around today, read in a fixed number of queries.
"""

import shutil
import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from buurtnet.activities.models import Activity, Rsvp
from buurtnet.activities.selectors.feeds import PERSONAL_AHEAD, PERSONAL_PAST
from buurtnet.activities.services import organise
from buurtnet.activities.services.calendars import calendar_token_renew
from buurtnet.activities.services.helping import task_add, task_signup, task_withdraw
from buurtnet.activities.services.rsvps import rsvp_cancel, rsvp_set
from tests.activities.conftest import AMSTERDAM, local
from tests.activities.test_khal import CONFIG

FEB, MAR, APR = local(2027, 2, 26, 18), local(2027, 3, 26, 18), local(2027, 4, 30, 18)


def feed(client, user):
    token = calendar_token_renew(user=user).token
    response = client.get(reverse("activities:feed_personal", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def the_calendar(client, user) -> Calendar:
    return Calendar.from_ical(feed(client, user).content)


def dates(calendar: Calendar) -> list[tuple[str, datetime]]:
    return [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in calendar.walk("VEVENT")]


def going(user, activity, start, status="going"):
    return rsvp_set(user=user, activity=activity, occurrence_start=start, status=status)


def test_it_holds_the_dates_i_am_going_to_and_not_the_whole_series(
    client, personas, dinner, coffee, first_coffee
):
    third_coffee = first_coffee + timedelta(days=14)
    going(personas.daan, coffee, first_coffee)
    going(personas.daan, coffee, first_coffee + timedelta(days=7), status="maybe")
    going(personas.daan, coffee, third_coffee)
    going(personas.daan, dinner, MAR)
    going(personas.priya, dinner, APR)  # someone else's date

    calendar = the_calendar(client, personas.daan)

    assert dates(calendar) == [
        ("Koffieochtend", first_coffee),
        ("Koffieochtend", third_coffee),
        ("Samen eten", MAR),
    ]
    events = calendar.walk("VEVENT")
    for event in events:
        for series_only in ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
            assert series_only not in event
        assert str(event["STATUS"]) == "CONFIRMED"
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert len({str(event["UID"]) for event in events}) == 3
    (march,) = [e for e in events if str(e["SUMMARY"]) == "Samen eten"]
    assert march.decoded("DTEND") == local(2027, 3, 26, 20, 30)
    assert str(march["URL"]).endswith(
        reverse("activities:occurrence", args=["ede-zuid", dinner.pk, "20270326T1800"])
    )
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_a_waiting_place_is_not_a_place(client, personas, coffee, first_coffee):
    coffee.capacity = 1
    coffee.save()
    going(personas.priya, coffee, first_coffee)
    waiting = going(personas.daan, coffee, first_coffee)
    assert waiting.waitlisted

    assert dates(the_calendar(client, personas.daan)) == []


def test_a_date_i_help_on_is_in_it_once_with_my_task(client, personas, dinner):
    cooking = task_add(
        user=personas.fatima, activity=dinner, occurrence_start=FEB, kind="cooking", hands_needed=2
    )
    dishes = task_add(
        user=personas.fatima,
        activity=dinner,
        occurrence_start=MAR,
        kind="cleaning_up",
        hands_needed=2,
    )
    task_signup(user=personas.daan, task=cooking, occurrence_start=FEB)
    task_signup(user=personas.daan, task=dishes, occurrence_start=MAR)
    going(personas.daan, dinner, MAR)  # going and helping: one event

    events = the_calendar(client, personas.daan).walk("VEVENT")

    assert [e.decoded("DTSTART") for e in events] == [FEB, MAR]
    assert "You help with: Cooking" in str(events[0]["DESCRIPTION"])
    assert "You help with: Cleaning up" in str(events[1]["DESCRIPTION"])


def test_cancelled_and_moved_dates_follow_the_changes(client, personas, dinner):
    for start in (FEB, MAR, APR):
        going(personas.daan, dinner, start)
    organise.occurrence_cancel(
        user=personas.fatima, activity=dinner, original_start=MAR, note="Ramadan"
    )
    organise.occurrence_move(
        user=personas.fatima,
        activity=dinner,
        original_start=APR,
        new_start=local(2027, 4, 29, 17),
        new_end=local(2027, 4, 29, 19),
    )

    events = the_calendar(client, personas.daan).walk("VEVENT")

    assert [(e.decoded("DTSTART"), str(e["STATUS"])) for e in events] == [
        (FEB, "CONFIRMED"),
        (MAR, "CANCELLED"),
        (datetime(2027, 4, 29, 17, tzinfo=AMSTERDAM), "CONFIRMED"),
    ]
    assert "This date is cancelled." in str(events[1]["DESCRIPTION"])
    assert "Ramadan" in str(events[1]["DESCRIPTION"])
    assert events[2].decoded("DTEND") == local(2027, 4, 29, 19)
    # The moved date keeps its address: the original start names it.
    assert str(events[2]["URL"]).endswith(f"/agenda/{dinner.pk}/20270430T1800/")


def test_a_date_moved_far_away_stays_in_it(client, personas, dinner):
    going(personas.daan, dinner, APR)
    far = timezone.now() + PERSONAL_AHEAD + timedelta(days=30)
    organise.occurrence_move(
        user=personas.fatima,
        activity=dinner,
        original_start=APR,
        new_start=far,
        new_end=far + timedelta(hours=2),
    )

    (event,) = the_calendar(client, personas.daan).walk("VEVENT")

    assert event.decoded("DTSTART") == far.replace(microsecond=0)


def test_a_date_i_cancelled_or_stopped_helping_on_drops_out(client, personas, dinner):
    cooking = task_add(
        user=personas.fatima, activity=dinner, occurrence_start=FEB, kind="cooking", hands_needed=1
    )
    task_signup(user=personas.daan, task=cooking, occurrence_start=FEB)
    going(personas.daan, dinner, MAR)
    going(personas.daan, dinner, APR)
    assert [d for _title, d in dates(the_calendar(client, personas.daan))] == [FEB, MAR, APR]

    rsvp_cancel(user=personas.daan, activity=dinner, occurrence_start=MAR)
    task_withdraw(user=personas.daan, task=cooking, occurrence_start=FEB)

    assert [d for _title, d in dates(the_calendar(client, personas.daan))] == [APR]


def test_a_date_the_series_no_longer_has_drops_out(client, personas, dinner):
    going(personas.daan, dinner, MAR)
    going(personas.daan, dinner, APR)
    dinner.until = local(2027, 3, 31, 0)  # the series ends after March
    dinner.save()

    assert [d for _title, d in dates(the_calendar(client, personas.daan))] == [MAR]


@pytest.fixture
def weekly_since_months(personas, room):
    """A weekly walk that began about four months ago (made directly: services refuse the past)."""
    first = timezone.localdate() - timedelta(days=120)
    first -= timedelta(days=(first.weekday() - 1) % 7)  # a Tuesday
    return Activity.objects.create(
        neighbourhood=personas.ede,
        place=room,
        title="Wandeling",
        start_date=first,
        start_time=time(9, 30),
        duration_minutes=60,
        rrule="FREQ=WEEKLY;BYDAY=TU",
    )


def test_it_holds_a_window_from_two_months_back_to_a_year_ahead(
    client, personas, weekly_since_months
):
    walk = weekly_since_months
    first = local(*walk.start_date.timetuple()[:3], 9, 30)
    now = timezone.now()

    def week(n: int) -> datetime:
        return local(*(walk.start_date + timedelta(weeks=n)).timetuple()[:3], 9, 30)

    starts = [week(n) for n in range(0, 80)]
    for start in starts:
        Rsvp.objects.create(
            activity=walk, occurrence_start=start, user=personas.daan, status="going"
        )
    inside = [s for s in starts if now - PERSONAL_PAST <= s < now + PERSONAL_AHEAD]

    shown = [d for _title, d in dates(the_calendar(client, personas.daan))]

    assert first not in shown  # four months ago
    assert shown == inside
    assert shown[0] >= now - PERSONAL_PAST and shown[-1] < now + PERSONAL_AHEAD
    assert len(shown) < len(starts)


def test_titles_and_descriptions_are_in_my_language(client, personas, dinner):
    personas.daan.preferred_language = "nl"
    personas.daan.save()
    cooking = task_add(
        user=personas.fatima, activity=dinner, occurrence_start=FEB, kind="cooking", hands_needed=1
    )
    task_signup(user=personas.daan, task=cooking, occurrence_start=FEB)
    going(personas.daan, dinner, MAR)
    organise.occurrence_cancel(user=personas.fatima, activity=dinner, original_start=MAR)
    language_before = translation.get_language()

    calendar = the_calendar(client, personas.daan)  # the client itself asks in English

    assert str(calendar["X-WR-CALNAME"]) == "Mijn activiteiten"
    february, march = calendar.walk("VEVENT")
    assert "Bijdrage: € 3,00" in str(february["DESCRIPTION"])
    assert "Koken" in str(february["DESCRIPTION"])
    assert "Deze keer gaat niet door." in str(march["DESCRIPTION"])
    assert translation.get_language() == language_before


def test_nothing_about_other_people_or_my_answers_details(client, personas, coffee, first_coffee):
    rsvp_set(
        user=personas.daan,
        activity=coffee,
        occurrence_start=first_coffee,
        status="going",
        allergies="peanuts",
        guests=1,
    )
    going(personas.priya, coffee, first_coffee)

    content = feed(client, personas.daan).content.decode()

    for personal in ["Daan", "daan@", "Priya", "priya@", "peanuts", "ATTENDEE", "ORGANIZER"]:
        assert personal not in content


def test_only_neighbourhoods_i_still_belong_to(client, personas, dinner):
    going(personas.daan, dinner, MAR)
    personas.daan.memberships.all().delete()

    assert dates(the_calendar(client, personas.daan)) == []


def _feed_queries(client, user) -> tuple[int, int]:
    token = calendar_token_renew(user=user).token
    url = reverse("activities:feed_personal", args=[token])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_feed_takes_the_same_few_queries_however_many_dates(
    client, personas, room, dinner, coffee, first_coffee
):
    going(personas.daan, coffee, first_coffee)
    few_queries, few = _feed_queries(client, personas.daan)

    for n in range(1, 9):
        going(personas.daan, coffee, first_coffee + timedelta(weeks=n))
    for start in (FEB, MAR, APR):
        going(personas.daan, dinner, start)
        task = task_add(
            user=personas.fatima,
            activity=dinner,
            occurrence_start=start,
            kind="shopping",
            hands_needed=1,
        )
        task_signup(user=personas.daan, task=task, occurrence_start=start)
    for n in range(3):
        walk = organise.activity_create(
            user=personas.fatima,
            neighbourhood=personas.ede,
            place=room,
            title=f"Wandeling {n}",
            start_date=first_coffee.date() + timedelta(days=n + 1),
            start_time=time(9, 0),
            duration_minutes=60,
        )
        going(personas.daan, walk, local(*walk.start_date.timetuple()[:3], 9))
    many_queries, many = _feed_queries(client, personas.daan)

    assert (few, many) == (1, 15)
    # The address, the places taken, the tasks taken, the dates' changes, the languages.
    assert few_queries == many_queries == 5


# In a real calendar program

KHAL = shutil.which("khal")


@pytest.mark.skipif(KHAL is None, reason="khal is not installed")
def test_khal_shows_exactly_my_dates(client, personas, dinner, tmp_path):
    for start in (FEB, MAR, APR):
        going(personas.daan, dinner, start)
    organise.occurrence_cancel(user=personas.fatima, activity=dinner, original_start=MAR)
    organise.occurrence_move(
        user=personas.fatima,
        activity=dinner,
        original_start=APR,
        new_start=local(2027, 4, 29, 17),
        new_end=local(2027, 4, 29, 19),
    )
    calendar_dir = tmp_path / "calendar"
    calendar_dir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(CONFIG.format(calendar=calendar_dir, database=tmp_path / "khal.db"))
    ics = tmp_path / "mine.ics"
    ics.write_bytes(feed(client, personas.daan).content)

    def khal(*args: str) -> str:
        return subprocess.run(  # noqa: S603 - fixed program, arguments from the test
            [KHAL, "-c", str(config), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout

    khal("import", "--batch", "-a", "buurt", str(ics))
    listed = khal(
        "list",
        "--day-format",
        "",
        "-f",
        "{start} | {end} | {title} | {status}",
        "2027-01-01",
        "2027-12-31",
    )

    lines = [line.strip() for line in listed.splitlines() if line.strip()]
    assert lines == [
        "2027-02-26 18:00 | 2027-02-26 20:30 | Samen eten | CONFIRMED",
        "2027-03-26 18:00 | 2027-03-26 20:30 | Samen eten | CANCELLED",
        "2027-04-29 17:00 | 2027-04-29 19:00 | Samen eten | CONFIRMED",
    ]
