"""One date of a public activity as a visitor reads it: what, when, where (a place's name, never an
address), for whom, in which language, what it costs; a calendar file and the public feed; and
how to join to sign up. No forms, no residents' names. Everything else stays hidden."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from buurtnet.activities.selectors.agenda import public_agenda, public_occurrence
from buurtnet.activities.services.organise import (
    activity_create,
    occurrence_cancel,
    occurrence_move,
)
from buurtnet.activities.services.places import place_create, place_keeper_assign
from buurtnet.activities.services.rsvps import rsvp_set
from buurtnet.people.models import Language
from tests.factories import InitiativeFactory, ParticipationFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _language_left_as_it_was():
    with translation.override(translation.get_language()):
        yield


def tomorrow():
    return datetime.now(AMSTERDAM).date() + timedelta(days=1)


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def key(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M")


def page(activity, when: str, slug: str = "ede-zuid") -> str:
    return reverse("front:public_occurrence", args=[slug, activity.pk, when])


@pytest.fixture
def room(personas):
    place = place_create(
        user=personas.henk,
        neighbourhood=personas.ede,
        name="Huiskamer de Elskamp",
        address="Elskamp 1, Ede",
    )
    place_keeper_assign(user=personas.henk, place=place, keeper=personas.fatima)
    return place


@pytest.fixture
def dinner(personas, room):
    """Public, of the public initiative "Samen eten", weekly from tomorrow at 18:00."""
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        place=room,
        title="Samen koken",
        description="We cook with neighbours from everywhere.",
        start_date=tomorrow(),
        start_time=time(18, 0),
        duration_minutes=150,
        rrule="FREQ=WEEKLY",
        languages=Language.objects.filter(code__in=["nl", "ar"]),
        audience="women",
        cost_cents=300,
        capacity=20,
    )


@pytest.fixture
def first(dinner):
    return at(tomorrow(), 18)


def test_a_visitor_reads_what_when_where_for_whom_and_what_it_costs(
    client, personas, dinner, first
):
    response = client.get(page(dinner, key(first)))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1" in html and "Samen koken" in html
    assert f'<time datetime="{first.isoformat()}">' in html
    assert "18:00" in html and "20:30" in html
    assert "Every week" in html
    assert "Huiskamer de Elskamp" in html
    assert "Elskamp 1" not in html  # the place's name, never its address
    assert "Women" in html
    assert 'lang="ar"' in html and 'lang="nl"' in html
    assert "Contribution €3.00" in html
    assert "We cook with neighbours from everywhere." in html
    assert reverse("front:public_initiative", args=["ede-zuid", personas.initiative.pk]) in html


def test_it_links_the_calendar_file_and_the_public_feed(client, dinner, first):
    html = client.get(page(dinner, key(first))).content.decode()

    assert reverse("activities:occurrence_ics", args=["ede-zuid", dinner.pk, key(first)]) in html
    assert reverse("activities:feed_neighbourhood", args=["ede-zuid"]) in html


def test_it_asks_the_visitor_to_join_with_their_code_and_lets_members_log_in(client, dinner, first):
    html = client.get(page(dinner, key(first))).content.decode()
    member_page = reverse("activities:occurrence", args=["ede-zuid", dinner.pk, key(first)])

    assert "Join with your code to sign up" in html
    assert reverse("neighbourhoods:signup") in html
    assert f"{reverse('login')}?next={member_page}" in html


def test_it_has_no_forms_and_names_nobody(client, personas, dinner, first):
    rsvp_set(user=personas.daan, activity=dinner, occurrence_start=first, status="going")
    html = client.get(page(dinner, key(first))).content.decode()

    assert reverse("activities:rsvp", args=["ede-zuid", dinner.pk, key(first)]) not in html
    assert "/tasks/" not in html and "csrfmiddlewaretoken" not in html
    # The only form is the language switch in the header.
    assert html.count("<form") == 1
    for person in ("fatima", "priya", "daan", "henk", "anna", "sem"):
        assert getattr(personas, person).display_name not in html
    assert "places taken" not in html and "going" not in html


def test_a_free_text_location_is_not_shown(client, personas):
    walk = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        location="Bij Fatima thuis, Elskamp 12",
        title="Wandeling",
        start_date=tomorrow(),
        start_time=time(11, 0),
        duration_minutes=60,
    )
    html = client.get(page(walk, key(at(tomorrow(), 11)))).content.decode()

    assert "Wandeling" in html
    assert "Elskamp 12" not in html and "Bij Fatima" not in html
    assert "Members of the neighbourhood see where it is." in html


def test_a_cancelled_date_says_so_and_offers_no_calendar_file(client, personas, dinner, first):
    occurrence_cancel(user=personas.fatima, activity=dinner, original_start=first, note="Ramadan")
    html = client.get(page(dinner, key(first))).content.decode()

    assert "Cancelled" in html
    assert "Ramadan" not in html  # the organisers' note is for the neighbours
    assert ".ics" in html  # the feed
    assert (
        reverse("activities:occurrence_ics", args=["ede-zuid", dinner.pk, key(first)]) not in html
    )


def test_a_moved_date_shows_its_new_time(client, personas, dinner, first):
    occurrence_move(
        user=personas.fatima,
        activity=dinner,
        original_start=first,
        new_start=first + timedelta(hours=1),
        new_end=first + timedelta(hours=3),
    )
    html = client.get(page(dinner, key(first))).content.decode()

    assert "Moved" in html
    assert f'<time datetime="{(first + timedelta(hours=1)).isoformat()}">' in html


def test_a_past_date_offers_no_calendar_file(client, personas, room):
    past = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Voorbij",
        start_date=tomorrow() - timedelta(days=3),
        start_time=time(10, 0),
        duration_minutes=60,
    )
    when = key(at(tomorrow() - timedelta(days=3), 10))
    html = client.get(page(past, when)).content.decode()

    assert "This date has passed." in html
    assert reverse("activities:occurrence_ics", args=["ede-zuid", past.pk, when]) not in html


@pytest.mark.parametrize("when", ["20270101T1900", "not-a-time", "20271399T9999"])
def test_a_date_the_series_does_not_have_is_404(client, dinner, when):
    assert client.get(page(dinner, when)).status_code == 404


def test_a_non_public_activity_is_404_for_visitors(client, personas, room):
    hidden = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Sleuteloverleg",
        start_date=tomorrow(),
        start_time=time(20, 0),
        duration_minutes=60,
        is_public=False,
    )
    assert client.get(page(hidden, key(at(tomorrow(), 20)))).status_code == 404


def test_an_activity_of_a_members_only_initiative_is_404_for_visitors(client, personas):
    initiative = InitiativeFactory(neighbourhood=personas.ede, visibility="members")
    ParticipationFactory(initiative=initiative, user=personas.fatima, role="initiator")
    closed = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=initiative,
        location="Elders",
        title="Kring",
        start_date=tomorrow(),
        start_time=time(14, 0),
        duration_minutes=60,
    )
    assert client.get(page(closed, key(at(tomorrow(), 14)))).status_code == 404


def test_another_neighbourhoods_address_finds_nothing(client, dinner, first):
    assert client.get(page(dinner, key(first), slug="elders")).status_code == 404
    assert client.get(page(dinner, key(first), slug="nowhere")).status_code == 404


def test_a_member_goes_to_their_full_page(as_user, personas, dinner, first):
    response = as_user(personas.daan).get(page(dinner, key(first)))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "activities:occurrence", args=["ede-zuid", dinner.pk, key(first)]
    )


def test_members_keep_their_full_page_and_visitors_still_log_in_there(
    client, as_user, personas, dinner, first
):
    member_page = reverse("activities:occurrence", args=["ede-zuid", dinner.pk, key(first)])
    assert client.get(member_page).url.startswith(reverse("login"))
    html = as_user(personas.daan).get(member_page).content.decode()
    assert "Are you coming?" in html and "csrfmiddlewaretoken" in html


def test_a_cookie_less_visitor_gets_it_whole_from_the_cache(personas, dinner, first):
    visitor = Client()
    cold = visitor.get(page(dinner, key(first)))
    with CaptureQueriesContext(connection) as warm:
        again = visitor.get(page(dinner, key(first)))

    assert cold.status_code == 200
    assert len(warm) == 0 and again.content == cold.content
    assert not again.cookies
    assert {p.strip() for p in again["Cache-Control"].split(",")} == {"public", "max-age=60"}


def test_a_change_reaches_the_visitor_at_once(personas, dinner, first):
    visitor = Client()
    assert "Samen koken" in visitor.get(page(dinner, key(first))).content.decode()
    dinner.title = "Samen bakken"
    dinner.save()

    assert "Samen bakken" in visitor.get(page(dinner, key(first))).content.decode()


def test_the_times_carry_no_microseconds(client, dinner, first):
    html = client.get(page(dinner, key(first))).content.decode()

    for value in html.split('datetime="')[1:]:
        stamp = value.split('"')[0]
        assert "." not in stamp
        datetime.fromisoformat(stamp)


# The selectors ---------------------------------------------------------------------------------


def test_the_public_agenda_reads_three_queries(personas, dinner, first):
    with CaptureQueriesContext(connection) as queries:
        found = public_agenda(personas.ede, first - timedelta(hours=1), first + timedelta(days=8))
    assert [o.start for o in found] == [first, first + timedelta(days=7)]
    assert len(queries) == 3


def test_public_occurrence_finds_only_public_dates(personas, dinner, first):
    assert public_occurrence(personas.ede, dinner.pk, key(first)).start == first
    assert public_occurrence(personas.other, dinner.pk, key(first)) is None
    dinner.is_public = False
    dinner.save()
    assert public_occurrence(personas.ede, dinner.pk, key(first)) is None
