"""Private conversations between members, started from something they can both see: here the
shared dinner (an initiative), standing in for an ask or offer."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.conversations import services
from buurtnet.conversations.models import Conversation, Message
from buurtnet.notifications.models import Kind, Notification
from tests.conversations.helpers import text, url
from tests.factories import InitiativeFactory, MembershipFactory, UserFactory


def start_url(personas, to, about: str | None = None) -> str:
    about = f"initiatives.initiative:{personas.initiative.pk}" if about is None else about
    query = f"?to={to.pk}" + (f"&about={about}" if about else "")
    return url("start") + query


def test_the_start_form_is_about_the_topic(client, personas):
    client.force_login(personas.daan)
    response = client.get(start_url(personas, personas.priya))
    page = text(response)
    assert response.status_code == 200
    assert "Write to Priya" in page
    assert 'value="Samen eten"' in page  # the subject, from the topic
    assert personas.initiative.get_absolute_url() in page
    assert '<label for="id_body">' in page


def test_a_name_in_the_start_form_is_text_never_markup(client, personas):
    personas.priya.display_name = '<img src=x onerror="alert(1)">Priya'
    personas.priya.save()
    client.force_login(personas.daan)
    page = client.get(start_url(personas, personas.priya)).content.decode()
    assert "<img src=x" not in page
    assert "Only you and <bdi>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Priya</bdi>" in page


def test_a_member_starts_a_conversation_with_a_first_message(client, personas):
    client.force_login(personas.daan)
    response = client.post(
        start_url(personas, personas.priya),
        {"subject": "Samen eten", "body": "Can I bring my big pan?"},
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", conversation.pk)
    assert conversation.organisation is None
    assert conversation.topic == personas.initiative
    assert conversation.started_by == personas.daan
    assert {p.user for p in conversation.participants.all()} == {personas.daan, personas.priya}
    assert [m.body for m in conversation.messages.all()] == ["Can I bring my big pan?"]
    notification = Notification.objects.get()
    assert notification.recipient == personas.priya
    assert notification.kind == Kind.MESSAGE_RECEIVED
    assert notification.params == {"subject": "Samen eten"}
    assert notification.url == url("detail", conversation.pk)


def test_both_read_and_write_in_it(client, personas, private):
    client.force_login(personas.priya)
    page = text(client.get(url("detail", private.pk)))
    assert "Can I bring my big pan?" in page
    assert '<div dir="auto"><p>Can I bring my big pan?</p></div>' in page
    assert '<h1 dir="auto">Samen eten</h1>' in page
    assert "A private conversation with" in page and "Daan" in page
    assert personas.initiative.get_absolute_url() in page  # what it is about

    response = client.post(url("detail", private.pk), {"body": "Yes please, it is big."})
    assert response.status_code == 302
    assert [m.author for m in private.messages.all()] == [personas.daan, personas.priya]
    client.force_login(personas.daan)
    assert "Yes please, it is big." in text(client.get(url("detail", private.pk)))
    assert Notification.objects.filter(recipient=personas.daan, kind="message_received").exists()


def test_the_page_shows_no_email_address_or_phone(client, personas, private):
    for who in (personas.daan, personas.priya):
        client.force_login(who)
        for page in (url("detail", private.pk), url("inbox"), start_url(personas, personas.priya)):
            html = text(client.get(page))
            assert "@example.org" not in html


def test_writing_again_about_the_same_thing_adds_to_the_open_conversation(
    client, personas, private
):
    client.force_login(personas.daan)
    page = text(client.get(start_url(personas, personas.priya)))
    assert "You already have an open conversation with Priya about this" in page
    response = client.post(
        start_url(personas, personas.priya), {"subject": "Again", "body": "And a ladle?"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", private.pk)
    assert Conversation.objects.count() == 1
    assert private.messages.count() == 2
    # From the other side too: the same two people, the same topic.
    again = services.conversation_start(
        neighbourhood=personas.ede,
        user=personas.priya,
        to_user=personas.daan,
        subject="Samen eten",
        body="Sure!",
        topic=personas.initiative,
    )
    assert again == private


def test_another_topic_or_a_closed_one_starts_a_new_conversation(personas, private):
    other = InitiativeFactory(
        neighbourhood=personas.ede, title="Koffie", created_by=personas.fatima
    )
    about_other = services.conversation_start(
        neighbourhood=personas.ede,
        user=personas.daan,
        to_user=personas.priya,
        subject="Koffie",
        body="Coffee?",
        topic=other,
    )
    assert about_other != private
    services.conversation_close(conversation_id=private.pk, user=personas.priya)
    fresh = services.conversation_start(
        neighbourhood=personas.ede,
        user=personas.daan,
        to_user=personas.priya,
        subject="Samen eten",
        body="Next time?",
        topic=personas.initiative,
    )
    assert fresh not in (private, about_other)


def test_a_conversation_from_a_profile_has_no_subject_yet(client, personas):
    client.force_login(personas.daan)
    response = client.get(url("start") + f"?about=people.user:{personas.priya.pk}")
    page = text(response)
    assert response.status_code == 200
    assert "Write to Priya" in page
    assert 'name="subject"' in page and 'value="Priya"' not in page
    response = client.post(
        url("start") + f"?to={personas.priya.pk}&about=people.user:{personas.priya.pk}",
        {"subject": "Hello", "body": "We met at the dinner."},
    )
    assert response.status_code == 302
    assert Conversation.objects.get().topic == personas.priya


def test_an_unlisted_profile_is_no_topic(client, personas):
    personas.priya.listed_in_directory = False
    personas.priya.save()
    client.force_login(personas.daan)
    assert client.get(url("start") + f"?about=people.user:{personas.priya.pk}").status_code == 404


@pytest.mark.parametrize(
    "about",
    [
        "initiatives.initiative:999999",  # missing
        "people.block:1",  # not something one talks about
        "nonsense",
        "initiatives.initiative:{other}",  # another neighbourhood's
    ],
)
def test_an_unknown_topic_is_not_found(client, personas, about):
    other = InitiativeFactory(neighbourhood=personas.other, title="Elders eten")
    client.force_login(personas.daan)
    response = client.get(start_url(personas, personas.priya, about.format(other=other.pk)))
    assert response.status_code == 404


@pytest.mark.parametrize("to", ["", "abc", "999999", "olga"])
def test_writing_to_someone_who_is_no_member_here_is_not_found(client, personas, to):
    to = str(personas.olga.pk) if to == "olga" else to
    client.force_login(personas.daan)
    assert client.get(url("start") + f"?to={to}").status_code == 404
    assert client.post(url("start") + f"?to={to}", {"subject": "a", "body": "b"}).status_code == 404
    assert not Conversation.objects.exists()


def test_one_cannot_write_to_oneself(client, personas):
    client.force_login(personas.daan)
    response = client.post(
        start_url(personas, personas.daan), {"subject": "Me", "body": "Note to self"}
    )
    assert response.status_code == 400
    assert "You cannot start a conversation with yourself." in text(response)
    assert "Note to self" in text(response)
    with pytest.raises(ValidationError):
        services.conversation_start(
            neighbourhood=personas.ede,
            user=personas.daan,
            to_user=personas.daan,
            subject="Me",
            body="Hi",
        )
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    ("subject", "body", "field_error"),
    [
        ("Samen eten", "", "This field is required."),
        ("Samen eten", "   ", "This field is required."),
        ("", "Hello", "This field is required."),
        ("Samen eten", "x" * 4001, "Ensure this value has at most 4000 characters"),
        ("s" * 151, "Hello", "Ensure this value has at most 150 characters"),
    ],
)
def test_bad_input_is_explained_and_kept(client, personas, subject, body, field_error):
    client.force_login(personas.daan)
    response = client.post(start_url(personas, personas.priya), {"subject": subject, "body": body})
    page = text(response)
    assert response.status_code == 400
    assert field_error in page
    if subject:
        assert f'value="{subject}"' in page
    if body.strip():
        assert body in page
    assert not Conversation.objects.exists()


def test_a_too_long_reply_is_explained_and_kept(client, personas, private):
    client.force_login(personas.priya)
    body = "y" * 4001
    response = client.post(url("detail", private.pk), {"body": body})
    assert response.status_code == 400
    assert "Ensure this value has at most 4000 characters" in text(response)
    assert body in text(response)
    assert private.messages.count() == 1


def test_the_inbox_has_questions_and_private_conversations_newest_first(
    client, personas, private, question
):
    services.message_send(conversation_id=private.pk, user=personas.priya, body="Newest")
    mine = services.conversation_start(
        neighbourhood=personas.ede,
        user=personas.fatima,
        to_user=personas.priya,
        subject="Pans",
        body="I have pans too",
    )
    client.force_login(personas.priya)
    page = text(client.get(url("inbox")))
    assert page.index(">Pans<") < page.index(">Samen eten<")
    assert "With Fatima" in page and "With Daan" in page
    assert "A room for the dinner" not in page  # Fatima's question is not Priya's
    # Fatima: her question and her conversation with Priya.
    client.force_login(personas.fatima)
    page = text(client.get(url("inbox")))
    assert "A room for the dinner" in page and "Pans" in page and "Samen eten" not in page
    assert mine.pk


def test_unread_conversations_are_marked_until_opened(client, personas, private):
    client.force_login(personas.priya)
    page = text(client.get(url("inbox")))
    assert page.count("notification-new") == 1
    client.get(url("detail", private.pk))
    assert "notification-new" not in text(client.get(url("inbox")))
    assert not Notification.objects.filter(recipient=personas.priya, read_at__isnull=True)
    # Daan wrote it: nothing new for him, until Priya answers.
    client.force_login(personas.daan)
    assert "notification-new" not in text(client.get(url("inbox")))
    services.message_send(conversation_id=private.pk, user=personas.priya, body="Sure")
    assert "notification-new" in text(client.get(url("inbox")))


def test_the_inbox_runs_the_same_queries_for_few_or_many(client, personas, private, question):
    client.force_login(personas.priya)
    client.get(url("inbox"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("inbox"))
    for n in range(8):
        neighbour = UserFactory(display_name=f"Neighbour {n}")
        MembershipFactory(user=neighbour, neighbourhood=personas.ede)
        services.conversation_start(
            neighbourhood=personas.ede,
            user=neighbour,
            to_user=personas.priya,
            subject=f"Hello {n}",
            body="Hi",
        )
    client.get(url("inbox"))  # the header's count is kept from here on, as for `few`
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("inbox"))
    assert "Hello 7" in text(response)
    assert len(many) == len(few), [q["sql"] for q in many]


def test_the_header_links_to_messages_with_the_unread_count(client, personas, private):
    client.force_login(personas.priya)
    page = text(client.get(url("questions")))
    assert url("inbox") in page
    assert '<span id="messages-badge"> <span class="badge">1<' in page
    client.get(url("detail", private.pk))
    page = text(client.get(url("questions")))
    assert '<span id="messages-badge"></span>' in page


def test_the_header_count_is_counted_at_login_then_kept(client, personas, private):
    partners = reverse("neighbourhoods:organisations", args=["ede-zuid"])
    client.force_login(personas.priya)
    with CaptureQueriesContext(connection) as pages:
        client.get(partners)
        client.get(partners)
    assert not [q for q in pages if "conversations_" in q["sql"]]
    # Reading, and a new message, are seen on the next page (counted once again).
    services.conversation_read(conversation=private, user=personas.priya)
    with CaptureQueriesContext(connection) as recount:
        assert '<span id="messages-badge"></span>' in text(client.get(partners))
    assert len([q for q in recount if "conversations_" in q["sql"]]) == 1
    services.message_send(conversation_id=private.pk, user=personas.daan, body="Hello?")
    assert '<span class="badge">1<' in text(client.get(partners))


def test_a_hidden_message_is_hidden_for_everyone(client, personas, private):
    Message.objects.filter(conversation=private).update(hidden_at=private.created_at)
    for who in (personas.daan, personas.priya):
        client.force_login(who)
        page = text(client.get(url("detail", private.pk)))
        assert "This message was hidden by a host." in page
        assert "Can I bring my big pan?" not in page
