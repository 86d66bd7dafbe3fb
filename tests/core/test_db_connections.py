"""Persistent database connections: kept from request to request, replaced when they broke."""

import os
import subprocess
import sys

import psycopg
import pytest
from django.core import mail
from django.core.signals import request_finished, request_started
from django.db import connection

from buurtnet.notifications.models import Kind, Notification
from buurtnet.notifications.services import notify
from tests.core.task_helpers import DB_TASKS, run_worker
from tests.core.test_settings import ROOT, SCRATCH, _production_setting
from tests.notifications.helpers import PARAMS

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a server that can drop a connection"
)
PG_URL = "postgres://u@127.0.0.1:5432/x"


@pytest.mark.parametrize("url", [None, PG_URL])
def test_connections_are_kept_ten_minutes_and_checked_by_default(url):
    env = {"DATABASE_URL": url} if url else {}
    assert _production_setting("DATABASES['default']['CONN_MAX_AGE']", env) == "600"
    assert _production_setting("DATABASES['default']['CONN_HEALTH_CHECKS']", env) == "True"


@pytest.mark.parametrize("url", [None, PG_URL])
def test_the_age_comes_from_the_environment(url):
    env = {"DB_CONN_MAX_AGE": "0", **({"DATABASE_URL": url} if url else {})}
    assert _production_setting("DATABASES['default']['CONN_MAX_AGE']", env) == "0"


@pytest.mark.parametrize("value", ["ten", "-1"])
def test_a_bad_age_fails_loudly(value):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": SCRATCH, "DB_CONN_MAX_AGE": value},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DB_CONN_MAX_AGE must be" in result.stderr


# Three requests' worth of database work, as Django's handler brackets each one (gunicorn's sync
# workers run them one after another): how many connections were opened for them?
THREE_REQUESTS = """
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.backends.signals import connection_created
opened = []
connection_created.connect(lambda **kwargs: opened.append(1), weak=False)
for _ in range(3):
    request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    request_finished.send(sender=None)
print(len(opened))
"""


def _connections_for_three_requests(tmp_path, **env: str) -> int:
    """Run THREE_REQUESTS with the production settings, on this run's kind of database."""
    if connection.vendor == "postgresql":
        # The server and user of this run; SELECT 1 needs no tables, any database will do.
        env.setdefault("DATABASE_URL", os.environ["DATABASE_URL"])
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup()\n{THREE_REQUESTS}"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "BUURTNET_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout)


def test_one_connection_serves_request_after_request(tmp_path):
    assert _connections_for_three_requests(tmp_path) == 1


def test_with_age_zero_each_request_opens_its_own(tmp_path):
    assert _connections_for_three_requests(tmp_path, DB_CONN_MAX_AGE="0") == 3


def _drop_from_the_server_side() -> None:
    """What a database restart or an idle timeout does to the connection kept open."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_that_broke_between_requests_is_replaced_unnoticed(personas):
    request_finished.send(sender=None)
    kept = connection.connection
    _drop_from_the_server_side()

    request_started.send(sender=None)
    assert Notification.objects.count() == 0  # no error: the health check reconnected
    assert connection.connection is not kept


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_task_worker_reconnects_after_the_connection_broke(personas, settings):
    settings.TASKS = DB_TASKS
    notify(recipients=[personas.fatima], kind=Kind.INITIATIVE_JOINED, params=PARAMS)
    _drop_from_the_server_side()

    run_worker()  # it calls close_old_connections before each round, so it checks first

    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None
