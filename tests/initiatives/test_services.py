import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from buurtnet.initiatives import selectors, services
from buurtnet.initiatives.models import (
    Initiative,
    Need,
    Participation,
    SupportOffer,
    Theme,
    Update,
)
from buurtnet.people.models import Talent
from tests.factories import InitiativeFactory, MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    """Services speak the active language; these tests read them in English, whatever ran
    before them in the same thread."""
    with translation.override("en"):
        yield


@pytest.fixture
def m(personas, membership):
    """Memberships of the personas in Ede-Zuid (olga: in her own neighbourhood)."""

    class Members:
        fatima = membership(personas.fatima, personas.ede)
        priya = membership(personas.priya, personas.ede)
        daan = membership(personas.daan, personas.ede)
        henk = membership(personas.henk, personas.ede)
        anna = membership(personas.anna, personas.ede)
        sem = membership(personas.sem, personas.ede)
        olga = membership(personas.olga, personas.other)

    return Members


def cooking() -> Talent:
    return Talent.objects.get(slug="cooking")


# initiative_start ------------------------------------------------------------------------------


def test_starting_makes_the_resident_its_accepted_initiator(m, personas):
    themes = list(Theme.objects.filter(slug__in=["food", "meeting"]))
    initiative = services.initiative_start(
        membership=m.daan,
        title="  Repair café  ",
        wish="That nobody throws away a bike that can be fixed.",
        themes=themes,
        visibility="members",
        need_kind="talent",
        need_description="Someone who knows bikes",
        need_talent=Talent.objects.get(slug="bikes"),
    )
    assert initiative.title == "Repair café"
    assert initiative.status == "idea"
    assert initiative.neighbourhood == personas.ede
    assert initiative.visibility == "members"
    assert set(initiative.themes.all()) == set(themes)
    lead = Participation.objects.get(initiative=initiative, user=personas.daan)
    assert (lead.role, lead.status) == ("initiator", "accepted")
    need = initiative.needs.get()
    assert (need.kind, need.talent.slug) == ("talent", "bikes")


def test_a_host_can_start_an_initiative_too(m):
    assert services.initiative_start(membership=m.henk, title="Koffie", wish="Coffee on Monday")


def test_professionals_cannot_start_an_initiative(m):
    with pytest.raises(PermissionDenied):
        services.initiative_start(membership=m.anna, title="Our project", wish="Our targets")
    assert not Initiative.objects.filter(title="Our project").exists()


def test_starting_needs_a_wish_and_a_title(m):
    with pytest.raises(ValidationError) as excinfo:
        services.initiative_start(membership=m.daan, title="   ", wish="")
    assert {"title", "wish"} <= set(excinfo.value.message_dict)


def test_a_talent_need_must_name_the_talent(m):
    with pytest.raises(ValidationError):
        services.initiative_start(
            membership=m.daan,
            title="Bikes",
            wish="Fixed bikes",
            need_kind="talent",
            need_description="Someone handy",
        )
    assert not Initiative.objects.filter(title="Bikes").exists()


# initiative_update / initiative_set_status -----------------------------------------------------


def test_initiators_update_their_initiative(m, personas):
    services.initiative_update(
        membership=m.fatima,
        initiative=personas.initiative,
        title="Samen koken",
        wish="Cook together",
        description="Fridays in de Elskamp",
        themes=Theme.objects.filter(slug="food"),
        visibility="members",
    )
    personas.initiative.refresh_from_db()
    assert personas.initiative.title == "Samen koken"
    assert list(personas.initiative.themes.values_list("slug", flat=True)) == ["food"]


@pytest.mark.parametrize("who", ["priya", "daan", "henk", "anna"])
def test_nobody_but_the_initiators_updates_an_initiative(m, personas, who):
    with pytest.raises(PermissionDenied):
        services.initiative_update(
            membership=getattr(m, who),
            initiative=personas.initiative,
            title="Taken over",
            wish="Ours now",
            description="",
            themes=[],
            visibility="public",
        )
    personas.initiative.refresh_from_db()
    assert personas.initiative.title == "Samen eten"


def test_another_neighbourhoods_member_cannot_touch_an_initiative(m, personas):
    with pytest.raises(PermissionDenied):
        services.initiative_set_status(
            membership=m.olga, initiative=personas.initiative, status="ended"
        )


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("idea", "starting"),
        ("idea", "active"),
        ("starting", "active"),
        ("active", "structural"),
        ("structural", "ended"),
        ("active", "paused"),
        ("paused", "active"),
        ("paused", "idea"),
    ],
)
def test_status_moves_ahead_pauses_and_resumes(m, personas, start, to):
    Initiative.objects.filter(pk=personas.initiative.pk).update(status=start)
    services.initiative_set_status(membership=m.fatima, initiative=personas.initiative, status=to)
    personas.initiative.refresh_from_db()
    assert personas.initiative.status == to


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("active", "idea"),
        ("active", "active"),
        ("ended", "active"),
        ("ended", "paused"),
        ("active", "bogus"),
        ("paused", "paused"),
    ],
)
def test_status_refuses_impossible_moves(m, personas, start, to):
    Initiative.objects.filter(pk=personas.initiative.pk).update(status=start)
    with pytest.raises(ValidationError):
        services.initiative_set_status(
            membership=m.fatima, initiative=personas.initiative, status=to
        )
    personas.initiative.refresh_from_db()
    assert personas.initiative.status == start


# initiator_add --------------------------------------------------------------------------------


def test_a_participant_on_board_becomes_co_initiator(m, personas):
    services.initiator_add(membership=m.fatima, initiative=personas.initiative, user=personas.priya)
    priya = Participation.objects.get(initiative=personas.initiative, user=personas.priya)
    assert (priya.role, priya.status) == ("initiator", "accepted")


def test_any_resident_can_be_added_as_co_initiator(m, personas):
    services.initiator_add(membership=m.fatima, initiative=personas.initiative, user=personas.henk)
    assert Participation.objects.filter(
        initiative=personas.initiative, user=personas.henk, role="initiator", status="accepted"
    ).exists()


@pytest.mark.parametrize("who", ["anna", "olga", "fatima"])
def test_professionals_outsiders_and_current_initiators_cannot_be_added(m, personas, who):
    with pytest.raises(ValidationError):
        services.initiator_add(
            membership=m.fatima, initiative=personas.initiative, user=getattr(personas, who)
        )
    assert (
        Participation.objects.filter(initiative=personas.initiative, role="initiator").count() == 1
    )


def test_a_resident_who_is_not_listed_cannot_be_picked_as_co_initiator(m, personas):
    personas.henk.listed_in_directory = False
    personas.henk.save()
    with pytest.raises(ValidationError):
        services.initiator_add(
            membership=m.fatima, initiative=personas.initiative, user=personas.henk
        )
    assert not Participation.objects.filter(user=personas.henk).exists()


@pytest.mark.parametrize("status", ["pending", "declined", "left"])
def test_an_unlisted_resident_not_on_board_cannot_be_picked_either(m, personas, status):
    personas.daan.listed_in_directory = False
    personas.daan.save()
    Participation.objects.create(initiative=personas.initiative, user=personas.daan, status=status)
    with pytest.raises(ValidationError):
        services.initiator_add(
            membership=m.fatima, initiative=personas.initiative, user=personas.daan
        )
    assert Participation.objects.get(user=personas.daan).role == "participant"


def test_an_unlisted_participant_on_board_can_share_the_lead(m, personas):
    personas.priya.listed_in_directory = False
    personas.priya.save()
    services.initiator_add(membership=m.fatima, initiative=personas.initiative, user=personas.priya)
    priya = Participation.objects.get(initiative=personas.initiative, user=personas.priya)
    assert (priya.role, priya.status) == ("initiator", "accepted")


def test_participants_cannot_add_initiators(m, personas):
    with pytest.raises(PermissionDenied):
        services.initiator_add(
            membership=m.priya, initiative=personas.initiative, user=personas.priya
        )


# initiative_join / participation_decide / participation_leave ------------------------------------


def test_joining_waits_for_the_initiators_with_talents_from_my_profile(m, personas):
    personas.daan.talents.add(cooking())
    participation = services.initiative_join(
        membership=m.daan, initiative=personas.initiative, talents=[cooking()], brings=" Pans "
    )
    assert (participation.status, participation.role, participation.brings) == (
        "pending",
        "participant",
        "Pans",
    )
    assert list(participation.talents.all()) == [cooking()]


def test_joining_refuses_talents_that_are_not_on_my_profile(m, personas):
    with pytest.raises(ValidationError):
        services.initiative_join(
            membership=m.daan, initiative=personas.initiative, talents=[cooking()]
        )
    assert not Participation.objects.filter(user=personas.daan).exists()


def test_professionals_offer_support_instead_of_joining(m, personas):
    with pytest.raises(PermissionDenied):
        services.initiative_join(membership=m.anna, initiative=personas.initiative)


def test_asking_twice_is_refused_as_already_asked(m, personas):
    services.initiative_join(membership=m.daan, initiative=personas.initiative)
    with pytest.raises(ValidationError) as refused:
        services.initiative_join(membership=m.daan, initiative=personas.initiative)
    assert refused.value.error_list[0].code == services.ALREADY_ASKED
    assert Participation.objects.filter(user=personas.daan).count() == 1


def test_an_ended_initiative_takes_no_new_participants(m, personas):
    Initiative.objects.filter(pk=personas.initiative.pk).update(status="ended")
    with pytest.raises(PermissionDenied):
        services.initiative_join(membership=m.daan, initiative=personas.initiative)


def test_rejoining_after_leaving_works(m, personas):
    services.participation_leave(membership=m.priya, initiative=personas.initiative)
    again = services.initiative_join(
        membership=m.priya, initiative=personas.initiative, brings="Back again"
    )
    assert again.status == "pending"
    assert Participation.objects.filter(user=personas.priya).count() == 1


def test_initiators_accept_a_joiner(m, personas, joiner):
    services.participation_decide(membership=m.fatima, participation=joiner, accept=True)
    joiner.refresh_from_db()
    assert joiner.status == "accepted"
    assert joiner.decided_at is not None


def test_a_second_decision_on_the_same_request_is_refused(m, personas, joiner):
    services.participation_decide(membership=m.fatima, participation=joiner, accept=False)
    with pytest.raises(ValidationError):
        services.participation_decide(membership=m.fatima, participation=joiner, accept=True)
    joiner.refresh_from_db()
    assert joiner.status == "declined"


@pytest.mark.parametrize("who", ["priya", "henk", "anna"])
def test_only_initiators_decide_about_joiners(m, personas, joiner, who):
    with pytest.raises(PermissionDenied):
        services.participation_decide(membership=getattr(m, who), participation=joiner, accept=True)
    joiner.refresh_from_db()
    assert joiner.status == "pending"


def test_the_only_initiator_cannot_leave(m, personas):
    with pytest.raises(ValidationError):
        services.participation_leave(membership=m.fatima, initiative=personas.initiative)


def test_an_initiator_can_leave_once_someone_else_leads(m, personas):
    services.initiator_add(membership=m.fatima, initiative=personas.initiative, user=personas.priya)
    left = services.participation_leave(membership=m.fatima, initiative=personas.initiative)
    assert (left.role, left.status) == ("participant", "left")


def test_someone_not_involved_cannot_leave(m, personas):
    with pytest.raises(PermissionDenied):
        services.participation_leave(membership=m.daan, initiative=personas.initiative)


# needs -----------------------------------------------------------------------------------------


def test_initiators_add_needs_and_mark_them_met_by_a_neighbour(m, personas):
    need = services.need_add(
        membership=m.fatima, initiative=personas.initiative, kind="hands", description="Tables"
    )
    services.need_mark_met(membership=m.fatima, need=need, met_by=personas.priya)
    need.refresh_from_db()
    assert need.is_met and need.met_by == personas.priya and need.met_at is not None


def test_a_need_can_be_met_by_an_organisation(m, personas, open_need):
    services.need_mark_met(
        membership=m.fatima, need=open_need, met_by_organisation=personas.wijkteam
    )
    open_need.refresh_from_db()
    assert open_need.met_by_organisation == personas.wijkteam


def test_a_need_is_met_once(m, personas, open_need):
    services.need_mark_met(membership=m.fatima, need=open_need)
    with pytest.raises(ValidationError):
        services.need_mark_met(membership=m.fatima, need=open_need, met_by=personas.priya)


@pytest.mark.parametrize("by", ["both", "outsider", "foreign_org"])
def test_met_by_must_be_one_neighbour_or_one_local_organisation(m, personas, open_need, by):
    kwargs = {
        "both": {"met_by": personas.priya, "met_by_organisation": personas.wijkteam},
        "outsider": {"met_by": personas.olga},
        "foreign_org": {"met_by_organisation": OrganisationFactory(neighbourhood=personas.other)},
    }[by]
    with pytest.raises(ValidationError):
        services.need_mark_met(membership=m.fatima, need=open_need, **kwargs)
    open_need.refresh_from_db()
    assert not open_need.is_met


@pytest.mark.parametrize("who", ["priya", "anna", "henk"])
def test_only_initiators_manage_needs(m, personas, open_need, who):
    with pytest.raises(PermissionDenied):
        services.need_add(
            membership=getattr(m, who),
            initiative=personas.initiative,
            kind="money",
            description="€",
        )
    with pytest.raises(PermissionDenied):
        services.need_mark_met(membership=getattr(m, who), need=open_need)


# support offers --------------------------------------------------------------------------------


def test_a_professional_offers_support_on_behalf_of_their_organisation(m, personas, open_need):
    offer = services.support_offer_make(
        membership=m.anna,
        initiative=personas.initiative,
        kind="facilitation",
        message="We can open the community room on Fridays.",
        need=open_need,
    )
    assert offer.organisation == personas.wijkteam
    assert offer.status == "pending"
    assert offer.need == open_need


@pytest.mark.parametrize("who", ["daan", "fatima", "henk"])
def test_residents_do_not_make_support_offers(m, personas, who):
    with pytest.raises(PermissionDenied):
        services.support_offer_make(
            membership=getattr(m, who), initiative=personas.initiative, kind="help", message="Hi"
        )


def test_an_offer_for_a_need_of_another_initiative_is_refused(m, personas):
    elsewhere = InitiativeFactory(neighbourhood=personas.ede)
    need = Need.objects.create(initiative=elsewhere, kind="space", description="A room")
    with pytest.raises(ValidationError):
        services.support_offer_make(
            membership=m.anna, initiative=personas.initiative, kind="help", message="Hi", need=need
        )


@pytest.mark.parametrize("for_need", [True, False])
def test_a_second_waiting_offer_for_the_same_need_is_refused(m, personas, open_need, for_need):
    need = open_need if for_need else None
    services.support_offer_make(
        membership=m.anna, initiative=personas.initiative, kind="help", message="A", need=need
    )
    colleague = MembershipFactory(
        user=UserFactory(),
        neighbourhood=personas.ede,
        role="professional",
        organisation=personas.wijkteam,
    )
    for membership in (m.anna, colleague):
        with pytest.raises(ValidationError) as refused:
            services.support_offer_make(
                membership=membership,
                initiative=personas.initiative,
                kind="knowledge",
                message="B",
                need=need,
            )
        assert "Your organisation already" in refused.value.message_dict["need"][0]
    assert SupportOffer.objects.filter(organisation=personas.wijkteam).count() == 1


def test_an_organisation_may_offer_for_another_need_or_once_the_first_is_answered(
    m, personas, open_need
):
    first = services.support_offer_make(
        membership=m.anna, initiative=personas.initiative, kind="help", message="General"
    )
    services.support_offer_make(
        membership=m.anna,
        initiative=personas.initiative,
        kind="help",
        message="For the washing up",
        need=open_need,
    )
    services.support_offer_make(
        membership=m.sem, initiative=personas.initiative, kind="resources", message="Money"
    )
    services.support_offer_decide(membership=m.fatima, offer=first, accept=False)
    services.support_offer_make(
        membership=m.anna, initiative=personas.initiative, kind="knowledge", message="Again"
    )
    assert SupportOffer.objects.filter(organisation=personas.wijkteam).count() == 3


def test_an_accepted_offer_makes_the_organisation_a_supporter(m, personas, pending_offer):
    services.support_offer_decide(membership=m.fatima, offer=pending_offer, accept=True)
    initiative = selectors.initiative_for_detail(
        neighbourhood=personas.ede, pk=personas.initiative.pk
    )
    assert selectors.supporters(initiative) == [personas.foundation]


def test_a_declined_offer_leaves_no_supporter(m, personas, pending_offer):
    services.support_offer_decide(membership=m.fatima, offer=pending_offer, accept=False)
    initiative = selectors.initiative_for_detail(
        neighbourhood=personas.ede, pk=personas.initiative.pk
    )
    assert selectors.supporters(initiative) == []


def test_an_offer_is_decided_once(m, personas, pending_offer):
    services.support_offer_decide(membership=m.fatima, offer=pending_offer, accept=True)
    with pytest.raises(ValidationError):
        services.support_offer_decide(membership=m.fatima, offer=pending_offer, accept=False)
    pending_offer.refresh_from_db()
    assert pending_offer.status == "accepted"


@pytest.mark.parametrize("who", ["sem", "anna", "priya", "henk"])
def test_only_initiators_decide_about_offers(m, personas, pending_offer, who):
    with pytest.raises(PermissionDenied):
        services.support_offer_decide(membership=getattr(m, who), offer=pending_offer, accept=True)


def test_the_offerer_withdraws_their_offer(m, personas, pending_offer):
    services.support_offer_withdraw(membership=m.sem, offer=pending_offer)
    pending_offer.refresh_from_db()
    assert pending_offer.status == "withdrawn"


def test_withdrawing_twice_says_it_was_already_withdrawn(m, personas, pending_offer):
    services.support_offer_withdraw(membership=m.sem, offer=pending_offer)
    with pytest.raises(ValidationError, match="This offer was already withdrawn."):
        services.support_offer_withdraw(membership=m.sem, offer=pending_offer)


@pytest.mark.parametrize("who", ["anna", "fatima"])
def test_others_cannot_withdraw_an_offer(m, personas, pending_offer, who):
    with pytest.raises(PermissionDenied):
        services.support_offer_withdraw(membership=getattr(m, who), offer=pending_offer)


def test_a_colleague_of_the_same_organisation_cannot_withdraw_it_either(m, personas, pending_offer):
    colleague = UserFactory()
    membership = MembershipFactory(
        user=colleague,
        neighbourhood=personas.ede,
        role="professional",
        organisation=personas.foundation,
    )
    with pytest.raises(PermissionDenied):
        services.support_offer_withdraw(membership=membership, offer=pending_offer)


# updates and learnings ------------------------------------------------------------------------


def test_someone_on_board_posts_an_update_with_a_photo(m, personas, photo):
    update = services.update_post(
        membership=m.priya,
        initiative=personas.initiative,
        body="We cooked for 30.",
        photo=photo(),
        photo_description="A long table full of dishes",
    )
    assert update.photo.name.startswith("updates/")
    assert update.photo_description == "A long table full of dishes"


@pytest.mark.parametrize(
    "upload",
    [
        {"name": "notes.png", "content": b"not an image at all"},
        {"name": "drawing.bmp", "fmt": "BMP"},
    ],
)
def test_an_update_refuses_files_that_are_not_photos(m, personas, photo, upload):
    with pytest.raises(ValidationError):
        services.update_post(
            membership=m.priya, initiative=personas.initiative, body="Look", photo=photo(**upload)
        )
    assert not Update.objects.exists()


def test_an_update_refuses_photos_over_five_megabytes(m, personas, photo, monkeypatch):
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 10)
    with pytest.raises(ValidationError):
        services.update_post(
            membership=m.priya, initiative=personas.initiative, body="Big", photo=photo()
        )
    assert not Update.objects.exists()


@pytest.mark.parametrize("who", ["daan", "anna", "henk"])
def test_people_not_on_board_do_not_post_updates_or_learnings(m, personas, who):
    with pytest.raises(PermissionDenied):
        services.update_post(membership=getattr(m, who), initiative=personas.initiative, body="Hi")
    with pytest.raises(PermissionDenied):
        services.learning_post(
            membership=getattr(m, who), initiative=personas.initiative, what_worked="Hi"
        )


def test_a_learning_needs_what_worked_or_what_did_not(m, personas):
    with pytest.raises(ValidationError):
        services.learning_post(
            membership=m.priya, initiative=personas.initiative, what_worked=" ", what_did_not=""
        )
    learning = services.learning_post(
        membership=m.priya, initiative=personas.initiative, what_did_not="Starting at 17:00"
    )
    assert learning.what_did_not == "Starting at 17:00"


def test_pending_offers_do_not_count_as_support(personas, pending_offer):
    initiative = selectors.initiative_for_detail(
        neighbourhood=personas.ede, pk=personas.initiative.pk
    )
    assert selectors.supporters(initiative) == []
