"""The organisers' pages: plan an activity, edit it, cancel, move or change a date and after."""

from datetime import UTC, date, datetime, time, timedelta
from html import unescape

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtnet.activities.models import Activity, Booking, OccurrenceChange, Place
from buurtnet.activities.services.bookings import booking_request
from buurtnet.activities.services.organise import activity_create, occurrence_cancel
from buurtnet.activities.services.places import place_keeper_assign
from buurtnet.activities.services.rsvps import rsvp_set
from buurtnet.initiatives.forms import _written_in_choices as written_in_choices
from buurtnet.people.models import Language
from tests.activities.conftest import AMSTERDAM, local
from tests.factories import InitiativeFactory, ParticipationFactory

SLUG = "ede-zuid"
EVERYONE_BUT_THE_ORGANISER = ["priya", "daan", "henk", "anna"]


def plan_url(query: str = "") -> str:
    return reverse("organise:create", args=[SLUG]) + query


def edit_url(activity, query: str = "") -> str:
    return reverse("organise:edit", args=[SLUG, activity.pk]) + query


def date_url(name: str, activity, when: str) -> str:
    return reverse(f"organise:{name}", args=[SLUG, activity.pk, when])


def occurrence_page(activity, when: str) -> str:
    return reverse("activities:occurrence", args=[SLUG, activity.pk, when])


def key(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y%m%dT%H%M")


def dinner_data(personas, room, **changes) -> dict:
    """The monthly shared dinner as an initiator types it into the form."""
    return {
        "organiser": f"initiative-{personas.initiative.pk}",
        "title": "Samen eten",
        "description": "Cook and eat together.",
        "place": str(room.pk),
        "location": "",
        "start_date": "2027-01-29",
        "start_time": "18:00",
        "end_time": "20:30",
        "repeat": "monthly_last",
        "custom_rule": "",
        "until": "",
        "cost": "3.00",
        "audience": "everyone",
        "capacity": "",
        "is_public": "on",
        "bring_a_dish": "on",
    } | changes


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def keeper_daan(personas, room):
    """Daan keeps the room too (he leads no initiative)."""
    place_keeper_assign(user=personas.henk, place=room, keeper=personas.daan)
    return personas.daan


@pytest.fixture
def daans_initiative(personas):
    """Daan leads an initiative of his own: the homework club."""
    club = InitiativeFactory(neighbourhood=personas.ede, title="Huiswerkclub", created_by=None)
    ParticipationFactory(initiative=club, user=personas.daan, role="initiator")
    return club


# --- Plan an activity: who may -----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, personas):
    response = client.get(plan_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_members_of_another_neighbourhood_get_404(as_user, personas):
    assert as_user(personas.olga).get(plan_url()).status_code == 404


@pytest.mark.parametrize("who", ["daan", "priya", "henk"])
def test_residents_who_organise_nothing_get_a_friendly_explanation(as_user, personas, who):
    response = as_user(getattr(personas, who)).get(plan_url())

    assert response.status_code == 403
    assert "planned by the initiators of an initiative" in text(response)
    assert reverse("initiatives:start", args=[SLUG]) in text(response)
    assert 'name="title"' not in text(response)


def test_professionals_hear_that_residents_plan(as_user, personas):
    response = as_user(personas.anna).get(plan_url())

    assert response.status_code == 403
    assert "Residents plan the activities" in text(response)
    assert reverse("initiatives:start", args=[SLUG]) not in text(response)


def test_nobody_else_can_post_a_plan(as_user, personas, room):
    for who in EVERYONE_BUT_THE_ORGANISER:
        response = as_user(getattr(personas, who)).post(plan_url(), dinner_data(personas, room))
        assert response.status_code == 403, who
    assert not Activity.objects.exists()


def test_initiators_get_the_form_with_their_initiative_chosen(as_user, personas, room):
    response = as_user(personas.fatima).get(plan_url(f"?initiative={personas.initiative.pk}"))

    assert response.status_code == 200
    page = text(response)
    assert f'<option value="initiative-{personas.initiative.pk}" selected>' in page
    assert f'<option value="place-{room.pk}">' in page  # fatima keeps the room too
    assert 'name="custom_rule"' in page


def test_the_initiative_in_the_address_must_be_ones_own(as_user, personas, daans_initiative):
    response = as_user(personas.daan).get(plan_url(f"?initiative={personas.initiative.pk}"))

    assert response.status_code == 200
    page = text(response)
    assert f'value="initiative-{personas.initiative.pk}"' not in page
    # His only initiative is chosen for him.
    assert f'<option value="initiative-{daans_initiative.pk}" selected>' in page


@pytest.mark.parametrize("query", ["?initiative=abc", "?initiative=99999999999999999999999"])
def test_a_strange_initiative_in_the_address_is_ignored(as_user, personas, query):
    assert as_user(personas.fatima).get(plan_url(query)).status_code == 200


def test_an_initiator_of_another_initiative_cannot_plan_for_this_one(
    as_user, personas, room, daans_initiative
):
    response = as_user(personas.daan).post(plan_url(), dinner_data(personas, room))

    assert response.status_code == 400
    assert "Choose one of your initiatives or one of the places you keep." in text(response)
    assert not Activity.objects.exists()


# --- Plan an activity: it works ------------------------------------------------------------------


def test_planning_the_monthly_dinner_gives_the_last_friday_rule(as_user, personas, room):
    client = as_user(personas.fatima)
    response = client.post(plan_url(), dinner_data(personas, room))

    dinner = Activity.objects.get()
    assert dinner.rrule == "FREQ=MONTHLY;BYDAY=-1FR"
    assert (dinner.start_time, dinner.duration_minutes) == (time(18, 0), 150)
    assert dinner.start_date == date(2027, 1, 29)
    assert (dinner.initiative, dinner.place, dinner.cost_cents) == (personas.initiative, room, 300)
    assert dinner.bring_a_dish and dinner.is_public and dinner.created_by == personas.fatima
    assert response.status_code == 302
    assert response.url == occurrence_page(dinner, "20270129T1800")
    page = text(client.get(response.url))
    assert "Samen eten is in the agenda." in page
    assert ">20:30</time>" in page


def test_a_host_who_keeps_a_place_may_plan_for_it(as_user, personas, room):
    place_keeper_assign(user=personas.henk, place=room, keeper=personas.henk)

    response = as_user(personas.henk).get(plan_url())

    assert response.status_code == 200
    assert f'<option value="place-{room.pk}" selected>' in text(response)


def test_a_keeper_plans_the_weekly_coffee_for_their_place(as_user, personas, room, keeper_daan):
    dutch, _created = Language.objects.get_or_create(code="nl", defaults={"english_name": "Dutch"})
    first = timezone.localdate() + timedelta(days=14)
    response = as_user(keeper_daan).post(
        plan_url(),
        {
            "organiser": f"place-{room.pk}",
            "title": "Koffieochtend",
            "start_date": first.isoformat(),
            "start_time": "10:00",
            "end_time": "11:30",
            "repeat": "weekly",
            "until": (first + timedelta(weeks=8)).isoformat(),
            "languages": ["nl"],
            "cost": "",
            "audience": "elderly",
            "capacity": "12",
        },
    )

    assert response.status_code == 302
    coffee = Activity.objects.get()
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[first.weekday()]
    assert coffee.rrule == f"FREQ=WEEKLY;BYDAY={weekday}"
    assert coffee.initiative is None and coffee.place == room
    assert list(coffee.languages.all()) == [dutch]
    assert (coffee.capacity, coffee.audience, coffee.is_public) == (12, "elderly", False)
    assert coffee.until.astimezone(AMSTERDAM).date() == first + timedelta(weeks=8)


def test_a_free_text_location_and_a_custom_rule(as_user, personas, room):
    response = as_user(personas.fatima).post(
        plan_url(),
        dinner_data(
            personas,
            room,
            place="",
            location="The playground behind the flat",
            start_date="2027-02-01",
            repeat="custom",
            custom_rule="FREQ=WEEKLY;BYDAY=MO,TH",
        ),
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.rrule == "FREQ=WEEKLY;BYDAY=MO,TH"
    assert (activity.place, activity.location) == (None, "The playground behind the flat")


def test_dates_already_booked_at_the_place_are_named_in_a_warning(as_user, personas, room):
    booking_request(
        user=personas.daan,
        place=room,
        starts_at=local(2027, 2, 26, 17, 0),
        ends_at=local(2027, 2, 26, 22, 0),
        purpose="Birthday",
    )

    response = as_user(personas.fatima).post(plan_url(), dinner_data(personas, room), follow=True)

    page = text(response)
    assert "Huiskamer de Elskamp was already booked at these times" in page
    warning = page.split("already booked at these times")[1].split("</p>")[0]
    assert "Friday 26 February 2027, 18:00" in warning
    assert "29 January" not in warning and "26 March" not in warning


# --- Plan an activity: bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"repeat": "custom", "custom_rule": "EVERY FRIDAY"}, "not a repeat rule we understand"),
        ({"end_time": "17:00"}, "The end must come after the start"),
        ({"cost": "-3"}, "The contribution cannot be negative."),
        ({"cost": "1" * 30}, "at most 1000 euros"),
        ({"capacity": "9" * 30}, "Give at most 10000 places."),
        ({"capacity": "-2"}, "Give at least one place"),
        ({"until": "2027-01-01"}, "The last date cannot be before the first date."),
        ({"start_date": "2025-01-31"}, "Choose a first date that is still to come."),
        ({"start_date": "9999-12-31"}, "Plan at most five years ahead."),
        ({"start_date": "2027-02-31"}, "valid date"),
        ({"start_date": "2027-01-22"}, "is not the last Friday of its month"),
        ({"start_time": "25:00"}, "valid time"),
        ({"place": "99999999999999999999"}, "Select a valid choice"),
        ({"title": "   "}, "Give the activity a name."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_everything_kept(
    as_user, personas, room, changes, message
):
    data = dinner_data(personas, room, description="Bring your own plate", **changes)
    response = as_user(personas.fatima).post(plan_url(), data)

    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "Please check what you filled in" in page
    assert "Bring your own plate</textarea>" in page
    for name in ("start_date", "start_time", "end_time", "cost", "capacity", "until"):
        if data[name]:
            assert f'value="{data[name]}"' in page, name
    assert not Activity.objects.exists()


def test_a_rule_that_does_not_fit_the_first_date_gets_the_services_message(as_user, personas, room):
    response = as_user(personas.fatima).post(
        plan_url(),
        dinner_data(personas, room, repeat="custom", custom_rule="FREQ=WEEKLY;BYDAY=MO"),
    )

    assert response.status_code == 400
    page = text(response)
    assert "The first date does not fit the repeat rule" in page
    assert 'value="FREQ=WEEKLY;BYDAY=MO"' in page


def test_an_empty_post_is_400_not_500(as_user, personas):
    response = as_user(personas.fatima).post(plan_url(), {})

    assert response.status_code == 400
    assert "Give the activity a name." in text(response)


def test_messages_come_in_the_members_language(as_user, personas, room):
    personas.fatima.preferred_language = "nl"
    personas.fatima.save(update_fields=["preferred_language"])
    client = as_user(personas.fatima)
    client.cookies.pop("buurtnet_language", None)

    response = client.post(plan_url(), dinner_data(personas, room, start_time=""))

    assert response.status_code == 400
    assert '<html lang="nl"' in text(response)
    assert "Dit veld is verplicht." in text(response)


def test_a_time_already_past_today_is_refused(as_user, personas, room, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 1, 29, 19, 0, tzinfo=UTC))

    response = as_user(personas.fatima).post(plan_url(), dinner_data(personas, room))

    assert response.status_code == 400
    assert "Choose a time that is still to come." in text(response)


# --- Edit the whole activity ---------------------------------------------------------------------


def test_edit_anonymous_goes_to_log_in(client, personas, dinner):
    assert client.get(edit_url(dinner)).status_code == 302


def test_edit_another_neighbourhoods_activity_is_404(as_user, personas):
    place = Place.objects.create(neighbourhood=personas.other, name="Buurthuis Elders")
    elsewhere = Activity.objects.create(
        neighbourhood=personas.other,
        place=place,
        title="Elders eten",
        start_date=date(2027, 1, 29),
        start_time=time(18, 0),
        duration_minutes=60,
    )

    assert as_user(personas.fatima).get(edit_url(elsewhere)).status_code == 404


@pytest.mark.parametrize("who", EVERYONE_BUT_THE_ORGANISER)
def test_only_organisers_may_edit(as_user, personas, dinner, who):
    client = as_user(getattr(personas, who))

    assert client.get(edit_url(dinner)).status_code == 403
    assert client.post(edit_url(dinner), {"title": "Mine now"}).status_code == 403
    assert Activity.objects.get().title == "Samen eten"


def test_members_of_another_neighbourhood_cannot_see_the_edit_page(as_user, personas, dinner):
    assert as_user(personas.olga).get(edit_url(dinner)).status_code == 404


def test_the_initiator_edits_the_whole_series(as_user, personas, dinner):
    client = as_user(personas.fatima)
    page = text(client.get(edit_url(dinner)))
    assert 'value="Samen eten"' in page and 'value="3.00"' in page
    assert 'name="location"' not in page  # it takes place in the room

    response = client.post(
        edit_url(dinner, "?date=20270326T1800"),
        {
            "title": "Samen koken en eten",
            "description": "Everyone welcome.",
            "cost": "3,50",
            "audience": "families",
            "capacity": "30",
            "is_public": "",
        },
    )

    assert response.status_code == 302
    assert response.url == occurrence_page(dinner, "20270326T1800")
    dinner.refresh_from_db()
    assert (dinner.title, dinner.cost_cents, dinner.capacity) == ("Samen koken en eten", 350, 30)
    assert (dinner.audience, dinner.is_public) == ("families", False)


def test_a_keeper_edits_their_places_activity(as_user, personas, coffee, keeper_daan):
    response = as_user(keeper_daan).post(
        edit_url(coffee), {"title": "Koffie en thee", "audience": "everyone", "capacity": "4"}
    )

    assert response.status_code == 302
    coffee.refresh_from_db()
    assert coffee.title == "Koffie en thee"


def test_capacity_below_the_people_going_is_refused_on_the_field(
    as_user, personas, coffee, first_coffee
):
    rsvp_set(
        user=personas.daan,
        activity=coffee,
        occurrence_start=first_coffee,
        status="going",
        guests=2,
    )

    response = as_user(personas.fatima).post(
        edit_url(coffee), {"title": "Koffieochtend", "audience": "everyone", "capacity": "2"}
    )

    assert response.status_code == 400
    page = text(response)
    assert "3 people are already going on" in page
    assert 'id="id_capacity_error"' in page
    assert 'name="capacity" value="2"' in page
    coffee.refresh_from_db()
    assert coffee.capacity == 4


def test_edit_refuses_bad_numbers_and_keeps_them(as_user, personas, dinner):
    response = as_user(personas.fatima).post(
        edit_url(dinner),
        {"title": "", "cost": "-1", "capacity": "99999999999999999999", "audience": "nobody"},
    )

    assert response.status_code == 400
    page = text(response)
    for message in (
        "Give the activity a name.",
        "The contribution cannot be negative.",
        "Give at most 10000 places.",
        "Select a valid choice",
    ):
        assert message in page
    assert 'value="-1"' in page and 'value="99999999999999999999"' in page


# --- Cancel, move, change from one date ---------------------------------------------------------


@pytest.mark.parametrize("name", ["occurrence_cancel", "occurrence_move", "change_from"])
def test_date_pages_send_anonymous_visitors_to_log_in(client, personas, dinner, name):
    assert client.get(date_url(name, dinner, "20270326T1800")).status_code == 302


@pytest.mark.parametrize("name", ["occurrence_cancel", "occurrence_move", "change_from"])
def test_date_pages_are_404_for_other_neighbourhoods_and_unknown_dates(
    as_user, personas, dinner, name
):
    assert as_user(personas.olga).get(date_url(name, dinner, "20270326T1800")).status_code == 404
    client = as_user(personas.fatima)
    for when in (
        "20270325T1800",
        "20270326T1900",
        "nonsense",
        "99999999T9999",
        "00010101T0000",
        "99991231T2359",
    ):
        assert client.get(date_url(name, dinner, when)).status_code == 404, when
        assert client.post(date_url(name, dinner, when)).status_code == 404, when


@pytest.mark.parametrize("name", ["occurrence_cancel", "occurrence_move", "change_from"])
@pytest.mark.parametrize("who", EVERYONE_BUT_THE_ORGANISER)
def test_date_pages_are_for_organisers_only(as_user, personas, dinner, name, who):
    client = as_user(getattr(personas, who))

    assert client.get(date_url(name, dinner, "20270326T1800")).status_code == 403
    assert client.post(date_url(name, dinner, "20270326T1800"), {}).status_code == 403
    assert not OccurrenceChange.objects.exists()


def test_cancelling_a_date_asks_first_then_cancels_with_a_note(as_user, personas, dinner):
    client = as_user(personas.fatima)
    url = date_url("occurrence_cancel", dinner, "20270326T1800")

    confirm = text(client.get(url))
    assert "Cancel this date?" in confirm and "Friday 26 March 2027, 18:00" in confirm
    response = client.post(url, {"note": "The cook is ill."}, follow=True)

    change = OccurrenceChange.objects.get()
    assert change.cancelled and change.note == "The cook is ill."
    assert change.original_start == local(2027, 3, 26, 18, 0)
    assert response.redirect_chain[-1][0] == occurrence_page(dinner, "20270326T1800")
    assert "Samen eten on Friday 26 March 2027, 18:00 is cancelled." in text(response)


def test_a_note_too_long_is_refused_and_kept(as_user, personas, dinner):
    note = "x" * 301
    response = as_user(personas.fatima).post(
        date_url("occurrence_cancel", dinner, "20270326T1800"), {"note": note}
    )

    assert response.status_code == 400
    assert note in text(response)
    assert not OccurrenceChange.objects.exists()


def test_an_already_cancelled_date_says_so(as_user, personas, dinner):
    occurrence_cancel(
        user=personas.fatima, activity=dinner, original_start=local(2027, 3, 26, 18, 0)
    )

    response = as_user(personas.fatima).get(date_url("occurrence_cancel", dinner, "20270326T1800"))

    assert response.status_code == 400
    assert "This date is already cancelled." in text(response)


@pytest.mark.parametrize("name", ["occurrence_cancel", "occurrence_move", "change_from"])
def test_past_dates_can_no_longer_be_changed(as_user, personas, dinner, name, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))
    client = as_user(personas.fatima)
    url = date_url(name, dinner, "20270326T1800")

    for response in (client.get(url), client.post(url, {"note": "Late"})):
        assert response.status_code == 400
        assert "already begun or passed; it can no longer be changed" in text(response)
    assert not OccurrenceChange.objects.exists()
    assert Activity.objects.count() == 1


def test_moving_a_date(as_user, personas, dinner):
    client = as_user(personas.fatima)
    url = date_url("occurrence_move", dinner, "20270326T1800")
    assert 'value="2027-03-26"' in text(client.get(url))

    response = client.post(
        url, {"date": "2027-03-27", "start": "17:00", "end": "19:30", "note": "Holiday"}
    )

    assert response.status_code == 302
    assert response.url == occurrence_page(dinner, "20270326T1800")
    change = OccurrenceChange.objects.get()
    assert (change.new_start, change.new_end) == (
        local(2027, 3, 27, 17, 0),
        local(2027, 3, 27, 19, 30),
    )
    assert Booking.objects.get(occurrence_start=change.original_start).starts_at == (
        change.new_start
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2027-03-27", "start": "19:00", "end": "18:00"}, "The end must come after"),
        ({"date": "2020-03-27", "start": "17:00", "end": "18:00"}, "a date that is still to come"),
        ({"date": "9999-03-27", "start": "17:00", "end": "18:00"}, "five years ahead"),
        ({"date": "", "start": "", "end": ""}, "This field is required."),
    ],
)
def test_moving_refuses_bad_times_and_keeps_them(as_user, personas, dinner, data, message):
    response = as_user(personas.fatima).post(
        date_url("occurrence_move", dinner, "20270326T1800"), data
    )

    assert response.status_code == 400
    page = text(response)
    assert message in page
    for value in data.values():
        if value:
            assert f'value="{value}"' in page
    assert not OccurrenceChange.objects.exists()


def test_moving_onto_a_booked_time_names_the_clash(as_user, personas, dinner):
    booking_request(
        user=personas.daan,
        place=dinner.place,
        starts_at=local(2027, 3, 27, 16, 0),
        ends_at=local(2027, 3, 27, 18, 0),
        purpose="Birthday",
    )

    response = as_user(personas.fatima).post(
        date_url("occurrence_move", dinner, "20270326T1800"),
        {"date": "2027-03-27", "start": "17:00", "end": "19:30"},
    )

    assert response.status_code == 400
    assert "is already booked 16:00–18:00" in text(response)
    assert 'id="id_start_error"' in text(response)


def test_changing_this_and_following_dates(as_user, personas, dinner):
    client = as_user(personas.fatima)
    url = date_url("change_from", dinner, "20270430T1800")
    form = text(client.get(url))
    assert 'value="monthly_last" required id="id_repeat_4" checked>' in form
    assert "Every month on the last Friday" in form

    response = client.post(
        url,
        dinner_data(
            personas, dinner.place, title="Samen eten (zomer)", start_time="17:30", capacity="25"
        ),
    )

    new = Activity.objects.exclude(pk=dinner.pk).get()
    assert response.status_code == 302
    assert response.url == occurrence_page(new, "20270430T1730")
    assert (new.title, new.start_time, new.duration_minutes) == (
        "Samen eten (zomer)",
        time(17, 30),
        180,
    )
    assert (new.rrule, new.start_date, new.capacity) == (
        "FREQ=MONTHLY;BYDAY=-1FR",
        date(2027, 4, 30),
        25,
    )
    dinner.refresh_from_db()
    assert dinner.until < local(2027, 4, 30, 18, 0)


def test_change_from_with_a_new_weekday_rule(as_user, personas, dinner):
    response = as_user(personas.fatima).post(
        date_url("change_from", dinner, "20270430T1800"),
        dinner_data(personas, dinner.place, repeat="custom", custom_rule="FREQ=WEEKLY;BYDAY=SA"),
    )

    assert response.status_code == 302
    new = Activity.objects.exclude(pk=dinner.pk).get()
    assert new.rrule == "FREQ=WEEKLY;BYDAY=SA" and new.start_date == date(2027, 5, 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"repeat": "custom", "custom_rule": "FREQ=SOMETIMES"}, "not a repeat rule"),
        ({"end_time": "12:00"}, "The end must come after the start"),
        ({"until": "2020-01-01"}, "The last date cannot be before the first date."),
        ({"cost": "-1"}, "cannot be negative"),
        ({"place": "", "location": ""}, "An activity of the keepers stays at its place."),
    ],
)
def test_change_from_refuses_bad_input_and_keeps_it(as_user, personas, coffee, changes, message):
    when = key(coffee.first_start + timedelta(weeks=1))
    data = dinner_data(personas, coffee.place, title="Koffie", repeat="weekly") | changes
    del data["organiser"]
    response = as_user(personas.fatima).post(date_url("change_from", coffee, when), data)

    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'value="Koffie"' in page
    assert Activity.objects.count() == 1


def test_a_single_date_has_no_this_and_following(as_user, personas, room):
    once = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        place=room,
        title="Buurtfeest",
        start_date=date(2027, 6, 12),
        start_time=time(14, 0),
        duration_minutes=240,
    )

    response = as_user(personas.fatima).get(date_url("change_from", once, "20270612T1400"))

    assert response.status_code == 400
    assert "Only a repeating activity can be changed from a date on." in text(response)


# --- The organisers' links on a date's page ------------------------------------------------------


def _actions(activity, when: str, *, is_organiser: bool = True) -> str:
    from buurtnet.activities.links import occurrence_from_key

    occurrence = occurrence_from_key(activity, when)
    return render_to_string(
        "activities/organise/_actions.html",
        {
            "activity": activity,
            "occurrence": occurrence,
            "key": when,
            "neighbourhood": activity.neighbourhood,
            "is_organiser": is_organiser,
        },
    )


def test_the_organisers_links_on_a_date(personas, dinner, coffee):
    links = _actions(dinner, "20270326T1800")

    assert edit_url(dinner, "?date=20270326T1800") in links
    for name in ("occurrence_cancel", "occurrence_move", "change_from"):
        assert date_url(name, dinner, "20270326T1800") in links
    assert _actions(dinner, "20270326T1800", is_organiser=False).strip() == ""


def test_a_past_date_offers_only_editing_the_activity(personas, dinner, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))

    links = _actions(dinner, "20270326T1800")

    assert edit_url(dinner) in links
    assert "cancel-date" not in links and "move" not in links and "change-from" not in links


def test_a_cancelled_date_can_be_moved_but_not_cancelled_again(personas, dinner):
    occurrence_cancel(
        user=personas.fatima, activity=dinner, original_start=local(2027, 3, 26, 18, 0)
    )

    links = _actions(dinner, "20270326T1800")

    assert "cancel-date" not in links
    assert date_url("occurrence_move", dinner, "20270326T1800") in links


def test_a_single_date_gets_no_this_and_following_link(personas, room):
    once = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        place=room,
        title="Buurtfeest",
        start_date=date(2027, 6, 12),
        start_time=time(14, 0),
        duration_minutes=240,
    )

    assert "change-from" not in _actions(once, "20270612T1400")


# --- The initiative's page ----------------------------------------------------------------------


def test_initiators_find_the_plan_link_and_the_coming_dates(as_user, personas, dinner):
    url = reverse("initiatives:detail", args=[SLUG, personas.initiative.pk])

    page = text(as_user(personas.fatima).get(url))

    assert plan_url(f"?initiative={personas.initiative.pk}") in page
    assert "Coming activities" in page
    assert occurrence_page(dinner, "20270129T1800") in page


@pytest.mark.parametrize("who", ["priya", "daan", "anna", "henk"])
def test_others_see_the_coming_dates_without_the_plan_link(as_user, personas, dinner, who):
    url = reverse("initiatives:detail", args=[SLUG, personas.initiative.pk])

    page = text(as_user(getattr(personas, who)).get(url))

    assert plan_url() not in page
    assert occurrence_page(dinner, "20270129T1800") in page


def test_the_coming_dates_take_the_same_queries_however_many_activities(
    as_user, personas, room, dinner
):
    client = as_user(personas.priya)
    url = reverse("initiatives:detail", args=[SLUG, personas.initiative.pk])
    written_in_choices()  # a vocabulary shared by every neighbourhood: cached once for all

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for n in range(9):
        activity_create(
            user=personas.fatima,
            neighbourhood=personas.ede,
            initiative=personas.initiative,
            location=f"Spot {n}",
            title=f"Walk {n}",
            start_date=date(2027, 1, 4) + timedelta(days=n),
            start_time=time(10, 0),
            duration_minutes=60,
            rrule="FREQ=WEEKLY",
        )
    assert queries() == one
