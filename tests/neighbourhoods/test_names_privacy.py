"""How the neighbourhood's own pages name members: the directory, profiles, questions and the
hosts' page. The flat only when its owner shows it, never a door to other residents, and nobody
found who is not in the member directory.

The people are described in tests/hidden_people.py; the rules in buurtnet/neighbourhoods/names.py.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from buurtnet.conversations import services as conversations
from buurtnet.neighbourhoods import services
from buurtnet.neighbourhoods.models import Building, Home
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Notification
from tests.factories import InviteCodeFactory
from tests.hidden_people import DOORS, HIDDEN_FLAT, SHOWN_FLAT, hide, no_door_in, profile_link
from tests.neighbourhoods.conftest import text


@pytest.fixture
def hidden(personas):
    return hide(personas)


def url(name: str, *args) -> str:
    return reverse(f"neighbourhoods:{name}", args=["ede-zuid", *args])


# The directory and its search ---------------------------------------------------------------------


def test_the_directory_lists_a_hidden_flat_member_without_her_flat(as_user, personas, hidden):
    page = text(as_user(personas.daan).get(url("directory")))

    assert "Verstopt" in page
    assert f"Lives in {HIDDEN_FLAT}" not in page
    assert "Lives in de Elskamp" in page
    assert no_door_in(page)


def test_the_directory_leaves_out_who_is_not_listed(as_user, personas, hidden):
    page = text(as_user(personas.henk).get(url("directory")))
    results = page.split('id="directory-results"', 1)[1]

    assert "Onvindbaar" not in results
    assert profile_link(hidden.unlisted) not in page


@pytest.mark.parametrize(
    ("query", "found"),
    [({"q": "Verst"}, True), ({"q": "Onvind"}, False)],
)
def test_searching_by_name_finds_only_listed_members(as_user, personas, hidden, query, found):
    page = text(as_user(personas.daan).get(url("directory"), query))
    results = page.split('id="directory-results"', 1)[1]

    assert ("Verstopt" in results) is found
    assert "Onvindbaar" not in results


@pytest.mark.parametrize(("flat", "name"), [(HIDDEN_FLAT, "Verstopt"), (SHOWN_FLAT, "Onvindbaar")])
def test_filtering_by_flat_does_not_give_away_who_lives_there(
    as_user, personas, hidden, flat, name
):
    building = Building.objects.get(neighbourhood=personas.ede, name=flat)

    page = text(as_user(personas.daan).get(url("directory"), {"building": building.pk}))
    results = page.split('id="directory-results"', 1)[1]

    assert name not in results


# Profiles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["daan", "henk", "anna"])
def test_a_profile_hides_the_flat_its_owner_hides(as_user, personas, hidden, viewer):
    page = text(as_user(getattr(personas, viewer)).get(url("member", hidden.flat_hidden.pk)))

    assert "Verstopt" in page
    assert HIDDEN_FLAT not in page
    assert no_door_in(page)


@pytest.mark.parametrize("viewer", ["daan", "henk", "anna"])
def test_an_unlisted_member_has_no_profile_page_for_others(as_user, personas, hidden, viewer):
    response = as_user(getattr(personas, viewer)).get(url("member", hidden.unlisted.pk))

    assert response.status_code == 404
    assert "Onvindbaar" not in text(response)


def test_people_see_their_own_flat_and_page(as_user, personas, hidden):
    client = as_user(hidden.flat_hidden)

    own_page = text(client.get(url("member", hidden.flat_hidden.pk)))
    membership = text(client.get(url("my_membership")))

    assert "Verstopt" in own_page
    assert re.search(rf"<option [^>]*selected[^>]*>{HIDDEN_FLAT}<", membership)
    assert as_user(hidden.unlisted).get(url("member", hidden.unlisted.pk)).status_code == 200


def test_the_newest_neighbours_name_only_who_is_listed(as_user, personas, hidden):
    page = text(as_user(personas.daan).get(reverse("front:member_home", args=["ede-zuid"])))

    assert "Verstopt" in page
    assert "Onvindbaar" not in page
    assert HIDDEN_FLAT not in page and SHOWN_FLAT not in page
    assert no_door_in(page)


def test_a_partner_page_names_an_unlisted_professional_without_a_link(as_user, personas):
    personas.anna.listed_in_directory = False
    personas.anna.save()

    page = text(as_user(personas.daan).get(url("organisation", "wijkteam")))

    assert "Anna" in page
    assert profile_link(personas.anna) not in page
    assert "de Elskamp" not in page


# Questions to partners ----------------------------------------------------------------------------


def test_professionals_see_who_asked_but_not_their_flat(
    as_user, personas, hidden, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = conversations.question_ask(
            neighbourhood=personas.ede,
            user=hidden.unlisted,
            subject="A ramp for the entrance",
            body="My mother uses a wheelchair.",
        )
    conversations.message_send(conversation_id=question.pk, user=personas.anna, body="We'll ask.")
    client = as_user(personas.anna)

    pages = [
        text(client.get(reverse("conversations:questions", args=["ede-zuid"]))),
        text(client.get(reverse("conversations:detail", args=["ede-zuid", question.pk]))),
    ]
    notification = Notification.objects.get(recipient=personas.anna)
    [email] = [m for m in mail.outbox if m.to == [personas.anna.email]]

    assert "asked by Onvindbaar" in pages[0]
    assert "A question from Onvindbaar" in pages[1]
    for words in [*pages, notification_text(notification), email.body]:
        assert "Onvindbaar" in words
        assert SHOWN_FLAT not in words
        assert profile_link(hidden.unlisted) not in words
        assert no_door_in(words)


# The hosts' page ----------------------------------------------------------------------------------


def test_hosts_see_the_flat_a_newcomer_asks_to_join_with(as_user, personas):
    personas.olga.show_building = False
    personas.olga.listed_in_directory = False
    personas.olga.save()
    services.join_request_create(
        neighbourhood=personas.ede, user=personas.olga, building=personas.elskamp, message="Hi!"
    )

    page = text(as_user(personas.henk).get(url("host")))
    request_row = page.split('id="join-requests"', 1)[1].split("</ul>", 1)[0]

    # Hosts decide on the request: they need to know which flat the newcomer says is theirs.
    assert "Olga" in request_row
    assert "de Elskamp" in request_row


def test_hosts_see_doors_on_invite_codes_but_never_beside_a_name(as_user, personas, hidden):
    for door in DOORS:
        InviteCodeFactory(neighbourhood=personas.ede, home=Home.objects.get(number=door))
    client = as_user(personas.henk)

    page = text(client.get(url("host")))
    sheet = text(client.get(url("invites_print")))
    spreadsheet = client.get(url("invites_csv")).content.decode()

    for words in (page, sheet, spreadsheet):
        assert all(door in words for door in DOORS)
        assert "Verstopt" not in words and "Onvindbaar" not in words


@pytest.mark.parametrize("viewer", ["daan", "fatima", "anna"])
def test_residents_and_partners_never_reach_the_doors(as_user, personas, hidden, viewer):
    for door in DOORS:
        InviteCodeFactory(neighbourhood=personas.ede, home=Home.objects.get(number=door))
    client = as_user(getattr(personas, viewer))

    for name in ("host", "invites_print", "invites_csv"):
        response = client.get(url(name))
        assert response.status_code == 403
        assert no_door_in(response.content.decode())
