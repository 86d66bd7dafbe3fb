"""What the page of one date says about the series, the waiting list and a freed place."""

from datetime import timedelta

from django.utils import translation

from buurtnet.activities.services.organise import activity_change_from, activity_create
from buurtnet.activities.services.rsvps import rsvp_cancel
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Kind, Notification
from tests.activities.test_rsvp import answer, neighbours  # noqa: F401 - fixture
from tests.activities.test_views_occurrence import key, page


def test_the_page_says_how_the_series_repeats(as_user, personas, dinner):
    response = as_user(personas.daan).get(page(dinner, "20270129T1800"))

    assert "Every month on the last Friday" in response.text


def test_a_series_changed_from_a_date_says_until_when(as_user, personas, coffee, first_coffee):
    activity_change_from(
        user=personas.fatima,
        activity=coffee,
        from_start=first_coffee + timedelta(days=14),
        capacity=8,
    )

    response = as_user(personas.daan).get(page(coffee, key(first_coffee)))

    day = first_coffee.date() + timedelta(days=7)
    assert f"Every week on Wednesday, until {day.day} {day:%B %Y}" in response.text


def test_a_single_activity_says_nothing_about_repeating(as_user, personas, room):
    from datetime import time

    from tests.activities.conftest import next_wednesday

    party = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Buurtfeest",
        start_date=next_wednesday(),
        start_time=time(15, 0),
        duration_minutes=60,
    )

    response = as_user(personas.daan).get(page(party, key(party.first_start)))

    assert "Repeats" not in response.text


def test_who_waits_is_told_they_will_hear_and_can_leave_the_line(
    as_user,
    personas,
    coffee,
    first_coffee,
    neighbours,  # noqa: F811
):
    for person in neighbours:
        answer(person, coffee, first_coffee)
    answer(personas.daan, coffee, first_coffee)

    text = as_user(personas.daan).get(page(coffee, key(first_coffee))).text

    assert "We'll let you know when a place comes free." in text
    assert "Take me off the waiting list" in text
    assert "I'm not coming after all" not in text


def test_the_freed_place_names_the_date_and_leads_to_it(
    personas,
    coffee,
    first_coffee,
    neighbours,  # noqa: F811
):
    for person in neighbours:
        answer(person, coffee, first_coffee)
    answer(personas.daan, coffee, first_coffee)

    rsvp_cancel(user=neighbours[0], activity=coffee, occurrence_start=first_coffee)

    note = Notification.objects.get(kind=Kind.WAITLIST_PROMOTED)
    assert note.recipient == personas.daan
    assert note.url == page(coffee, key(first_coffee))
    with translation.override("en"):
        text = notification_text(note)
    assert text.startswith("A place came free: you are now going to “Koffieochtend” on ")
    assert text.endswith(" 10:00. See you there!")
