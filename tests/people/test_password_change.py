from django.urls import reverse

CHANGE = "/accounts/password/change/"


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_profile_links_to_changing_the_password(client, personas):
    client.force_login(personas.daan)
    assert CHANGE in client.get(reverse("profile")).content.decode()


def test_a_member_changes_their_password_and_stays_logged_in(client, personas):
    client.force_login(personas.daan)
    new = "another-long-secret-77"
    response = client.post(
        CHANGE,
        {"old_password": personas.password, "new_password1": new, "new_password2": new},
    )
    assert response.url == reverse("password_change_done")
    personas.daan.refresh_from_db()
    assert personas.daan.check_password(new)
    assert client.get(reverse("profile")).status_code == 200


def test_a_wrong_old_password_is_refused_with_400(client, personas):
    client.force_login(personas.daan)
    new = "another-long-secret-77"
    response = client.post(
        CHANGE, {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 400
    personas.daan.refresh_from_db()
    assert personas.daan.check_password(personas.password)


def test_a_short_password_is_refused_in_dutch_too(client, personas):
    personas.daan.preferred_language = "nl"
    personas.daan.save()
    client.force_login(personas.daan)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": personas.password, "new_password1": "kort", "new_password2": "kort"},
    )
    assert response.status_code == 400
    assert "Dit wachtwoord is te kort: gebruik minstens 8 tekens." in response.content.decode()
