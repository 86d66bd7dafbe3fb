"""Nobody can find out through the sign-up forms whether an email address has an account,
nobody can use them to guess codes or flood a mailbox, and nobody can choose the password of an
account for an address that is not theirs."""

import json
import re
from email.utils import parseaddr

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from buurtnet.neighbourhoods import services
from buurtnet.neighbourhoods.models import JoinRequest
from buurtnet.people.models import User
from tests.neighbourhoods.conftest import (
    CONFIRM_PATH,
    confirm_path,
    confirm_token,
    finish,
    logs_in,
    mails_to,
    shows,
    text,
)

# The CSRF token differs per visitor; it appears in every form and in htmx's headers.
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def visitor(address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_post(form: str, email: str, **overrides) -> tuple[str, dict]:
    data = {
        "display_name": "Noor",
        "email": email,
        "preferred_language": "en",
        **overrides,
    }
    if form == "code":
        return reverse("neighbourhoods:signup"), {"code": "KLMN-PQRS", **data}
    return reverse("neighbourhoods:ask_to_join", args=["ede-zuid"]), {"building": "", **data}


def comparable(response, email: str) -> str:
    """The page with the visitor's own CSRF token and the address they typed left out."""
    return CSRF.sub(r"\1…", text(response)).replace(email, "…")


FORMS = ["code", "ask"]
KNOWN, NEW = "daan@example.org", "noor@example.org"


@pytest.mark.parametrize("form", FORMS)
def test_a_known_and_a_new_address_get_the_same_answer(invite, form):
    answers = {}
    for email in (KNOWN, NEW):
        client = visitor()
        url, data = form_post(form, email)
        posted = client.post(url, data)
        page = client.get(posted["Location"])
        answers[email] = (
            posted.status_code,
            posted["Location"],
            posted.content,
            page.status_code,
            comparable(page, email),
        )
    assert answers[KNOWN] == answers[NEW]
    assert answers[NEW][:2] == (302, reverse("neighbourhoods:signup_sent"))
    assert User.objects.filter(email=NEW).count() == 0


@pytest.mark.parametrize("form", FORMS)
def test_a_mistake_is_answered_the_same_for_a_known_and_a_new_address(invite, form):
    answers = {}
    for email in (KNOWN, NEW):
        url, data = form_post(form, email, preferred_language="xx")
        response = visitor().post(url, data)
        answers[email] = (response.status_code, comparable(response, email))
    assert answers[KNOWN] == answers[NEW]
    assert answers[NEW][0] == 400
    assert "Select a valid choice. xx is not one of the available choices." in answers[NEW][1]
    assert mail.outbox == []


@pytest.mark.parametrize("form", FORMS)
def test_the_owner_of_a_known_address_hears_someone_tried(invite, form):
    url, data = form_post(form, "Daan@Example.org")
    visitor().post(url, data)
    (message,) = mails_to(KNOWN)
    assert message.subject == "[Buurtnet] You already have an account"
    assert "tried to make a new Buurtnet account with this email address, to join Ede-Zuid" in (
        message.body
    )
    assert f"{settings.SITE_URL}{reverse('login')}?next=" in message.body
    assert f"{settings.SITE_URL}{reverse('password_reset')}" in message.body
    assert not CONFIRM_PATH.search(message.body)
    assert User.objects.filter(email__iexact=KNOWN).count() == 1


@pytest.mark.parametrize("form", FORMS)
def test_a_new_address_gets_the_link(personas, invite, form):
    url, data = form_post(form, NEW)
    visitor().post(url, data)
    (message,) = mails_to(NEW)
    assert message.subject == "[Buurtnet] Confirm your email address"
    assert CONFIRM_PATH.search(message.body)
    assert "The link works for 3 days." in message.body


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("email", [KNOWN, NEW])
def test_both_emails_speak_the_language_chosen_on_the_form(invite, form, email):
    url, data = form_post(form, email, preferred_language="nl")
    visitor().post(url, data)
    (message,) = mails_to(email)
    html = next(body for body, mime in message.alternatives if mime == "text/html")
    assert '<html lang="nl">' in html


@pytest.mark.parametrize("form", FORMS)
def test_the_check_your_email_page_helps_a_resident_who_gets_nothing(invite, form):
    client = visitor()
    url, data = form_post(form, "noor@exmaple.org")
    page = client.get(client.post(url, data)["Location"])
    assert "<strong>noor@exmaple.org</strong>" in text(page)
    assert shows(page, "Look in your spam or junk folder too.")
    assert f"<strong>{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}</strong>" in text(page)
    # A typo in the address: back to the form, with everything filled in.
    back = re.search(r'href="([^"]+change=1)"', text(page)).group(1).replace("&amp;", "&")
    again = client.get(back)
    assert again.status_code == 200
    assert 'value="noor@exmaple.org"' in text(again)
    assert 'value="Noor"' in text(again)
    if form == "code":
        assert 'value="KLMN-PQRS"' in text(again)


def test_the_check_your_email_page_without_a_sign_up_leads_to_the_form(client, db):
    response = client.get(reverse("neighbourhoods:signup_sent"))
    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:signup")


# Rate limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_many_posts_from_one_address_are_slowed_down_kindly(invite, form):
    client = visitor("198.51.100.7")
    url, data = form_post(form, NEW, preferred_language="xx")
    for _attempt in range(30):
        assert client.post(url, data).status_code == 400
    response = client.post(url, data)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert shows(response, "That was a lot of tries in a short time. Please wait")
    assert 'value="Noor"' in text(response)
    assert f'value="{NEW}"' in text(response)
    assert mail.outbox == []
    # Someone else, elsewhere, is not slowed down.
    other = visitor("203.0.113.9")
    assert other.post(url, data).status_code == 400


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("email", [KNOWN, NEW])
def test_one_address_gets_at_most_five_sign_up_emails_an_hour(invite, form, email):
    url, data = form_post(form, email)
    for attempt in range(5):
        assert visitor(f"192.0.2.{attempt + 1}").post(url, data).status_code == 302
    response = visitor("192.0.2.99").post(url, data)
    assert response.status_code == 429
    assert shows(response, "Please wait")
    assert f'value="{email}"' in text(response)
    assert len(mails_to(email)) == 5


def test_a_signed_in_member_using_codes_is_slowed_down_too(client, invite, personas):
    client.force_login(personas.olga)
    for _attempt in range(30):
        assert (
            client.post(reverse("neighbourhoods:signup"), {"code": "ZZZZ-ZZZZ"}).status_code == 400
        )
    response = client.post(reverse("neighbourhoods:signup"), {"code": "KLMN-PQRS"})
    assert response.status_code == 429
    assert 'value="KLMN-PQRS"' in text(response)
    assert not personas.olga.memberships.filter(neighbourhood=personas.ede).exists()


# Choosing the password ------------------------------------------------------------------------

ATTACKER_PASSWORD = "the-attacker-knows-this-one"  # noqa: S105
VICTIM_PASSWORD = "only-noor-knows-this-one"  # noqa: S105


@pytest.mark.parametrize("form", FORMS)
def test_the_forms_ask_no_password_of_a_visitor(invite, form):
    url, _data = form_post(form, NEW)
    page = visitor().get(url)
    assert page.status_code == 200
    assert 'name="email"' in text(page)
    assert 'type="password"' not in text(page)
    assert shows(page, "There you choose your password.")


@pytest.mark.parametrize("form", FORMS)
def test_a_stranger_with_someone_elses_address_cannot_choose_their_password(invite, form):
    """Someone fills in the form with Noor's address, and a password they would like Noor's
    account to have. Noor trusts the email and confirms: the account gets her password."""
    stranger = visitor("198.51.100.66")
    url, data = form_post(form, NEW)
    sent = stranger.post(
        url, {**data, "password": ATTACKER_PASSWORD, "password_confirm": ATTACKER_PASSWORD}
    )
    assert sent.status_code == 302
    (message,) = mails_to(NEW)
    link = confirm_path(message)
    token = confirm_token(message)
    # What the stranger posted as a password went nowhere: not in the link, not in the email.
    assert ATTACKER_PASSWORD not in json.dumps(signing.loads(token, salt=services.SIGNUP_SALT))
    assert ATTACKER_PASSWORD not in message.body

    noor = visitor("203.0.113.5")
    page = noor.get(link)
    assert 'name="password"' in text(page)
    # Tapping the button without choosing a password makes nothing.
    assert noor.post(reverse("neighbourhoods:signup_finish"), {"token": token}).status_code == 400
    assert not User.objects.filter(email=NEW).exists()

    assert finish(noor, link, password=VICTIM_PASSWORD).status_code == 302
    account = User.objects.get(email=NEW)
    assert account.check_password(VICTIM_PASSWORD)
    assert not account.check_password(ATTACKER_PASSWORD)
    assert logs_in(NEW, VICTIM_PASSWORD)
    assert not logs_in(NEW, ATTACKER_PASSWORD)
    # The stranger's browser is not logged in to it either.
    assert "_auth_user_id" not in stranger.session


def test_a_stranger_holding_the_link_after_its_use_gets_nothing(personas):
    """Once the owner of the mailbox chose a password, the link cannot set another."""
    url, data = form_post("ask", NEW)
    visitor().post(url, data)
    link = confirm_path(mails_to(NEW)[0])
    assert finish(visitor(), link, password=VICTIM_PASSWORD).status_code == 302
    assert finish(visitor(), link, password=ATTACKER_PASSWORD).status_code == 409
    assert User.objects.get(email=NEW).check_password(VICTIM_PASSWORD)
    assert JoinRequest.objects.filter(user__email=NEW).count() == 1
