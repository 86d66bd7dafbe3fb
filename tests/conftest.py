"""Shared fixtures. Personas, one per role, are reused across the whole suite:

- fatima: resident, initiator of "Samen eten" (the shared dinner)
- priya: resident, accepted participant of "Samen eten"
- daan: resident with no part in the initiative
- henk: host of Ede-Zuid
- anna: professional of Wijkteam Ede-Zuid (first point of contact)
- sem: professional of Stichting Vrienden van de Hoogbouw (foundation board)
- olga: resident of another neighbourhood

Pages in tests are read in English, the language of the source strings: the personas prefer
English and the test client carries the English language cookie. Tests about languages set
preferred_language or the cookie themselves.
"""

import os
import socket
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import (
    PASSWORD,
    BuildingFactory,
    HomeFactory,
    InitiativeFactory,
    MembershipFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits count in the cache: every test starts (and leaves) with nothing counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, request):
    """Tests never reach beyond this machine (browser tests talk to their own live server)."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0"):  # noqa: S104
            if not host.startswith("/"):
                raise RuntimeError(f"network access in tests: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@dataclass
class Personas:
    ede: object
    other: object
    elskamp: object
    wijkteam: object
    foundation: object
    initiative: object
    fatima: object
    priya: object
    daan: object
    henk: object
    anna: object
    sem: object
    olga: object

    password: str = PASSWORD


@pytest.fixture
def personas(db) -> Personas:
    ede = NeighbourhoodFactory(slug="ede-zuid", name="Ede-Zuid", municipality="Ede")
    other = NeighbourhoodFactory(slug="elders", name="Elders", municipality="Elders")
    elskamp = BuildingFactory(neighbourhood=ede, name="de Elskamp")
    wijkteam = OrganisationFactory(
        neighbourhood=ede,
        slug="wijkteam",
        name="Wijkteam Ede-Zuid",
        kind="neighbourhood_team",
        is_first_point_of_contact=True,
    )
    foundation = OrganisationFactory(
        neighbourhood=ede,
        slug="vrienden",
        name="Stichting Vrienden van de Hoogbouw",
        kind="foundation",
    )

    def member(name: str, role: str = "resident", organisation=None, neighbourhood=ede, lang="en"):
        user = UserFactory(
            email=f"{name}@example.org", display_name=name.capitalize(), preferred_language=lang
        )
        home = HomeFactory(building=elskamp) if neighbourhood == ede else None
        MembershipFactory(
            user=user,
            neighbourhood=neighbourhood,
            role=role,
            organisation=organisation,
            building=elskamp if home else None,
            home=home,
        )
        return user

    fatima = member("fatima")
    priya = member("priya")
    daan = member("daan")
    henk = member("henk", role="host")
    anna = member("anna", role="professional", organisation=wijkteam)
    sem = member("sem", role="professional", organisation=foundation)
    olga = member("olga", neighbourhood=other)

    initiative = InitiativeFactory(neighbourhood=ede, title="Samen eten", created_by=fatima)
    ParticipationFactory(initiative=initiative, user=fatima, role="initiator")
    ParticipationFactory(initiative=initiative, user=priya, role="participant", brings="Cooking")

    return Personas(
        ede=ede,
        other=other,
        elskamp=elskamp,
        wijkteam=wijkteam,
        foundation=foundation,
        initiative=initiative,
        fatima=fatima,
        priya=priya,
        daan=daan,
        henk=henk,
        anna=anna,
        sem=sem,
        olga=olga,
    )


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def as_user(client):
    """Sign the test client in as someone (or out, with None) and return it."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Close every other session on the test database before pytest-django drops it.

    Live servers and worker threads keep their connections (DB_CONN_MAX_AGE); on PostgreSQL a
    connection a finished thread left open makes DROP DATABASE fail at the very end of a run.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def _flush_may_empty_the_ledger():
    """The flush after transactional and live server tests may empty the append-only funding
    tables (buurtnet.funding.unlock); outside the tests the database keeps refusing it."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from buurtnet.funding.unlock import ledger_unlocked

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with ledger_unlocked(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield
