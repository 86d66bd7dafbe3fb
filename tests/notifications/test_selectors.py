from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import translation

from buurtnet.notifications.selectors import recent_notifications
from tests.notifications.helpers import make_notification


def test_recent_notifications_are_mine_newest_first_and_limited(personas):
    old = make_notification(personas.fatima, age=timedelta(days=2))
    new = make_notification(personas.fatima, age=timedelta(minutes=5))
    middle = make_notification(personas.fatima, age=timedelta(hours=1))
    make_notification(personas.priya)
    assert recent_notifications(user=personas.fatima, limit=2) == [new, middle]
    assert recent_notifications(user=personas.fatima, limit=10) == [new, middle, old]


def test_recent_notifications_take_one_query_however_many(personas, django_assert_num_queries):
    for _ in range(12):
        make_notification(personas.fatima, actor=personas.priya)
    with django_assert_num_queries(1):
        notifications = recent_notifications(user=personas.fatima, limit=10)
        rendered = render_to_string("notifications/_list.html", {"notifications": notifications})
    assert rendered.count('class="notification notification-unread"') == 10


def test_the_partial_renders_a_list_for_the_home_page(personas):
    make_notification(personas.fatima, actor=personas.priya)
    make_notification(personas.fatima, read=True, age=timedelta(days=1))
    with translation.override("en"):
        html = render_to_string(
            "notifications/_list.html",
            {"notifications": recent_notifications(user=personas.fatima, limit=5)},
        )
    assert "Priya would like to join “Samen eten”." in html
    assert html.count("New</strong>") == 1
    assert "/me/notifications/" in html


def test_the_partial_says_so_when_there_is_nothing(db):
    with translation.override("en"):
        html = render_to_string("notifications/_list.html", {"notifications": []})
    assert "Nothing new yet" in html
