"""Sign-up reports every problem in one answer, each beside its field, and keeps what was typed.

Signing up takes two forms (see services): the code with a name and an address, then, on the
emailed link's page, the password twice. Each reports all its problems at once.
"""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from buurtnet.neighbourhoods import services
from buurtnet.people.models import User
from tests.neighbourhoods.conftest import confirm_path, finish, mails_to, text

SIGNUP = "/join/"
GOOD = {"display_name": "Yusuf", "email": "yusuf@example.org", "preferred_language": "en"}
UNKNOWN_CODE = "We do not know this code."
REVOKED_CODE = "This code is no longer valid."
MISMATCH = "The two passwords are not the same."
NUMERIC = "This password is entirely numeric."
TOO_SHORT = "This password is too short"


def field_errors(response, name: str) -> str:
    """The errors shown beside one field ("" when it has none)."""
    found = re.search(
        rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', text(response), re.S
    )
    return found.group(1) if found else ""


def password_inputs_are_empty(response) -> bool:
    inputs = re.findall(r'<input type="password"[^>]*>', text(response))
    return len(inputs) == 2 and not any("value=" in tag for tag in inputs)


def form_errors(response) -> str:
    """Errors shown above the form, about no field in particular."""
    found = re.search(r'<div class="form-errors"[^>]*>(.*?)</div>', text(response), re.S)
    return found.group(1) if found else ""


# The form with the code ------------------------------------------------------------------------


def test_a_wrong_code_is_reported_with_the_other_mistakes(client, invite):
    response = client.post(
        SIGNUP,
        {"code": "ZZZZ-ZZZZ", **GOOD, "display_name": "", "email": "not-an-address"},
    )
    assert response.status_code == 400
    assert escape(UNKNOWN_CODE) in field_errors(response, "code")
    assert field_errors(response, "display_name")
    assert field_errors(response, "email")
    assert field_errors(response, "preferred_language") == ""
    assert form_errors(response) == ""
    # What was typed stays, to fix it.
    assert 'value="ZZZZ-ZZZZ"' in text(response)
    assert 'value="not-an-address"' in text(response)
    assert mail.outbox == []


def test_a_revoked_code_is_reported_beside_a_bad_address(client, invite):
    invite.revoked_at = timezone.now()
    invite.save()
    response = client.post(SIGNUP, {"code": "klmn pqrs", **GOOD, "email": "yusuf@"})
    assert response.status_code == 400
    assert escape(REVOKED_CODE) in field_errors(response, "code")
    assert field_errors(response, "email")
    assert 'value="Yusuf"' in text(response)
    assert 'value="yusuf@"' in text(response)


def test_a_good_code_says_nothing_when_only_the_address_is_wrong(client, invite):
    response = client.post(SIGNUP, {"code": "KLMN-PQRS", **GOOD, "email": "yusuf@"})
    assert response.status_code == 400
    assert field_errors(response, "code") == ""
    assert field_errors(response, "email")
    assert 'value="KLMN-PQRS"' in text(response)


def test_a_missing_code_is_only_said_once(client, invite):
    response = client.post(SIGNUP, {"code": "", **GOOD, "email": "yusuf@"})
    assert response.status_code == 400
    assert field_errors(response, "code").count("<li>") == 1
    assert field_errors(response, "email")


def test_a_signed_in_person_with_a_wrong_code_hears_it_once(client, invite, personas):
    client.force_login(personas.olga)
    response = client.post(SIGNUP, {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 400
    assert field_errors(response, "code").count("<li>") == 1
    assert escape(UNKNOWN_CODE) in field_errors(response, "code")


def test_the_code_check_changes_nothing(invite):
    assert services.invite_code_check(code="klmnpqrs") is None
    with pytest.raises(ValidationError) as exc:
        services.invite_code_check(code="ZZZZ-ZZZZ")
    assert exc.value.error_dict["code"][0].code == "invite_unknown"
    assert mail.outbox == []


# The page of the emailed link: the password ----------------------------------------------------


@pytest.fixture
def link(client, invite) -> str:
    client.post(SIGNUP, {"code": "KLMN-PQRS", **GOOD})
    return confirm_path(mails_to("yusuf@example.org")[0])


def test_a_weak_password_and_a_mismatch_are_reported_together(client, link):
    response = finish(client, link, password="1234", again="12345")  # noqa: S106
    assert response.status_code == 400
    beside_password = field_errors(response, "password")
    assert NUMERIC in beside_password
    assert TOO_SHORT in beside_password
    assert MISMATCH in field_errors(response, "password_confirm")
    assert form_errors(response) == ""
    # Passwords are never sent back; the link's token is, to try again.
    assert "1234" not in text(response)
    assert password_inputs_are_empty(response)
    assert f'value="{link.rstrip("/").rsplit("/", 1)[1]}"' in text(response)
    assert not User.objects.filter(email="yusuf@example.org").exists()


def test_a_password_like_the_address_is_reported_with_the_mismatch(client, link):
    response = finish(client, link, password="yusuf@example.org", again="other")  # noqa: S106
    assert response.status_code == 400
    assert "too similar to the email address" in field_errors(response, "password")
    assert MISMATCH in field_errors(response, "password_confirm")
    assert password_inputs_are_empty(response)


def test_a_good_password_typed_differently_only_hears_of_the_mismatch(client, link):
    response = finish(client, link, password="a-long-neighbourly-secret", again="a-long-one")  # noqa: S106
    assert response.status_code == 400
    assert field_errors(response, "password") == ""
    assert MISMATCH in field_errors(response, "password_confirm")


def test_after_all_the_mistakes_the_link_still_works(client, link):
    finish(client, link, password="1234", again="12345")  # noqa: S106
    assert finish(client, link).status_code == 302
    assert User.objects.filter(email="yusuf@example.org").exists()


def test_a_link_whose_code_was_revoked_says_so_before_any_password(client, invite, link):
    # The code is not typed on this page; when it stopped working, choosing a password cannot
    # help, so the page explains the code (as before) instead of judging the passwords.
    invite.revoked_at = timezone.now()
    invite.save()
    response = finish(client, link, password="1234", again="12345")  # noqa: S106
    assert response.status_code == 409
    assert escape(REVOKED_CODE) in text(response)
    assert NUMERIC not in text(response)


def test_the_password_check_changes_nothing(client, link):
    link_data = services.signup_link_read(link.rstrip("/").rsplit("/", 1)[1])
    with pytest.raises(ValidationError) as exc:
        services.signup_password_check(link=link_data, password="1234")  # noqa: S106
    assert set(exc.value.error_dict) == {"password"}
    services.signup_password_check(link=link_data, password="a-long-neighbourly-secret")  # noqa: S106
    assert not User.objects.filter(email="yusuf@example.org").exists()


# Asking to join without a code (by email) ------------------------------------------------------


def test_asking_to_join_reports_every_mistake_at_once(client, personas):
    response = client.post(
        reverse("neighbourhoods:ask_to_join", args=["ede-zuid"]),
        {
            "display_name": "",
            "email": "not-an-address",
            "preferred_language": "xx",
            "message": "x" * 1001,
        },
    )
    assert response.status_code == 400
    for name in ("display_name", "email", "preferred_language", "message"):
        assert field_errors(response, name), name
    assert 'value="not-an-address"' in text(response)
    assert mail.outbox == []
