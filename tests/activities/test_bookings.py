"""Booking de Elskamp's living room: requests, the no-overlap rule, keepers' decisions."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from buurtnet.activities.models import Booking, BookingStatus
from buurtnet.activities.services import bookings as bookings_services
from buurtnet.activities.services.bookings import (
    booking_cancel,
    booking_decide,
    booking_free_slots,
    booking_request,
    refuse_overlap,
)
from buurtnet.activities.services.places import place_create
from tests.activities.conftest import AMSTERDAM, next_wednesday
from tests.activities.conftest import local as local_time


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    day = next_wednesday() + timedelta(days=days)
    return local_time(day.year, day.month, day.day, hour, minute)


def book(user, place, start: datetime, end: datetime, purpose: str = "Homework club") -> Booking:
    return booking_request(user=user, place=place, starts_at=start, ends_at=end, purpose=purpose)


def test_a_member_requests_a_free_slot(personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    assert booking.status == BookingStatus.REQUESTED
    assert booking.requested_by == personas.daan
    assert booking.starts_at == at(14)


def test_it_rejects_double_booking_and_names_the_free_slots_nearby(personas, room):
    book(personas.fatima, room, at(18), at(20, 30), "Samen eten")

    with pytest.raises(ValidationError) as exc:
        book(personas.daan, room, at(19), at(21))

    assert exc.value.messages == [
        "Huiskamer de Elskamp is already booked 18:00–20:30. Free nearby: 08:00–18:00, 20:30–23:00."
    ]
    assert Booking.objects.filter(requested_by=personas.daan).count() == 0


def test_the_free_slots_leave_out_short_gaps_and_use_local_time(personas, room):
    book(personas.fatima, room, at(8), at(14))
    book(personas.priya, room, at(14, 15), at(18))

    with pytest.raises(ValidationError) as exc:
        book(personas.daan, room, at(15), at(16))

    assert exc.value.messages == [
        "Huiskamer de Elskamp is already booked 14:15–18:00. Free nearby: 18:00–23:00."
    ]


def test_it_says_when_nothing_else_is_free_that_day(personas, room):
    book(personas.fatima, room, at(8), at(20))
    book(personas.fatima, room, at(20), at(23))

    with pytest.raises(ValidationError) as exc:
        book(personas.daan, room, at(19), at(21))

    assert exc.value.messages == [
        "Huiskamer de Elskamp is already booked 08:00–20:00, 20:00–23:00. "
        "Nothing else is free that day."
    ]


def test_adjacent_slots_are_both_allowed(personas, room):
    first = book(personas.daan, room, at(14), at(16))
    second = book(personas.priya, room, at(16), at(18))

    assert first.ends_at == second.starts_at


def test_another_place_can_be_booked_at_the_same_time(personas, room):
    kitchen = place_create(user=personas.henk, neighbourhood=personas.ede, name="Keuken")
    book(personas.daan, room, at(14), at(16))

    assert book(personas.priya, kitchen, at(14), at(16)).place == kitchen


def test_declined_and_cancelled_bookings_free_the_slot(personas, room):
    declined = book(personas.daan, room, at(14), at(16))
    booking_decide(
        keeper=personas.fatima, booking=declined, approve=False, reason="We clean that day."
    )
    cancelled = book(personas.priya, room, at(14), at(16))
    booking_cancel(user=personas.priya, booking=cancelled)

    again = book(personas.henk, room, at(14), at(16))

    assert again.status == BookingStatus.REQUESTED
    assert Booking.objects.filter(starts_at=at(14)).count() == 3


def _raw(place, user, start, end, status=BookingStatus.REQUESTED) -> Booking:
    with transaction.atomic():
        return Booking.objects.create(
            place=place,
            requested_by=user,
            starts_at=start,
            ends_at=end,
            purpose="raw",
            status=status,
        )


def test_the_database_refuses_an_overlapping_insert_that_skips_the_services(personas, room):
    _raw(room, personas.daan, at(14), at(16), BookingStatus.APPROVED)

    with pytest.raises(IntegrityError):
        _raw(room, personas.priya, at(15), at(17))
    with pytest.raises(IntegrityError):
        _raw(room, personas.priya, at(13), at(20), BookingStatus.APPROVED)

    _raw(room, personas.priya, at(16), at(17))  # adjacent
    _raw(room, personas.priya, at(15), at(17), BookingStatus.DECLINED)  # holds nothing
    assert Booking.objects.count() == 3


def test_the_database_refuses_moving_or_reviving_a_booking_onto_a_taken_slot(personas, room):
    _raw(room, personas.daan, at(14), at(16))
    later = _raw(room, personas.priya, at(17), at(18))
    declined = _raw(room, personas.priya, at(14), at(16), BookingStatus.DECLINED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=later.pk).update(starts_at=at(15))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=declined.pk).update(status=BookingStatus.REQUESTED)

    later.refresh_from_db()
    assert later.starts_at == at(17)


def test_the_database_refuses_a_booking_that_ends_before_it_starts(personas, room):
    with pytest.raises(IntegrityError):
        _raw(room, personas.daan, at(16), at(14))


def test_a_booking_that_lost_the_race_to_the_database_gets_the_friendly_message(
    personas, room, monkeypatch
):
    """The check before the insert misses a booking written meanwhile; the database refuses."""
    book(personas.fatima, room, at(18), at(20, 30))
    check = refuse_overlap
    calls = []

    def blind_first_time(*args, **kwargs):
        calls.append(args)
        if len(calls) > 1:
            check(*args, **kwargs)

    monkeypatch.setattr(bookings_services, "refuse_overlap", blind_first_time)

    with pytest.raises(ValidationError) as exc:
        book(personas.daan, room, at(19), at(21))

    assert exc.value.messages == [
        "Huiskamer de Elskamp is already booked 18:00–20:30. Free nearby: 08:00–18:00, 20:30–23:00."
    ]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (at(16), at(14), "ends_at"),
        (at(14), at(14), "ends_at"),
        (at(8), at(20, 1), "ends_at"),
        (timezone.now() - timedelta(hours=2), timezone.now() - timedelta(hours=1), "starts_at"),
        (datetime(2030, 1, 1, 14), datetime(2030, 1, 1, 16), "starts_at"),  # noqa: DTZ001 - naive on purpose
    ],
)
def test_it_rejects_impossible_times(personas, room, start, end, field):
    with pytest.raises(ValidationError) as exc:
        book(personas.daan, room, start, end)

    assert field in exc.value.message_dict
    assert not Booking.objects.exists()


def test_it_accepts_twelve_hours_but_no_more(personas, room):
    assert book(personas.daan, room, at(8), at(20)).ends_at == at(20)


def test_it_rejects_an_empty_purpose(personas, room):
    with pytest.raises(ValidationError) as exc:
        book(personas.daan, room, at(14), at(16), purpose="   ")

    assert "purpose" in exc.value.message_dict


def test_only_members_of_the_neighbourhood_can_book(personas, room):
    with pytest.raises(PermissionDenied):
        book(personas.olga, room, at(14), at(16))


def test_professionals_who_are_members_can_book(personas, room):
    assert book(personas.anna, room, at(10), at(11), "Consultation hour").pk


def test_a_keeper_approves_a_request(personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    decided = booking_decide(keeper=personas.fatima, booking=booking, approve=True)

    assert decided.status == BookingStatus.APPROVED
    assert decided.decided_by == personas.fatima
    assert decided.decided_at is not None


def test_declining_needs_a_reason(personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    with pytest.raises(ValidationError) as exc:
        booking_decide(keeper=personas.fatima, booking=booking, approve=False, reason=" ")

    assert "reason" in exc.value.message_dict
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_a_decline_keeps_the_reason(personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    booking_decide(
        keeper=personas.fatima, booking=booking, approve=False, reason="The floor is being redone."
    )

    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    assert booking.decline_reason == "The floor is being redone."


@pytest.mark.parametrize("who", ["daan", "henk", "anna", "priya", "olga"])
def test_only_keepers_of_the_place_decide(personas, room, who):
    booking = book(personas.daan, room, at(14), at(16))

    with pytest.raises(PermissionDenied):
        booking_decide(keeper=getattr(personas, who), booking=booking, approve=True)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_a_decided_booking_cannot_be_decided_again(personas, room):
    booking = book(personas.daan, room, at(14), at(16))
    booking_decide(keeper=personas.fatima, booking=booking, approve=True)

    with pytest.raises(ValidationError):
        booking_decide(keeper=personas.fatima, booking=booking, approve=False, reason="x")


def test_the_requester_or_a_keeper_cancels_but_nobody_else(personas, room):
    mine = book(personas.daan, room, at(14), at(16))
    other = book(personas.priya, room, at(16), at(18))

    with pytest.raises(PermissionDenied):
        booking_cancel(user=personas.priya, booking=mine)
    with pytest.raises(PermissionDenied):
        booking_cancel(user=personas.henk, booking=mine)

    assert booking_cancel(user=personas.daan, booking=mine).status == "cancelled"
    assert booking_cancel(user=personas.fatima, booking=other).status == "cancelled"
    with pytest.raises(ValidationError):
        booking_cancel(user=personas.daan, booking=mine)


def next_spring_forward() -> date:
    """The coming last Sunday of March, when Amsterdam's clocks go from 02:00 to 03:00."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        day = date(year, 3, 31)
        day -= timedelta(days=(day.weekday() + 1) % 7)
        if day > today:
            return day
    raise AssertionError("unreachable")


def test_free_slots_follow_local_time_on_the_day_clocks_change(personas, room):
    """On the day summer time begins, 18:00 local is 16:00 UTC, not 17:00."""
    day = next_spring_forward()
    assert datetime.combine(day, time(18), tzinfo=AMSTERDAM).utcoffset() == timedelta(hours=2)
    booked = booking_request(
        user=personas.daan,
        place=room,
        starts_at=datetime.combine(day, time(18), tzinfo=AMSTERDAM),
        ends_at=datetime.combine(day, time(20), tzinfo=AMSTERDAM),
        purpose="Iftar",
    )

    free = booking_free_slots(place=room, day=day)

    assert booked.starts_at.astimezone(AMSTERDAM).hour == 18
    assert [(s.astimezone(AMSTERDAM).hour, e.astimezone(AMSTERDAM).hour) for s, e in free] == [
        (8, 18),
        (20, 23),
    ]
