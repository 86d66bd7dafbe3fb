import time
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from buurtnet.cli import DEMO_LOGINS, DEMO_PASSWORD
from buurtnet.demo import ede_zuid
from buurtnet.funding.models import BoardSeat
from buurtnet.initiatives.models import (
    Initiative,
    OfferStatus,
    ParticipantRole,
    ParticipationStatus,
)
from buurtnet.neighbourhoods.models import Building, Home, Membership, Neighbourhood, Role
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Notification
from buurtnet.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=StringIO())
    return Neighbourhood.objects.get(slug="ede-zuid")


def counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions", "axes", "django_tasks_db")
    }


def test_it_loads_ede_zuid_in_a_few_seconds():
    started = time.monotonic()
    out = StringIO()
    call_command("demo", stdout=out)
    assert time.monotonic() - started < 5
    ede = Neighbourhood.objects.get(slug="ede-zuid")
    assert (ede.name, ede.municipality) == ("Ede-Zuid", "Ede")
    assert ede.motto == "Hoogbouw Ede-Zuid, deel ik met mijn buren!"
    assert "40" in ede.description and "Elskamp" in ede.description
    assert {"nl", "ar", "tr", "so", "ti", "pl", "en", "fa"} <= set(
        ede.languages.values_list("code", flat=True)
    )
    assert "Loaded the Ede-Zuid demo" in out.getvalue()


def test_it_has_eight_flats_with_about_900_homes(demo):
    names = set(Building.objects.filter(neighbourhood=demo).values_list("name", flat=True))
    assert len(names) == 8
    assert "de Elskamp" in names
    assert Home.objects.filter(building__neighbourhood=demo).count() == 900


def test_residents_are_varied_and_chose_what_they_show(demo):
    residents = User.objects.filter(
        memberships__neighbourhood=demo, memberships__role__in=[Role.RESIDENT, Role.HOST]
    )
    assert 55 <= residents.count() <= 70
    assert residents.values("languages").distinct().count() >= 20
    assert residents.filter(talents__isnull=True).count() == 0
    assert residents.filter(preferred_language="en").count() >= 3
    assert residents.filter(preferred_language="nl").count() > residents.count() // 2
    assert residents.filter(show_photo=False).exists()
    assert residents.filter(show_building=False).exists()
    assert residents.filter(listed_in_directory=False).exists()
    assert residents.exclude(passions="").count() > 50
    memberships = Membership.objects.filter(neighbourhood=demo, role__in=[Role.RESIDENT, Role.HOST])
    assert not memberships.filter(building__isnull=True).exists()
    assert not memberships.filter(home__isnull=True).exists()
    assert memberships.filter(role=Role.HOST).count() >= 2


def test_invite_codes_are_out_some_used_and_one_revoked(demo):
    codes = demo.invite_codes.all()
    assert codes.filter(uses__isnull=False).distinct().count() >= 10
    assert codes.filter(uses__isnull=True, revoked_at__isnull=True).count() >= 10
    assert codes.filter(revoked_at__isnull=False).count() == 1
    assert not codes.filter(revoked_at__isnull=False, uses__isnull=False).exists()


def test_the_five_partners_are_there_with_the_wijkteam_as_first_point_of_contact(demo):
    partners = {o.name: o for o in demo.organisations.all()}
    assert {name: o.kind for name, o in partners.items()} == {
        "Gemeente Ede": "municipality",
        "Wijkteam Ede-Zuid": "neighbourhood_team",
        "Politie Ede": "police",
        "Woonstede": "housing",
        "Stichting Vrienden van de Hoogbouw": "foundation",
    }
    assert [o.name for o in partners.values() if o.is_first_point_of_contact] == [
        "Wijkteam Ede-Zuid"
    ]
    for organisation in partners.values():
        assert organisation.description and organisation.goals
        assert organisation.professionals.filter(role=Role.PROFESSIONAL).exists()


@pytest.mark.parametrize("title", ede_zuid.SEED_INITIATIVES)
def test_the_seed_initiatives_have_people_needs_support_and_updates(demo, title):
    initiative = Initiative.objects.get(neighbourhood=demo, title=title)
    people = initiative.participations.all()
    assert people.filter(role=ParticipantRole.INITIATOR).exists()
    joined = people.filter(role=ParticipantRole.PARTICIPANT, status=ParticipationStatus.ACCEPTED)
    assert joined.count() >= 3
    assert joined.exclude(brings="").exists()
    assert initiative.needs.filter(is_met=False).exists()
    assert initiative.needs.filter(is_met=True).exists()
    assert initiative.support_offers.filter(status=OfferStatus.ACCEPTED).exists()
    assert initiative.updates.exists()
    assert initiative.created_by == people.filter(role=ParticipantRole.INITIATOR).first().user


def test_the_shared_dinner_has_a_learning_a_pending_offer_and_a_pending_neighbour(demo):
    dinner = Initiative.objects.get(neighbourhood=demo, title="Samen koken en eten")
    assert dinner.learnings.exists()
    assert dinner.support_offers.filter(status=OfferStatus.PENDING).count() == 1
    assert dinner.participations.filter(status=ParticipationStatus.PENDING).count() == 1


def test_smaller_initiatives_show_other_stages(demo):
    statuses = set(Initiative.objects.filter(neighbourhood=demo).values_list("status", flat=True))
    assert {"idea", "paused", "starting", "structural"} <= statuses


@pytest.mark.parametrize(("role", "email"), DEMO_LOGINS)
def test_the_demo_logins_can_log_in(client, demo, role, email):
    response = client.post("/accounts/login/", {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_other_demo_people_cannot_log_in(client, demo):
    response = client.post(
        "/accounts/login/", {"username": "joke@demo.buurtnet.nl", "password": DEMO_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code != 302


def test_the_demo_logins_play_their_roles(demo):
    daan, fatima, henk, anna, sami, willem = (
        User.objects.get(email=email) for _, email in DEMO_LOGINS
    )
    assert daan.memberships.get().role == Role.RESIDENT
    assert not daan.participations.exists()
    assert {"cooking", "diy"} <= set(daan.talents.values_list("slug", flat=True))
    open_needs = Initiative.objects.filter(
        neighbourhood=demo, needs__is_met=False, needs__talent__slug__in=["cooking", "diy"]
    )
    assert open_needs.distinct().count() >= 2
    assert fatima.participations.get(initiative__title="Samen koken en eten").role == "initiator"
    assert henk.memberships.get().role == Role.HOST
    anna_membership = anna.memberships.get()
    assert anna_membership.role == Role.PROFESSIONAL
    assert anna_membership.organisation.name == "Wijkteam Ede-Zuid"
    seats = {seat.user: seat.role for seat in BoardSeat.objects.filter(ended_at__isnull=True)}
    assert (seats[sami], seats[willem]) == ("chair", "treasurer")
    assert sami.memberships.get().is_resident and willem.memberships.get().is_resident


def test_the_wijkteam_answers_questions(demo):
    wijkteam = demo.organisations.get(slug="wijkteam")
    statuses = set(wijkteam.conversations.values_list("status", flat=True))
    assert statuses == {"answered", "open"}
    for conversation in wijkteam.conversations.filter(status="answered"):
        authors = [m.author for m in conversation.messages.all()]
        assert authors[0] == conversation.started_by
        assert authors[-1].memberships.get().organisation == wijkteam


def test_every_demo_notification_reads_well(demo):
    recipients = {n.recipient.email for n in Notification.objects.select_related("recipient")}
    assert {email for _, email in DEMO_LOGINS} <= recipients
    for notification in Notification.objects.select_related("actor"):
        text = notification_text(notification)
        assert "%(" not in text
        assert notification.url.startswith("/n/ede-zuid/")


def test_running_it_twice_changes_nothing(demo):
    before = counts()
    out = StringIO()
    call_command("demo", stdout=out)
    assert counts() == before
    assert "already loaded" in out.getvalue()


def test_reset_loads_it_afresh_without_duplicates(demo):
    before = counts()
    daan = User.objects.get(email="daan@demo.buurtnet.nl")
    call_command("demo", "--reset", stdout=StringIO())
    assert counts() == before
    assert not User.objects.filter(pk=daan.pk).exists()


def test_it_leaves_other_neighbourhoods_alone(personas):
    call_command("demo", "--reset", stdout=StringIO())
    assert Neighbourhood.objects.filter(slug="elders").exists()
    assert User.objects.filter(email="olga@example.org").exists()
