"""Fixtures for sharing between neighbours, on top of the personas (tests/conftest.py).

Ede-Zuid has two flats: de Elskamp (fatima, priya, daan and henk the host live there) and
de Vlinder (yusuf and bram). anna is a professional (registered at de Elskamp, as every
persona is), olga lives in another neighbourhood, and fatima blocked bram (a block works both
ways).
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from buurtnet.neighbourhoods.models import Membership
from buurtnet.people.models import Block
from tests.factories import (
    BuildingFactory,
    HomeFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)


@dataclass
class Sharing:
    ede: object
    other: object
    elskamp: object
    vlinder: object
    fatima: object
    priya: object
    daan: object
    henk: object
    anna: object
    olga: object
    yusuf: object
    bram: object


@pytest.fixture
def sharing(personas) -> Sharing:
    vlinder = BuildingFactory(neighbourhood=personas.ede, name="de Vlinder")

    def resident(name: str):
        user = UserFactory(
            email=f"{name}@example.org", display_name=name.capitalize(), preferred_language="en"
        )
        MembershipFactory(
            user=user,
            neighbourhood=personas.ede,
            role="resident",
            building=vlinder,
            home=HomeFactory(building=vlinder),
        )
        return user

    yusuf = resident("yusuf")
    bram = resident("bram")
    Block.objects.create(blocker=personas.fatima, blocked=bram)
    return Sharing(
        ede=personas.ede,
        other=personas.other,
        elskamp=personas.elskamp,
        vlinder=vlinder,
        fatima=personas.fatima,
        priya=personas.priya,
        daan=personas.daan,
        henk=personas.henk,
        anna=personas.anna,
        olga=personas.olga,
        yusuf=yusuf,
        bram=bram,
    )


@pytest.fixture
def membership_of(sharing):
    """A member's membership as views have it (Ede-Zuid unless told otherwise)."""

    def get(user, neighbourhood=None) -> Membership:
        return Membership.objects.select_related("neighbourhood", "building", "organisation").get(
            user=user, neighbourhood=neighbourhood or sharing.ede
        )

    return get


@pytest.fixture
def make_post(sharing, membership_of):
    """An open ask in Ede-Zuid, in English, about the author's own flat (override anything)."""

    def make(author=None, **fields):
        author = author or sharing.fatima
        fields.setdefault("building", membership_of(author).building)
        fields.setdefault("language", "en")
        return PostFactory(neighbourhood=sharing.ede, author=author, **fields)

    return make


@pytest.fixture
def share_url(sharing):
    """Reverse a sharing URL in Ede-Zuid: share_url("post", post.pk)."""

    def build(name: str, *args, neighbourhood=None) -> str:
        return reverse(f"sharing:{name}", args=[(neighbourhood or sharing.ede).slug, *args])

    return build
