"""The forms on the detail, edit and manage pages: success redirects with a message,
bad input answers 400 with the form as typed."""

import pytest
from django.contrib.messages import get_messages

from buurtnet.initiatives.models import Initiative, Need, Participation, SupportOffer, Update
from buurtnet.people.models import Talent


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Edit ------------------------------------------------------------------------------------------


def test_the_edit_form_starts_with_the_current_text(as_user, personas, url):
    html = as_user(personas.fatima).get(url("edit")).content.decode()
    assert 'value="Samen eten"' in html


def test_editing_saves_and_says_so(as_user, personas, url):
    response = as_user(personas.fatima).post(
        url("edit"),
        {"title": "Samen koken", "wish": "Cook", "description": "", "visibility": "members"},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Your changes are saved."]
    assert Initiative.objects.get(pk=personas.initiative.pk).visibility == "members"


def test_a_blank_title_is_refused_and_the_typed_wish_kept(as_user, personas, url):
    response = as_user(personas.fatima).post(
        url("edit"), {"title": " ", "wish": "My new words", "visibility": "public"}
    )
    assert response.status_code == 400
    assert "My new words" in response.content.decode()
    assert Initiative.objects.get(pk=personas.initiative.pk).title == "Samen eten"


HUGE_ID = "99999999999999999999999"


def test_a_theme_id_too_large_for_the_database_is_a_wrong_choice(as_user, personas, url):
    response = as_user(personas.fatima).post(
        url("edit"),
        {"title": "Samen eten", "wish": "Cook", "themes": [HUGE_ID], "visibility": "public"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# Join / leave -----------------------------------------------------------------------------------


def test_a_talent_id_too_large_for_the_database_is_a_wrong_choice(as_user, personas, url):
    response = as_user(personas.daan).post(url("join"), {"talents": [HUGE_ID], "brings": "Cake"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html and "Cake" in html
    assert not Participation.objects.filter(user=personas.daan).exists()


def test_asking_to_join_twice_says_the_initiators_will_answer(as_user, personas, url):
    client = as_user(personas.daan)
    client.post(url("join"), {"brings": "A big pan"}, follow=True)
    response = client.post(url("join"), {"brings": "A big pan"})
    assert response.status_code == 302 and response["Location"] == url("detail")
    assert messages_of(response) == ["You already asked to join; the initiators will answer soon."]
    assert Participation.objects.get(user=personas.daan).brings == "A big pan"


def test_joining_with_my_talents(as_user, personas, url):
    cooking = Talent.objects.get(slug="cooking")
    personas.daan.talents.add(cooking)
    client = as_user(personas.daan)
    assert "Cooking" in client.get(url("detail")).content.decode()  # offered from my profile
    response = client.post(url("join"), {"talents": [cooking.pk], "brings": "A big pan"})
    assert response.status_code == 302
    participation = Participation.objects.get(user=personas.daan)
    assert participation.status == "pending"
    assert list(participation.talents.all()) == [cooking]
    assert "You asked to join" in client.get(url("detail")).content.decode()


def test_joining_with_a_talent_not_on_my_profile_is_refused(as_user, personas, url):
    baking = Talent.objects.get(slug="baking")
    response = as_user(personas.daan).post(url("join"), {"talents": [baking.pk], "brings": "Cake"})
    assert response.status_code == 400
    assert "Cake" in response.content.decode()
    assert not Participation.objects.filter(user=personas.daan).exists()


def test_someone_declined_is_told_so_and_cannot_ask_again(as_user, personas, url, joiner):
    joiner.status = "declined"
    joiner.save()
    client = as_user(joiner.user)
    html = client.get(url("detail")).content.decode()
    assert "did not take up your request" in html and url("join") not in html
    assert client.post(url("join"), {"brings": "Again"}).status_code == 403


def test_a_participant_leaves(as_user, personas, url):
    response = as_user(personas.priya).post(url("leave"))
    assert response.status_code == 302
    assert Participation.objects.get(user=personas.priya).status == "left"


def test_the_only_initiator_cannot_leave_and_is_told_why(as_user, personas, url):
    response = as_user(personas.fatima).post(url("leave"))
    assert response.status_code == 400
    assert "Add a co-initiator before you leave" in response.content.decode()
    assert Participation.objects.get(user=personas.fatima).status == "accepted"


# Offers -----------------------------------------------------------------------------------------


def test_an_offer_without_a_message_is_refused(as_user, personas, url):
    response = as_user(personas.anna).post(url("offer"), {"kind": "help", "message": ""})
    assert response.status_code == 400
    assert not SupportOffer.objects.exists()


def test_an_offer_for_a_need_elsewhere_is_refused(as_user, personas, url):
    other = Initiative.objects.create(neighbourhood=personas.ede, title="x", wish="y")
    need = Need.objects.create(initiative=other, kind="space", description="Room")
    response = as_user(personas.anna).post(
        url("offer"), {"kind": "help", "message": "We have a room", "need": need.pk}
    )
    assert response.status_code == 400
    assert "We have a room" in response.content.decode()


def test_the_offerer_withdraws_from_the_detail_page(as_user, personas, url, pending_offer):
    response = as_user(personas.sem).post(url("offer_withdraw", pending_offer.pk))
    assert response.status_code == 302
    pending_offer.refresh_from_db()
    assert pending_offer.status == "withdrawn"


def test_withdrawing_twice_says_it_was_already_withdrawn(as_user, personas, url, pending_offer):
    client = as_user(personas.sem)
    client.post(url("offer_withdraw", pending_offer.pk), follow=True)
    response = client.post(url("offer_withdraw", pending_offer.pk))
    assert response.status_code == 302 and response["Location"] == url("detail")
    assert messages_of(response) == ["This offer was already withdrawn."]


def test_a_second_offer_while_the_first_waits_is_refused_and_kept(
    as_user, personas, url, pending_offer
):
    response = as_user(personas.sem).post(
        url("offer"), {"kind": "help", "message": "We also bring plates"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already has an offer waiting" in html and "We also bring plates" in html
    assert SupportOffer.objects.filter(organisation=personas.foundation).count() == 1


def test_someone_else_cannot_withdraw_an_offer(as_user, personas, url, pending_offer):
    assert as_user(personas.anna).post(url("offer_withdraw", pending_offer.pk)).status_code == 403
    pending_offer.refresh_from_db()
    assert pending_offer.status == "pending"


# Updates and learnings -------------------------------------------------------------------------


def test_an_update_with_a_photo_is_posted_and_shown(as_user, personas, url, photo):
    client = as_user(personas.priya)
    response = client.post(
        url("update_post"),
        {"body": "The tables were full", "photo": photo(), "photo_description": "Full tables"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail")  # the message on top stays in view
    update = Update.objects.get()
    assert update.photo
    html = client.get(url("detail")).content.decode()
    assert update.photo.url in html and 'alt="Full tables"' in html


def test_an_update_with_a_file_that_is_no_photo_answers_400_and_keeps_the_text(
    as_user, personas, url, photo
):
    response = as_user(personas.priya).post(
        url("update_post"),
        {"body": "The tables were full", "photo": photo(name="x.png", content=b"%PDF-1.4")},
    )
    assert response.status_code == 400
    assert "The tables were full" in response.content.decode()
    assert not Update.objects.exists()


def test_a_photo_over_five_megabytes_answers_400(as_user, personas, url, photo):
    too_big = photo(name="huge.png", content=b"\x89PNG" + b"0" * (5 * 1024 * 1024))
    response = as_user(personas.priya).post(
        url("update_post"), {"body": "Big news", "photo": too_big}
    )
    assert response.status_code == 400
    assert "at most 5 MB" in response.content.decode()
    assert not Update.objects.exists()


def test_a_learning_is_shared_and_the_page_opens_at_the_top(as_user, personas, url):
    response = as_user(personas.priya).post(url("learning_post"), {"what_worked": "Pairs"})
    assert response.status_code == 302
    assert response["Location"] == url("detail")
    assert messages_of(response) == ["Thank you for sharing what you learned."]


def test_an_empty_learning_answers_400(as_user, personas, url):
    response = as_user(personas.priya).post(url("learning_post"), {"what_worked": " "})
    assert response.status_code == 400
    assert "Write what worked, what didn" in response.content.decode()


# Manage ----------------------------------------------------------------------------------------


def test_the_manage_page_lists_who_and_what_waits(as_user, personas, url, joiner, pending_offer):
    html = as_user(personas.fatima).get(url("manage")).content.decode()
    assert "Joost" in html and "My car" in html
    assert "Stichting Vrienden van de Hoogbouw" in html and "We can pay for the groceries." in html


def test_each_answer_button_names_the_person_or_organisation(
    as_user, personas, url, joiner, pending_offer
):
    html = as_user(personas.fatima).get(url("manage")).content.decode()
    html = html.replace("<bdi>", "").replace("</bdi>", "")  # names are isolated for direction
    hidden = '<span class="visually-hidden"> {}</span>'
    assert f"Decline{hidden.format('Joost')}</button>" in html
    foundation = "Stichting Vrienden van de Hoogbouw"
    assert f"Accept this support{hidden.format(foundation)}</button>" in html
    assert f"Decline{hidden.format(foundation)}</button>" in html
    assert "Welcome Joost on board</button>" in html


def test_accepting_a_joiner_redirects_with_a_message(as_user, personas, url, joiner):
    response = as_user(personas.fatima).post(
        url("participation_decide", joiner.pk), {"decision": "accept"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Joost is on board."]


def test_a_double_click_on_a_decision_answers_400_without_change(as_user, personas, url, joiner):
    client = as_user(personas.fatima)
    client.post(url("participation_decide", joiner.pk), {"decision": "decline"})
    response = client.post(url("participation_decide", joiner.pk), {"decision": "accept"})
    assert response.status_code == 400
    assert "already answered" in response.content.decode()
    joiner.refresh_from_db()
    assert joiner.status == "declined"


def test_an_unknown_decision_answers_400(as_user, personas, url, pending_offer):
    response = as_user(personas.fatima).post(
        url("offer_decide", pending_offer.pk), {"decision": "maybe"}
    )
    assert response.status_code == 400
    pending_offer.refresh_from_db()
    assert pending_offer.status == "pending"


def test_a_joiner_of_another_initiative_cannot_be_decided_here(as_user, personas, url, joiner):
    other = Initiative.objects.create(neighbourhood=personas.ede, title="x", wish="y")
    Participation.objects.create(
        initiative=other, user=personas.fatima, role="initiator", status="accepted"
    )
    response = as_user(personas.fatima).post(
        url("participation_decide", joiner.pk, initiative=other), {"decision": "accept"}
    )
    assert response.status_code == 404


def test_an_impossible_status_answers_400(as_user, personas, url):
    response = as_user(personas.fatima).post(url("status"), {"status": "idea"})
    assert response.status_code == 400
    assert Initiative.objects.get(pk=personas.initiative.pk).status == "active"


def test_adding_a_professional_as_co_initiator_answers_400(as_user, personas, url):
    response = as_user(personas.fatima).post(url("initiator_add"), {"user": personas.anna.pk})
    assert response.status_code == 400
    assert not Participation.objects.filter(user=personas.anna).exists()


def test_only_listed_residents_and_people_on_board_are_offered_to_share_the_lead(
    as_user, personas, url
):
    personas.daan.listed_in_directory = False
    personas.daan.save()
    personas.priya.listed_in_directory = False
    personas.priya.save()
    choices = as_user(personas.fatima).get(url("manage")).context["initiator_form"]
    offered = set(choices.fields["user"].queryset)
    assert offered == {personas.priya, personas.henk}  # priya is on board, henk is listed


def test_an_unlisted_resident_cannot_be_made_co_initiator(as_user, personas, url):
    personas.daan.listed_in_directory = False
    personas.daan.save()
    response = as_user(personas.fatima).post(url("initiator_add"), {"user": personas.daan.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Participation.objects.filter(user=personas.daan).exists()


def test_a_co_initiator_gets_the_lead_too(as_user, personas, url):
    as_user(personas.fatima).post(url("initiator_add"), {"user": personas.priya.pk})
    html = as_user(personas.priya).get(url("detail")).content.decode()
    assert url("edit") in html and url("manage") in html


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        ({"kind": "talent", "description": "Someone who sews"}, "Someone who sews"),
        ({"kind": "", "description": "Chairs"}, "Chairs"),
    ],
)
def test_an_incomplete_need_answers_400_and_keeps_the_text(as_user, personas, url, data, kept):
    response = as_user(personas.fatima).post(url("need_add"), data)
    assert response.status_code == 400
    assert kept in response.content.decode()
    assert not Need.objects.exists()


def test_a_need_is_marked_met_by_a_partner(as_user, personas, url, open_need):
    response = as_user(personas.fatima).post(
        url("need_met", open_need.pk), {f"need-{open_need.pk}-who": f"org:{personas.wijkteam.pk}"}
    )
    assert response.status_code == 302
    open_need.refresh_from_db()
    assert open_need.is_met and open_need.met_by_organisation == personas.wijkteam


def test_a_need_cannot_be_marked_met_by_an_unknown_person(as_user, personas, url, open_need):
    response = as_user(personas.fatima).post(
        url("need_met", open_need.pk), {f"need-{open_need.pk}-who": f"user:{personas.olga.pk}"}
    )
    assert response.status_code == 400
    open_need.refresh_from_db()
    assert not open_need.is_met


def test_get_on_a_post_only_action_is_refused(as_user, personas, url):
    assert as_user(personas.fatima).get(url("status")).status_code == 405
