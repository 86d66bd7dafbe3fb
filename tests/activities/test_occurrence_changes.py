"""Cancel or move one occurrence, or change the series from a date on."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buurtnet.activities.models import Activity, OccurrenceChange, Rsvp
from buurtnet.activities.recurrence import occurrences
from buurtnet.activities.services.organise import (
    activity_change_from,
    occurrence_cancel,
    occurrence_move,
)
from buurtnet.activities.services.rsvps import rsvp_set
from tests.activities.conftest import AMSTERDAM


def _week(start: datetime, n: int) -> datetime:
    """The n-th Wednesday after `start`, at the same wall-clock time."""
    naive = start.astimezone(AMSTERDAM).replace(tzinfo=None) + timedelta(weeks=n)
    return naive.replace(tzinfo=AMSTERDAM)


def _starts(activity, begin, weeks=6):
    return occurrences(activity, begin, begin + timedelta(weeks=weeks))


def test_cancelling_one_occurrence_leaves_the_rest(personas, coffee, first_coffee):
    second = _week(first_coffee, 1)

    occurrence_cancel(user=personas.fatima, activity=coffee, original_start=second, note="Holiday")

    found = _starts(coffee, first_coffee, weeks=3)
    assert [o.cancelled for o in found] == [False, True, False]
    assert found[1].note == "Holiday"


def test_moving_one_occurrence_leaves_the_rest(personas, coffee, first_coffee):
    second = _week(first_coffee, 1)
    new_start = second + timedelta(days=1, hours=4)

    occurrence_move(
        user=personas.fatima,
        activity=coffee,
        original_start=second,
        new_start=new_start,
        new_end=new_start + timedelta(hours=2),
    )

    found = _starts(coffee, first_coffee, weeks=3)
    assert [o.start for o in found] == [first_coffee, new_start, _week(first_coffee, 2)]
    assert found[1].moved and found[1].original_start == second


@pytest.mark.parametrize("who", ["priya", "daan", "henk", "anna", "olga"])
def test_only_organisers_cancel(personas, coffee, first_coffee, who):
    with pytest.raises(PermissionDenied):
        occurrence_cancel(user=getattr(personas, who), activity=coffee, original_start=first_coffee)
    assert not OccurrenceChange.objects.exists()


def test_it_refuses_to_cancel_a_time_the_series_does_not_have(personas, coffee, first_coffee):
    with pytest.raises(ValidationError) as raised:
        occurrence_cancel(
            user=personas.fatima, activity=coffee, original_start=first_coffee + timedelta(hours=1)
        )
    assert raised.value.code == "none"


def test_it_refuses_to_change_a_past_occurrence(personas, dinner):
    dinner.start_date = dinner.start_date.replace(year=2020)
    dinner.start_time = time(18, 0)
    dinner.save()
    past = datetime(2020, 3, 27, 18, tzinfo=AMSTERDAM)
    with pytest.raises(ValidationError) as raised:
        occurrence_cancel(user=personas.fatima, activity=dinner, original_start=past)
    assert raised.value.code == "past"


def test_a_move_must_end_after_it_starts(personas, coffee, first_coffee):
    with pytest.raises(ValidationError) as raised:
        occurrence_move(
            user=personas.fatima,
            activity=coffee,
            original_start=first_coffee,
            new_start=first_coffee,
            new_end=first_coffee - timedelta(minutes=1),
        )
    assert "new_end" in raised.value.message_dict


def test_changing_this_and_following_splits_the_series(personas, coffee, first_coffee):
    third = _week(first_coffee, 2)

    new = activity_change_from(
        user=personas.fatima,
        activity=coffee,
        from_start=third,
        start_time=time(9, 30),
        title="Koffie en thee",
    )

    coffee.refresh_from_db()
    assert coffee.until < third
    assert [o.start for o in _starts(coffee, first_coffee)] == [
        first_coffee,
        _week(first_coffee, 1),
    ]
    new_starts = _starts(new, first_coffee)
    assert new_starts[0].start == third - timedelta(minutes=30)
    assert {(o.start.hour, o.start.minute) for o in new_starts} == {(9, 30)}
    assert new.title == "Koffie en thee"
    assert new.previous == coffee
    assert (new.capacity, new.place) == (coffee.capacity, coffee.place)


def test_a_split_carries_coming_answers_and_cancellations_to_the_new_series(
    personas, coffee, first_coffee
):
    third, fourth = _week(first_coffee, 2), _week(first_coffee, 3)
    rsvp_set(user=personas.daan, activity=coffee, occurrence_start=first_coffee, status="going")
    rsvp_set(user=personas.daan, activity=coffee, occurrence_start=fourth, status="going")
    occurrence_cancel(user=personas.fatima, activity=coffee, original_start=third)

    new = activity_change_from(
        user=personas.fatima, activity=coffee, from_start=third, start_time=time(9, 30)
    )

    kept = Rsvp.objects.get(activity=coffee)
    carried = Rsvp.objects.get(activity=new)
    assert kept.occurrence_start == first_coffee
    assert carried.occurrence_start == fourth - timedelta(minutes=30)
    assert [o.cancelled for o in _starts(new, third - timedelta(hours=1), weeks=2)] == [True, False]


def test_a_series_can_move_to_another_weekday_from_a_date_on(personas, coffee, first_coffee):
    third = _week(first_coffee, 2)

    new = activity_change_from(
        user=personas.fatima, activity=coffee, from_start=third, rrule="FREQ=WEEKLY;BYDAY=TH"
    )

    assert new.start_date == (third + timedelta(days=1)).date()
    assert {o.start.weekday() for o in _starts(new, third)} == {3}


def test_this_and_following_refuses_an_invalid_rule_and_changes_nothing(
    personas, coffee, first_coffee
):
    with pytest.raises(ValidationError) as raised:
        activity_change_from(
            user=personas.fatima,
            activity=coffee,
            from_start=_week(first_coffee, 2),
            rrule="FREQ=HOURLY",
        )
    assert "rrule" in raised.value.message_dict
    coffee.refresh_from_db()
    assert coffee.until is None
    assert Activity.objects.count() == 1


def test_this_and_following_is_for_organisers_only(personas, coffee, first_coffee):
    with pytest.raises(PermissionDenied):
        activity_change_from(
            user=personas.daan, activity=coffee, from_start=first_coffee, title="Mine"
        )


def test_this_and_following_refuses_a_missing_time_and_changes_nothing(
    personas, coffee, first_coffee
):
    with pytest.raises(ValidationError) as raised:
        activity_change_from(
            user=personas.fatima,
            activity=coffee,
            from_start=_week(first_coffee, 2),
            start_time=None,
        )
    assert "start_time" in raised.value.message_dict
    coffee.refresh_from_db()
    assert coffee.until is None


def test_this_and_following_from_a_time_the_series_does_not_have_is_refused(
    personas, coffee, first_coffee
):
    with pytest.raises(ValidationError) as raised:
        activity_change_from(
            user=personas.fatima,
            activity=coffee,
            from_start=first_coffee + timedelta(days=1),
            title="Elders",
        )
    assert raised.value.error_dict["from_start"][0].code == "none"
