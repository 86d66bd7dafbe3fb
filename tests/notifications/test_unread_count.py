"""The unread number on every member page: counted once, then kept until a service changes it."""

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from buurtnet.notifications.models import Kind, Notification
from buurtnet.notifications.services import notification_open, notifications_mark_read, notify
from buurtnet.notifications.unread import _key, unread_count
from buurtnet.people.models import User
from tests.notifications.helpers import PARAMS, make_notification

PROFILE = reverse("profile")


@pytest.fixture(autouse=True)
def _language_left_as_it_was():
    """Requests without a language cookie activate Dutch; the tests after these must not
    inherit it."""
    with translation.override(translation.get_language()):
        yield


def badge(client) -> int:
    """The number in the header's badge, 0 when there is none."""
    html = client.get(PROFILE).content.decode()
    match = re.search(r'<span id="unread-badge">\s*<span class="badge">(\d+)<', html)
    return int(match.group(1)) if match else 0


def tell(*recipients, actor=None) -> list[Notification]:
    return notify(
        recipients=recipients, kind=Kind.INITIATIVE_JOINED, actor=actor, params=PARAMS, url="/"
    )


def count_queries(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "COUNT(" in q["sql"] and "notifications_notification" in q["sql"]
    ]


@pytest.fixture
def fatima(client, personas):
    client.force_login(personas.fatima)
    return client


def test_the_second_page_counts_nothing(fatima, personas):
    tell(personas.fatima)
    with CaptureQueriesContext(connection) as first:
        assert badge(fatima) == 1
    with CaptureQueriesContext(connection) as second:
        assert badge(fatima) == 1

    assert len(count_queries(first)) == 1
    assert count_queries(second) == []


def test_the_number_is_right_after_each_notification(fatima, personas):
    assert badge(fatima) == 0
    tell(personas.fatima)
    assert badge(fatima) == 1
    tell(personas.fatima, personas.priya)
    assert badge(fatima) == 2


def test_the_number_is_right_after_reading(fatima, personas):
    first, second, third = (tell(personas.fatima)[0] for _ in range(3))
    assert badge(fatima) == 3

    fatima.get(reverse("notifications:open", args=[first.pk]))
    assert badge(fatima) == 2

    notifications_mark_read(user=personas.fatima, ids=[second.pk])
    assert badge(fatima) == 1

    fatima.post(reverse("notifications:mark_all_read"))
    assert badge(fatima) == 0


def test_marking_all_read_through_htmx_shows_no_number_any_more(fatima, personas):
    tell(personas.fatima)
    assert badge(fatima) == 1

    response = fatima.post(reverse("notifications:mark_all_read"), HTTP_HX_REQUEST="true")

    assert "Mark all as read" not in response.content.decode()
    assert badge(fatima) == 0


def test_each_person_sees_their_own_number(client, personas):
    tell(personas.fatima, personas.priya)
    tell(personas.fatima)

    client.force_login(personas.fatima)
    assert badge(client) == 2
    client.force_login(personas.priya)
    assert badge(client) == 1
    client.force_login(personas.daan)
    assert badge(client) == 0


def test_the_actor_is_not_counted(fatima, personas):
    tell(personas.fatima, actor=personas.fatima)
    assert badge(fatima) == 0


def test_a_number_counted_while_the_notification_was_not_yet_committed_is_dropped(
    personas, django_capture_on_commit_callbacks
):
    assert unread_count(user=personas.fatima) == 0
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        tell(personas.fatima)
        # Another request, which could not see the new row yet, keeps the old number.
        cache.set(_key(personas.fatima.pk), 0)

    assert unread_count(user=personas.fatima) == 1


def test_opening_a_notification_already_read_changes_nothing(personas):
    [notification] = tell(personas.fatima)
    notification_open(user=personas.fatima, notification=notification)
    assert unread_count(user=personas.fatima) == 0
    with CaptureQueriesContext(connection) as queries:
        notification_open(user=personas.fatima, notification=notification)
        assert unread_count(user=personas.fatima) == 0
    assert count_queries(queries) == []


def test_logging_in_counts_afresh_so_the_pages_after_it_count_nothing(client, personas):
    assert unread_count(user=personas.fatima) == 0  # kept
    # Written past the services, as the admin or the demo loader do: the kept number is stale.
    make_notification(personas.fatima)

    assert (
        client.post(
            reverse("login"), {"username": personas.fatima.email, "password": personas.password}
        ).status_code
        == 302
    )
    with CaptureQueriesContext(connection) as queries:
        assert badge(client) == 1

    assert count_queries(queries) == []


@pytest.mark.parametrize("how", ["one", "selected"])
def test_deleting_in_the_admin_changes_the_number(client, personas, how):
    first, second = tell(personas.fatima)[0], tell(personas.fatima)[0]
    assert unread_count(user=personas.fatima) == 2
    admin = User.objects.create_superuser(
        "admin@example.org", "admin-secret-123", preferred_language="en"
    )
    client.force_login(admin)

    if how == "one":
        url = reverse("admin:notifications_notification_delete", args=[first.pk])
        response = client.post(url, {"post": "yes"})
    else:
        response = client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert unread_count(user=personas.fatima) == (1 if how == "one" else 0)
