"""Two neighbours of Ede-Zuid who keep things to themselves, for the tests of how members are
named (the rules are in buurtnet/neighbourhoods/names.py):

- Verstopt is in the member directory but hides her flat, "Verborgen Toren".
- Onvindbaar shows his flat, "Stille Hof", but is not in the member directory.

Their names, flats and doors are words that appear nowhere else, so a test can tell for certain
whether a page shows them.
"""

import re
from dataclasses import dataclass

from buurtnet.neighbourhoods.models import Membership
from buurtnet.people.models import User
from tests.factories import BuildingFactory, HomeFactory, MembershipFactory, UserFactory

HIDDEN_FLAT = "Verborgen Toren"
SHOWN_FLAT = "Stille Hof"
DOORS = ("DOOR-9901", "DOOR-9902")


@dataclass
class Hidden:
    flat_hidden: User
    unlisted: User

    def membership(self, user: User) -> Membership:
        return user.memberships.get()


def hide(personas) -> Hidden:
    """Add Verstopt and Onvindbaar to the personas' neighbourhood, each with a door of their own."""
    people = []
    for name, flat, door, shows_flat, listed in (
        ("Verstopt", HIDDEN_FLAT, DOORS[0], False, True),
        ("Onvindbaar", SHOWN_FLAT, DOORS[1], True, False),
    ):
        building = BuildingFactory(neighbourhood=personas.ede, name=flat)
        user = UserFactory(
            email=f"{name.lower()}@example.org",
            display_name=name,
            preferred_language="en",
            show_building=shows_flat,
            listed_in_directory=listed,
        )
        MembershipFactory(
            user=user,
            neighbourhood=personas.ede,
            building=building,
            home=HomeFactory(building=building, number=door),
        )
        people.append(user)
    return Hidden(*people)


def no_door_in(page: str) -> bool:
    return not any(door in page for door in DOORS)


def profile_link(user: User) -> str:
    return f"/n/ede-zuid/members/{user.pk}/"


def options(page: str, field: str) -> list[str]:
    """The labels of a <select name=field>'s options, as they read."""
    select = re.search(rf'<select name="{field}".*?</select>', page, re.S)
    assert select is not None, f"no chooser {field!r} on the page"
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select[0])]
