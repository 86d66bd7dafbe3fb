"""Two neighbours take the last free hand of a task at the same moment: one gets it."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from buurtnet.activities.models import TaskSignup
from buurtnet.activities.services import helping as services
from tests.activities.conftest import local
from tests.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
    pytest.mark.django_db(transaction=True),
]

MARCH = local(2027, 3, 26, 18)


@pytest.fixture(autouse=True)
def slow_counting(monkeypatch):
    """Widen the window between counting the hands taken and writing the sign-up."""
    count = services._hands_taken

    def slow(*args, **kwargs):
        taken = count(*args, **kwargs)
        time.sleep(0.3)
        return taken

    monkeypatch.setattr(services, "_hands_taken", slow)


def test_simultaneous_signups_for_the_last_hand_take_it_once(personas, dinner):
    task = services.task_add(
        user=personas.fatima,
        activity=dinner,
        occurrence_start=MARCH,
        kind="cooking",
        hands_needed=2,
    )
    services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)
    people = []
    for name in ["Noor", "Joost"]:
        user = UserFactory(display_name=name)
        MembershipFactory(user=user, neighbourhood=personas.ede)
        people.append(user)
    barrier = threading.Barrier(len(people))
    refused: list[str] = []
    errors: list[BaseException] = []

    def sign_up(user) -> None:
        try:
            barrier.wait()
            services.task_signup(user=user, task=task, occurrence_start=MARCH)
        except ValidationError as exc:
            refused.append(exc.code)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert refused == ["full"]
    assert TaskSignup.objects.filter(task=task, occurrence_start=MARCH).count() == 2
