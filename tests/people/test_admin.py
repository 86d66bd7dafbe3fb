import pytest

from buurtnet.people.models import User
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser(
        "admin@example.org", "admin-secret-123", preferred_language="en"
    )
    client.force_login(admin)
    return client


def test_people_are_searched_by_email_and_display_name(admin_client, personas):
    response = admin_client.get("/admin/people/user/", {"q": "fatima@"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "fatima@example.org" in html and "daan@example.org" not in html
    html = admin_client.get("/admin/people/user/", {"q": "Daan"}).content.decode()
    assert "daan@example.org" in html and "fatima@example.org" not in html


def test_a_person_is_added_by_email_with_a_hashed_password(admin_client):
    response = admin_client.post(
        "/admin/people/user/add/",
        {
            "email": "New.Person@Example.org",
            "display_name": "New person",
            "preferred_language": "en",
            "usable_password": "true",
            "password1": "a-long-password-99",
            "password2": "a-long-password-99",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="new.person@example.org")
    assert person.check_password("a-long-password-99")
    assert person.preferred_language == "en"


def test_an_address_in_use_is_refused_in_any_case(admin_client):
    UserFactory(email="taken@example.org")
    response = admin_client.post(
        "/admin/people/user/add/",
        {
            "email": "TAKEN@example.org",
            "display_name": "Someone",
            "preferred_language": "nl",
            "usable_password": "true",
            "password1": "a-long-password-99",
            "password2": "a-long-password-99",
        },
    )
    assert response.status_code == 200
    assert "Someone already uses this email address." in response.content.decode()


def test_a_persons_page_opens(admin_client, personas):
    response = admin_client.get(f"/admin/people/user/{personas.daan.pk}/change/")
    assert response.status_code == 200
    assert "daan@example.org" in response.content.decode()


@pytest.mark.parametrize("model", ["language", "talent"])
def test_the_vocabularies_are_listed(admin_client, model):
    response = admin_client.get(f"/admin/people/{model}/")
    assert response.status_code == 200


def test_residents_cannot_open_the_admin(client, personas):
    client.force_login(personas.henk)
    response = client.get("/admin/people/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url
