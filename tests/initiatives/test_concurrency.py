"""What is sent twice at the same moment happens once: an answer, an offer, a start."""

import threading
import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from buurtnet.initiatives import services
from buurtnet.initiatives.models import Initiative, Participation, SupportOffer
from buurtnet.neighbourhoods.models import Membership
from buurtnet.notifications.models import Kind, Notification
from tests.initiatives.test_start_view import START, WISH, plan

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
    pytest.mark.django_db(transaction=True),
]


def race(decide, times: int = 2) -> list:
    """Run `decide` in parallel threads that start together; return what each raised (or None)."""
    barrier = threading.Barrier(times)
    outcomes: list = [None] * times

    def run(i: int) -> None:
        try:
            barrier.wait()
            decide(i)
        except ValidationError as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture(autouse=True)
def slow_decisions(monkeypatch):
    """Widen the window between reading a request's state and writing the answer."""

    class SlowClock:
        @staticmethod
        def now():
            time.sleep(0.3)
            return timezone.now()

    monkeypatch.setattr(services, "timezone", SlowClock)


@pytest.fixture
def two_initiators(personas):
    fatima = Membership.objects.get(user=personas.fatima, neighbourhood=personas.ede)
    services.initiator_add(membership=fatima, initiative=personas.initiative, user=personas.henk)
    henk = Membership.objects.get(user=personas.henk, neighbourhood=personas.ede)
    return [fatima, henk]


def test_simultaneous_answers_to_a_join_request_make_one_decision(personas, two_initiators, joiner):
    outcomes = race(
        lambda i: services.participation_decide(
            membership=two_initiators[i], participation=joiner, accept=True
        )
    )
    assert sorted(o is None for o in outcomes) == [False, True]
    assert Participation.objects.get(pk=joiner.pk).status == "accepted"
    assert Notification.objects.filter(kind=Kind.PARTICIPATION_ACCEPTED).count() == 1


def test_simultaneous_answers_to_an_offer_make_one_decision(
    personas, two_initiators, pending_offer
):
    outcomes = race(
        lambda i: services.support_offer_decide(
            membership=two_initiators[i], offer=pending_offer, accept=i == 0
        )
    )
    assert sorted(o is None for o in outcomes) == [False, True]
    status = SupportOffer.objects.get(pk=pending_offer.pk).status
    assert status in {"accepted", "declined"}
    notified = Notification.objects.filter(kind=Kind.OFFER_ACCEPTED).count()
    assert notified == (1 if status == "accepted" else 0)


def test_simultaneous_offers_of_one_organisation_make_one_offer(personas):
    anna = Membership.objects.select_related("organisation").get(
        user=personas.anna, neighbourhood=personas.ede
    )
    outcomes = race(
        lambda i: services.support_offer_make(
            membership=anna, initiative=personas.initiative, kind="help", message=f"Offer {i}"
        )
    )
    assert sorted(o is None for o in outcomes) == [False, True]
    assert SupportOffer.objects.filter(organisation=personas.wijkteam).count() == 1


def test_a_double_click_on_start_makes_one_initiative(personas):
    client = Client()
    client.force_login(personas.daan)
    client.post(START, WISH)
    client.post(START, plan())
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    responses: list = [None, None]

    def confirm(i: int) -> None:
        click = Client()
        click.cookies[settings.SESSION_COOKIE_NAME] = session
        responses[i] = click.post(START, {"step": "3", "action": "confirm", "visibility": "public"})

    race(confirm)
    initiative = Initiative.objects.get(created_by=personas.daan)
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {initiative.get_absolute_url()}
