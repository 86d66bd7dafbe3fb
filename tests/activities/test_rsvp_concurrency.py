"""Two neighbours take the last place at the same moment: one gets it, the other waits."""

import threading
import time

import pytest
from django.db import connection, connections

from buurtnet.activities.models import Rsvp
from buurtnet.activities.services import rsvps as services
from tests.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def slow_counting(monkeypatch):
    """Widen the window between counting the free places and writing the answer."""
    count = services._seats_taken

    def slow(*args, **kwargs):
        seats = count(*args, **kwargs)
        time.sleep(0.3)
        return seats

    monkeypatch.setattr(services, "_seats_taken", slow)


def test_simultaneous_answers_for_the_last_place_seat_one(personas, coffee, first_coffee):
    services.rsvp_set(
        user=personas.daan,
        activity=coffee,
        occurrence_start=first_coffee,
        status="going",
        guests=2,
    )  # 3 of 4 places
    people = []
    for name in ["Noor", "Joost"]:
        user = UserFactory(display_name=name)
        MembershipFactory(user=user, neighbourhood=personas.ede)
        people.append(user)
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def answer(user) -> None:
        try:
            barrier.wait()
            services.rsvp_set(
                user=user, activity=coffee, occurrence_start=first_coffee, status="going"
            )
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    answers = Rsvp.objects.filter(user__in=people)
    assert sorted(a.waitlisted for a in answers) == [False, True]
