from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from buurtnet.conversations.models import Conversation
from buurtnet.initiatives.models import Initiative, Participation
from buurtnet.neighbourhoods.models import (
    Building,
    Home,
    InviteCode,
    Membership,
    Neighbourhood,
    Organisation,
)
from buurtnet.people.models import User
from buurtnet.sharing.models import Loan, Post

PASSWORD = "correct-horse-battery"  # noqa: S105


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    preferred_language = "nl"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class NeighbourhoodFactory(DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"buurt-{n}")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    municipality = "Ede"


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"Flat {n}")


class HomeFactory(DjangoModelFactory):
    class Meta:
        model = Home

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: str(n + 1))


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "other"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    role = "resident"


class InviteCodeFactory(DjangoModelFactory):
    class Meta:
        model = InviteCode

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    home = factory.SubFactory(
        HomeFactory, building__neighbourhood=factory.SelfAttribute("...neighbourhood")
    )
    max_uses = 2


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    wish = "That neighbours get to know each other."
    status = "active"
    visibility = "public"


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory)
    role = "participant"
    status = "accepted"


class PostFactory(DjangoModelFactory):
    """An open ask for the whole neighbourhood (pass its author and neighbourhood)."""

    class Meta:
        model = Post

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    author = factory.SubFactory(UserFactory)
    side = "ask"
    kind = "skill"
    title = factory.Sequence(lambda n: f"Wie helpt mij met een brief {n}?")
    body = "Ik krijg een brief van de gemeente en begrijp hem niet goed."
    language = "nl"
    audience = "neighbourhood"


class LoanFactory(DjangoModelFactory):
    class Meta:
        model = Loan

    post = factory.SubFactory(PostFactory, side="offer", kind="borrow", title="Ladder")
    borrower = factory.SubFactory(UserFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=1))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=2))


class ConversationFactory(DjangoModelFactory):
    """A private conversation (no organisation); add Participant rows for who takes part."""

    class Meta:
        model = Conversation

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    started_by = factory.SubFactory(UserFactory)
    subject = "Over de ladder"
