"""Free times are suggested only while the place is open; keepers give the opening hours per
weekday, and the place's page leads to booking it from the top."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from buurtnet.activities.models.places import PlaceOpening
from buurtnet.activities.services import places as services
from buurtnet.activities.services.bookings import booking_free_slots, opening_periods
from tests.activities.conftest import AMSTERDAM, next_wednesday
from tests.activities.test_bookings import at, book

SLUG = "ede-zuid"
WEDNESDAY = 2
SUNDAY = 6


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def open_on_weekdays(user, place, *periods):
    """Monday to Saturday with these stretches; closed on Sunday."""
    services.place_update(
        user=user,
        place=place,
        name=place.name,
        address=place.address,
        capacity=place.capacity,
        openings=[(day, opens, closes) for day in range(6) for opens, closes in periods],
    )


def hours(free) -> list[tuple[str, str]]:
    return [
        (f"{s.astimezone(AMSTERDAM):%H:%M}", f"{e.astimezone(AMSTERDAM):%H:%M}") for s, e in free
    ]


def test_without_opening_hours_the_whole_day_is_suggested(personas, room):
    assert hours(booking_free_slots(place=room, day=next_wednesday())) == [("08:00", "23:00")]


def test_free_times_stay_within_the_opening_hours(personas, room):
    open_on_weekdays(personas.fatima, room, (time(9), time(17)))
    book(personas.priya, room, at(12), at(14))

    assert hours(booking_free_slots(place=room, day=next_wednesday())) == [
        ("09:00", "12:00"),
        ("14:00", "17:00"),
    ]


def test_the_refusal_suggests_only_open_times(personas, room):
    open_on_weekdays(personas.fatima, room, (time(9), time(17)))
    book(personas.priya, room, at(15), at(16))

    with pytest.raises(ValidationError) as refused:
        book(personas.daan, room, at(15, 30), at(16, 30))

    assert refused.value.messages == [
        "Huiskamer de Elskamp is already booked 15:00–16:00. Free nearby: 09:00–15:00, 16:00–17:00."
    ]


def test_nothing_is_suggested_on_a_closed_day(personas, room):
    open_on_weekdays(personas.fatima, room, (time(9), time(17)))
    sunday = next_wednesday() + timedelta(days=4)
    assert sunday.weekday() == SUNDAY
    book(personas.priya, room, at(15, days=4), at(16, days=4))

    assert booking_free_slots(place=room, day=sunday) == []
    assert opening_periods(room, sunday) == []
    with pytest.raises(ValidationError) as refused:
        book(personas.daan, room, at(15, days=4), at(17, days=4))
    assert refused.value.messages[0].endswith("Nothing else is free that day.")


def test_two_stretches_leave_the_closed_hours_between_them_out(personas, room):
    open_on_weekdays(personas.fatima, room, (time(9), time(12)), (time(14), time(22)))
    book(personas.priya, room, at(11, 30), at(14, 30))

    assert hours(booking_free_slots(place=room, day=next_wednesday())) == [
        ("09:00", "11:30"),
        ("14:30", "22:00"),
    ]


def test_a_short_gap_before_closing_is_not_suggested(personas, room):
    open_on_weekdays(personas.fatima, room, (time(9), time(17)))
    book(personas.priya, room, at(9), at(16, 45))

    assert booking_free_slots(place=room, day=next_wednesday()) == []


# --- Keepers give the opening hours --------------------------------------------------------------


def edit_url(place) -> str:
    return reverse("activities:place_edit", args=[SLUG, place.pk])


def place_url(place) -> str:
    return reverse("activities:place", args=[SLUG, place.pk])


DETAILS = {
    "name": "Huiskamer de Elskamp",
    "address": "Elskamp 1, Ede",
    "capacity": "40",
    "accessibility": "",
    "opening_hours": "On Sunday by arrangement.",
    "house_rules": "",
}


def test_a_keeper_gives_the_opening_hours_per_weekday(as_user, personas, room):
    client = as_user(personas.fatima)
    week = {f"hours_{day}": "09:00-17:00" for day in range(5)}

    response = client.post(
        edit_url(room), {**DETAILS, **week, "hours_5": "10.00 - 12.00, 13:00–16:00"}
    )

    assert response.status_code == 302
    rows = list(PlaceOpening.objects.filter(place=room).values_list("weekday", "opens", "closes"))
    assert rows == [(day, time(9), time(17)) for day in range(5)] + [
        (5, time(10), time(12)),
        (5, time(13), time(16)),
    ]
    form = client.get(edit_url(room)).text
    assert 'name="hours_5" value="10:00–12:00, 13:00–16:00"' in form
    assert 'name="hours_6"' in form


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("all day", "Write the hours as 09:00–17:00"),
        ("17:00-09:00", "A stretch closes after it opens, on the same day"),
        ("09:00-13:00, 12:00-17:00", "Two stretches of the same day overlap."),
        ("18:00-24:00", "The place closes by midnight: write 23:59."),
        ("25:00-26:00", "Write the hours as 09:00–17:00"),
    ],
)
def test_hours_that_make_no_sense_are_refused_and_kept(as_user, personas, room, typed, message):
    response = as_user(personas.fatima).post(edit_url(room), {**DETAILS, "hours_2": typed})

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["hours_2"])
    assert f'value="{typed}"' in response.content.decode()
    assert not PlaceOpening.objects.exists()


def test_emptying_every_day_means_no_fixed_hours_again(as_user, personas, room):
    open_on_weekdays(personas.fatima, room, (time(9), time(17)))

    as_user(personas.henk).post(edit_url(room), DETAILS)

    assert not PlaceOpening.objects.exists()
    assert hours(booking_free_slots(place=room, day=next_wednesday())) == [("08:00", "23:00")]


def test_the_service_refuses_overlapping_or_backwards_hours(personas, room):
    for openings in (
        [(2, time(9), time(13)), (2, time(12), time(17))],
        [(2, time(17), time(9))],
        [(7, time(9), time(17))],
    ):
        with pytest.raises(ValidationError) as refused:
            services.place_update(
                user=personas.fatima, place=room, name=room.name, openings=openings
            )
        assert "openings" in refused.value.message_dict
    assert not PlaceOpening.objects.exists()


def test_leaving_the_hours_out_keeps_them(personas, room):
    open_on_weekdays(personas.fatima, room, (time(9), time(17)))

    services.place_update(user=personas.fatima, place=room, name="De Huiskamer")

    assert PlaceOpening.objects.filter(place=room).count() == 6


# --- The place's pages ---------------------------------------------------------------------------


def test_the_place_page_shows_the_hours_per_day(as_user, personas, room):
    open_on_weekdays(personas.fatima, room, (time(9), time(12)), (time(14), time(22)))

    page = as_user(personas.daan).get(place_url(room)).text

    assert "Wednesday: 09:00–12:00, 14:00–22:00" in page
    assert "Sunday: closed" in page


def test_the_booking_page_shows_the_hours_too(as_user, personas, room):
    open_on_weekdays(personas.fatima, room, (time(9), time(17)))

    page = as_user(personas.daan).get(reverse("bookings:place", args=[SLUG, room.pk])).text

    assert "<caption>Opening hours</caption>" in page
    assert "Closed" in page


def test_the_booking_form_is_reached_from_the_top_of_the_place_page(as_user, personas, room):
    page = as_user(personas.daan).get(place_url(room)).text

    top = page.split("<h1>", 1)[1].split('<dl class="card place-facts">', 1)[0]
    assert f'href="{reverse("bookings:place", args=[SLUG, room.pk])}"' in top
    assert "Book this place" in top
    assert page.count("Book this place") == 1


def test_the_place_page_takes_the_same_queries_with_or_without_hours(as_user, personas, room):
    client = as_user(personas.daan)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(place_url(room)).status_code == 200
        return len(captured)

    without = queries()
    open_on_weekdays(personas.fatima, room, (time(9), time(12)), (time(14), time(22)))
    assert queries() == without
