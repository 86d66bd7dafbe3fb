"""The booking page of a place, and the keepers' approve / decline / cancel buttons."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.activities.models import Booking, BookingStatus
from buurtnet.activities.services import bookings as services
from tests.activities.test_bookings import at, book


def place_url(place) -> str:
    return reverse("bookings:place", args=["ede-zuid", place.pk])


def form_data(**changes) -> dict:
    start = at(14)
    data = {
        "date": start.date().isoformat(),
        "start": "14:00",
        "end": "16:00",
        "purpose": "Homework club",
    }
    data.update(changes)
    return data


def test_anonymous_visitors_are_sent_to_log_in(client, personas, room):
    response = client.get(place_url(room))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_members_of_another_neighbourhood_get_404(as_user, personas, room):
    client = as_user(personas.olga)

    assert client.get(place_url(room)).status_code == 404
    assert client.post(place_url(room), form_data()).status_code == 404


def test_a_resident_requests_a_slot_through_the_form(as_user, personas, room):
    client = as_user(personas.daan)

    response = client.post(place_url(room), form_data(), follow=True)

    assert response.status_code == 200
    booking = Booking.objects.get()
    assert (booking.requested_by, booking.starts_at, booking.ends_at) == (
        personas.daan,
        at(14),
        at(16),
    )
    assert "Your request is in." in response.content.decode()


def test_an_overlapping_request_gets_400_naming_free_slots_and_keeps_the_input(
    as_user, personas, room
):
    book(personas.priya, room, at(15), at(17))
    client = as_user(personas.daan)

    response = client.post(place_url(room), form_data(purpose="Chess for the kids"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "already booked 15:00–17:00. Free nearby: 08:00–15:00, 17:00–23:00." in html
    assert 'value="Chess for the kids"' in html
    assert 'value="14:00"' in html
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"end": "13:00"},
        {"date": "not a date"},
        {"purpose": ""},
        {"date": "2020-01-01"},
        {"start": "25:00"},
    ],
)
def test_bad_input_gets_400_and_books_nothing(as_user, personas, room, changes):
    client = as_user(personas.daan)

    response = client.post(place_url(room), form_data(**changes))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Please check what you filled in" in html
    assert 'aria-invalid="true"' in html
    assert not Booking.objects.exists()


def test_neighbours_see_the_taken_times_but_not_who_or_why(as_user, personas, room):
    book(personas.priya, room, at(15), at(17), purpose="Priya's birthday")

    html = as_user(personas.daan).get(place_url(room)).content.decode()

    assert "15:00–17:00" in html
    assert "Priya" not in html
    assert personas.priya.display_name not in html
    assert "/decide/" not in html


def test_keepers_see_who_asked_and_can_decide(as_user, personas, room):
    booking = book(personas.priya, room, at(15), at(17), purpose="Birthday party")

    html = as_user(personas.fatima).get(place_url(room)).content.decode()

    assert personas.priya.display_name in html
    assert "Birthday party" in html
    assert reverse("bookings:decide", args=["ede-zuid", booking.pk]) in html


def decide_url(booking) -> str:
    return reverse("bookings:decide", args=["ede-zuid", booking.pk])


def cancel_url(booking) -> str:
    return reverse("bookings:cancel", args=["ede-zuid", booking.pk])


def test_a_keeper_approves(as_user, personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    response = as_user(personas.fatima).post(decide_url(booking), {"decision": "approve"})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED


def test_declining_without_a_reason_gets_400(as_user, personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    response = as_user(personas.fatima).post(decide_url(booking), {"decision": "decline"})

    assert response.status_code == 400
    assert "Say why you decline" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_a_keeper_declines_with_a_reason(as_user, personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    response = as_user(personas.fatima).post(
        decide_url(booking), {"decision": "decline", "reason": "Painting that week."}
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason) == ("declined", "Painting that week.")


def test_an_unknown_decision_gets_400(as_user, personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    response = as_user(personas.fatima).post(decide_url(booking), {"decision": "maybe"})

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("who", "status"), [("daan", 403), ("henk", 403), ("anna", 403), ("olga", 404)]
)
def test_only_keepers_decide(as_user, personas, room, who, status):
    booking = book(personas.daan, room, at(14), at(16))

    response = as_user(getattr(personas, who)).post(decide_url(booking), {"decision": "approve"})

    assert response.status_code == status
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_deciding_needs_post(as_user, personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    assert as_user(personas.fatima).get(decide_url(booking)).status_code == 405


def test_the_requester_cancels_and_the_slot_is_free_again(as_user, personas, room):
    booking = book(personas.daan, room, at(14), at(16))

    response = as_user(personas.daan).post(cancel_url(booking))

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert book(personas.priya, room, at(14), at(16)).pk


@pytest.mark.parametrize(("who", "status"), [("priya", 403), ("henk", 403), ("olga", 404)])
def test_others_cannot_cancel(as_user, personas, room, who, status):
    booking = book(personas.daan, room, at(14), at(16))

    response = as_user(getattr(personas, who)).post(cancel_url(booking))

    assert response.status_code == status
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_cancelling_twice_gets_400(as_user, personas, room):
    booking = book(personas.daan, room, at(14), at(16))
    services.booking_cancel(user=personas.daan, booking=booking)

    assert as_user(personas.daan).post(cancel_url(booking)).status_code == 400


def test_the_page_runs_a_fixed_number_of_queries(as_user, personas, room):
    client = as_user(personas.fatima)
    for hour in range(8, 10):
        book(personas.daan, room, at(hour), at(hour + 1))
    with CaptureQueriesContext(connection) as few:
        client.get(place_url(room))
    for hour in range(10, 22):
        book(personas.priya, room, at(hour), at(hour + 1))
    with CaptureQueriesContext(connection) as many:
        client.get(place_url(room))

    assert len(many) == len(few)


def test_the_page_shows_eight_weeks_and_every_waiting_request(as_user, personas, room):
    soon = book(personas.daan, room, at(18), at(20), purpose="Soon")
    services.booking_decide(keeper=personas.fatima, booking=soon, approve=True)
    later = book(personas.daan, room, at(18, days=70), at(20, days=70), purpose="Approved later")
    services.booking_decide(keeper=personas.fatima, booking=later, approve=True)
    book(personas.priya, room, at(18, days=77), at(20, days=77), purpose="Waiting later")

    page = as_user(personas.fatima).get(place_url(room)).text

    assert "Soon" in page
    assert "Waiting later" in page
    assert "Approved later" not in page


def test_a_series_reservation_is_cancelled_from_the_agenda_not_here(as_user, personas, coffee):
    reservation = Booking.objects.filter(activity=coffee).order_by("starts_at").first()

    page = as_user(personas.fatima).get(place_url(coffee.place)).text

    assert f'id="booking-{reservation.pk}"' in page
    assert cancel_url(reservation) not in page
    assert "Reserved for an activity in the agenda" in page
