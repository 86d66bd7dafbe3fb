from datetime import time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from buurtnet.activities import permissions
from buurtnet.activities.models import Activity, Place, PlaceKeeper, Rsvp
from buurtnet.activities.recurrence import occurrence_at
from buurtnet.activities.selectors import rsvps as selectors
from buurtnet.demo import ede_zuid
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.people.models import User
from tests.demo.test_demo_command import counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=StringIO())
    return Neighbourhood.objects.get(slug="ede-zuid")


def person(key: str) -> User:
    return User.objects.get(email=f"{key}@demo.buurtnet.nl")


def test_de_elskamp_has_a_meeting_room_and_a_kitchen_kept_by_residents(demo):
    room = Place.objects.get(neighbourhood=demo, name="Ontmoetingsruimte de Elskamp")
    kitchen = Place.objects.get(neighbourhood=demo, name="Keuken de Elskamp")
    assert room.capacity == 40
    for place in (room, kitchen):
        assert place.address and place.accessibility and place.opening_hours and place.house_rules
    assert "keuken" in room.house_rules.lower()
    keepers: dict[str, set[str]] = {room.name: set(), kitchen.name: set()}
    for keeper in PlaceKeeper.objects.select_related("place", "user", "assigned_by"):
        keepers[keeper.place.name].add(keeper.user.email.partition("@")[0])
        assert keeper.assigned_by == person("henk")
        assert keeper.user.memberships.get(neighbourhood=demo).is_resident
    assert keepers == {room.name: {"fatima", "youssef"}, kitchen.name: {"fatima", "khadija"}}


def test_the_monthly_dinner_runs_since_a_year_on_the_last_friday(demo):
    dinner = Activity.objects.get(neighbourhood=demo, initiative__title=ede_zuid.DINNER)
    assert dinner.place.name == "Ontmoetingsruimte de Elskamp"
    assert dinner.rrule == "FREQ=MONTHLY;BYDAY=-1FR"
    assert (dinner.start_time, dinner.duration_minutes) == (time(18, 0), 150)
    assert (dinner.cost_cents, dinner.capacity, dinner.audience) == (300, 40, "everyone")
    assert set(dinner.languages.values_list("code", flat=True)) == {"nl", "ar", "tr"}
    assert dinner.start_date.weekday() == 4
    assert (dinner.start_date + timedelta(days=7)).month != dinner.start_date.month
    assert 330 <= (timezone.localdate() - dinner.start_date).days <= 365
    assert dinner.until is None
    assert permissions.can_organise(person("fatima").memberships.get(), dinner)


def test_the_weekly_coffee_runs_since_a_year_on_wednesday_and_is_free(demo):
    coffee = Activity.objects.get(neighbourhood=demo, initiative__title=ede_zuid.COFFEE)
    assert coffee.rrule == "FREQ=WEEKLY;BYDAY=WE"
    assert (coffee.start_time, coffee.duration_minutes) == (time(10, 0), 90)
    assert (coffee.cost_cents, coffee.capacity, coffee.audience) == (0, None, "everyone")
    assert coffee.start_date.weekday() == 2
    assert 358 <= (timezone.localdate() - coffee.start_date).days <= 365
    assert permissions.can_organise(person("joke").memberships.get(), coffee)
    assert not permissions.can_organise(person("daan").memberships.get(), coffee)


@pytest.mark.parametrize("title", [ede_zuid.DINNER, ede_zuid.COFFEE])
def test_neighbours_are_coming_to_the_next_time(demo, title):
    activity = Activity.objects.get(neighbourhood=demo, initiative__title=title)
    starts = set(Rsvp.objects.filter(activity=activity).values_list("occurrence_start", flat=True))
    assert len(starts) == 1
    start = starts.pop()
    assert start > timezone.now()
    assert start - timezone.now() <= timedelta(days=31 if title == ede_zuid.DINNER else 7)
    occurrence = occurrence_at(activity, start)
    assert occurrence is not None and not occurrence.cancelled
    assert not Rsvp.objects.filter(activity=activity, waitlisted=True).exists()
    assert Rsvp.objects.filter(activity=activity, status="going").count() >= 5


def test_the_cooks_see_what_the_next_dinner_guests_eat(demo):
    dinner = Activity.objects.get(neighbourhood=demo, initiative__title=ede_zuid.DINNER)
    start = Rsvp.objects.filter(activity=dinner).values_list("occurrence_start", flat=True)[0]
    summary = selectors.dietary_summary(dinner, start)
    assert summary["people"] <= dinner.capacity
    assert summary["halal"] > summary["vegetarian"] > 0
    assert {a["text"] for a in summary["allergies"]} >= {"noten"}


def test_daan_finds_both_series_on_his_agenda(client, demo):
    daan = person("daan")
    assert not Rsvp.objects.filter(user=daan).exists()
    client.force_login(daan)
    response = client.get(reverse("activities:agenda", args=[demo.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Samen koken en eten" in page
    # The weekly coffee morning, at least twice in the two weeks the list shows.
    assert page.count("Koffieochtend") >= 2


def test_a_demo_loaded_before_the_agenda_gains_it_once(demo):
    before = counts()
    Activity.objects.filter(neighbourhood=demo).delete()
    Place.objects.filter(neighbourhood=demo).delete()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "Added de Elskamp's meeting place" in out.getvalue()
    assert counts() == before
    call_command("demo", stdout=StringIO())
    assert counts() == before


def test_a_year_of_attendance_shows_the_dinner_growing(demo):
    from buurtnet.activities.models import Attendance

    dinner = Activity.objects.get(neighbourhood=demo, initiative__title=ede_zuid.DINNER)
    coffee = Activity.objects.get(neighbourhood=demo, initiative__title=ede_zuid.COFFEE)
    now = timezone.now()
    dinners = list(Attendance.objects.filter(activity=dinner).order_by("occurrence_start"))
    assert len(dinners) == 12
    assert all(a.occurrence_start < now for a in dinners)
    assert all(occurrence_at(dinner, a.occurrence_start) is not None for a in dinners)
    assert dinners[-1].came > dinners[0].came
    assert dinners[-1].came <= dinner.capacity
    coffees = Attendance.objects.filter(activity=coffee)
    assert 50 <= coffees.count() <= 53
    assert all(occurrence_at(coffee, a.occurrence_start) is not None for a in coffees)
    assert all(a.occurrence_start > now - timedelta(days=366) for a in coffees)


def test_the_next_dinner_has_its_tasks_partly_taken(demo):
    from buurtnet.activities.reminders import open_tasks

    dinner = Activity.objects.get(neighbourhood=demo, initiative__title=ede_zuid.DINNER)
    start = ede_zuid._next_start(dinner, timezone.now())
    still_open = {task.kind: hands for task, hands in open_tasks(occurrence_at(dinner, start))}
    assert still_open == {
        "shopping": 1,
        "cooking": 1,
        "setting_up": 1,
        "welcoming": 1,
        "cleaning_up": 3,
    }


def test_the_series_hold_the_meeting_room_on_their_coming_dates(demo):
    from buurtnet.activities.models import Booking

    room = Place.objects.get(neighbourhood=demo, name="Ontmoetingsruimte de Elskamp")
    held = Booking.objects.filter(place=room, activity__isnull=False, status="approved")
    assert 60 <= held.count() <= 70
    assert not held.filter(starts_at__lt=timezone.now()).exists()


def test_the_meeting_rooms_key_list_is_kept(demo):
    from buurtnet.activities.models import PlaceKey

    room = Place.objects.get(neighbourhood=demo, name="Ontmoetingsruimte de Elskamp")
    holders = {k.holder.email.partition("@")[0] for k in PlaceKey.objects.filter(place=room)}
    assert holders == {"fatima", "youssef", "joke"}
