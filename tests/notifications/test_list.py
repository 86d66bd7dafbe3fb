import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.notifications.models import Kind
from tests.notifications.helpers import make_notification

LIST = "/me/notifications/"


def _items(html: str) -> list[str]:
    items = re.findall(r'<li class="notification[^"]*">(.*?)</li>', html, re.S)
    return [item.replace("\xa0", " ") for item in items]


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_lists_only_my_notifications_newest_first(client, personas):
    make_notification(personas.fatima, actor=personas.priya, age=timedelta(days=3))
    make_notification(
        personas.fatima, kind=Kind.SUPPORT_OFFERED, actor=personas.anna, age=timedelta(hours=2)
    )
    make_notification(personas.daan, kind=Kind.JOIN_APPROVED, actor=personas.henk)
    client.force_login(personas.fatima)

    response = client.get(LIST)
    items = _items(response.content.decode())
    assert response.status_code == 200
    assert len(items) == 2
    assert "Wijkteam Ede-Zuid offers to help “Samen eten”." in items[0]
    assert "2 hours ago" in items[0]
    assert "Priya would like to join “Samen eten”." in items[1]
    assert "3 days ago" in items[1]


def test_unread_ones_are_marked_in_words_not_only_by_colour(client, personas):
    unread = make_notification(personas.fatima, actor=personas.priya)
    read = make_notification(personas.fatima, actor=personas.daan, read=True, age=timedelta(days=1))
    client.force_login(personas.fatima)
    items = _items(client.get(LIST).content.decode())
    assert "New" in items[0] and f"/me/notifications/{unread.pk}/" in items[0]
    assert "New" not in items[1] and f"/me/notifications/{read.pk}/" in items[1]


def test_the_text_is_in_the_readers_language(client, personas):
    personas.fatima.preferred_language = "nl"
    personas.fatima.save()
    make_notification(personas.fatima, actor=personas.priya)
    client.force_login(personas.fatima)
    response = client.get(LIST)
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl"' in response.content.decode()


def test_a_fresh_notification_reads_just_now(client, personas):
    make_notification(personas.fatima)
    client.force_login(personas.fatima)
    assert "just now" in client.get(LIST).content.decode()


def test_an_empty_list_explains_what_will_appear(client, personas):
    client.force_login(personas.daan)
    html = client.get(LIST).content.decode()
    assert "Nothing new yet" in html
    assert "Mark all as read" not in html


def test_it_shows_twenty_per_page(client, personas):
    for n in range(25):
        make_notification(
            personas.fatima, params={"initiative": f"Plan {n}"}, age=timedelta(minutes=n)
        )
    client.force_login(personas.fatima)

    first = client.get(LIST).content.decode()
    assert len(_items(first)) == 20
    assert "“Plan 0”" in first and "“Plan 19”" in first and "“Plan 20”" not in first
    assert 'href="?page=2"' in first

    second = client.get(LIST, {"page": 2}).content.decode()
    assert len(_items(second)) == 5
    assert "“Plan 24”" in second
    assert 'href="?page=1"' in second


def test_a_page_number_out_of_range_shows_the_last_page(client, personas):
    make_notification(personas.fatima)
    client.force_login(personas.fatima)
    for page in ("99", "abc", "-1"):
        response = client.get(LIST, {"page": page})
        assert response.status_code == 200
        assert len(_items(response.content.decode())) == 1


def _queries_for_list(client, user, count: int) -> int:
    for n in range(count):
        make_notification(user, actor=user if n % 2 else None)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("few", "many"), [(5, 50)])
def test_the_list_runs_a_fixed_number_of_queries(client, personas, few, many):
    with_few = _queries_for_list(client, personas.fatima, few)
    with_many = _queries_for_list(client, personas.priya, many)
    assert with_few == with_many


def test_names_in_a_notification_cannot_inject_markup(client, personas):
    make_notification(personas.fatima, params={"initiative": "<script>alert(1)</script>"})
    client.force_login(personas.fatima)
    html = client.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
