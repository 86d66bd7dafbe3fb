"""The link in the sign-up email: its owner chooses the password there; it makes the account
once, and a bad or old link is explained."""

import json
import logging
import threading
import time

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from buurtnet.neighbourhoods import services, tasks
from buurtnet.neighbourhoods.models import JoinRequest, Membership
from buurtnet.people.models import User
from tests.factories import HomeFactory, InviteCodeFactory, NeighbourhoodFactory
from tests.neighbourhoods.conftest import (
    PASSWORD,
    confirm_path,
    confirm_token,
    finish,
    logs_in,
    mails_to,
    shows,
    text,
    token_of,
)

ACCOUNT = {"display_name": "Yusuf", "email": "yusuf@example.org", "preferred_language": "en"}
FINISH = reverse("neighbourhoods:signup_finish")


def visitor() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def code_link(code: str = "KLMN-PQRS", **overrides) -> str:
    email = services.signup_with_code_start(code=code, **{**ACCOUNT, **overrides})
    return confirm_path(mails_to(email)[-1])


def test_the_link_holds_no_password_material(invite, personas):
    services.signup_with_code_start(code="KLMN-PQRS", **ACCOUNT)
    services.signup_with_request_start(
        neighbourhood=personas.ede,
        building=personas.elskamp,
        message="3rd floor",
        **{**ACCOUNT, "email": "noor@example.org"},
    )
    with_code = signing.loads(
        confirm_token(mails_to("yusuf@example.org")[0]), salt=services.SIGNUP_SALT
    )
    asking = signing.loads(
        confirm_token(mails_to("noor@example.org")[0]), salt=services.SIGNUP_SALT
    )
    assert with_code == {
        "email": "yusuf@example.org",
        "name": "Yusuf",
        "lang": "en",
        "code": "KLMN-PQRS",
    }
    assert asking == {
        "email": "noor@example.org",
        "name": "Yusuf",
        "lang": "en",
        "neighbourhood": personas.ede.pk,
        "building": personas.elskamp.pk,
        "message": "3rd floor",
    }


def test_the_queued_email_holds_no_working_link(invite, monkeypatch):
    """The task's arguments are kept in the database (and its backups): they must not be a link
    that makes the account."""
    queued = []
    real = tasks.send_signup_email

    class Recorder:
        def enqueue(self, **kwargs):
            queued.append(kwargs)
            return real.enqueue(**kwargs)

    monkeypatch.setattr(tasks, "send_signup_email", Recorder())
    services.signup_with_code_start(code="KLMN-PQRS", **ACCOUNT)
    (arguments,) = queued
    assert arguments == {
        "details": {
            "email": "yusuf@example.org",
            "name": "Yusuf",
            "lang": "en",
            "code": "KLMN-PQRS",
        }
    }
    token = confirm_token(mails_to("yusuf@example.org")[0])
    assert token not in json.dumps(arguments)


def test_opening_the_link_changes_nothing_until_the_button_is_tapped(client, invite):
    page = client.get(code_link())
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    assert shows(page, "Create my account")
    assert shows(page, "Then your account is made and you join Ede-Zuid.")
    assert 'type="password"' in text(page)
    assert not User.objects.filter(email="yusuf@example.org").exists()


def test_the_account_gets_the_password_chosen_on_the_link_page(client, invite):
    chosen = "Balkon-met-geraniums-7"  # noqa: S105
    assert finish(client, code_link(), password=chosen).status_code == 302
    user = User.objects.get(email="yusuf@example.org")
    assert user.check_password(chosen)
    assert logs_in("yusuf@example.org", chosen)


def test_the_link_page_keeps_the_token_out_of_where_requests_come_from(client, invite):
    link = code_link()
    page = client.get(link)
    assert page["Referrer-Policy"] == "strict-origin"
    # The form posts the token in its body, to an address without it.
    assert f'<form method="post" action="{FINISH}"' in text(page)
    assert f'name="token" value="{token_of(link)}"' in text(page)


def test_the_finishing_address_only_takes_posts(client, db):
    assert client.get(FINISH).status_code == 405


def test_the_link_page_speaks_the_language_chosen_on_the_form(client, invite):
    page = client.get(code_link(preferred_language="nl"))
    assert '<html lang="nl"' in text(page)


def test_the_link_makes_the_account_only_once(invite):
    link = code_link()
    first, second = visitor(), visitor()
    assert finish(first, link).status_code == 302
    again = finish(second, link, password="another-password-altogether")  # noqa: S106
    assert again.status_code == 409
    assert shows(again, "This link has been used already, so your account exists.")
    assert reverse("login") in text(again)
    assert reverse("password_reset") in text(again)
    assert User.objects.filter(email="yusuf@example.org").count() == 1
    assert Membership.objects.filter(invite=invite).count() == 1
    assert "_auth_user_id" not in second.session
    assert User.objects.get(email="yusuf@example.org").check_password(PASSWORD)
    # Opened later on another phone: the page says what happened, and asks for no password.
    later = visitor().get(link)
    assert later.status_code == 200
    assert shows(later, "This link has been used already, so your account exists.")
    assert 'type="password"' not in text(later)


def test_the_link_opened_again_on_the_same_phone_just_goes_in(invite):
    link = code_link()
    phone = visitor()
    finish(phone, link)
    home = reverse("front:member_home", args=[invite.neighbourhood.slug])
    assert phone.get(link)["Location"] == home
    assert finish(phone, link)["Location"] == home
    assert Membership.objects.filter(invite=invite).count() == 1


def test_a_link_whose_code_was_used_up_meanwhile_says_so(invite):
    invite.max_uses = 1
    invite.save()
    first = code_link(email="first@example.org")
    late = code_link(email="late@example.org")
    assert finish(visitor(), first).status_code == 302
    page = visitor().get(late)
    assert page.status_code == 200
    assert shows(page, "This code has been used by 1 person already")
    assert reverse("neighbourhoods:ask_to_join", args=["ede-zuid"]) in text(page)
    assert 'type="password"' not in text(page)
    refused = finish(visitor(), late)
    assert refused.status_code == 409
    assert shows(refused, "This code has been used by 1 person already")
    assert not User.objects.filter(email="late@example.org").exists()


def test_a_link_whose_code_was_revoked_meanwhile_says_so(invite, personas):
    link = code_link()
    services.invite_revoke(code_id=invite.pk, host=personas.henk)
    response = finish(visitor(), link)
    assert response.status_code == 409
    assert shows(response, "This code is no longer valid.")
    assert not User.objects.filter(email="yusuf@example.org").exists()


def test_an_expired_link_is_explained(invite, monkeypatch):
    four_days_ago = time.time() - 4 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: four_days_ago)
    link = code_link()
    monkeypatch.undo()
    for response, status in ((visitor().get(link), 200), (finish(visitor(), link), 400)):
        assert response.status_code == status
        assert shows(response, "This link has expired: it works for 3 days.")
        # Back to the form, with the code filled in.
        assert f"{reverse('neighbourhoods:signup')}?code=KLMN-PQRS" in text(response)
    assert not User.objects.filter(email="yusuf@example.org").exists()


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "a:b:c",
        signing.dumps({"email": "x@example.org"}, salt="another-purpose"),
        signing.dumps({"email": "x@example.org"}, salt=services.SIGNUP_SALT),
        signing.dumps(["not", "a", "dict"], salt=services.SIGNUP_SALT),
    ],
)
def test_a_made_up_link_is_explained_and_refused(client, invite, token):
    url = reverse("neighbourhoods:signup_confirm", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert shows(page, "This link is not complete or not valid.")
    assert 'type="password"' not in text(page)
    refused = finish(client, url)
    assert refused.status_code == 400
    assert shows(refused, "This link is not complete or not valid.")
    assert not User.objects.filter(email="x@example.org").exists()


def test_a_post_without_a_link_is_a_bad_request(client, invite):
    response = client.post(FINISH, {"password": PASSWORD, "password_confirm": PASSWORD})
    assert response.status_code == 400
    assert shows(response, "This link is not complete or not valid.")


def test_a_tampered_link_is_a_bad_request(client, invite):
    token = token_of(code_link())
    value, signature = token.rsplit(":", 1)
    forged = f"{value[:-2]}{'A' if value[-2] != 'A' else 'B'}{value[-1]}:{signature}"
    response = finish(client, f"/join/confirm/{forged}/")
    assert response.status_code == 400
    assert not User.objects.filter(email="yusuf@example.org").exists()


def test_no_refusal_writes_the_token_to_the_log(client, invite, monkeypatch, caplog):
    """Django logs the path of every 4xx answer: a path with a token must never be one."""
    fine = code_link()
    used = code_link(email="used@example.org")
    finish(visitor(), used)
    four_days_ago = time.time() - 4 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: four_days_ago)
    expired = code_link(email="late@example.org")
    monkeypatch.undo()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="django.request"):
        for link in (fine, used, expired, "/join/confirm/made-up/"):
            visitor().get(link)
            finish(visitor(), link, password="12345678")  # noqa: S106
            finish(visitor(), link)
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"]
    for record in caplog.records:
        for link in (fine, used, expired, "/join/confirm/made-up/"):
            assert token_of(link) not in record.getMessage()


def test_the_join_request_link_asks_the_hosts_and_lands_on_the_request(client, personas):
    email = services.signup_with_request_start(
        neighbourhood=personas.ede, building=personas.elskamp, message="3rd floor", **ACCOUNT
    )
    link = confirm_path(mails_to(email)[0])
    page = client.get(link)
    assert shows(page, "your request to join Ede-Zuid goes to its hosts")
    # Whoever confirms sees what the hosts will read, whoever filled in the form.
    assert '<dd dir="auto">3rd floor</dd>' in text(page)
    assert '<dd dir="auto">de Elskamp</dd>' in text(page)
    assert shows(page, "Create my account and send my request")
    response = finish(client, link)
    assert response["Location"] == reverse("neighbourhoods:ask_to_join", args=["ede-zuid"])
    request = JoinRequest.objects.get(user__email="yusuf@example.org")
    assert (request.status, request.building, request.message) == (
        "pending",
        personas.elskamp,
        "3rd floor",
    )
    assert shows(client.get(response["Location"]), "A host will look at your request")
    # Opened once more on the same phone: back to the request, not a page about a used link.
    assert client.get(link)["Location"] == response["Location"]
    assert finish(visitor(), link).status_code == 409
    assert JoinRequest.objects.filter(user__email="yusuf@example.org").count() == 1


# Two taps at once ------------------------------------------------------------------------------


def _start(kind: str, neighbourhood) -> str:
    if kind == "code":
        email = services.signup_with_code_start(code="RACE-CODE", **ACCOUNT)
    else:
        email = services.signup_with_request_start(neighbourhood=neighbourhood, **ACCOUNT)
    return confirm_path(mails_to(email)[0])


@pytest.fixture
def race(db):
    ede = NeighbourhoodFactory(slug="race")
    return InviteCodeFactory(
        neighbourhood=ede, home=HomeFactory(building__neighbourhood=ede), code="RACE-CODE"
    )


def _made_once(invite) -> None:
    assert User.objects.filter(email="yusuf@example.org").count() == 1
    joined = Membership.objects.filter(user__email="yusuf@example.org").count()
    asked = JoinRequest.objects.filter(user__email="yusuf@example.org").count()
    assert joined + asked == 1


@pytest.mark.parametrize("kind", ["code", "request"])
def test_a_second_tap_that_missed_the_first_account_still_makes_nothing(race, kind, monkeypatch):
    """Both taps may look for the account before either made it: the database stops the second."""
    link = _start(kind, race.neighbourhood)
    assert finish(visitor(), link).status_code == 302
    monkeypatch.setattr(services, "signup_link_used", lambda link: False)
    second = finish(visitor(), link, password="the-second-phone-password")  # noqa: S106
    assert second.status_code == 409
    assert shows(second, "This link has been used already")
    _made_once(race)
    assert User.objects.get(email="yusuf@example.org").check_password(PASSWORD)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time (BEGIN IMMEDIATE); the in-memory test database "
    "refuses the second instead of letting it wait",
)
@pytest.mark.parametrize("kind", ["code", "request"])
def test_one_link_tapped_twice_at_the_same_moment_makes_one_account(race, kind):
    link = _start(kind, race.neighbourhood)
    phones = [visitor(), visitor()]
    for phone in phones:
        phone.get(link)  # the page with the button
    barrier = threading.Barrier(len(phones))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def tap(phone: Client) -> None:
        try:
            barrier.wait()
            statuses.append(finish(phone, link).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(statuses) == [302, 409]
    _made_once(race)
