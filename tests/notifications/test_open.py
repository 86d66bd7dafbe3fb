import pytest
from django.urls import reverse

from tests.notifications.helpers import make_notification


def test_anonymous_visitors_are_sent_to_log_in(client, personas):
    notification = make_notification(personas.fatima)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_following_a_notification_marks_it_read_and_goes_there(client, personas):
    notification = make_notification(personas.fatima, url="/n/ede-zuid/initiatives/1/")
    client.force_login(personas.fatima)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == "/n/ede-zuid/initiatives/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_following_it_again_keeps_the_first_read_time(client, personas):
    notification = make_notification(personas.fatima, read=True)
    first = notification.read_at
    client.force_login(personas.fatima)
    client.get(reverse("notifications:open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first


@pytest.mark.parametrize("persona", ["priya", "daan", "henk", "anna", "olga"])
def test_someone_elses_notification_is_not_found(client, personas, persona):
    notification = make_notification(personas.fatima)
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    "url", ["", "https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_without_a_safe_address_it_goes_to_the_list(client, personas, url):
    notification = make_notification(personas.fatima, url=url)
    client.force_login(personas.fatima)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.url == reverse("notifications:list")


def test_it_only_answers_get(client, personas):
    notification = make_notification(personas.fatima)
    client.force_login(personas.fatima)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 405
