from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from buurtnet.activities.models import OccurrenceChange
from buurtnet.activities.recurrence import (
    occurrences,
    occurrences_for_neighbourhood,
    validate_rrule,
)
from buurtnet.activities.services import organise as services
from tests.activities.conftest import AMSTERDAM, local


def test_the_monthly_dinner_stays_at_six_in_the_evening_across_the_dst_change(dinner):
    found = occurrences(dinner, local(2027, 3, 1), local(2027, 5, 1))

    assert [o.start.date() for o in found] == [date(2027, 3, 26), date(2027, 4, 30)]
    march, april = found
    assert (march.start.hour, march.start.minute) == (18, 0)
    assert (april.start.hour, april.start.minute) == (18, 0)
    assert (april.end.hour, april.end.minute) == (20, 30)
    # Same wall-clock time, different instants: winter time is UTC+1, summer time UTC+2.
    assert march.start.astimezone(UTC).hour == 17
    assert april.start.astimezone(UTC).hour == 16
    assert march.start.tzinfo == AMSTERDAM


def test_the_last_friday_of_the_month_is_found_in_every_month(dinner):
    found = occurrences(dinner, local(2027, 1, 1), local(2028, 1, 1))

    assert len(found) == 12
    assert all(o.start.weekday() == 4 for o in found)
    assert all((o.start + timedelta(days=7)).month != o.start.month for o in found)


def test_a_weekly_coffee_comes_every_wednesday_at_ten(personas, room):
    coffee = services.activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Koffie",
        start_date=date(2027, 3, 3),
        start_time=time(10, 0),
        duration_minutes=90,
        rrule="FREQ=WEEKLY;BYDAY=WE",
    )

    found = occurrences(coffee, local(2027, 3, 1), local(2027, 4, 8))

    assert [o.start.day for o in found] == [3, 10, 17, 24, 31, 7]
    assert {(o.start.hour, o.end.hour, o.end.minute) for o in found} == {(10, 11, 30)}


def test_an_occurrence_that_began_before_the_window_still_overlaps_it(dinner):
    found = occurrences(dinner, local(2027, 3, 26, 19), local(2027, 3, 26, 21))

    assert [o.start for o in found] == [local(2027, 3, 26, 18)]


def test_the_series_ends_at_its_last_start(dinner):
    dinner.until = local(2027, 3, 26, 18)
    dinner.save()

    found = occurrences(dinner, local(2027, 1, 1), local(2028, 1, 1))

    assert found[-1].start == local(2027, 3, 26, 18)
    assert len(found) == 3


def test_a_cancelled_occurrence_is_kept_but_flagged(dinner):
    OccurrenceChange.objects.create(
        activity=dinner, original_start=local(2027, 2, 26, 18), cancelled=True, note="Ramadan"
    )

    found = occurrences(dinner, local(2027, 2, 1), local(2027, 3, 1))

    assert len(found) == 1
    assert found[0].cancelled and found[0].note == "Ramadan"


def test_an_occurrence_moved_into_the_window_from_outside_appears(dinner):
    OccurrenceChange.objects.create(
        activity=dinner,
        original_start=local(2027, 2, 26, 18),
        new_start=local(2027, 3, 5, 17),
        new_end=local(2027, 3, 5, 19),
    )

    found = occurrences(dinner, local(2027, 3, 1), local(2027, 3, 10))

    assert len(found) == 1
    assert found[0].moved
    assert found[0].original_start == local(2027, 2, 26, 18)
    assert found[0].start == local(2027, 3, 5, 17)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SOMETIMES",
        "BYDAY=WE",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYDAY",
        "every wednesday",
        "FREQ=WEEKLY;FOO=1",
        "FREQ=WEEKLY;FREQ=DAILY",
        "FREQ=MONTHLY;BYDAY=99MO",
        "FREQ=MONTHLY;BYDAY=-99FR",
    ],
)
def test_it_rejects_rules_it_does_not_understand(rule):
    with pytest.raises(ValidationError) as raised:
        validate_rrule(rule)
    assert raised.value.code == "invalid_rrule"


@pytest.mark.parametrize("freq", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_it_rejects_rules_more_frequent_than_daily(freq):
    with pytest.raises(ValidationError) as raised:
        validate_rrule(f"FREQ={freq}")
    assert raised.value.code == "rrule_too_frequent"


@pytest.mark.parametrize(
    "rule", ["FREQ=WEEKLY;UNTIL=20270101T000000Z", "FREQ=WEEKLY;COUNT=3", "FREQ=DAILY;BYHOUR=9"]
)
def test_it_keeps_the_end_and_time_of_day_out_of_the_rule(rule):
    with pytest.raises(ValidationError) as raised:
        validate_rrule(rule)
    assert raised.value.code == "rrule_refused_part"


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYMONTHDAY=40"]
)
def test_it_rejects_a_rule_that_never_happens(rule):
    with pytest.raises(ValidationError) as raised:
        validate_rrule(rule)
    assert raised.value.code == "rrule_never"


def test_it_normalises_a_rule():
    assert validate_rrule(" rrule:freq=monthly; byday=-1fr ") == "FREQ=MONTHLY;BYDAY=-1FR"
    assert validate_rrule("") == ""


def test_an_invalid_rule_is_refused_when_planning_an_activity(personas, room):
    with pytest.raises(ValidationError) as raised:
        services.activity_create(
            user=personas.fatima,
            neighbourhood=personas.ede,
            place=room,
            title="Koffie",
            start_date=date(2027, 3, 3),
            start_time=time(10, 0),
            duration_minutes=90,
            rrule="FREQ=WEEKLY;BYDAY=XX",
        )
    assert "rrule" in raised.value.message_dict


def _series(personas, room, n: int) -> None:
    for i in range(n):
        services.activity_create(
            user=personas.fatima,
            neighbourhood=personas.ede,
            place=room,
            title=f"Series {i}",
            start_date=date(2027, 3, 3),
            start_time=time(10, 0),
            duration_minutes=60,
            rrule="FREQ=WEEKLY;BYDAY=WE",
        )


def _count_queries(neighbourhood) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        found = occurrences_for_neighbourhood(neighbourhood, local(2027, 3, 1), local(2027, 4, 1))
    return len(ctx.captured_queries), len(found)


def test_a_neighbourhood_month_takes_two_queries_however_many_series(personas, room):
    _series(personas, room, 2)
    few_queries, few = _count_queries(personas.ede)
    _series(personas, room, 18)
    many_queries, many = _count_queries(personas.ede)

    assert (few, many) == (2 * 5, 20 * 5)
    assert few_queries == many_queries == 2


def test_a_neighbourhood_lists_only_its_own_occurrences(personas, dinner):
    assert occurrences_for_neighbourhood(personas.other, local(2027, 1, 1), local(2028, 1, 1)) == []
    assert (
        len(occurrences_for_neighbourhood(personas.ede, local(2027, 1, 1), local(2028, 1, 1))) == 12
    )


@pytest.mark.parametrize("interval", ["0", "-1", "101", "99999999999999999999", "1.5", "x"])
def test_it_rejects_an_interval_that_would_never_move_on(interval):
    with pytest.raises(ValidationError) as raised:
        validate_rrule(f"FREQ=WEEKLY;INTERVAL={interval}")
    assert raised.value.code in ("rrule_interval", "invalid_rrule")


def test_an_interval_up_to_a_hundred_is_fine():
    assert validate_rrule("FREQ=WEEKLY;INTERVAL=100") == "FREQ=WEEKLY;INTERVAL=100"
