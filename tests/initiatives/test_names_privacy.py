"""How an initiative names its people: on board by name, linked to a profile only when listed,
the flat only when its owner shows it, and nobody offered to share the lead who is neither
listed nor on board.

The people are described in tests/hidden_people.py; the rules in buurtnet/neighbourhoods/names.py.
"""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from buurtnet.initiatives import services
from buurtnet.initiatives.models import Need, Participation
from buurtnet.neighbourhoods.models import Membership
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Notification
from tests.factories import MembershipFactory, ParticipationFactory, UserFactory
from tests.hidden_people import HIDDEN_FLAT, SHOWN_FLAT, hide, no_door_in, options, profile_link


@pytest.fixture
def hidden(personas):
    return hide(personas)


def on_board(personas, *people):
    for person in people:
        ParticipationFactory(initiative=personas.initiative, user=person)


def fatima(personas) -> Membership:
    return Membership.objects.select_related("neighbourhood").get(user=personas.fatima)


def test_people_on_board_are_named_and_linked_only_when_listed(as_user, personas, url, hidden):
    on_board(personas, hidden.flat_hidden, hidden.unlisted)

    page = as_user(personas.daan).get(url("detail")).text.replace("<bdi>", "").replace("</bdi>", "")

    assert "Verstopt" in page and "Onvindbaar" in page
    assert profile_link(hidden.flat_hidden) in page
    assert profile_link(hidden.unlisted) not in page
    assert HIDDEN_FLAT not in page and SHOWN_FLAT not in page
    assert no_door_in(page)


def test_initiators_see_who_asks_to_join_without_flats(
    as_user, personas, url, hidden, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_join(
            membership=hidden.unlisted.memberships.get(),
            initiative=personas.initiative,
            brings="A van",
        )

    page = (
        as_user(personas.fatima).get(url("manage")).text.replace("<bdi>", "").replace("</bdi>", "")
    )
    notification = Notification.objects.get(recipient=personas.fatima)
    [email] = [m for m in mail.outbox if m.to == [personas.fatima.email]]

    assert "Welcome Onvindbaar on board" in page
    for words in (page, notification_text(notification), email.body):
        assert "Onvindbaar" in words
        assert SHOWN_FLAT not in words
        assert profile_link(hidden.unlisted) not in words
        assert no_door_in(words)


def test_the_co_initiator_chooser_shows_a_flat_only_when_its_owner_does(
    as_user, personas, url, hidden
):
    page = (
        as_user(personas.fatima).get(url("manage")).text.replace("<bdi>", "").replace("</bdi>", "")
    )

    offered = options(page, "user")
    assert "Daan (de Elskamp)" in offered
    assert "Verstopt" in offered
    assert HIDDEN_FLAT not in page
    assert "Onvindbaar" not in page
    assert no_door_in(page)


def test_an_unlisted_neighbour_on_board_is_offered_with_the_flat_he_shows(
    as_user, personas, url, hidden
):
    on_board(personas, hidden.unlisted)

    offered = options(as_user(personas.fatima).get(url("manage")).text, "user")

    assert f"Onvindbaar ({SHOWN_FLAT})" in offered


def test_the_co_initiator_chooser_costs_the_same_queries_however_many_neighbours(
    as_user, personas, url
):
    client = as_user(personas.fatima)
    client.get(url("manage"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("manage"))
    for number in range(6):
        user = UserFactory(display_name=f"Buur {number}", show_building=number % 2 == 0)
        MembershipFactory(user=user, neighbourhood=personas.ede, building=personas.elskamp)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("manage")).text.replace("<bdi>", "").replace("</bdi>", "")

    assert len(many) == len(few)
    offered = options(page, "user")
    assert "Buur 0 (de Elskamp)" in offered
    assert "Buur 1" in offered


def test_the_need_met_chooser_names_people_on_board_without_flats(as_user, personas, url, hidden):
    on_board(personas, hidden.flat_hidden)
    need = Need.objects.create(initiative=personas.initiative, kind="hands", description="Dishes")

    page = (
        as_user(personas.fatima).get(url("manage")).text.replace("<bdi>", "").replace("</bdi>", "")
    )

    offered = options(page, f"need-{need.pk}-who")
    assert "Verstopt" in offered
    assert "Onvindbaar" not in offered
    assert HIDDEN_FLAT not in page


def test_updates_and_met_needs_name_their_people_without_flats(as_user, personas, url, hidden):
    on_board(personas, hidden.flat_hidden, hidden.unlisted)
    services.update_post(
        membership=hidden.flat_hidden.memberships.get(),
        initiative=personas.initiative,
        body="Forty people came!",
    )
    need = Need.objects.create(initiative=personas.initiative, kind="hands", description="Dishes")
    services.need_mark_met(membership=fatima(personas), need=need, met_by=hidden.unlisted)

    page = as_user(personas.daan).get(url("detail")).text.replace("<bdi>", "").replace("</bdi>", "")

    assert "thanks to Onvindbaar" in page
    assert "Verstopt" in page
    assert HIDDEN_FLAT not in page and SHOWN_FLAT not in page
    assert no_door_in(page)
    assert Participation.objects.filter(user=hidden.unlisted).exists()
