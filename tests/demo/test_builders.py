import random

import pytest
from django.db.models import Count, F

from buurtnet.demo.builders import neighbourhood_build, vocabulary_load
from buurtnet.initiatives.models import Initiative, Participation, SupportOffer
from buurtnet.neighbourhoods.models import Home, Membership, Role
from buurtnet.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    return neighbourhood_build(
        slug="bench-0001",
        name="Bench 1",
        buildings=3,
        homes=60,
        members=90,
        initiatives=6,
        rng=random.Random(1),
    )


def test_it_builds_the_requested_shape(built):
    assert built.buildings.count() == 3
    assert Home.objects.filter(building__neighbourhood=built).count() == 60
    memberships = Membership.objects.filter(neighbourhood=built)
    assert memberships.filter(role__in=[Role.RESIDENT, Role.HOST]).count() == 90
    assert memberships.filter(role=Role.HOST).exists()
    assert Initiative.objects.filter(neighbourhood=built).count() == 6


def test_residents_live_in_its_own_flats_in_small_households(built):
    residents = Membership.objects.filter(neighbourhood=built, role__in=[Role.RESIDENT, Role.HOST])
    assert not residents.exclude(home__building__neighbourhood=built).exists()
    assert not residents.exclude(building=F("home__building")).exists()
    biggest = residents.values("home").annotate(n=Count("id")).order_by("-n").first()["n"]
    assert biggest <= 2
    invited = residents.filter(invite__isnull=False)
    assert invited.exists()
    assert not invited.exclude(invite__home=F("home")).exists()


def test_the_neighbourhood_team_is_the_one_first_point_of_contact(built):
    assert list(
        built.organisations.filter(is_first_point_of_contact=True).values_list("kind", flat=True)
    ) == ["neighbourhood_team"]
    assert Membership.objects.filter(neighbourhood=built, role=Role.PROFESSIONAL).count() == 10


def test_every_initiative_is_led_by_residents_of_the_neighbourhood(built):
    for initiative in Initiative.objects.filter(neighbourhood=built):
        initiators = initiative.participations.filter(role="initiator")
        assert initiators.exists()
        assert not initiators.exclude(status="accepted").exists()
        assert initiative.created_by_id in set(initiators.values_list("user_id", flat=True))
    people = Participation.objects.filter(initiative__neighbourhood=built).values("user")
    assert (
        not Membership.objects.filter(user__in=people)
        .exclude(neighbourhood=built, role__in=[Role.RESIDENT, Role.HOST])
        .exists()
    )


def test_support_comes_from_the_neighbourhoods_own_partners(built):
    offers = SupportOffer.objects.filter(initiative__neighbourhood=built)
    assert not offers.exclude(organisation__neighbourhood=built).exists()
    assert not offers.exclude(offered_by__memberships__organisation=F("organisation")).exists()


def test_two_neighbourhoods_do_not_collide(built):
    vocabulary = vocabulary_load()
    second = neighbourhood_build(
        slug="bench-0002",
        name="Bench 2",
        buildings=2,
        homes=20,
        members=30,
        initiatives=2,
        vocabulary=vocabulary,
    )
    assert User.objects.filter(memberships__neighbourhood=second).count() == 30 + 10
    assert (
        not User.objects.filter(memberships__neighbourhood=built)
        .filter(memberships__neighbourhood=second)
        .exists()
    )


def test_invented_people_cannot_log_in(built):
    assert not any(u.has_usable_password() for u in User.objects.all())


def test_each_initiative_gets_series_and_single_events_that_the_planner_would_accept(built):
    from buurtnet.activities.models import Activity, Rsvp
    from buurtnet.activities.services.organise import _validate_schedule

    activities = Activity.objects.filter(neighbourhood=built).select_related("neighbourhood")
    assert activities.exclude(rrule="").count() == 12
    assert activities.filter(rrule="").count() == 18
    for activity in activities:
        _validate_schedule(activity)  # the first date is one its own rule gives
    assert Rsvp.objects.filter(activity__neighbourhood=built).exists()
