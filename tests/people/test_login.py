import pytest
from django.urls import reverse

LOGIN = "/accounts/login/"


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_has_labelled_email_field_and_links(client, db):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Email address' in html
    assert 'type="email"' in html
    assert reverse("password_reset") in html
    assert reverse("neighbourhoods:signup") in html


def test_a_member_logs_in_with_email_in_any_case(client, personas):
    response = client.post(LOGIN, {"username": " Daan@Example.org ", "password": personas.password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.daan.pk)


def test_it_follows_next_after_logging_in(client, personas):
    response = client.post(
        LOGIN,
        {"username": "daan@example.org", "password": personas.password, "next": "/me/profile/"},
    )
    assert response.url == "/me/profile/"


def test_it_refuses_to_redirect_elsewhere_after_logging_in(client, personas):
    response = client.post(
        LOGIN,
        {
            "username": "daan@example.org",
            "password": personas.password,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert "evil" not in response.url


def test_a_wrong_password_gets_400_with_message_and_keeps_the_email(client, personas):
    response = client.post(LOGIN, {"username": "daan@example.org", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "That email address and password do not match" in html
    assert 'value="daan@example.org"' in html
    assert not _logged_in(client)


def test_an_inactive_person_cannot_log_in(client, personas):
    personas.daan.is_active = False
    personas.daan.save()
    response = client.post(LOGIN, {"username": "daan@example.org", "password": personas.password})
    assert response.status_code == 400
    assert not _logged_in(client)


def test_a_signed_in_person_visiting_login_is_sent_on(client, personas):
    client.force_login(personas.daan)
    assert client.get(LOGIN).status_code == 302


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, personas):
    for _attempt in range(5):
        client.post(LOGIN, {"username": "daan@example.org", "password": "wrong-guess"})
    response = client.post(LOGIN, {"username": "daan@example.org", "password": personas.password})
    html = response.content.decode()
    assert response.status_code in (403, 429)
    assert "Too many attempts to log in" in html
    assert "Please wait about 15 minutes" in html
    assert reverse("password_reset") in html
    assert not _logged_in(client)


def test_lockout_of_one_account_leaves_others_alone(client, personas):
    for _attempt in range(6):
        client.post(LOGIN, {"username": "daan@example.org", "password": "wrong-guess"})
    response = client.post(LOGIN, {"username": "priya@example.org", "password": personas.password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.priya.pk)


def test_four_wrong_passwords_do_not_lock_the_account(client, personas):
    for _attempt in range(4):
        assert (
            client.post(LOGIN, {"username": "daan@example.org", "password": "x"}).status_code == 400
        )
    response = client.post(LOGIN, {"username": "daan@example.org", "password": personas.password})
    assert response.status_code == 302


def test_logout_is_post_only(client, personas):
    client.force_login(personas.daan)
    assert client.get(reverse("logout")).status_code == 405
    assert _logged_in(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not _logged_in(client)


@pytest.mark.parametrize("persona", ["fatima", "anna", "henk", "olga"])
def test_every_role_logs_in_the_same_way(client, personas, persona):
    user = getattr(personas, persona)
    response = client.post(LOGIN, {"username": user.email, "password": personas.password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
