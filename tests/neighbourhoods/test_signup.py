import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtnet.neighbourhoods import services
from buurtnet.neighbourhoods.models import JoinRequest, Membership
from buurtnet.people.models import User
from tests.factories import (
    HomeFactory,
    InviteCodeFactory,
    MembershipFactory,
    NeighbourhoodFactory,
    UserFactory,
)
from tests.neighbourhoods.conftest import (
    CONFIRM_PATH,
    PASSWORD,
    confirm_path,
    confirm_token,
    finish,
    mails_to,
    shows,
    text,
)

SIGNUP = "/join/"
GOOD = {"display_name": "Yusuf", "email": "yusuf@example.org", "preferred_language": "en"}


def start(code="KLMN-PQRS", **overrides) -> str:
    return services.signup_with_code_start(code=code, **{**GOOD, **overrides})


def signup(code="KLMN-PQRS", **overrides):
    """The whole sign-up: the form, then the link from the email."""
    email = start(code, **overrides)
    return services.signup_confirm(token=confirm_token(mails_to(email)[-1]), password=PASSWORD)


def error_codes(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


@pytest.mark.parametrize(
    "typed", ["KLMN-PQRS", "klmn-pqrs", " klmn pqrs ", "KLMNPQRS", "klmn–pqrs", "Klmn.Pqrs"]
)
def test_it_accepts_the_code_however_it_is_typed(typed):
    assert services.normalise_invite_code(typed) == "KLMN-PQRS"


def test_signing_up_with_a_code_makes_a_resident_of_that_home(invite):
    membership = signup()
    user = membership.user
    assert user.email == "yusuf@example.org"
    assert user.check_password(PASSWORD)
    assert user.preferred_language == "en"
    assert membership.neighbourhood == invite.neighbourhood
    assert membership.role == "resident"
    assert membership.home == invite.home
    assert membership.building == invite.home.building
    assert membership.invite == invite


def test_the_form_alone_makes_no_account_it_mails_a_link(invite):
    assert start(email=" Yusuf@Example.org ") == "yusuf@example.org"
    assert not User.objects.filter(email=GOOD["email"]).exists()
    assert not Membership.objects.filter(invite=invite).exists()
    (message,) = mails_to("yusuf@example.org")
    assert confirm_path(message).startswith("/join/confirm/")


def test_it_rejects_unknown_codes(invite):
    with pytest.raises(ValidationError) as exc:
        start(code="ZZZZ-ZZZZ")
    assert error_codes(exc) == {"code": ["invite_unknown"]}
    assert mail.outbox == []


def test_it_rejects_revoked_codes(invite):
    invite.revoked_at = timezone.now()
    invite.save()
    with pytest.raises(ValidationError) as exc:
        start()
    assert error_codes(exc) == {"code": ["invite_revoked"]}
    assert mail.outbox == []


def test_it_rejects_codes_whose_household_is_complete(invite):
    signup(email="first@example.org")
    signup(email="second@example.org")
    with pytest.raises(ValidationError) as exc:
        start(email="third@example.org")
    assert error_codes(exc) == {"code": ["invite_used_up"]}
    assert Membership.objects.filter(invite=invite).count() == 2
    assert mails_to("third@example.org") == []


def test_a_member_who_leaves_frees_a_place_in_the_household(invite):
    signup(email="first@example.org")
    second = signup(email="second@example.org")
    second.delete()
    assert signup(email="third@example.org").invite == invite


def test_a_known_address_gets_no_link_but_hears_how_to_log_in(invite, personas):
    assert start(email="DAAN@example.org", preferred_language="en") == "daan@example.org"
    (message,) = mails_to("daan@example.org")
    assert not CONFIRM_PATH.search(message.body)
    assert "You already have an account" in message.subject
    assert "Hello Daan," in message.body
    assert f"{settings.SITE_URL}/accounts/login/?next=%2Fjoin%2F%3Fcode%3DKLMN-PQRS" in message.body
    assert f"{settings.SITE_URL}/accounts/password/reset/" in message.body
    # What the stranger typed (their name) never reaches the owner.
    assert "Yusuf" not in message.body
    assert User.objects.filter(email__iexact="daan@example.org").count() == 1
    assert not Membership.objects.filter(invite=invite).exists()


def test_it_reports_every_problem_at_once(invite, personas):
    with pytest.raises(ValidationError) as exc:
        start(code="nope", email="not-an-address", display_name=" ", preferred_language="xx")
    assert set(error_codes(exc)) == {"code", "email", "display_name", "preferred_language"}
    assert mail.outbox == []


@pytest.mark.parametrize("password", ["yusuf@example.org", "12345678", "short", ""])
def test_it_applies_the_password_rules_when_the_link_is_used(invite, password):
    token = confirm_token(mails_to(start())[0])
    with pytest.raises(ValidationError) as exc:
        services.signup_confirm(token=token, password=password)
    assert set(exc.value.error_dict) == {"password"}
    assert not User.objects.filter(email=GOOD["email"]).exists()
    # The link still works, with a good password.
    assert services.signup_confirm(token=token, password=PASSWORD).user.email == GOOD["email"]


def test_a_signed_in_person_can_join_a_second_neighbourhood(invite, personas):
    membership = services.invite_redeem(code="klmnpqrs", user=personas.olga)
    assert membership.neighbourhood == personas.ede
    assert set(personas.olga.memberships.values_list("neighbourhood__slug", flat=True)) == {
        "ede-zuid",
        "elders",
    }


def test_a_member_cannot_use_a_code_of_their_own_neighbourhood(invite, personas):
    with pytest.raises(ValidationError) as exc:
        services.invite_redeem(code="KLMN-PQRS", user=personas.daan)
    assert error_codes(exc) == {"code": ["already_member"]}
    assert not Membership.objects.filter(invite=invite).exists()


def test_a_code_settles_a_waiting_request_to_join(invite, personas):
    JoinRequest.objects.create(neighbourhood=personas.ede, user=personas.olga)
    services.invite_redeem(code="KLMN-PQRS", user=personas.olga)
    assert JoinRequest.objects.get(user=personas.olga).status == "approved"


def test_it_locks_the_code_while_counting_the_household(invite, personas):
    with CaptureQueriesContext(connection) as queries:
        services.invite_redeem(code="KLMN-PQRS", user=personas.olga)
    lookups = [
        q["sql"] for q in queries.captured_queries if "neighbourhoods_invitecode" in q["sql"]
    ]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in lookups[0]
    else:
        # SQLite takes the database's write lock as the transaction begins (IMMEDIATE mode).
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="needs row locks (PostgreSQL)"
)
def test_two_neighbours_racing_for_the_last_place_cannot_both_get_it():
    ede = NeighbourhoodFactory(slug="race")
    invite = InviteCodeFactory(
        neighbourhood=ede, home=HomeFactory(building__neighbourhood=ede), code="RACE-CODE"
    )
    MembershipFactory(neighbourhood=ede, invite=invite, home=invite.home)
    late = UserFactory()
    outcome: dict[str, object] = {}

    def redeem_in_another_connection() -> None:
        try:
            services.invite_redeem(code="RACE-CODE", user=late)
            outcome["result"] = "joined"
        except ValidationError as exc:
            outcome["result"] = exc.error_dict["code"][0].code
        finally:
            connections.close_all()

    from django.db import transaction

    with transaction.atomic():
        # This transaction holds the code while it takes the last place ...
        services.invite_redeem(code="RACE-CODE", user=UserFactory())
        other = threading.Thread(target=redeem_in_another_connection)
        other.start()
        time.sleep(0.5)
        # ... so the other one waits instead of counting a household that is about to change.
        assert other.is_alive()
    other.join(timeout=10)
    assert outcome["result"] == "invite_used_up"
    assert Membership.objects.filter(invite=invite).count() == 2


# The page --------------------------------------------------------------------------------------


def test_the_code_from_the_letter_is_filled_in(client, db):
    response = client.get(SIGNUP, {"code": "klmn pqrs"})
    assert response.status_code == 200
    assert 'value="KLMN-PQRS"' in text(response)
    assert "next=%2Fjoin%2F%3Fcode%3DKLMN-PQRS" in text(response)


def test_a_visitor_asks_no_password_on_the_form(client, invite):
    page = text(client.get(SIGNUP))
    assert 'name="email"' in page
    assert 'type="password"' not in page
    assert "there you choose your password" in page


def test_a_visitor_signs_up_through_the_emailed_link_and_lands_on_the_member_home(client, invite):
    response = client.post(SIGNUP, {"code": "klmn-pqrs", **GOOD})
    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:signup_sent")
    assert not User.objects.filter(email="yusuf@example.org").exists()
    sent = client.get(response["Location"])
    assert shows(sent, "Check your email")
    assert "<strong>yusuf@example.org</strong>" in text(sent)

    link = confirm_path(mails_to("yusuf@example.org")[0])
    page = client.get(link)
    assert page.status_code == 200
    assert shows(page, "Almost there, Yusuf!")
    assert 'name="password" autocomplete="new-password"' in text(page)
    assert 'name="password_confirm" autocomplete="new-password"' in text(page)
    assert f'action="{reverse("neighbourhoods:signup_finish")}"' in text(page)
    assert not User.objects.filter(email="yusuf@example.org").exists()

    done = finish(client, link)
    assert done.status_code == 302
    assert done["Location"] == reverse("front:member_home", args=["ede-zuid"])
    user = User.objects.get(email="yusuf@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.check_password(PASSWORD)
    assert user.memberships.get().home == invite.home
    assert shows(client.get(done["Location"]), "Welcome to Ede-Zuid!")


def test_a_wrong_code_is_explained_and_what_was_typed_is_kept(client, invite):
    response = client.post(SIGNUP, {"code": "ZZZZ-ZZZZ", **GOOD})
    assert response.status_code == 400
    assert shows(response, "We do not know this code.")
    assert 'value="Yusuf"' in text(response)
    assert 'value="yusuf@example.org"' in text(response)
    assert 'value="ZZZZ-ZZZZ"' in text(response)
    assert mail.outbox == []


def test_an_exhausted_code_is_explained(client, invite):
    signup(email="first@example.org")
    signup(email="second@example.org")
    response = client.post(SIGNUP, {"code": "KLMN-PQRS", **GOOD})
    assert response.status_code == 400
    assert shows(response, "This code has been used by 2 people already")


def test_a_revoked_code_is_explained(client, invite):
    invite.revoked_at = timezone.now()
    invite.save()
    response = client.post(SIGNUP, {"code": "KLMN-PQRS", **GOOD})
    assert response.status_code == 400
    assert shows(response, "This code is no longer valid.")


def test_a_known_email_address_gets_the_same_answer_as_a_new_one(client, invite, personas):
    response = client.post(SIGNUP, {"code": "KLMN-PQRS", **GOOD, "email": "daan@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:signup_sent")
    assert "already" not in text(client.get(response["Location"]))


def _link(client) -> str:
    client.post(SIGNUP, {"code": "KLMN-PQRS", **GOOD})
    return confirm_path(mails_to("yusuf@example.org")[0])


def test_the_passwords_must_match(client, invite):
    response = finish(client, _link(client), again="something else")
    assert response.status_code == 400
    assert shows(response, "The two passwords are not the same.")
    assert not User.objects.filter(email="yusuf@example.org").exists()


def test_a_weak_password_is_refused_with_the_reason_and_the_link_still_works(client, invite):
    link = _link(client)
    response = finish(client, link, password="12345678")  # noqa: S106
    assert response.status_code == 400
    # The page stays what it was: the greeting, the link's token, the fields to try again.
    assert shows(response, "This password is entirely numeric.")
    assert shows(response, "Almost there, Yusuf!")
    assert f'value="{link.rstrip("/").rsplit("/", 1)[1]}"' in text(response)
    assert 'name="password"' in text(response)
    assert "12345678" not in text(response)
    assert not User.objects.filter(email="yusuf@example.org").exists()
    assert "_auth_user_id" not in client.session

    assert finish(client, link).status_code == 302
    assert User.objects.get(email="yusuf@example.org").check_password(PASSWORD)


def test_a_password_like_the_name_or_address_is_refused(client, invite):
    response = finish(client, _link(client), password="yusuf@example.org")  # noqa: S106
    assert response.status_code == 400
    assert shows(response, "The password is too similar to the email address.")
    assert not User.objects.filter(email="yusuf@example.org").exists()


def test_password_errors_speak_the_language_chosen_on_the_form(client, invite):
    client.post(SIGNUP, {"code": "KLMN-PQRS", **GOOD, "preferred_language": "nl"})
    link = confirm_path(mails_to("yusuf@example.org")[0])
    response = finish(client, link, password="1234")  # noqa: S106
    assert response.status_code == 400
    assert '<html lang="nl"' in text(response)
    assert "Dit wachtwoord bevat alleen cijfers." in text(response)


def test_a_signed_in_person_only_needs_the_code(client, invite, personas):
    client.force_login(personas.olga)
    page = client.get(SIGNUP)
    assert 'name="code"' in text(page)
    assert 'name="email"' not in text(page)
    response = client.post(SIGNUP, {"code": "KLMN-PQRS"})
    assert response.status_code == 302
    assert personas.olga.memberships.filter(neighbourhood=personas.ede).exists()


def test_the_sign_up_page_only_takes_get_and_post(client, db):
    assert client.put(SIGNUP).status_code == 405


def test_each_language_is_offered_by_its_own_name(client, db):
    from tests.factories import NeighbourhoodFactory

    NeighbourhoodFactory()
    client.cookies["buurtnet_language"] = "nl"
    html = client.get("/join/").content.decode()
    assert '<option value="en">English</option>' in html
    assert '<option value="nl" selected>Nederlands</option>' in html
