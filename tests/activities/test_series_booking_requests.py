"""A series planned at a place by someone who does not keep it asks the keepers once for all its
dates; the keepers approve or decline them in one step, and clashes are named."""

import sqlite3
import threading
import time as clock
from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from buurtnet.activities.models import Booking, BookingStatus
from buurtnet.activities.models.bookings import SeriesBooking
from buurtnet.activities.services import bookings as booking_services
from buurtnet.activities.services.bookings import booking_decide, series_booking_decide
from buurtnet.activities.services.organise import (
    activity_change_from,
    activity_create,
    occurrence_move,
    reservations_extend,
)
from buurtnet.activities.services.places import place_create
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Kind, Notification
from tests.activities.conftest import next_wednesday
from tests.activities.test_bookings import at, book
from tests.factories import InitiativeFactory, ParticipationFactory

SLUG = "ede-zuid"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def club(personas):
    """Daan leads the homework club; he does not keep the room."""
    club = InitiativeFactory(neighbourhood=personas.ede, title="Huiswerkclub", created_by=None)
    ParticipationFactory(initiative=club, user=personas.daan, role="initiator")
    return club


def plan_club(personas, club, place, **extra):
    values = {
        "user": personas.daan,
        "neighbourhood": personas.ede,
        "initiative": club,
        "place": place,
        "title": "Huiswerkclub",
        "start_date": next_wednesday(),
        "start_time": time(15, 0),
        "duration_minutes": 90,
        "rrule": "FREQ=WEEKLY;BYDAY=WE",
    } | extra
    return activity_create(**values)


def held(activity, status=None):
    bookings = Booking.objects.filter(
        activity=activity, status__in=[BookingStatus.REQUESTED, BookingStatus.APPROVED]
    )
    if status:
        bookings = bookings.filter(status=status)
    return bookings.order_by("starts_at")


@pytest.fixture
def series(personas, club, room):
    return plan_club(personas, club, room)


def bookings_url(place) -> str:
    return reverse("bookings:place", args=[SLUG, place.pk])


def decide_url(booking) -> str:
    return reverse("bookings:decide", args=[SLUG, booking.pk])


# --- Asking --------------------------------------------------------------------------------------


def test_a_series_at_someone_elses_place_waits_for_its_keepers(personas, series, room):
    request = SeriesBooking.objects.get()

    assert (request.activity, request.place, request.requested_by) == (series, room, personas.daan)
    assert request.status == BookingStatus.REQUESTED
    assert 50 <= held(series, BookingStatus.REQUESTED).count() <= 53
    assert not held(series, BookingStatus.APPROVED).exists()
    assert held(series).first().starts_at == at(15)


def test_the_keepers_hear_of_it_once(personas, series, django_capture_on_commit_callbacks):
    notes = Notification.objects.filter(kind=Kind.BOOKING_REQUESTED)

    assert [n.recipient for n in notes] == [personas.fatima]
    text = notification_text(notes.get())
    assert text.startswith("Daan asks to book Huiskamer de Elskamp on ")
    assert "15:00: “Huiswerkclub: a series, " in text
    assert "dates held in the coming year”" in text
    assert notes.get().url == f"/n/ede-zuid/places/{series.place.pk}/bookings/"


def test_while_it_waits_nobody_else_takes_its_dates(personas, series, room):
    with pytest.raises(ValidationError) as refused:
        book(personas.priya, room, at(15, days=7), at(16, days=7))

    assert "already booked 15:00–16:30" in refused.value.messages[0]


def test_a_keepers_own_series_and_a_place_nobody_keeps_need_no_approval(personas, club, room):
    own = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Koffie",
        start_date=next_wednesday(),
        start_time=time(10, 0),
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
    )
    courtyard = place_create(user=personas.henk, neighbourhood=personas.ede, name="Binnenplaats")
    outside = plan_club(personas, club, courtyard)

    assert not SeriesBooking.objects.exists()
    assert not held(own, BookingStatus.REQUESTED).exists()
    assert not held(outside, BookingStatus.REQUESTED).exists()
    assert held(outside, BookingStatus.APPROVED).exists()


def test_a_single_date_asks_the_keepers_as_well(personas, club, room):
    party = plan_club(personas, club, room, rrule="", title="Afsluiting")

    assert SeriesBooking.objects.get().activity == party
    assert [b.status for b in held(party)] == [BookingStatus.REQUESTED]


def test_dates_someone_else_booked_first_are_named(personas, club, room):
    book(personas.priya, room, at(14, days=14), at(16, days=14), purpose="Birthday")

    series = plan_club(personas, club, room)

    assert [o.start for o in series.unreserved] == [at(15, days=14)]
    assert at(15, days=14) not in [b.starts_at for b in held(series)]


# --- Deciding ------------------------------------------------------------------------------------


def test_a_keeper_approves_every_date_at_once(personas, series):
    request = SeriesBooking.objects.get()

    decided = series_booking_decide(keeper=personas.fatima, series=request, approve=True)

    assert decided.status == BookingStatus.APPROVED
    assert (decided.decided_by, decided.unreserved) == (personas.fatima, [])
    assert not held(series, BookingStatus.REQUESTED).exists()
    approved = held(series, BookingStatus.APPROVED)
    assert 50 <= approved.count() <= 53
    assert {b.decided_by_id for b in approved} == {personas.fatima.pk}
    note = Notification.objects.get(kind=Kind.BOOKING_DECIDED)
    assert note.recipient == personas.daan
    assert notification_text(note).endswith(" 15:00 is approved.")


def test_a_keeper_declines_every_date_with_a_reason(personas, series, room):
    request = SeriesBooking.objects.get()

    series_booking_decide(
        keeper=personas.fatima, series=request, approve=False, reason="We paint in spring."
    )

    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("declined", "We paint in spring.")
    assert not held(series).exists()
    assert Booking.objects.filter(activity=series, status="declined").count() >= 50
    assert book(personas.priya, room, at(15), at(16)).pk
    # The daily job leaves a declined series alone.
    reservations_extend()
    assert not held(series).exists()
    note = Notification.objects.get(kind=Kind.BOOKING_DECIDED)
    assert "declined, because: We paint in spring." in notification_text(note)


def test_declining_needs_a_reason(personas, series):
    request = SeriesBooking.objects.get()

    with pytest.raises(ValidationError) as refused:
        series_booking_decide(keeper=personas.fatima, series=request, approve=False, reason=" ")

    assert "reason" in refused.value.message_dict
    request.refresh_from_db()
    assert request.status == BookingStatus.REQUESTED
    assert held(series, BookingStatus.REQUESTED).exists()


@pytest.mark.parametrize("who", ["daan", "henk", "priya", "anna", "olga"])
def test_only_the_keepers_decide(personas, series, who):
    request = SeriesBooking.objects.get()

    with pytest.raises(PermissionDenied):
        series_booking_decide(keeper=getattr(personas, who), series=request, approve=True)

    assert not held(series, BookingStatus.APPROVED).exists()


def test_a_decided_series_is_not_decided_again(personas, series):
    request = SeriesBooking.objects.get()
    series_booking_decide(keeper=personas.fatima, series=request, approve=True)

    with pytest.raises(ValidationError) as refused:
        series_booking_decide(keeper=personas.fatima, series=request, approve=False, reason="x")

    assert refused.value.code == "already_decided"
    assert not Booking.objects.filter(activity=series, status="declined").exists()


def test_deciding_one_of_its_dates_decides_them_all(personas, series):
    some_date = held(series)[3]

    booking_decide(keeper=personas.fatima, booking=some_date, approve=True)

    assert not held(series, BookingStatus.REQUESTED).exists()
    assert SeriesBooking.objects.get().status == BookingStatus.APPROVED


def test_approving_books_the_dates_that_came_free_and_names_the_rest(personas, club, room):
    first = book(personas.priya, room, at(14, days=7), at(16, days=7), purpose="Birthday")
    book(personas.anna, room, at(15, days=21), at(16, days=21), purpose="Consultation")
    series = plan_club(personas, club, room)
    assert [o.start for o in series.unreserved] == [at(15, days=7), at(15, days=21)]
    booking_services.booking_cancel(user=personas.priya, booking=first)

    decided = series_booking_decide(
        keeper=personas.fatima, series=SeriesBooking.objects.get(), approve=True
    )

    assert [o.start for o in decided.unreserved] == [at(15, days=21)]
    assert held(series, BookingStatus.APPROVED).filter(starts_at=at(15, days=7)).exists()


def test_the_daily_job_holds_new_dates_as_the_series_stands(personas, series):
    last = held(series).last()
    Booking.objects.filter(pk=last.pk).delete()
    reservations_extend()
    assert held(series).last().status == BookingStatus.REQUESTED

    series_booking_decide(keeper=personas.fatima, series=SeriesBooking.objects.get(), approve=True)
    last = held(series).last()
    Booking.objects.filter(pk=last.pk).delete()
    reservations_extend()
    assert held(series).last().status == BookingStatus.APPROVED


def test_moving_a_waiting_date_keeps_it_waiting(personas, series):
    occurrence_move(
        user=personas.daan,
        activity=series,
        original_start=at(15),
        new_start=at(17),
        new_end=at(18, 30),
    )

    moved = held(series).get(occurrence_start=at(15))
    assert (moved.starts_at, moved.status) == (at(17), BookingStatus.REQUESTED)


def test_changing_only_the_title_keeps_the_approval(personas, series):
    series_booking_decide(keeper=personas.fatima, series=SeriesBooking.objects.get(), approve=True)

    later = activity_change_from(
        user=personas.daan, activity=series, from_start=at(15, days=14), title="Huiswerk & thee"
    )

    assert later.place_request.status == BookingStatus.APPROVED
    assert not held(later, BookingStatus.REQUESTED).exists()
    assert held(later, BookingStatus.APPROVED).first().starts_at == at(15, days=14)


def test_changing_the_time_asks_the_keepers_again(personas, series):
    series_booking_decide(keeper=personas.fatima, series=SeriesBooking.objects.get(), approve=True)

    later = activity_change_from(
        user=personas.daan, activity=series, from_start=at(15, days=14), start_time=time(16, 0)
    )

    assert later.place_request.status == BookingStatus.REQUESTED
    assert held(later, BookingStatus.REQUESTED).first().starts_at == at(16, days=14)
    assert not held(later, BookingStatus.APPROVED).exists()
    assert Notification.objects.filter(kind=Kind.BOOKING_REQUESTED).count() == 2


def test_a_waiting_series_changed_from_its_first_date_asks_once_more_and_withdraws_the_old(
    personas, series
):
    later = activity_change_from(
        user=personas.daan, activity=series, from_start=at(15), start_time=time(16, 0)
    )

    old, new = SeriesBooking.objects.order_by("pk")
    assert (old.activity, old.status) == (series, BookingStatus.CANCELLED)
    assert (new.activity, new.status) == (later, BookingStatus.REQUESTED)
    assert not held(series).exists()


# --- The pages -----------------------------------------------------------------------------------


def test_planning_it_says_the_keepers_decide(as_user, personas, club, room):
    first = next_wednesday()
    response = as_user(personas.daan).post(
        reverse("organise:create", args=[SLUG]),
        {
            "organiser": f"initiative-{club.pk}",
            "title": "Huiswerkclub",
            "place": str(room.pk),
            "start_date": first.isoformat(),
            "start_time": "15:00",
            "end_time": "16:30",
            "repeat": "weekly",
            "audience": "everyone",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "The keepers of Huiskamer de Elskamp decide whether it can take place there" in (
        response.text
    )
    assert SeriesBooking.objects.get().status == BookingStatus.REQUESTED


def test_the_keeper_sees_the_series_once_with_one_decision(as_user, personas, series, room):
    Booking.objects.filter(activity=series, starts_at=at(15, days=35)).delete()
    book(personas.priya, room, at(15, days=35), at(16, days=35), purpose="Chess")
    page = (
        as_user(personas.fatima)
        .get(bookings_url(room))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )

    section = page.split('id="waiting-series"')[1].split("</section>")[0]
    assert "Waiting for your approval" in page
    assert section.count("Huiswerkclub") == 1
    assert "Every week on Wednesday" in section
    assert "Asked by Daan" in section
    assert "Already booked by someone else on:" in section
    assert "15:00" in section.split("Already booked by someone else on:")[1]
    assert decide_url(held(series).first()) in section
    assert "Approve all its dates" in section and "Decline all its dates" in section
    # Its dates in the list below carry no decision of their own.
    rest = page.split("</section>", 1)[1]
    assert "Part of a series waiting for the keepers' approval" in rest
    for booking in held(series)[:3]:
        assert decide_url(booking) not in rest


def test_the_requester_sees_it_waiting_and_neighbours_see_only_taken_times(
    as_user, personas, series, room
):
    mine = (
        as_user(personas.daan)
        .get(bookings_url(room))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )
    theirs = (
        as_user(personas.priya)
        .get(bookings_url(room))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )

    assert "Your request, waiting for the keepers" in mine
    assert "/decide/" not in mine
    assert 'id="waiting-series"' not in theirs
    assert "15:00–16:30" in theirs
    assert "Daan" not in theirs


def test_the_keeper_approves_from_the_page(as_user, personas, series, room):
    response = as_user(personas.fatima).post(
        decide_url(held(series)[2]), {"decision": "approve"}, follow=True
    )

    assert response.status_code == 200
    assert "Huiswerkclub is approved: its dates are booked." in response.text
    assert not held(series, BookingStatus.REQUESTED).exists()
    assert 'id="waiting-series"' not in response.text


def test_the_keeper_declines_from_the_page_and_must_say_why(as_user, personas, series):
    client = as_user(personas.fatima)
    target = decide_url(held(series).first())

    refused = client.post(target, {"decision": "decline"})
    assert refused.status_code == 400
    assert "Say why you decline" in refused.text
    assert held(series, BookingStatus.REQUESTED).exists()

    response = client.post(target, {"decision": "decline", "reason": "Full on Wednesdays."})
    assert response.status_code == 302
    assert not held(series).exists()


@pytest.mark.parametrize(("who", "status"), [("daan", 403), ("henk", 403), ("olga", 404)])
def test_others_cannot_decide_from_the_page(as_user, personas, series, who, status):
    response = as_user(getattr(personas, who)).post(
        decide_url(held(series).first()), {"decision": "approve"}
    )

    assert response.status_code == status
    assert SeriesBooking.objects.get().status == BookingStatus.REQUESTED


def test_the_approval_names_the_dates_still_taken(as_user, personas, club, room):
    book(personas.priya, room, at(14, days=14), at(16, days=14), purpose="Birthday")
    series = plan_club(personas, club, room)

    response = as_user(personas.fatima).post(
        decide_url(held(series).first()), {"decision": "approve"}, follow=True
    )

    assert "could not be booked, because someone else has the place then" in response.text


def test_the_place_page_shows_the_dates_waiting_for_approval(as_user, personas, series, room):
    page = (
        as_user(personas.priya)
        .get(reverse("activities:place", args=[SLUG, room.pk]))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )

    assert "Huiswerkclub" in page
    assert "Waiting for the keepers' approval" in page

    series_booking_decide(keeper=personas.fatima, series=SeriesBooking.objects.get(), approve=True)
    page = (
        as_user(personas.priya)
        .get(reverse("activities:place", args=[SLUG, room.pk]))
        .text.replace("<bdi>", "")
        .replace("</bdi>", "")
    )
    assert "Waiting for the keepers' approval" not in page


def test_the_bookings_page_takes_the_same_queries_for_one_or_three_waiting_series(
    as_user, personas, club, room
):
    client = as_user(personas.fatima)
    plan_club(personas, club, room)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(bookings_url(room)).status_code == 200
        return len(captured)

    one = queries()
    plan_club(personas, club, room, start_time=time(18, 0), title="Avondclub")
    plan_club(personas, club, room, start_time=time(20, 0), title="Laatste club", rrule="")
    assert SeriesBooking.objects.count() == 3
    assert queries() == one


# --- At the same moment --------------------------------------------------------------------------


def _race(targets, *, setup=None) -> tuple[list, list[BaseException]]:
    barrier = threading.Barrier(len(targets))
    results: list = []
    errors: list[BaseException] = []

    def run(target) -> None:
        try:
            if setup is not None:
                setup()
            barrier.wait()
            with translation.override("en"):
                results.append(target())
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _decisions(personas, request):
    """Fatima approves while Youssef, the other keeper, declines."""

    def approve():
        return series_booking_decide(keeper=personas.fatima, series=request, approve=True).status

    def decline():
        return series_booking_decide(
            keeper=personas.youssef, series=request, approve=False, reason="Busy"
        ).status

    return [approve, decline]


@pytest.fixture
def youssef(personas, room):
    from buurtnet.activities.services.places import place_keeper_assign
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email="youssef@example.org", display_name="Youssef")
    MembershipFactory(user=user, neighbourhood=personas.ede, role="resident")
    place_keeper_assign(user=personas.henk, place=room, keeper=user)
    personas.youssef = user
    return user


def _slow_decisions(monkeypatch):
    """Widen the window between reading the request and writing the decision."""
    real = booking_services.clean_text

    def slow(value):
        clock.sleep(0.3)
        return real(value)

    monkeypatch.setattr(booking_services, "clean_text", slow)


def _one_decision_holds(results, errors, series):
    assert len(results) == 1, errors
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].code == "already_decided"
    request = SeriesBooking.objects.get()
    assert request.status == results[0]
    statuses = set(Booking.objects.filter(activity=series).values_list("status", flat=True))
    assert statuses == {results[0]}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
def test_two_keepers_deciding_at_once_make_one_decision(personas, club, room, youssef, monkeypatch):
    series = plan_club(personas, club, room)
    _slow_decisions(monkeypatch)

    results, errors = _race(_decisions(personas, SeriesBooking.objects.get()))

    _one_decision_holds(results, errors, series)


def _the_slot_is_held_once(results, errors, room) -> None:
    """The series is planned either way. If it came first, the neighbour hears the slot is
    taken; if the neighbour came first, the series does without that one date."""
    assert len(results) + len(errors) == 2
    assert all(isinstance(e, ValidationError) and e.code == "overlap" for e in errors), errors
    taken = Booking.objects.filter(
        place=room, status__in=["requested", "approved"], starts_at__lt=at(16), ends_at__gt=at(15)
    )
    assert taken.count() == 1
    assert SeriesBooking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
def test_a_series_and_a_neighbours_request_for_its_date_hold_the_slot_once(personas, club, room):
    def plan():
        return plan_club(personas, club, room).pk

    def request():
        return book(personas.priya, room, at(15), at(16), purpose="Birthday").pk

    results, errors = _race([plan, request])

    _the_slot_is_held_once(results, errors, room)


class SqliteFile:
    """A copy of the migrated (and filled) test database on disk, which a thread then uses as
    its default database, as the app's SQLite settings have it: IMMEDIATE transactions, so
    writers queue for the lock instead of failing."""

    def __init__(self, path) -> None:
        self.path = path

    def copy(self) -> None:
        connection.ensure_connection()
        with sqlite3.connect(self.path) as copy:
            connection.connection.backup(copy)
        copy.close()

    def use(self) -> None:
        from django.db.backends.sqlite3.base import DatabaseWrapper

        settings = dict(connection.settings_dict)
        settings["NAME"] = str(self.path)
        settings["TEST"] = dict(settings.get("TEST") or {}, NAME=str(self.path))
        settings["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
        connections["default"] = DatabaseWrapper(settings, "default")

    def leave(self) -> None:
        connections["default"].close()
        del connections["default"]


@pytest.fixture
def sqlite_file(tmp_path):
    return SqliteFile(tmp_path / "race.sqlite3")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="races SQLite's write lock")
def test_two_keepers_deciding_at_once_make_one_decision_on_sqlite(
    personas, club, room, youssef, monkeypatch, sqlite_file
):
    series = plan_club(personas, club, room)
    request = SeriesBooking.objects.get()
    sqlite_file.copy()
    _slow_decisions(monkeypatch)

    results, errors = _race(_decisions(personas, request), setup=sqlite_file.use)

    sqlite_file.use()
    try:
        _one_decision_holds(results, errors, series)
    finally:
        sqlite_file.leave()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="races SQLite's write lock")
def test_a_series_and_a_neighbours_request_hold_the_slot_once_on_sqlite(
    personas, club, room, sqlite_file
):
    def plan():
        return plan_club(personas, club, room).pk

    def request():
        return book(personas.priya, room, at(15), at(16), purpose="Birthday").pk

    sqlite_file.copy()

    results, errors = _race([plan, request], setup=sqlite_file.use)

    sqlite_file.use()
    try:
        _the_slot_is_held_once(results, errors, room)
    finally:
        sqlite_file.leave()


def test_the_waiting_time_is_within_the_window(personas, series):
    """Sanity: what the tests above plan lies ahead, within a year."""
    assert held(series).first().starts_at > timezone.now()
    assert held(series).last().starts_at < timezone.now() + timedelta(days=366)
