from django.urls import reverse

from buurtnet.notifications.models import Notification
from tests.notifications.helpers import make_notification

MARK = "/me/notifications/read/"


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.post(MARK)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_without_javascript_it_marks_mine_and_redirects_with_a_message(client, personas):
    for _ in range(3):
        make_notification(personas.fatima)
    others = make_notification(personas.priya)
    client.force_login(personas.fatima)

    list_page = client.get(reverse("notifications:list")).content.decode()
    assert f'action="{MARK}"' in list_page and "Mark all as read" in list_page

    response = client.post(MARK, follow=True)
    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    html = response.content.decode()
    assert "All your notifications are marked as read." in html
    assert "Mark all as read" not in html
    assert not Notification.objects.filter(recipient=personas.fatima, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None


def test_it_returns_to_the_page_the_person_was_on(client, personas):
    make_notification(personas.fatima)
    client.force_login(personas.fatima)
    assert client.post(MARK, {"page": "2"}).url == "/me/notifications/?page=2"
    assert client.post(MARK, {"page": "evil"}).url == "/me/notifications/"


def test_with_htmx_it_sends_back_only_the_list(client, personas):
    make_notification(personas.fatima)
    client.force_login(personas.fatima)
    response = client.post(MARK, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="notifications">')
    assert "<html" not in html
    assert "All your notifications are marked as read." in html
    assert "notification-new" not in html
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_list_page_wires_up_htmx(client, personas):
    make_notification(personas.fatima)
    client.force_login(personas.fatima)
    html = client.get(reverse("notifications:list")).content.decode()
    assert f'hx-post="{MARK}"' in html
    assert 'hx-target="#notifications"' in html


def test_it_only_answers_post(client, personas):
    client.force_login(personas.fatima)
    assert client.get(MARK).status_code == 405
