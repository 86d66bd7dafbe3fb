"""Sessions are read from the cache shared by the workers and kept in the database as well."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.core.test_settings import _production_setting

PROFILE = reverse("profile")
CHANGE = reverse("password_change")
SESSION_PREFIX = "django.contrib.sessions.cached_db"


@pytest.fixture(autouse=True)
def _language_left_as_it_was():
    """Requests without a language cookie activate Dutch; the tests after these must not
    inherit it."""
    with translation.override(translation.get_language()):
        yield


def logged_in(personas, user) -> Client:
    client = Client()
    assert (
        client.post(
            reverse("login"), {"username": user.email, "password": personas.password}
        ).status_code
        == 302
    )
    return client


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_production_reads_sessions_from_the_cache():
    assert _production_setting("SESSION_ENGINE") == "'django.contrib.sessions.backends.cached_db'"


def test_a_members_page_reads_the_session_without_a_query(personas):
    client = logged_in(personas, personas.daan)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(PROFILE).status_code == 200

    assert not [q for q in queries if "django_session" in q["sql"]]
    assert Session.objects.filter(session_key=session_key(client)).exists()  # kept there too


def test_after_the_cache_is_emptied_the_session_comes_from_the_database(personas):
    client = logged_in(personas, personas.daan)
    cache.clear()  # a restarted Redis, files culled

    response = client.get(PROFILE)

    assert response.status_code == 200
    assert response.context["user"] == personas.daan


def test_logging_out_ends_the_session_everywhere(personas):
    client = logged_in(personas, personas.daan)
    key = session_key(client)
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key

    client.post(reverse("logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(f"{SESSION_PREFIX}{key}") is None
    assert stolen.get(PROFILE).status_code == 302  # to the login page


def test_changing_the_password_ends_the_persons_other_sessions(personas):
    laptop = logged_in(personas, personas.daan)
    phone = logged_in(personas, personas.daan)
    new = "another-long-secret-77"

    laptop.post(
        CHANGE, {"old_password": personas.password, "new_password1": new, "new_password2": new}
    )

    assert laptop.get(PROFILE).status_code == 200
    assert phone.get(PROFILE).status_code == 302


@pytest.fixture
def file_cache(tmp_path, settings):
    """The embedded installation's cache: files that every gunicorn worker reads."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    return tmp_path


def test_another_worker_finds_the_session_and_sees_it_end(personas, file_cache):
    # FileBasedCache keeps nothing in the process: a second worker is a second reader of the
    # same directory.
    other_worker = FileBasedCache(str(file_cache), {})
    client = logged_in(personas, personas.daan)
    key = f"{SESSION_PREFIX}{session_key(client)}"

    assert other_worker.get(key)["_auth_user_id"] == str(personas.daan.pk)

    client.post(reverse("logout"))

    assert other_worker.get(key) is None
