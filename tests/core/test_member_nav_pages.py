"""A member's own pages keep the menu of their neighbourhood.

The profile (and its password pages), the notifications and the emails settings, and the
calendar page have no neighbourhood in their address. They show the menu of the neighbourhood
the member came from: `?n=<slug>`, the page that linked there, the one shown last, or the one
the member joined last.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.notifications.helpers import make_notification

PAGES = [
    reverse("profile"),
    reverse("password_change"),
    reverse("password_change_done"),
    reverse("notifications:list"),
    reverse("notifications:email_settings"),
    reverse("activities:my_calendar"),
]


def menu_of(response) -> str | None:
    """The slug of the neighbourhood whose menu the page shows, or None without one."""
    assert response.status_code == 200
    html = response.content.decode()
    nav = re.search(
        r'<nav class="wrap main-nav" aria-label="Neighbourhood">(.*?)</nav>', html, re.S
    )
    if nav is None:
        return None
    (slug,) = set(re.findall(r'href="/n/([^/"]+)/', nav.group(1)))
    return slug


@pytest.fixture
def daan_in_two(personas):
    """Daan lives in Ede-Zuid and, since later, also belongs to Elders."""
    MembershipFactory(user=personas.daan, neighbourhood=personas.other, role="resident")
    return personas.daan


@pytest.mark.parametrize("url", PAGES)
def test_each_page_shows_the_members_neighbourhood_menu(as_user, personas, url):
    response = as_user(personas.daan).get(url)

    assert menu_of(response) == "ede-zuid"
    assert response.context["neighbourhood"] == personas.ede
    assert response.context["membership"].user == personas.daan
    html = response.content.decode()
    assert f'href="{reverse("front:member_home", args=["ede-zuid"])}"' in html
    assert "Ede-Zuid" in html


@pytest.mark.parametrize("url", PAGES)
def test_the_menu_follows_the_members_role(as_user, personas, url):
    hosts = reverse("neighbourhoods:host", args=["ede-zuid"])

    assert hosts in as_user(personas.henk).get(url).content.decode()
    assert hosts not in as_user(personas.daan).get(url).content.decode()


def test_a_member_of_another_neighbourhood_sees_theirs(as_user, personas):
    assert menu_of(as_user(personas.olga).get(reverse("profile"))) == "elders"


def test_someone_without_a_neighbourhood_sees_no_menu(as_user, db):
    loner = UserFactory(email="loner@example.org", preferred_language="en")
    for url in PAGES:
        assert menu_of(as_user(loner).get(url)) is None


def test_with_two_neighbourhoods_it_is_the_one_they_came_from(as_user, personas, daan_in_two):
    client = as_user(daan_in_two)
    profile = reverse("profile")
    notifications = reverse("notifications:list")

    # Nothing says which: the one joined last.
    assert menu_of(client.get(profile)) == "elders"
    # Named in the address.
    assert menu_of(client.get(profile, {"n": "ede-zuid"})) == "ede-zuid"
    # Then kept: the next page without a hint shows the same.
    assert menu_of(client.get(notifications)) == "ede-zuid"
    # Coming from a page of the other neighbourhood.
    elders_agenda = "http://testserver" + reverse("activities:agenda", args=["elders"])
    assert menu_of(client.get(notifications, headers={"referer": elders_agenda})) == "elders"
    assert menu_of(client.get(reverse("activities:my_calendar"))) == "elders"
    # A page from the profile itself (no neighbourhood in it) keeps the last one.
    here = "http://testserver" + profile
    assert menu_of(client.get(notifications, headers={"referer": here})) == "elders"


@pytest.mark.parametrize(
    "hint",
    [
        {"n": "elders"},  # not Daan's
        {"n": "nergens"},
        {"n": "../admin"},
        {"n": ""},
        {"n": "x" * 500},
    ],
)
def test_a_neighbourhood_one_does_not_belong_to_is_ignored(as_user, personas, hint):
    assert menu_of(as_user(personas.daan).get(reverse("profile"), hint)) == "ede-zuid"


def test_a_referer_from_another_site_is_ignored(as_user, personas, daan_in_two):
    client = as_user(daan_in_two)
    client.get(reverse("profile"), {"n": "ede-zuid"})

    response = client.get(
        reverse("profile"), headers={"referer": "https://evil.example/n/elders/home/"}
    )

    assert menu_of(response) == "ede-zuid"


def test_a_membership_that_ended_is_not_shown(as_user, personas, daan_in_two):
    client = as_user(daan_in_two)
    assert menu_of(client.get(reverse("profile"), {"n": "elders"})) == "elders"

    daan_in_two.memberships.filter(neighbourhood=personas.other).delete()

    assert menu_of(client.get(reverse("profile"))) == "ede-zuid"


def test_the_htmx_parts_carry_no_menu(as_user, personas):
    client = as_user(personas.daan)
    make_notification(personas.daan)

    response = client.post(reverse("notifications:mark_all_read"), headers={"hx-request": "true"})

    assert response.status_code == 200
    assert 'class="wrap main-nav"' not in response.content.decode()


def _membership_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "neighbourhoods_membership" in q["sql"]]


@pytest.mark.parametrize("url", PAGES)
def test_once_known_the_menu_costs_no_query(as_user, personas, url):
    client = as_user(personas.daan)
    # The first visits name the neighbourhood, find the membership and keep it (per person).
    client.get(reverse("profile"), {"n": "ede-zuid"})
    client.get(reverse("profile"))

    assert _membership_queries(client, url) == []


def test_the_list_still_takes_a_fixed_number_of_queries(as_user, personas):
    def queries_for(user, count: int) -> int:
        for _ in range(count):
            make_notification(user)
        client = as_user(user)
        client.get(reverse("notifications:list"))  # the membership is known from here on
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notifications:list")).status_code == 200
        return len(queries)

    assert queries_for(personas.fatima, 2) == queries_for(personas.priya, 30)


def test_the_shared_menu_holds_nothing_of_the_member(as_user, personas):
    """The menu is kept per neighbourhood, role and language; whoever fills it first, the next
    member of the same role gets the same one, without the first one's name or address."""
    as_user(personas.fatima).get(reverse("profile"))

    response = as_user(personas.daan).get(reverse("notifications:list"))

    nav = re.search(r'<nav class="wrap main-nav".*?</nav>', response.content.decode(), re.S)
    assert nav is not None
    for personal in ("Fatima", "fatima@", "Daan", "daan@"):
        assert personal not in nav.group(0)
