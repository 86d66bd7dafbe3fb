"""A repeating activity at a place holds the place on its coming dates, without anyone asking."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from buurtnet.activities.models import Booking, BookingStatus
from buurtnet.activities.services import organise as organise_services
from buurtnet.activities.services.bookings import booking_cancel
from buurtnet.activities.services.organise import (
    _reserve,
    activity_change_from,
    activity_create,
    occurrence_cancel,
    occurrence_move,
    reservations_extend,
)
from buurtnet.activities.services.places import place_create
from tests.activities.conftest import next_wednesday
from tests.activities.test_bookings import at, book


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def held(activity):
    return Booking.objects.filter(
        activity=activity, status__in=[BookingStatus.REQUESTED, BookingStatus.APPROVED]
    ).order_by("starts_at")


def plan_coffee(personas, room, **extra):
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Koffieochtend",
        start_date=next_wednesday(),
        start_time=time(10, 0),
        duration_minutes=90,
        rrule="FREQ=WEEKLY;BYDAY=WE",
        **extra,
    )


def test_a_weekly_series_holds_the_room_for_a_year_ahead(personas, room):
    coffee = plan_coffee(personas, room)

    bookings = list(held(coffee))
    assert 50 <= len(bookings) <= 53
    first = bookings[0]
    assert first.status == BookingStatus.APPROVED
    assert (first.starts_at, first.ends_at) == (at(10), at(11, 30))
    assert first.place == room
    assert all(b.starts_at > timezone.now() for b in bookings)
    assert coffee.unreserved == []


def test_a_neighbour_cannot_book_the_room_during_the_coffee_morning(personas, room):
    plan_coffee(personas, room)

    with pytest.raises(ValidationError) as refused:
        book(personas.daan, room, at(11), at(12))

    assert refused.value.messages == [
        "Huiskamer de Elskamp is already booked 10:00–11:30. Free nearby: 08:00–10:00, 11:30–23:00."
    ]


def test_dates_that_were_booked_already_are_reported_and_the_rest_reserved(personas, room):
    birthday = book(personas.daan, room, at(9, days=7), at(11, days=7))

    coffee = plan_coffee(personas, room)

    assert [o.start for o in coffee.unreserved] == [at(10, days=7)]
    assert at(10, days=7) not in [b.starts_at for b in held(coffee)]
    assert held(coffee).first().starts_at == at(10)
    birthday.refresh_from_db()
    assert birthday.status == BookingStatus.REQUESTED


def test_a_single_activity_holds_its_one_slot(personas, room):
    party = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Buurtfeest",
        start_date=next_wednesday(),
        start_time=time(15, 0),
        duration_minutes=120,
    )

    assert [(b.starts_at, b.ends_at) for b in held(party)] == [(at(15), at(17))]


def test_an_activity_elsewhere_books_nothing(personas):
    walk = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        location="Park de Ginkel",
        title="Wandelen",
        start_date=next_wednesday(),
        start_time=time(15, 0),
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
    )

    assert walk.unreserved == []
    assert not Booking.objects.exists()


def test_cancelling_one_date_frees_the_room_that_day(personas, room):
    coffee = plan_coffee(personas, room)

    occurrence_cancel(user=personas.fatima, activity=coffee, original_start=at(10))

    assert held(coffee).first().starts_at == at(10, days=7)
    assert book(personas.daan, room, at(10), at(11)).status == BookingStatus.REQUESTED


def test_moving_one_date_moves_its_reservation(personas, room):
    coffee = plan_coffee(personas, room)

    occurrence_move(
        user=personas.fatima,
        activity=coffee,
        original_start=at(10),
        new_start=at(14),
        new_end=at(15, 30),
    )

    first = held(coffee).first()
    assert (first.starts_at, first.ends_at) == (at(14), at(15, 30))
    assert book(personas.daan, room, at(10), at(11)).status == BookingStatus.REQUESTED


def test_a_date_cannot_move_onto_a_booked_time(personas, room):
    coffee = plan_coffee(personas, room)
    book(personas.daan, room, at(14), at(16))

    with pytest.raises(ValidationError) as refused:
        occurrence_move(
            user=personas.fatima,
            activity=coffee,
            original_start=at(10),
            new_start=at(15),
            new_end=at(16, 30),
        )

    assert "already booked 14:00–16:00" in refused.value.message_dict["new_start"][0]
    assert held(coffee).first().starts_at == at(10)
    assert not coffee.changes.exists()


def test_changing_the_series_from_a_date_moves_the_reservations_along(personas, room):
    coffee = plan_coffee(personas, room)

    later = activity_change_from(
        user=personas.fatima,
        activity=coffee,
        from_start=at(10, days=14),
        start_time=time(13, 0),
    )

    old = list(held(coffee))
    assert [b.starts_at for b in old] == [at(10), at(10, days=7)]
    new = list(held(later))
    assert new[0].starts_at == at(13, days=14)
    assert 48 <= len(new) <= 51
    assert book(personas.daan, room, at(10, days=14), at(11, days=14))


def test_the_daily_job_reserves_dates_that_come_into_reach(personas, room):
    coffee = plan_coffee(personas, room)
    last = held(coffee).last()
    Booking.objects.filter(pk=last.pk).delete()

    assert reservations_extend() == 0

    assert held(coffee).last().starts_at == last.starts_at
    # Running it again adds nothing twice.
    count = held(coffee).count()
    reservations_extend()
    assert held(coffee).count() == count


def test_the_daily_job_counts_dates_it_could_not_reserve(personas, room):
    coffee = plan_coffee(personas, room)
    first = held(coffee).first()
    first.status = BookingStatus.CANCELLED
    first.save()
    book(personas.daan, room, at(9), at(12))

    assert reservations_extend() == 1


def test_a_series_that_ended_is_left_alone(personas, room):
    coffee = plan_coffee(personas, room, until=at(12, days=14))

    assert held(coffee).count() == 3
    assert reservations_extend() == 0


def test_changing_the_series_from_a_date_brings_its_tasks_helpers_and_dishes(personas, room):
    from buurtnet.activities.models import Dish, Task, TaskKind, TaskSignup

    coffee = plan_coffee(personas, room)
    every = Task.objects.create(activity=coffee, kind=TaskKind.SETTING_UP, hands_needed=2)
    one_day = Task.objects.create(
        activity=coffee, kind=TaskKind.OTHER, description="Cake", occurrence_start=at(10, days=21)
    )
    TaskSignup.objects.create(task=every, occurrence_start=at(10), user=personas.daan)
    TaskSignup.objects.create(task=every, occurrence_start=at(10, days=14), user=personas.priya)
    TaskSignup.objects.create(task=one_day, occurrence_start=at(10, days=21), user=personas.daan)
    Dish.objects.create(
        activity=coffee, occurrence_start=at(10, days=14), user=personas.daan, dish="Baklava"
    )

    later = activity_change_from(
        user=personas.fatima, activity=coffee, from_start=at(10, days=14), start_time=time(13, 0)
    )

    # The old series keeps its job for its remaining date and Daan's help on it.
    assert list(coffee.tasks.values_list("kind", flat=True)) == [TaskKind.SETTING_UP]
    assert TaskSignup.objects.get(task=every).occurrence_start == at(10)
    copied = later.tasks.get(occurrence_start__isnull=True)
    assert (copied.kind, copied.hands_needed) == (TaskKind.SETTING_UP, 2)
    assert TaskSignup.objects.get(task=copied).occurrence_start == at(13, days=14)
    assert TaskSignup.objects.get(task=copied).user == personas.priya
    one_day.refresh_from_db()
    assert (one_day.activity, one_day.occurrence_start) == (later, at(13, days=21))
    assert TaskSignup.objects.get(task=one_day).occurrence_start == at(13, days=21)
    dish = Dish.objects.get()
    assert (dish.activity, dish.occurrence_start) == (later, at(13, days=14))


def test_a_series_changed_from_a_date_keeps_room_for_who_is_going(personas, room):
    from tests.activities.test_rsvp import answer

    coffee = plan_coffee(personas, room, capacity=10)
    answer(personas.daan, coffee, at(10, days=14), guests=3)

    with pytest.raises(ValidationError) as refused:
        activity_change_from(
            user=personas.fatima, activity=coffee, from_start=at(10, days=7), capacity=2
        )

    assert refused.value.message_dict["capacity"][0].startswith("4 people are already going")
    coffee.refresh_from_db()
    assert coffee.until is None


def test_a_reservation_is_not_cancelled_as_a_booking(personas, room):
    coffee = plan_coffee(personas, room)
    reservation = held(coffee).first()

    with pytest.raises(ValidationError) as refused:
        booking_cancel(user=personas.fatima, booking=reservation)

    assert "cancel that date in the agenda" in refused.value.messages[0]
    assert held(coffee).first() == reservation


def test_the_keepers_series_stays_at_their_place(personas, room):
    kitchen = place_create(user=personas.henk, neighbourhood=personas.ede, name="Keuken")
    coffee = plan_coffee(personas, room)

    with pytest.raises(ValidationError) as refused:
        activity_change_from(
            user=personas.fatima, activity=coffee, from_start=at(10, days=7), place=kitchen
        )

    assert "place" in refused.value.message_dict
    assert not Booking.objects.filter(place=kitchen).exists()


def test_one_troubled_series_does_not_stop_the_daily_job(personas, room, monkeypatch):
    from django.db import OperationalError

    first = plan_coffee(personas, room)
    second = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Naaiclub",
        start_date=next_wednesday(),
        start_time=time(14, 0),
        duration_minutes=60,
        rrule="FREQ=WEEKLY;BYDAY=WE",
    )
    Booking.objects.filter(activity__in=[first, second]).delete()
    real = _reserve

    def troubled(activity, **kwargs):
        if activity.pk == first.pk:
            raise OperationalError("database is locked")
        return real(activity, **kwargs)

    monkeypatch.setattr(organise_services, "_reserve", troubled)

    reservations_extend()

    assert not held(first).exists()
    assert held(second).exists()
