import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.core.task_helpers import DB_TASKS, run_worker

RESET = "/accounts/password/reset/"


def _html(message) -> str:
    return next(body for body, mime in message.alternatives if mime == "text/html")


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)


def test_the_reset_form_is_labelled(client, db):
    response = client.get(RESET)
    assert response.status_code == 200
    assert '<label for="id_email">Email address' in response.content.decode()


def test_the_email_follows_the_recipients_language_not_the_requesters(client, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    response = client.post(RESET, {"email": "daan@example.org"})
    assert response.status_code == 302
    assert response["Content-Language"] == "nl"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["daan@example.org"]
    assert '<html lang="en">' in _html(message)
    assert "Someone asked to set a new password for your Buurtnet account" in message.body
    assert "Hello Daan," in message.body


def test_a_dutch_recipient_gets_a_dutch_email_from_an_english_session(client, personas):
    personas.daan.preferred_language = "nl"
    personas.daan.save()
    client.post(RESET, {"email": "daan@example.org"})
    assert '<html lang="nl">' in _html(mail.outbox[0])


def test_the_link_sets_a_new_password(client, personas):
    client.post(RESET, {"email": "daan@example.org"})
    link = _link(mail.outbox[0])
    assert link.startswith(settings.SITE_URL)
    path = link.removeprefix(settings.SITE_URL)

    response = client.get(path)
    assert response.status_code == 302
    form_url = response.url
    response = client.get(form_url)
    assert response.status_code == 200
    assert "Choose a new password" in response.content.decode()

    new = "a-new-secret-for-daan-42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.url == reverse("password_reset_complete")
    personas.daan.refresh_from_db()
    assert personas.daan.check_password(new)

    response = client.post(reverse("login"), {"username": "daan@example.org", "password": new})
    assert response.status_code == 302


def test_the_link_works_only_once(client, personas):
    client.post(RESET, {"email": "daan@example.org"})
    path = _link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    form_url = client.get(path).url
    new = "a-new-secret-for-daan-42"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    response = client.get(path)
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


def test_mismatched_new_passwords_are_refused_with_400(client, personas):
    client.post(RESET, {"email": "daan@example.org"})
    path = _link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    form_url = client.get(path).url
    response = client.post(
        form_url, {"new_password1": "first-long-secret-1", "new_password2": "other-long-secret-2"}
    )
    assert response.status_code == 400
    personas.daan.refresh_from_db()
    assert personas.daan.check_password(personas.password)


def test_an_unknown_address_looks_the_same_but_sends_nothing(client, db):
    response = client.post(RESET, {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_an_inactive_person_gets_no_reset_email(client, personas):
    personas.daan.is_active = False
    personas.daan.save()
    client.post(RESET, {"email": "daan@example.org"})
    assert mail.outbox == []


def test_an_invalid_address_is_shown_again_with_400(client, db):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 400
    assert 'value="not an address"' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_request_only_queues_the_email_and_the_worker_sends_it(client, personas, settings):
    settings.TASKS = DB_TASKS
    personas.daan.preferred_language = "nl"
    personas.daan.save()

    response = client.post(RESET, {"email": "daan@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []
    # The queue holds the address asked for, nothing more: no link, no token, no password.
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "buurtnet.people.tasks.send_password_reset_email"
    assert queued.args_kwargs == {"args": [], "kwargs": {"email": "daan@example.org"}}

    run_worker()

    [message] = mail.outbox
    assert message.to == ["daan@example.org"]
    assert message.subject == "[Buurtnet] Kies een nieuw wachtwoord"
    assert '<html lang="nl">' in _html(message)
    path = _link(message).removeprefix(settings.SITE_URL)
    form_url = client.get(path).url
    new = "a-new-secret-for-daan-42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.url == reverse("password_reset_complete")
    personas.daan.refresh_from_db()
    assert personas.daan.check_password(new)


@pytest.mark.django_db(transaction=True)
def test_a_known_and_an_unknown_address_do_the_same_work_in_the_request(client, personas, settings):
    settings.TASKS = DB_TASKS
    known = client.post(RESET, {"email": "Daan@Example.org"})
    unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    # One queued task each: only the worker finds out which address has an account.
    assert sorted(r.args_kwargs["kwargs"]["email"] for r in DBTaskResult.objects.all()) == [
        "daan@example.org",
        "nobody@example.org",
    ]
    run_worker()
    assert [message.to for message in mail.outbox] == [["daan@example.org"]]


def test_asking_too_often_for_one_address_is_slowed_down_and_keeps_the_address(client, personas):
    for _attempt in range(5):
        assert client.post(RESET, {"email": "daan@example.org"}).status_code == 302
    response = client.post(RESET, {"email": "daan@example.org"})
    page = response.content.decode()
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "That was a lot of tries in a short time" in page
    assert 'value="daan@example.org"' in page
    assert len(mail.outbox) == 5
    # The same for an address without an account: the limit tells nothing.
    for _attempt in range(5):
        client.post(RESET, {"email": "nobody@example.org"})
    assert client.post(RESET, {"email": "nobody@example.org"}).status_code == 429


def test_one_client_asking_for_many_addresses_is_slowed_down(client, db):
    statuses = [
        client.post(RESET, {"email": f"guess{number}@example.org"}).status_code
        for number in range(21)
    ]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429


@pytest.mark.django_db(transaction=True)
def test_no_mail_for_someone_deactivated_before_the_worker_ran(client, personas, settings):
    settings.TASKS = DB_TASKS
    client.post(RESET, {"email": "daan@example.org"})
    personas.daan.is_active = False
    personas.daan.save()

    run_worker()

    assert mail.outbox == []
