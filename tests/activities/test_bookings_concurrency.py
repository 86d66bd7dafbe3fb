"""Two neighbours ask for the same slot at the same moment: exactly one gets it."""

import sqlite3
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from buurtnet.activities.models import Booking
from buurtnet.activities.services import bookings as services
from tests.activities.test_bookings import at
from tests.concurrency import race, sqlite_file_copy

pytestmark = pytest.mark.django_db(transaction=True)


ON_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database is shared between threads through one cache with "
    "table locks, so it cannot run two writing transactions side by side; the SQLite rule is "
    "raced on a database file below.",
)


@ON_POSTGRES
def test_simultaneous_requests_for_one_slot_book_it_once(personas, room, monkeypatch):
    # The first request holds the place while it looks and writes (the check is slowed down to
    # make the overlap certain); the second waits, then sees the booking and is told what is free.
    check = services.refuse_overlap

    def slow_check(*args, **kwargs):
        check(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(services, "refuse_overlap", slow_check)

    def request(user):
        return lambda: services.booking_request(
            user=user, place=room, starts_at=at(18), ends_at=at(20), purpose="Birthday"
        )

    results, errors = race([request(personas.daan), request(personas.priya)])

    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].messages == [
        "Huiskamer de Elskamp is already booked 18:00–20:00. Free nearby: 08:00–18:00, 20:00–23:00."
    ]
    assert Booking.objects.count() == 1


@ON_POSTGRES
def test_exclusion_constraint_alone_refuses_simultaneous_inserts(personas, room):
    """Without the service's lock (as an admin edit or a script would write), two inserts of
    overlapping bookings at once: the database keeps exactly one."""

    def insert(user):
        def run():
            with transaction.atomic():
                Booking.objects.create(
                    place=room,
                    requested_by=user,
                    starts_at=at(18),
                    ends_at=at(20),
                    purpose="Birthday",
                )
                time.sleep(0.2)
            return user.pk

        return run

    results, errors = race([insert(personas.daan), insert(personas.priya)])

    assert len(results) == 1
    assert len(errors) == 1
    # PostgreSQL reports either the constraint, or a deadlock when each insert waits on the other.
    assert isinstance(errors[0], DatabaseError)
    assert list(Booking.objects.values_list("requested_by_id", flat=True)) == results


@pytest.mark.skipif(connection.vendor != "sqlite", reason="races the SQLite triggers")
def test_simultaneous_inserts_into_a_sqlite_file_book_the_slot_once(personas, room, tmp_path):
    """A copy of the migrated test database on disk, written by two connections at once,
    each in an IMMEDIATE transaction as the app's SQLite settings have it."""
    path = sqlite_file_copy(tmp_path / "race.sqlite3")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    start = connection.ops.adapt_datetimefield_value(at(18))
    end = connection.ops.adapt_datetimefield_value(at(20))

    def insert(user):
        def run():
            db = sqlite3.connect(path, timeout=20, isolation_level=None)
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    "INSERT INTO activities_booking (created_at, place_id, requested_by_id,"
                    " starts_at, ends_at, purpose, status, decline_reason)"
                    " VALUES (?, ?, ?, ?, ?, 'Birthday', 'requested', '')",
                    (now, room.pk, user.pk, start, end),
                )
                time.sleep(0.2)
                db.execute("COMMIT")
                return user.pk
            finally:
                db.close()

        return run

    results, errors = race([insert(personas.daan), insert(personas.priya)])

    assert len(results) == 1
    assert [type(e) for e in errors] == [sqlite3.IntegrityError]
    assert "booking_overlap" in str(errors[0])
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT requested_by_id FROM activities_booking").fetchall()
    assert rows == [(results[0],)]
