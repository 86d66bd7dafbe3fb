"""Keepers hear of a request; the neighbour who asked hears the decision, in their language."""

import pytest
from django.core import mail
from django.utils import translation

from buurtnet.activities.services import bookings as services
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Kind, Notification
from tests.activities.test_bookings import at, book


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_keepers_hear_of_a_request(personas, room, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(personas.daan, room, at(18), at(20), purpose="Birthday")

    note = Notification.objects.get(kind=Kind.BOOKING_REQUESTED)
    assert note.recipient == personas.fatima
    assert note.url == f"/n/ede-zuid/places/{room.pk}/bookings/"
    text = notification_text(note)
    assert text.startswith("Daan asks to book Huiskamer de Elskamp on ")
    assert "18:00: “Birthday”" in text
    assert any("Birthday" in m.body for m in mail.outbox)


def test_a_keeper_booking_their_own_place_is_not_told_about_it(personas, room):
    book(personas.fatima, room, at(18), at(20))

    assert not Notification.objects.filter(kind=Kind.BOOKING_REQUESTED).exists()


def test_the_neighbour_hears_the_approval(personas, room):
    booking = book(personas.daan, room, at(18), at(20))

    services.booking_decide(keeper=personas.fatima, booking=booking, approve=True)

    note = Notification.objects.get(kind=Kind.BOOKING_DECIDED)
    assert note.recipient == personas.daan
    assert notification_text(note).endswith(" 18:00 is approved.")


def test_the_neighbour_hears_the_reason_for_a_decline_in_dutch(
    personas, room, django_capture_on_commit_callbacks
):
    personas.daan.preferred_language = "nl"
    personas.daan.save()
    booking = book(personas.daan, room, at(18), at(20))

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_decide(
            keeper=personas.fatima, booking=booking, approve=False, reason="we schilderen de vloer"
        )

    note = Notification.objects.get(kind=Kind.BOOKING_DECIDED)
    with translation.override("nl"):
        text = notification_text(note)
    assert text.startswith("Je boeking van Huiskamer de Elskamp op ")
    assert "afgewezen, omdat: we schilderen de vloer" in text
    assert "afgewezen, omdat: we schilderen de vloer" in mail.outbox[-1].body
