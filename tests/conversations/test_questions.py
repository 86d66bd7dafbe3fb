"""Residents' questions to the first point of contact, as they always worked (moved here from
the neighbourhoods app): same pages, same addresses, the organisation's professionals answer."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from buurtnet.conversations import services
from buurtnet.conversations.models import Conversation
from buurtnet.neighbourhoods.models import Organisation
from buurtnet.notifications.models import Notification
from tests.conversations.helpers import text, url
from tests.factories import MembershipFactory

# Services --------------------------------------------------------------------------------------


def test_a_question_goes_to_the_first_point_of_contact(personas, question):
    assert question.organisation == personas.wijkteam
    assert question.status == "open"
    assert [m.body for m in question.messages.all()] == ["Where can we cook for forty people?"]
    notification = Notification.objects.get()
    assert notification.recipient == personas.anna
    assert notification.kind == "question_asked"
    assert notification.actor == personas.fatima
    assert notification.params == {
        "organisation": "Wijkteam Ede-Zuid",
        "subject": "A room for the dinner",
    }
    assert notification.url == url("detail", question.pk)


def test_the_professionals_are_mailed_with_the_notification_as_before(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.question_ask(
            neighbourhood=personas.ede, user=personas.daan, subject="Broken lift", body="Help"
        )
    [email] = mail.outbox
    assert email.to == [personas.anna.email]
    assert "Broken lift" in email.body


def test_every_professional_of_the_organisation_hears_of_it(personas):
    extra = MembershipFactory(
        neighbourhood=personas.ede, role="professional", organisation=personas.wijkteam
    )
    services.question_ask(
        neighbourhood=personas.ede, user=personas.daan, subject="Hi", body="Hello"
    )
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        personas.anna.pk,
        extra.user.pk,
    }


def test_without_a_first_point_of_contact_there_is_no_one_to_ask(personas):
    Organisation.objects.filter(pk=personas.wijkteam.pk).update(is_first_point_of_contact=False)
    with pytest.raises(ValidationError) as exc:
        services.question_ask(
            neighbourhood=personas.ede, user=personas.daan, subject="Hi", body="?"
        )
    assert exc.value.code == "no_first_point_of_contact"
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("who", ["anna", "olga"])
def test_only_residents_ask(personas, who):
    with pytest.raises(PermissionDenied):
        services.question_ask(
            neighbourhood=personas.ede, user=getattr(personas, who), subject="Hi", body="?"
        )


def test_a_question_needs_a_subject_and_words(personas):
    with pytest.raises(ValidationError) as exc:
        services.question_ask(neighbourhood=personas.ede, user=personas.daan, subject=" ", body="")
    assert set(exc.value.error_dict) == {"subject", "body"}


def test_an_answer_marks_the_question_answered_and_tells_the_resident(personas, question):
    Notification.objects.all().delete()
    services.message_send(conversation_id=question.pk, user=personas.anna, body="The Elskamp room!")
    question.refresh_from_db()
    assert question.status == "answered"
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (personas.fatima, "question_answered")
    assert notification.params == {
        "organisation": "Wijkteam Ede-Zuid",
        "subject": "A room for the dinner",
    }


def test_the_resident_replying_opens_it_again(personas, question):
    services.message_send(conversation_id=question.pk, user=personas.anna, body="The Elskamp room!")
    Notification.objects.all().delete()
    services.message_send(conversation_id=question.pk, user=personas.fatima, body="Thanks, when?")
    question.refresh_from_db()
    assert question.status == "open"
    assert list(Notification.objects.values_list("recipient", flat=True)) == [personas.anna.pk]
    assert question.messages.count() == 3


@pytest.mark.parametrize("who", ["daan", "sem", "henk", "olga"])
def test_only_the_asker_and_the_organisation_reply(personas, question, who):
    with pytest.raises(PermissionDenied):
        services.message_send(conversation_id=question.pk, user=getattr(personas, who), body="Hi")
    assert question.messages.count() == 1


# Pages -----------------------------------------------------------------------------------------


def test_a_resident_asks_from_the_page(client, personas):
    client.force_login(personas.daan)
    page = client.get(url("ask"))
    assert page.status_code == 200
    assert "Wijkteam Ede-Zuid" in text(page)
    response = client.post(url("ask"), {"subject": "Broken lift", "body": "Since Monday."})
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", conversation.pk)
    assert conversation.started_by == personas.daan


def test_the_addresses_of_questions_are_the_same_as_before(client, personas, question):
    assert url("ask") == "/n/ede-zuid/ask/"
    assert url("questions") == "/n/ede-zuid/questions/"
    old = f"/n/ede-zuid/questions/{question.pk}/"
    assert url("question", question.pk) == old
    client.force_login(personas.anna)
    assert "Where can we cook" in text(client.get(old))
    assert client.post(old, {"body": "In the Elskamp room."}).status_code == 302
    question.refresh_from_db()
    assert question.status == "answered"


def test_an_empty_question_is_explained_and_kept(client, personas):
    client.force_login(personas.daan)
    response = client.post(url("ask"), {"subject": "Broken lift", "body": "   "})
    assert response.status_code == 400
    assert 'value="Broken lift"' in text(response)
    assert "This field is required." in text(response)
    assert not Conversation.objects.exists()


def test_the_ask_page_says_plainly_when_there_is_no_one_to_ask(client, personas):
    Organisation.objects.filter(pk=personas.wijkteam.pk).update(is_first_point_of_contact=False)
    client.force_login(personas.daan)
    page = client.get(url("ask"))
    assert page.status_code == 200
    assert "has no first point of contact yet" in text(page)
    assert 'name="subject"' not in text(page)
    response = client.post(url("ask"), {"subject": "Hi", "body": "Anyone?"})
    assert response.status_code == 400
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("anna", 403), ("olga", 404)])
def test_the_ask_page_is_for_residents(client, personas, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(url("ask")).status_code == status


def test_a_resident_sees_only_their_own_questions(client, personas, question):
    services.question_ask(
        neighbourhood=personas.ede, user=personas.daan, subject="Daan's own", body="?"
    )
    client.force_login(personas.fatima)
    page = text(client.get(url("questions")))
    assert "A room for the dinner" in page
    assert "Daan&#x27;s own" not in page


def test_a_professional_sees_the_inbox_open_first(client, personas, question):
    later = services.question_ask(
        neighbourhood=personas.ede, user=personas.daan, subject="Later one", body="?"
    )
    services.message_send(conversation_id=later.pk, user=personas.anna, body="Done")
    client.force_login(personas.anna)
    page = text(client.get(url("questions")))
    assert page.index("A room for the dinner") < page.index("Later one")
    assert "asked by Fatima" in page
    client.force_login(personas.sem)
    assert "A room for the dinner" not in text(client.get(url("questions")))


@pytest.mark.parametrize(
    ("who", "status"),
    [("fatima", 200), ("anna", 200), ("daan", 404), ("sem", 404), ("henk", 404), ("olga", 404)],
)
def test_a_conversation_is_seen_only_by_the_asker_and_the_organisation(
    client, personas, question, who, status
):
    client.force_login(getattr(personas, who))
    response = client.get(url("detail", question.pk))
    assert response.status_code == status
    if status == 404:
        assert "Where can we cook" not in text(response)


def test_a_professional_answers_from_the_page(client, personas, question):
    client.force_login(personas.anna)
    response = client.post(url("detail", question.pk), {"body": "Use the Elskamp room."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == "answered"
    page = text(client.get(url("detail", question.pk)))
    assert "Use the Elskamp room." in page
    assert "(Wijkteam Ede-Zuid)" in page


def test_an_empty_reply_is_explained(client, personas, question):
    client.force_login(personas.fatima)
    response = client.post(url("detail", question.pk), {"body": ""})
    assert response.status_code == 400
    assert "This field is required." in text(response)
    assert question.messages.count() == 1


def test_questions_are_in_the_inbox_of_both_sides(client, personas, question):
    client.force_login(personas.fatima)
    page = text(client.get(url("inbox")))
    assert "A room for the dinner" in page
    assert "Your question to Wijkteam Ede-Zuid" in page
    client.force_login(personas.anna)
    page = text(client.get(url("inbox")))
    assert "A room for the dinner" in page and "asked by Fatima" in page


def test_a_new_question_is_unread_for_the_professional_until_opened(client, personas, question):
    client.force_login(personas.anna)
    assert "notification-new" in text(client.get(url("inbox")))
    client.get(url("detail", question.pk))
    assert "notification-new" not in text(client.get(url("inbox")))
    # The resident asked it: nothing new for her until the answer comes.
    client.force_login(personas.fatima)
    assert "notification-new" not in text(client.get(url("inbox")))
    services.message_send(conversation_id=question.pk, user=personas.anna, body="Yes!")
    assert "notification-new" in text(client.get(url("inbox")))


def test_opening_the_answer_reads_its_notification(client, personas, question):
    services.message_send(conversation_id=question.pk, user=personas.anna, body="Yes!")
    client.force_login(personas.fatima)
    client.get(url("detail", question.pk))
    assert not Notification.objects.filter(recipient=personas.fatima, read_at__isnull=True)


def test_conversation_pages_ask_visitors_to_log_in(client, personas, question):
    for page in (url("ask"), url("questions"), url("detail", question.pk)):
        assert client.get(page)["Location"].startswith(reverse("login"))
