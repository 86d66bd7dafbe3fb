"""Places and activities of Ede-Zuid, built through the services as organisers would.

- room: "Huiskamer de Elskamp", a place run by fatima (assigned by henk, the host)
- dinner: "Samen eten", the last Friday of every month 18:00–20:30 from 29 January 2027
  (a fixed year, so the DST change of 28 March 2027 falls between two dinners)
- coffee: the keepers' weekly coffee, every Wednesday 10:00–11:30, starting next week,
  with room for 4 people
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from buurtnet.activities.models import localize
from buurtnet.activities.services.organise import activity_create
from buurtnet.activities.services.places import place_create, place_keeper_assign

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return localize(datetime(*args), AMSTERDAM)  # noqa: DTZ001 - wall-clock time, zoned here


def next_wednesday() -> date:
    """A Wednesday at least a week ahead, so every occurrence used in a test is still to come."""
    today = timezone.localdate()
    return today + timedelta(days=7 + (2 - today.weekday()) % 7)


@pytest.fixture
def room(personas):
    place = place_create(
        user=personas.henk,
        neighbourhood=personas.ede,
        name="Huiskamer de Elskamp",
        address="Elskamp 1, Ede",
        capacity=40,
        accessibility="Step-free entrance, lift to the first floor.",
    )
    place_keeper_assign(user=personas.henk, place=place, keeper=personas.fatima)
    return place


@pytest.fixture
def dinner(personas, room):
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        place=room,
        title="Samen eten",
        description="Cook and eat together.",
        start_date=date(2027, 1, 29),
        start_time=time(18, 0),
        duration_minutes=150,
        rrule="FREQ=MONTHLY;BYDAY=-1FR",
        cost_cents=300,
    )


@pytest.fixture
def coffee(personas, room):
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Koffieochtend",
        start_date=next_wednesday(),
        start_time=time(10, 0),
        duration_minutes=90,
        rrule="FREQ=WEEKLY;BYDAY=WE",
        capacity=4,
    )


@pytest.fixture
def first_coffee(coffee):
    return localize(datetime.combine(coffee.start_date, coffee.start_time), AMSTERDAM)
