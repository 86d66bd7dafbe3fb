"""How places and activities name members: the flat only when its owner shows it, never a door,
and someone who is not in the member directory is offered in a chooser only when tied to it.

The people are described in tests/hidden_people.py; the rules in buurtnet/neighbourhoods/names.py.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.activities.models import PlaceKeeper, PlaceKey
from buurtnet.activities.services import helping as services
from buurtnet.activities.services import places as places_services
from buurtnet.activities.services.bookings import booking_decide, booking_request
from buurtnet.activities.services.calendars import calendar_token_renew
from buurtnet.activities.services.organise import activity_update
from buurtnet.activities.services.places import place_create, place_keeper_assign
from buurtnet.activities.services.rsvps import rsvp_set
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Notification
from tests.activities.conftest import local, next_wednesday
from tests.factories import MembershipFactory, UserFactory
from tests.hidden_people import HIDDEN_FLAT, SHOWN_FLAT, hide, no_door_in, options, profile_link

MARCH = local(2027, 3, 26, 18)


@pytest.fixture
def hidden(personas):
    return hide(personas)


def place_url(place, name: str = "activities:place", *extra) -> str:
    return reverse(name, args=["ede-zuid", place.pk, *extra])


def occurrence_url(activity, when: str = "20270326T1800") -> str:
    return reverse("activities:occurrence", args=["ede-zuid", activity.pk, when])


def booking_slot(hour: int = 14):
    day = next_wednesday()
    start = local(day.year, day.month, day.day, hour)
    return start, start + timedelta(hours=2)


def book(user, place, hour: int = 14):
    start, end = booking_slot(hour)
    return booking_request(
        user=user, place=place, starts_at=start, ends_at=end, purpose="Homework club"
    )


# The keeper chooser (hosts) -----------------------------------------------------------------------


def test_the_keeper_chooser_shows_a_flat_only_when_its_owner_does(as_user, personas, room, hidden):
    page = (
        as_user(personas.henk).get(place_url(room)).text.replace("<bdi>", "").replace("</bdi>", "")
    )

    offered = options(page, "keeper")
    assert "Daan (de Elskamp)" in offered
    assert "Verstopt" in offered
    assert HIDDEN_FLAT not in page
    assert no_door_in(page)


def test_the_keeper_chooser_leaves_out_who_is_not_in_the_directory(as_user, personas, room, hidden):
    page = (
        as_user(personas.henk).get(place_url(room)).text.replace("<bdi>", "").replace("</bdi>", "")
    )

    assert "Onvindbaar" not in page
    assert SHOWN_FLAT not in page


def test_a_host_cannot_post_an_unlisted_neighbour_without_a_tie(as_user, personas, room, hidden):
    response = as_user(personas.henk).post(
        place_url(room, "activities:place_keeper_add"),
        {"keeper": hidden.membership(hidden.unlisted).pk},
    )

    assert response.status_code == 400
    assert "Choose a resident from the list." in response.text
    assert "Onvindbaar" not in response.text
    assert not PlaceKeeper.objects.filter(user=hidden.unlisted).exists()


def test_an_unlisted_key_holder_of_the_place_can_become_its_keeper(as_user, personas, room, hidden):
    places_services.place_key_give(user=personas.fatima, place=room, holder=hidden.unlisted)
    client = as_user(personas.henk)

    offered = options(
        client.get(place_url(room)).text.replace("<bdi>", "").replace("</bdi>", ""), "keeper"
    )
    response = client.post(
        place_url(room, "activities:place_keeper_add"),
        {"keeper": hidden.membership(hidden.unlisted).pk},
    )

    # He shows his flat, so it tells him apart; being off the directory hides the profile only.
    assert f"Onvindbaar ({SHOWN_FLAT})" in offered
    assert response.status_code == 302
    assert PlaceKeeper.objects.filter(place=room, user=hidden.unlisted).exists()


def test_an_unlisted_keeper_of_another_place_is_offered(as_user, personas, room, hidden):
    garden = place_create(user=personas.henk, neighbourhood=personas.ede, name="Tuin")
    place_keeper_assign(user=personas.henk, place=garden, keeper=hidden.unlisted)

    offered = options(
        as_user(personas.henk).get(place_url(room)).text.replace("<bdi>", "").replace("</bdi>", ""),
        "keeper",
    )

    assert f"Onvindbaar ({SHOWN_FLAT})" in offered


def test_an_unlisted_host_can_pick_themselves(as_user, personas, room, hidden):
    personas.henk.listed_in_directory = False
    personas.henk.show_building = False
    personas.henk.save()

    offered = options(
        as_user(personas.henk).get(place_url(room)).text.replace("<bdi>", "").replace("</bdi>", ""),
        "keeper",
    )

    assert "Henk" in offered
    assert "Onvindbaar" not in offered


# The key chooser (keepers and hosts) --------------------------------------------------------------


def test_the_key_chooser_shows_a_flat_only_when_its_owner_does(as_user, personas, room, hidden):
    page = (
        as_user(personas.fatima)
        .get(place_url(room))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )

    offered = options(page, "holder")
    assert "Priya (de Elskamp)" in offered
    assert "Verstopt" in offered
    assert "Onvindbaar" not in page
    assert HIDDEN_FLAT not in page
    assert no_door_in(page)


@pytest.mark.parametrize("viewer", ["fatima", "henk"])
def test_an_unlisted_neighbour_who_booked_the_place_can_get_a_key(
    as_user, personas, room, hidden, viewer
):
    book(hidden.unlisted, room)
    client = as_user(getattr(personas, viewer))

    offered = options(
        client.get(place_url(room)).text.replace("<bdi>", "").replace("</bdi>", ""), "holder"
    )
    response = client.post(
        place_url(room, "activities:place_key_add"),
        {"holder": hidden.membership(hidden.unlisted).pk, "note": "Front door"},
    )

    assert f"Onvindbaar ({SHOWN_FLAT})" in offered
    assert response.status_code == 302
    assert PlaceKey.objects.filter(place=room, holder=hidden.unlisted).exists()


def test_a_declined_booking_is_no_tie(as_user, personas, room, hidden):
    booking = book(hidden.unlisted, room)
    booking_decide(keeper=personas.fatima, booking=booking, approve=False, reason="Full")

    response = as_user(personas.fatima).post(
        place_url(room, "activities:place_key_add"),
        {"holder": hidden.membership(hidden.unlisted).pk},
    )

    assert response.status_code == 400
    assert "Choose a member from the list." in response.text
    assert not PlaceKey.objects.exists()


def test_an_unlisted_keeper_finds_themselves_in_the_key_chooser(as_user, personas, room, hidden):
    place_keeper_assign(user=personas.henk, place=room, keeper=hidden.flat_hidden)
    personas.fatima.listed_in_directory = False
    personas.fatima.save()

    offered = options(
        as_user(personas.fatima)
        .get(place_url(room))
        .text.replace("<bdi>", "")
        .replace("</bdi>", ""),
        "holder",
    )

    # Fatima offers herself; Verstopt, keeping the place too, is named on the page already.
    assert "Fatima (de Elskamp)" in offered
    assert "Verstopt" in offered


def test_the_choosers_cost_the_same_queries_however_many_neighbours(as_user, personas, room):
    client = as_user(personas.henk)
    client.get(place_url(room))
    with CaptureQueriesContext(connection) as few:
        client.get(place_url(room))
    for number in range(6):
        user = UserFactory(display_name=f"Buur {number}", show_building=number % 2 == 0)
        MembershipFactory(user=user, neighbourhood=personas.ede, building=personas.elskamp)
    with CaptureQueriesContext(connection) as many:
        page = client.get(place_url(room)).text.replace("<bdi>", "").replace("</bdi>", "")

    assert len(many) == len(few)
    assert "Buur 0 (de Elskamp)" in page
    assert "Buur 1 (de Elskamp)" not in page
    assert "Buur 1" in options(page, "keeper")


# Lists of people at a place -----------------------------------------------------------------------


def test_keepers_are_named_without_a_hidden_flat_on_the_place_and_places_pages(
    as_user, personas, room, hidden
):
    place_keeper_assign(user=personas.henk, place=room, keeper=hidden.flat_hidden)
    place_keeper_assign(user=personas.henk, place=room, keeper=hidden.unlisted)
    client = as_user(personas.daan)

    for page in (
        client.get(place_url(room)).text.replace("<bdi>", "").replace("</bdi>", ""),
        client.get(reverse("activities:places", args=["ede-zuid"]))
        .text.replace("<bdi>", "")
        .replace("</bdi>", ""),
    ):
        assert "Verstopt" in page and "Onvindbaar" in page
        assert HIDDEN_FLAT not in page and SHOWN_FLAT not in page
        assert profile_link(hidden.unlisted) not in page
        assert no_door_in(page)


def test_the_key_list_names_holders_without_flats(as_user, personas, room, hidden):
    places_services.place_key_give(user=personas.fatima, place=room, holder=hidden.flat_hidden)
    book(hidden.unlisted, room)
    places_services.place_key_give(user=personas.fatima, place=room, holder=hidden.unlisted)

    page = (
        as_user(personas.henk).get(place_url(room)).text.replace("<bdi>", "").replace("</bdi>", "")
    )
    key_list = page.split('id="keys"')[1].split("Someone got a key")[0]

    assert "Verstopt" in key_list and "Onvindbaar" in key_list
    assert HIDDEN_FLAT not in page
    assert SHOWN_FLAT not in key_list
    assert no_door_in(page)


def test_keepers_see_who_asked_to_book_but_not_their_flat(as_user, personas, room, hidden):
    book(hidden.flat_hidden, room, 10)
    book(hidden.unlisted, room, 14)

    keeper_page = (
        as_user(personas.fatima)
        .get(reverse("bookings:place", args=["ede-zuid", room.pk]))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )
    neighbour_page = (
        as_user(personas.daan)
        .get(reverse("bookings:place", args=["ede-zuid", room.pk]))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )

    assert "Asked by Verstopt" in keeper_page and "Asked by Onvindbaar" in keeper_page
    assert HIDDEN_FLAT not in keeper_page and SHOWN_FLAT not in keeper_page
    assert no_door_in(keeper_page)
    assert "Verstopt" not in neighbour_page and "Onvindbaar" not in neighbour_page


def test_the_booking_notification_and_its_email_name_the_asker_without_a_flat(
    personas, room, hidden, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(hidden.flat_hidden, room)

    notification = Notification.objects.get(recipient=personas.fatima)
    [email] = [m for m in mail.outbox if m.to == [personas.fatima.email]]
    assert "Verstopt asks to book" in notification_text(notification)
    for text in (notification_text(notification), email.body, email.alternatives[0][0]):
        assert "Verstopt" in text
        assert HIDDEN_FLAT not in text
        assert no_door_in(text)


# Lists of people at an activity -------------------------------------------------------------------


def test_organisers_see_who_comes_and_who_waits_without_flats(
    as_user, personas, coffee, first_coffee, hidden
):
    for neighbour in (personas.priya, personas.daan, personas.henk, hidden.flat_hidden):
        rsvp_set(user=neighbour, activity=coffee, occurrence_start=first_coffee, status="going")
    rsvp_set(user=hidden.unlisted, activity=coffee, occurrence_start=first_coffee, status="going")
    when = first_coffee.strftime("%Y%m%dT%H%M")

    page = (
        as_user(personas.fatima)
        .get(occurrence_url(coffee, when))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )
    waiting = page.split("Waiting list")[1]

    assert "Verstopt" in page
    assert "Onvindbaar" in waiting
    assert HIDDEN_FLAT not in page and SHOWN_FLAT not in page
    assert profile_link(hidden.unlisted) not in page
    assert no_door_in(page)


def test_neighbours_do_not_see_the_list_of_who_comes(
    as_user, personas, coffee, first_coffee, hidden
):
    rsvp_set(user=hidden.unlisted, activity=coffee, occurrence_start=first_coffee, status="going")
    when = first_coffee.strftime("%Y%m%dT%H%M")

    page = (
        as_user(personas.daan)
        .get(occurrence_url(coffee, when))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )

    assert "Onvindbaar" not in page


def test_helpers_on_tasks_are_named_without_flats(as_user, personas, dinner, hidden):
    task = services.task_add(
        user=personas.fatima,
        activity=dinner,
        occurrence_start=MARCH,
        kind="cooking",
        hands_needed=3,
    )
    for helper in (hidden.flat_hidden, hidden.unlisted):
        services.task_signup(user=helper, task=task, occurrence_start=MARCH)

    for viewer in (personas.daan, personas.fatima):
        page = (
            as_user(viewer)
            .get(occurrence_url(dinner))
            .text.replace("<bdi>", "")
            .replace("</bdi>", "")
        )
        assert "Verstopt" in page and "Onvindbaar" in page
        assert HIDDEN_FLAT not in page and SHOWN_FLAT not in page
        assert profile_link(hidden.unlisted) not in page
        assert no_door_in(page)


def test_the_bring_a_dish_list_names_cooks_without_flats(as_user, personas, dinner, hidden):
    potluck = activity_update(user=personas.fatima, activity=dinner, bring_a_dish=True)
    services.dish_set(
        user=hidden.flat_hidden, activity=potluck, occurrence_start=MARCH, dish="Baklava"
    )
    services.dish_set(
        user=hidden.unlisted, activity=potluck, occurrence_start=MARCH, dish="Lentil soup"
    )

    outside = (
        as_user(personas.daan)
        .get(occurrence_url(potluck))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )
    rsvp_set(user=personas.daan, activity=potluck, occurrence_start=MARCH, status="going")
    page = (
        as_user(personas.daan)
        .get(occurrence_url(potluck))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )

    # Who brings what is for the people going.
    assert "Verstopt" not in outside and "Onvindbaar" not in outside
    assert "by Verstopt" in page and "by Onvindbaar" in page
    assert HIDDEN_FLAT not in page and SHOWN_FLAT not in page
    assert no_door_in(page)


# Calendars ----------------------------------------------------------------------------------------


def test_calendar_feeds_name_nobody(client, as_user, personas, room, dinner, hidden):
    for person in (hidden.flat_hidden, hidden.unlisted):
        rsvp_set(user=person, activity=dinner, occurrence_start=MARCH, status="going")
    place_keeper_assign(user=personas.henk, place=room, keeper=hidden.unlisted)
    token = calendar_token_renew(user=hidden.flat_hidden).token
    feeds = [
        reverse("activities:feed_personal", args=[token]),
        reverse("activities:feed_neighbourhood", args=["ede-zuid"]),
        reverse("activities:feed_place", args=["ede-zuid", room.pk]),
        reverse("activities:feed_initiative", args=["ede-zuid", dinner.initiative_id]),
    ]
    member = as_user(hidden.flat_hidden)
    bodies = [
        client.get(feed).content.decode().replace("<bdi>", "").replace("</bdi>", "")
        for feed in feeds
    ]
    bodies.append(
        member.get(
            reverse("activities:occurrence_ics", args=["ede-zuid", dinner.pk, "20270326T1800"])
        )
        .content.decode()
        .replace("<bdi>", "")
        .replace("</bdi>", "")
    )

    assert all("BEGIN:VCALENDAR" in body for body in bodies)
    for body in bodies:
        assert "ORGANIZER" not in body and "ATTENDEE" not in body
        for word in ("Verstopt", "Onvindbaar", "Fatima", HIDDEN_FLAT, SHOWN_FLAT, "@example.org"):
            assert word not in body
        assert no_door_in(body)
