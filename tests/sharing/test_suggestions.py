"""The right neighbour for each ask: the asker's suggestions page, sending, the invited
neighbour's inbox and their one-tap answer, the same for an initiative's needs, and who may do it.

The neighbourhood: Fatima (the asker, initiator of "Samen eten") asks who cooks with her. Amal
(speaks Arabic, cooks) and Bram (cooks) said neighbours may ask them; Carla cooks but did not say
so; Bas cooks and said so, but Fatima blocked him; Sanne cooks and said so, but is suspended.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buurtnet.conversations.models import Conversation
from buurtnet.initiatives.models import Need
from buurtnet.neighbourhoods.models import Membership
from buurtnet.notifications.models import Kind, Notification
from buurtnet.people.models import Block, Language, Talent
from buurtnet.sharing import matching, permissions
from buurtnet.sharing.models import Answer, Invitation, PostStatus
from buurtnet.sharing.services import invitations as services
from buurtnet.sharing.services import posts as services_posts
from tests.factories import ConversationFactory, MembershipFactory, PostFactory, UserFactory

TITLE = "Who cooks with me for the street party?"


@dataclass
class Hood:
    p: object
    amal: object
    bram: object
    carla: object
    bas: object
    sanne: object
    ask: object

    def url(self, name: str, *args) -> str:
        from django.urls import reverse

        return reverse(f"sharing:{name}", args=["ede-zuid", *args])


def _neighbour(p, name, *, open_to_asks=True, talents=("cooking",), languages=(), lang="en"):
    user = UserFactory(
        email=f"{name}@example.org",
        display_name=name.capitalize(),
        preferred_language=lang,
        open_to_asks=open_to_asks,
    )
    user.talents.set(Talent.objects.filter(slug__in=talents))
    user.languages.set(Language.objects.filter(code__in=languages))
    MembershipFactory(user=user, neighbourhood=p.ede, building=p.elskamp)
    return user


@pytest.fixture
def hood(personas) -> Hood:
    p = personas
    amal = _neighbour(p, "amal", languages=("ar",))
    bram = _neighbour(p, "bram")
    carla = _neighbour(p, "carla", open_to_asks=False)
    bas = _neighbour(p, "bas")
    Block.objects.create(blocker=p.fatima, blocked=bas)
    sanne = _neighbour(p, "sanne")
    Membership.objects.filter(user=sanne).update(suspended_until=timezone.now() + timedelta(days=7))
    # The asker likes cooking and may be asked too: never for her own ask.
    p.fatima.open_to_asks = True
    p.fatima.save()
    p.fatima.talents.set(Talent.objects.filter(slug="cooking"))
    ask = PostFactory(
        neighbourhood=p.ede,
        author=p.fatima,
        category=Talent.objects.get(slug="cooking"),
        title=TITLE,
        body="I would like to cook an Arabic dish with a neighbour.",
        language="en",
    )
    return Hood(p=p, amal=amal, bram=bram, carla=carla, bas=bas, sanne=sanne, ask=ask)


def _offered(html: str) -> set[int]:
    """The neighbours a suggestions page offers to ask (its checkboxes)."""
    return {int(pk) for pk in re.findall(r'name="user" value="(\d+)"', html)}


def _send(client, hood, *users, url=None):
    return client.post(url or hood.url("suggestions", hood.ask.pk), {"user": [u.pk for u in users]})


def _invite(hood, *users, post=None):
    return services.invitations_send(
        post=post or hood.ask, sent_by=hood.p.fatima, user_ids=[u.pk for u in users]
    )


# --- The asker's page ---------------------------------------------------------------------------


def test_the_page_lists_fitting_neighbours_with_why_in_words(as_user, hood):
    response = as_user(hood.p.fatima).get(hood.url("suggestions", hood.ask.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert _offered(html) == {hood.amal.pk, hood.bram.pk}
    assert "speaks Arabic · likes cooking" in html
    assert f'/n/ede-zuid/members/{hood.amal.pk}/"' in html
    assert "Ask them" in html


def test_who_did_not_opt_in_the_asker_blocked_and_suspended_members_never_appear(as_user, hood):
    html = as_user(hood.p.fatima).get(hood.url("suggestions", hood.ask.pk)).content.decode()
    never = {hood.carla, hood.bas, hood.sanne, hood.p.fatima, hood.p.daan, hood.p.olga}
    assert not _offered(html) & {u.pk for u in never}
    for user in (hood.carla, hood.bas, hood.sanne):
        assert user.display_name not in html
    # Also when Bas is the one who blocked.
    Block.objects.all().delete()
    Block.objects.create(blocker=hood.bas, blocked=hood.p.fatima)
    assert hood.bas.pk not in {s.user.pk for s in matching.suggest_for_post(hood.ask)}


def test_a_member_not_listed_in_the_directory_is_named_without_a_link(as_user, hood):
    hood.bram.listed_in_directory = False
    hood.bram.save()
    html = as_user(hood.p.fatima).get(hood.url("suggestions", hood.ask.pk)).content.decode()
    assert "<bdi>Bram</bdi>" in html
    assert f"/members/{hood.bram.pk}/" not in html


def test_sending_asks_the_chosen_neighbours_and_tells_them(as_user, hood):
    client = as_user(hood.p.fatima)
    response = _send(client, hood, hood.amal, hood.bram)
    assert response.status_code == 302
    invitations = Invitation.objects.filter(post=hood.ask).order_by("user_id")
    assert [i.user for i in invitations] == [hood.amal, hood.bram]
    amal = invitations.get(user=hood.amal)
    assert amal.sent_by == hood.p.fatima
    assert amal.answer == Answer.WAITING
    assert {"code": "speaks", "value": "ar"} in amal.reasons
    notifications = Notification.objects.filter(kind=Kind.ASKED_FOR_HELP)
    assert {n.recipient for n in notifications} == {hood.amal, hood.bram}
    note = notifications.get(recipient=hood.amal)
    assert note.actor == hood.p.fatima
    assert note.params == {"title": TITLE}
    assert note.url == f"/n/ede-zuid/share/asked/#invitation-{amal.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Sent to 2 neighbours" in page
    assert "Not answered yet" in page


def test_a_forged_id_is_refused_and_nothing_is_sent(as_user, hood):
    client = as_user(hood.p.fatima)
    for forged in (hood.carla, hood.bas, hood.p.olga, hood.p.fatima):
        response = _send(client, hood, hood.amal, forged)
        assert response.status_code == 400
        assert "not among the suggestions" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(kind=Kind.ASKED_FOR_HELP).exists()
    response = client.post(hood.url("suggestions", hood.ask.pk), {"user": ["x"]})
    assert response.status_code == 400
    assert _send(client, hood).status_code == 400


def test_at_most_ten_neighbours_at_a_time(as_user, hood):
    many = [_neighbour(hood.p, f"cook{n}") for n in range(11)]
    response = _send(as_user(hood.p.fatima), hood, *many)
    assert response.status_code == 400
    assert "at most 10 neighbours at a time" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_neighbour_is_never_asked_twice_for_the_same_ask(as_user, hood):
    client = as_user(hood.p.fatima)
    _send(client, hood, hood.amal)
    html = client.get(hood.url("suggestions", hood.ask.pk)).content.decode()
    assert _offered(html) == {hood.bram.pk}
    assert "Already asked" in html and "Amal" in html
    # The form sent twice: Amal is not asked again, nor told again.
    response = _send(client, hood, hood.amal)
    assert response.status_code == 302
    assert Invitation.objects.filter(user=hood.amal).count() == 1
    assert Notification.objects.filter(recipient=hood.amal).count() == 1


def test_a_closed_ask_is_not_sent(as_user, hood):
    hood.ask.status = PostStatus.HELPED
    hood.ask.closed_at = timezone.now()
    hood.ask.save()
    client = as_user(hood.p.fatima)
    page = client.get(hood.url("suggestions", hood.ask.pk))
    assert page.status_code == 200
    assert "This ask is closed" in page.content.decode()
    assert _offered(page.content.decode()) == set()
    assert _send(client, hood, hood.amal).status_code == 409
    assert not Invitation.objects.exists()


# --- The invited neighbour ---------------------------------------------------------------------


def test_the_inbox_shows_the_ask_who_asks_and_why_in_my_language(as_user, hood):
    hood.amal.preferred_language = "nl"
    hood.amal.save()
    _invite(hood, hood.amal)
    html = as_user(hood.amal).get(hood.url("inbox")).content.decode()
    assert TITLE in html
    assert 'dir="auto" lang="en"' in html
    assert "Arabisch" in html  # why Buurtnet thought of her, in Dutch
    assert "<bdi>Fatima</bdi>" in html
    assert 'name="answer" value="yes"' in html and 'name="answer" value="no"' in html


def test_an_ask_on_behalf_says_for_whom(as_user, hood):
    hood.ask.on_behalf_of = "Mrs Jansen"
    hood.ask.on_behalf_consent_at = timezone.now()
    hood.ask.save()
    _invite(hood, hood.bram)
    html = as_user(hood.bram).get(hood.url("inbox")).content.decode()
    assert "<bdi>Fatima</bdi> asks on behalf of <bdi>Mrs Jansen</bdi>" in html


def test_waiting_asks_come_first(as_user, hood):
    _invite(hood, hood.bram)
    second = PostFactory(
        neighbourhood=hood.p.ede,
        author=hood.p.fatima,
        category=Talent.objects.get(slug="cooking"),
        title="Soup for the sick neighbour?",
        language="en",
    )
    _invite(hood, hood.bram, post=second)
    Invitation.objects.filter(post=second).update(answer=Answer.NO, answered_at=timezone.now())
    html = as_user(hood.bram).get(hood.url("inbox")).content.decode()
    assert html.index(TITLE) < html.index("Soup for the sick neighbour?")
    assert "You said: not this time." in html


def test_i_can_help_starts_a_conversation_and_tells_the_asker(as_user, hood):
    [invitation] = _invite(hood, hood.amal)
    response = as_user(hood.amal).post(hood.url("respond", invitation.pk), {"answer": "yes"})
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/n/ede-zuid/conversations/{conversation.pk}/"
    assert conversation.topic == hood.ask
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        hood.amal.pk,
        hood.p.fatima.pk,
    }
    assert conversation.messages.get().body == "I can help with this."
    invitation.refresh_from_db()
    assert invitation.answer == Answer.YES and invitation.answered_at is not None
    told = Notification.objects.get(kind=Kind.ASK_ANSWERED)
    assert told.recipient == hood.p.fatima and told.actor == hood.amal
    assert told.params == {"title": TITLE}
    # One notice for one answer: not also "Amal wrote to you" for its first message.
    assert list(Notification.objects.filter(recipient=hood.p.fatima)) == [told]
    assert told.url == f"/n/ede-zuid/conversations/{conversation.pk}/"
    html = as_user(hood.p.fatima).get(hood.url("suggestions", hood.ask.pk)).content.decode()
    assert "Can help" in html


def test_the_asker_gets_one_email_when_a_neighbour_can_help(
    as_user, hood, django_capture_on_commit_callbacks
):
    [invitation] = _invite(hood, hood.amal)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        as_user(hood.amal).post(hood.url("respond", invitation.pk), {"answer": "yes"})
    [email] = mail.outbox
    assert email.to == [hood.p.fatima.email]
    assert TITLE in email.body


def test_i_can_help_waits_when_too_many_conversations_were_started(as_user, hood):
    [invitation] = _invite(hood, hood.amal)
    ConversationFactory.create_batch(10, neighbourhood=hood.p.ede, started_by=hood.amal)
    response = as_user(hood.amal).post(hood.url("respond", invitation.pk), {"answer": "yes"})
    assert response.status_code == 429
    assert "Please wait" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.answer == Answer.WAITING


def test_not_this_time_is_only_recorded(as_user, hood):
    [invitation] = _invite(hood, hood.bram)
    response = as_user(hood.bram).post(hood.url("respond", invitation.pk), {"answer": "no"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#invitation-{invitation.pk}")
    invitation.refresh_from_db()
    assert invitation.answer == Answer.NO
    assert not Notification.objects.filter(kind=Kind.ASK_ANSWERED).exists()
    html = as_user(hood.p.fatima).get(hood.url("suggestions", hood.ask.pk)).content.decode()
    assert "Cannot help this time" in html


def test_with_htmx_the_answer_updates_its_row(as_user, hood):
    [invitation] = _invite(hood, hood.bram)
    response = as_user(hood.bram).post(
        hood.url("respond", invitation.pk), {"answer": "no"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<li id="invitation-{invitation.pk}">')
    assert "Maybe another time" in html


def test_with_htmx_i_can_help_opens_the_conversation(as_user, hood):
    [invitation] = _invite(hood, hood.amal)
    response = as_user(hood.amal).post(
        hood.url("respond", invitation.pk), {"answer": "yes"}, HTTP_HX_REQUEST="true"
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/n/ede-zuid/conversations/{conversation.pk}/"


def test_answering_twice_is_a_friendly_409(as_user, hood):
    [invitation] = _invite(hood, hood.bram)
    client = as_user(hood.bram)
    client.post(hood.url("respond", invitation.pk), {"answer": "no"})
    response = client.post(hood.url("respond", invitation.pk), {"answer": "yes"})
    assert response.status_code == 409
    assert "You already answered this ask" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.answer == Answer.NO


@pytest.mark.parametrize("how", ["expired", "closed", "hidden"])
def test_answering_a_closed_ask_is_a_409(as_user, hood, how):
    [invitation] = _invite(hood, hood.bram)
    if how == "expired":
        hood.ask.expires_at = timezone.now() - timedelta(minutes=1)
    elif how == "closed":
        hood.ask.status, hood.ask.closed_at = PostStatus.NOT_NEEDED, timezone.now()
    else:
        hood.ask.hidden_at = timezone.now()
    hood.ask.save()
    response = as_user(hood.bram).post(hood.url("respond", invitation.pk), {"answer": "yes"})
    assert response.status_code == 409
    assert "This ask is closed — thank you anyway" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.answer == Answer.WAITING


def test_someone_elses_invitation_is_not_found(as_user, hood):
    [invitation] = _invite(hood, hood.amal)
    for who in (hood.bram, hood.p.fatima, hood.p.henk):
        response = as_user(who).post(hood.url("respond", invitation.pk), {"answer": "yes"})
        assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.answer == Answer.WAITING


def test_a_blocked_pair_cannot_answer(as_user, hood):
    [invitation] = _invite(hood, hood.bram)
    Block.objects.create(blocker=hood.bram, blocked=hood.p.fatima)
    response = as_user(hood.bram).post(hood.url("respond", invitation.pk), {"answer": "yes"})
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.answer == Answer.WAITING
    # Nor does the ask show in his inbox any more.
    assert TITLE not in as_user(hood.bram).get(hood.url("inbox")).content.decode()


def test_a_wrong_answer_is_a_400(as_user, hood):
    [invitation] = _invite(hood, hood.bram)
    response = as_user(hood.bram).post(hood.url("respond", invitation.pk), {"answer": "maybe"})
    assert response.status_code == 400


def test_an_ask_for_the_suggested_only_is_seen_by_those_it_was_sent_to(hood):
    hood.ask.audience = "suggested"
    hood.ask.save()
    _invite(hood, hood.amal)

    def sees(user):
        return permissions.can_view(Membership.objects.get(user=user), hood.ask)

    assert sees(hood.amal)
    assert sees(hood.p.fatima)
    assert not sees(hood.bram)
    assert not sees(hood.p.daan)
    assert not sees(hood.p.henk)


def test_the_inbox_runs_a_fixed_number_of_queries(as_user, hood):
    client = as_user(hood.bram)
    _invite(hood, hood.bram)
    client.get(hood.url("inbox"))  # vocabularies read once per process
    cache.clear()  # both counted with nothing kept: the work a change brings back
    with CaptureQueriesContext(connection) as few:
        client.get(hood.url("inbox"))
    for n in range(5):
        post = PostFactory(
            neighbourhood=hood.p.ede,
            author=hood.p.fatima,
            category=Talent.objects.get(slug="cooking"),
            title=f"Cooking {n}",
            language="en",
        )
        _invite(hood, hood.bram, post=post)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        html = client.get(hood.url("inbox")).content.decode()
    assert "Cooking 4" in html
    assert len(many) == len(few)


def test_asked_to_me_links_to_the_inbox_with_how_many_wait(hood):
    template = Template("{% load invitation_tags %}{% asked_to_me membership %}")
    membership = Membership.objects.select_related("neighbourhood").get(user=hood.bram)
    assert template.render(Context({"membership": membership})) == ""
    _invite(hood, hood.bram)
    html = template.render(Context({"membership": membership}))
    assert "Asked to you (1 waiting)" in html
    assert 'href="/n/ede-zuid/share/asked/"' in html
    [invitation] = Invitation.objects.all()
    services.invitation_answer(invitation_id=invitation.pk, user=hood.bram, answer=Answer.NO)
    html = template.render(Context({"membership": membership}))
    assert "Asked to you" in html and "waiting" not in html


def test_asked_to_me_is_counted_once_and_again_after_each_change(hood):
    template = Template("{% load invitation_tags %}{% asked_to_me membership %}")
    membership = Membership.objects.select_related("neighbourhood").get(user=hood.bram)
    _invite(hood, hood.bram)
    assert "(1 waiting)" in template.render(Context({"membership": membership}))
    with CaptureQueriesContext(connection) as again:
        assert "(1 waiting)" in template.render(Context({"membership": membership}))
    assert len(again) == 0
    # The asker closes the ask: nothing waits for Bram any more.
    services_posts.post_close(
        membership=Membership.objects.get(user=hood.p.fatima),
        post=hood.ask,
        status=PostStatus.HELPED,
    )
    html = template.render(Context({"membership": membership}))
    assert "Asked to you" in html and "waiting" not in html


# --- An initiative's needs ----------------------------------------------------------------------


@pytest.fixture
def need(hood):
    return Need.objects.create(
        initiative=hood.p.initiative,
        kind="talent",
        description="Someone who cooks Arabic food for the dinner",
        talent=Talent.objects.get(slug="cooking"),
    )


def test_the_initiators_find_neighbours_for_a_need(as_user, hood, need):
    client = as_user(hood.p.fatima)
    url = hood.url("need_suggestions", need.pk)
    html = client.get(url).content.decode()
    assert _offered(html) == {hood.amal.pk, hood.bram.pk}
    assert "The initiative “<bdi>Samen eten</bdi>” looks for:" in html
    response = _send(client, hood, hood.amal, url=url)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.need == need and invitation.post is None
    assert invitation.sent_by == hood.p.fatima
    inbox = as_user(hood.amal).get(hood.url("inbox")).content.decode()
    assert "The initiative “<bdi>Samen eten</bdi>” looks for:" in inbox
    assert "Someone who cooks Arabic food for the dinner" in inbox


def test_a_met_need_is_not_sent_and_not_answered(as_user, hood, need):
    invitation = Invitation.objects.create(
        neighbourhood=hood.p.ede, need=need, user=hood.bram, sent_by=hood.p.fatima
    )
    need.is_met = True
    need.save()
    client = as_user(hood.p.fatima)
    assert (
        _send(client, hood, hood.amal, url=hood.url("need_suggestions", need.pk)).status_code == 409
    )
    response = as_user(hood.bram).post(hood.url("respond", invitation.pk), {"answer": "yes"})
    assert response.status_code == 409


def test_i_can_help_with_a_need_writes_to_the_initiator(as_user, hood, need):
    [invitation] = services.invitations_send(
        need=need, sent_by=hood.p.fatima, user_ids=[hood.bram.pk]
    )
    response = as_user(hood.bram).post(hood.url("respond", invitation.pk), {"answer": "yes"})
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.topic == hood.p.initiative
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        hood.bram.pk,
        hood.p.fatima.pk,
    }
    assert Notification.objects.get(kind=Kind.ASK_ANSWERED).recipient == hood.p.fatima


def test_the_initiative_page_links_initiators_to_suggestions(as_user, hood, need):
    page = f"/n/ede-zuid/initiatives/{hood.p.initiative.pk}/"
    link = hood.url("need_suggestions", need.pk)
    assert link in as_user(hood.p.fatima).get(page).content.decode()
    for who in (hood.p.priya, hood.p.daan, hood.p.anna):
        assert link not in as_user(who).get(page).content.decode()


def test_the_initiative_page_offers_to_write_to_the_initiators(as_user, hood):
    from django.urls import reverse

    start = reverse("conversations:start", args=["ede-zuid"])
    page = f"/n/ede-zuid/initiatives/{hood.p.initiative.pk}/"
    link = f"{start}?to={hood.p.fatima.pk}&amp;about=initiatives.initiative:{hood.p.initiative.pk}"
    assert link in as_user(hood.p.daan).get(page).content.decode()
    assert link not in as_user(hood.p.fatima).get(page).content.decode()


# --- Who may do what ----------------------------------------------------------------------------

ROLES = ["anonymous", "author", "resident", "professional", "host", "blocked", "other"]
PERSONA = {
    "anonymous": None,
    "author": lambda h: h.p.fatima,
    "resident": lambda h: h.p.daan,
    "professional": lambda h: h.p.anna,
    "host": lambda h: h.p.henk,
    "blocked": lambda h: h.bas,
    "other": lambda h: h.p.olga,
}
LOGIN, OK = "login", "ok"
MATRIX = {
    "suggestions": dict(
        anonymous=LOGIN, author=OK, resident=403, professional=403, host=403, blocked=404, other=404
    ),
    "need_suggestions": dict(
        anonymous=LOGIN, author=OK, resident=403, professional=403, host=403, blocked=403, other=404
    ),
    "inbox": dict(
        anonymous=LOGIN, author=OK, resident=OK, professional=OK, host=OK, blocked=OK, other=404
    ),
    # The invitation is Amal's: nobody else finds it.
    "respond": dict(
        anonymous=LOGIN,
        author=404,
        resident=404,
        professional=404,
        host=404,
        blocked=404,
        other=404,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(MATRIX))
def test_permission_matrix(as_user, hood, need, view, role):
    persona = PERSONA[role]
    client = as_user(persona(hood) if persona else None)
    if view == "suggestions":
        response = client.get(hood.url("suggestions", hood.ask.pk))
    elif view == "need_suggestions":
        response = client.get(hood.url("need_suggestions", need.pk))
    elif view == "inbox":
        response = client.get(hood.url("inbox"))
    else:
        [invitation] = _invite(hood, hood.amal)
        response = client.post(hood.url("respond", invitation.pk), {"answer": "no"})
        invitation.refresh_from_db()
        assert invitation.answer == Answer.WAITING
    expected = MATRIX[view][role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif expected == OK:
        assert response.status_code == 200
    else:
        assert response.status_code == expected


def test_the_invited_may_answer_and_the_suspended_may_not(as_user, hood):
    [invitation] = _invite(hood, hood.amal)
    Membership.objects.filter(user=hood.amal).update(
        suspended_until=timezone.now() + timedelta(days=1)
    )
    response = as_user(hood.amal).post(hood.url("respond", invitation.pk), {"answer": "no"})
    assert response.status_code == 403
    Membership.objects.filter(user=hood.amal).update(suspended_until=None)

    cache.clear()
    response = as_user(hood.amal).post(hood.url("respond", invitation.pk), {"answer": "no"})
    assert response.status_code == 302


def test_an_offer_has_no_suggestions_page(as_user, hood):
    offer = PostFactory(neighbourhood=hood.p.ede, author=hood.p.fatima, side="offer")
    response = as_user(hood.p.fatima).get(hood.url("suggestions", offer.pk))
    assert response.status_code == 404
