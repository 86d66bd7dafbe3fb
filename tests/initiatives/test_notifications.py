"""Who hears about what happens in an initiative (in the app, and by email after commit)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from buurtnet.initiatives import services
from buurtnet.notifications.models import Kind, Notification


@pytest.fixture
def co_initiator(personas, membership):
    services.initiator_add(
        membership=membership(personas.fatima, personas.ede),
        initiative=personas.initiative,
        user=personas.henk,
    )
    return personas.henk


def recipients(kind) -> set[str]:
    return {n.recipient.display_name for n in Notification.objects.filter(kind=kind)}


def test_a_join_request_notifies_every_initiator_and_nobody_else(
    personas, membership, co_initiator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_join(
            membership=membership(personas.daan, personas.ede), initiative=personas.initiative
        )
    assert recipients(Kind.INITIATIVE_JOINED) == {"Fatima", "Henk"}
    notification = Notification.objects.filter(kind=Kind.INITIATIVE_JOINED).first()
    assert notification.actor == personas.daan
    assert notification.params == {"initiative": "Samen eten"}
    assert notification.url == f"/n/ede-zuid/initiatives/{personas.initiative.pk}/manage/"
    assert sorted(m.to[0] for m in mail.outbox) == ["fatima@example.org", "henk@example.org"]


def test_accepting_a_joiner_notifies_them(personas, membership, joiner):
    services.participation_decide(
        membership=membership(personas.fatima, personas.ede), participation=joiner, accept=True
    )
    assert recipients(Kind.PARTICIPATION_ACCEPTED) == {"Joost"}


def test_declining_a_joiner_sends_no_notification(personas, membership, joiner):
    services.participation_decide(
        membership=membership(personas.fatima, personas.ede), participation=joiner, accept=False
    )
    assert not Notification.objects.filter(kind=Kind.PARTICIPATION_ACCEPTED).exists()


def test_a_support_offer_notifies_the_initiators_with_the_organisation(
    personas, membership, co_initiator
):
    services.support_offer_make(
        membership=membership(personas.anna, personas.ede),
        initiative=personas.initiative,
        kind="knowledge",
        message="We know who rents out cooking gear.",
    )
    assert recipients(Kind.SUPPORT_OFFERED) == {"Fatima", "Henk"}
    assert Notification.objects.filter(kind=Kind.SUPPORT_OFFERED).first().params == {
        "initiative": "Samen eten",
        "organisation": "Wijkteam Ede-Zuid",
    }


def test_accepting_an_offer_notifies_the_professional_who_made_it(
    personas, membership, pending_offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.support_offer_decide(
            membership=membership(personas.fatima, personas.ede), offer=pending_offer, accept=True
        )
    assert recipients(Kind.OFFER_ACCEPTED) == {"Sem"}
    assert [m.to for m in mail.outbox] == [["sem@example.org"]]


def test_declining_an_offer_sends_no_notification(personas, membership, pending_offer):
    services.support_offer_decide(
        membership=membership(personas.fatima, personas.ede), offer=pending_offer, accept=False
    )
    assert not Notification.objects.filter(kind=Kind.OFFER_ACCEPTED).exists()


def test_a_refused_join_notifies_nobody(personas, membership):
    with pytest.raises(PermissionDenied):
        services.initiative_join(
            membership=membership(personas.anna, personas.ede), initiative=personas.initiative
        )
    assert not Notification.objects.exists()
