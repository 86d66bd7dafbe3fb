"""An initiative's public feed and a person's own feed behind a secret, renewable address."""

from datetime import date, time

from django.urls import reverse
from icalendar import Calendar

from buurtnet.activities.models import CalendarToken
from buurtnet.activities.services.calendars import calendar_token_renew
from buurtnet.activities.services.organise import activity_create
from buurtnet.activities.services.rsvps import rsvp_set
from tests.activities.conftest import local
from tests.factories import InitiativeFactory, ParticipationFactory


def titles(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return sorted({str(event["SUMMARY"]) for event in events})


def initiative_feed(client, pk, slug="ede-zuid"):
    return client.get(reverse("activities:feed_initiative", args=[slug, pk]))


def personal_feed(client, token):
    return client.get(reverse("activities:feed_personal", args=[token]))


def activity(personas, place, title, **extra):
    values = {
        "user": personas.fatima,
        "neighbourhood": personas.ede,
        "place": place,
        "title": title,
        "start_date": date(2027, 3, 3),
        "start_time": time(10, 0),
        "duration_minutes": 90,
    }
    values.update(extra)
    return activity_create(**values)


# The feed of one initiative


def test_a_public_initiatives_feed_holds_its_public_activities(personas, client, room, dinner):
    activity(personas, room, "Kooksessie", initiative=personas.initiative)
    activity(personas, room, "Voorbereiding", initiative=personas.initiative, is_public=False)
    activity(personas, room, "Koffie van de sleutelhouders")

    assert titles(initiative_feed(client, personas.initiative.pk)) == ["Kooksessie", "Samen eten"]


def test_a_members_only_initiative_has_no_feed(personas, client, room):
    private = InitiativeFactory(neighbourhood=personas.ede, title="Besloten", visibility="members")
    ParticipationFactory(initiative=private, user=personas.fatima, role="initiator")
    activity(personas, room, "Besloten bijeenkomst", initiative=private)

    assert initiative_feed(client, private.pk).status_code == 404
    client.force_login(personas.fatima)
    assert initiative_feed(client, private.pk).status_code == 404


def test_an_initiative_is_found_only_in_its_own_neighbourhood(personas, client, dinner):
    assert initiative_feed(client, personas.initiative.pk, slug="elders").status_code == 404
    assert initiative_feed(client, personas.initiative.pk + 1000).status_code == 404


def test_the_initiative_feed_is_only_read(personas, client, dinner):
    url = reverse("activities:feed_initiative", args=["ede-zuid", personas.initiative.pk])
    assert client.post(url).status_code == 405


# A person's own feed


def test_my_feed_holds_only_what_i_am_going_to(
    personas, client, room, dinner, coffee, first_coffee
):
    quiz = activity(personas, room, "Buurtquiz", rrule="", capacity=1, is_public=False)
    first_dinner = local(2027, 1, 29, 18)
    quiz_start = local(2027, 3, 3, 10)
    rsvp_set(user=personas.daan, activity=coffee, occurrence_start=first_coffee, status="going")
    rsvp_set(user=personas.daan, activity=dinner, occurrence_start=first_dinner, status="maybe")
    rsvp_set(user=personas.priya, activity=quiz, occurrence_start=quiz_start, status="going")
    waiting = rsvp_set(
        user=personas.daan, activity=quiz, occurrence_start=quiz_start, status="going"
    )
    assert waiting.waitlisted
    token = calendar_token_renew(user=personas.daan)

    assert titles(personal_feed(client, token.token)) == ["Koffieochtend"]

    priyas = calendar_token_renew(user=personas.priya)
    assert titles(personal_feed(client, priyas.token)) == ["Buurtquiz"]


def test_my_feed_holds_the_date_i_come_to_and_nothing_about_people(
    personas, client, coffee, first_coffee
):
    rsvp_set(
        user=personas.daan,
        activity=coffee,
        occurrence_start=first_coffee,
        status="going",
        allergies="peanuts",
    )
    token = calendar_token_renew(user=personas.daan)

    response = personal_feed(client, token.token)

    (date,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert "RRULE" not in date
    assert date.decoded("DTSTART") == first_coffee
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    for personal in ["Daan", "daan@", "peanuts", "ATTENDEE"]:
        assert personal not in content


def test_unknown_and_renewed_addresses_are_not_found(personas, client, coffee, first_coffee):
    rsvp_set(user=personas.daan, activity=coffee, occurrence_start=first_coffee, status="going")
    old = calendar_token_renew(user=personas.daan).token

    new = calendar_token_renew(user=personas.daan).token

    assert new != old
    assert CalendarToken.objects.filter(user=personas.daan).count() == 1
    assert personal_feed(client, old).status_code == 404
    assert titles(personal_feed(client, new)) == ["Koffieochtend"]
    assert personal_feed(client, "no-such-address").status_code == 404


def test_the_feed_of_someone_who_left_the_neighbourhood_is_empty(
    personas, client, coffee, first_coffee
):
    rsvp_set(user=personas.daan, activity=coffee, occurrence_start=first_coffee, status="going")
    token = calendar_token_renew(user=personas.daan)
    personas.daan.memberships.all().delete()

    assert titles(personal_feed(client, token.token)) == []


# The page with my calendar address


def test_my_calendar_page_asks_to_sign_in(client):
    response = client.get(reverse("activities:my_calendar"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    renew = client.post(reverse("activities:my_calendar_renew"))
    assert renew.status_code == 302
    assert reverse("login") in renew["Location"]


def test_i_make_my_address_and_the_page_shows_it_in_full(personas, client):
    client.force_login(personas.daan)
    before = client.get(reverse("activities:my_calendar"))
    assert before.context["feed_url"] == ""
    assert b".ics" not in before.content

    response = client.post(reverse("activities:my_calendar_renew"), follow=True)

    token = CalendarToken.objects.get(user=personas.daan).token
    feed = f"http://testserver{reverse('activities:feed_personal', args=[token])}"
    assert feed.encode() in response.content
    assert len(response.context["messages"]) == 1


def test_a_new_address_replaces_the_old_one(personas, client):
    old = calendar_token_renew(user=personas.daan).token
    client.force_login(personas.daan)

    response = client.post(reverse("activities:my_calendar_renew"), follow=True)

    new = CalendarToken.objects.get(user=personas.daan).token
    assert new != old
    assert old.encode() not in response.content
    assert new.encode() in response.content
    assert personal_feed(client, old).status_code == 404


def test_renewing_takes_a_post(personas, client):
    client.force_login(personas.daan)

    assert client.get(reverse("activities:my_calendar_renew")).status_code == 405
    assert not CalendarToken.objects.filter(user=personas.daan).exists()
