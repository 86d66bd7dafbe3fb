"""Tasks of an occurrence: organisers ask for hands, neighbours sign up and withdraw."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from buurtnet.activities.models import Task, TaskSignup
from buurtnet.activities.recurrence import occurrence_at
from buurtnet.activities.reminders import open_tasks
from buurtnet.activities.services import helping as helping_services
from buurtnet.activities.services import organise as services
from tests.activities.conftest import local
from tests.factories import MembershipFactory, UserFactory

MARCH = local(2027, 3, 26, 18)
APRIL = local(2027, 4, 30, 18)


@pytest.fixture(autouse=True)
def english():
    """Messages are read in English, the language of the source strings."""
    with translation.override("en"):
        yield


def add(activity, who, *, start=MARCH, kind="cooking", hands=2, every_date=False, **extra):
    return helping_services.task_add(
        user=who,
        activity=activity,
        occurrence_start=start,
        kind=kind,
        hands_needed=hands,
        every_date=every_date,
        **extra,
    )


def neighbour(personas, name: str):
    user = UserFactory(display_name=name)
    MembershipFactory(user=user, neighbourhood=personas.ede)
    return user


def error_of(exc: pytest.ExceptionInfo, field: str | None = None) -> str:
    if field is None:
        return " ".join(exc.value.messages)
    return " ".join(exc.value.message_dict[field])


def test_organisers_ask_for_hands_on_every_date_or_on_one(personas, dinner):
    every = add(dinner, personas.fatima, kind="cleaning_up", every_date=True)
    once = add(dinner, personas.fatima, kind="cooking", description="Soup for 40", hands=3)

    assert every.occurrence_start is None
    assert once.occurrence_start == MARCH
    assert (once.hands_needed, once.description, once.created_by) == (
        3,
        "Soup for 40",
        personas.fatima,
    )
    april = occurrence_at(dinner, APRIL)
    assert [task for task, _open in open_tasks(april)] == [every]


def test_a_single_event_keeps_its_tasks_on_its_one_date(personas, room):
    from datetime import date, time

    party = services.activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Buurtfeest",
        start_date=date(2027, 6, 12),
        start_time=time(15, 0),
        duration_minutes=180,
    )

    task = add(party, personas.fatima, start=local(2027, 6, 12, 15), every_date=True)

    assert task.occurrence_start == local(2027, 6, 12, 15)


@pytest.mark.parametrize("who", ["priya", "daan", "henk", "anna", "sem", "olga"])
def test_only_organisers_add_tasks(personas, dinner, who):
    with pytest.raises(PermissionDenied):
        add(dinner, getattr(personas, who))
    assert not Task.objects.exists()


def test_the_keeper_organises_a_place_activity_without_an_initiative(
    personas, coffee, first_coffee
):
    task = add(coffee, personas.fatima, start=first_coffee, kind="setting_up", hands=1)

    assert task.activity == coffee
    with pytest.raises(PermissionDenied):
        add(coffee, personas.henk, start=first_coffee)


@pytest.mark.parametrize("hands", [0, -1, 51, 10**12, True, "2", None])
def test_hands_needed_are_between_one_and_fifty(personas, dinner, hands):
    with pytest.raises(ValidationError) as exc:
        add(dinner, personas.fatima, hands=hands)

    assert error_of(exc, "hands_needed") == "Ask for between 1 and 50 hands."


def test_something_else_says_what(personas, dinner):
    with pytest.raises(ValidationError) as exc:
        add(dinner, personas.fatima, kind="other", description="  ")

    assert error_of(exc, "description") == "Say what needs doing."
    task = add(dinner, personas.fatima, kind="other", description="Bring the big pans")
    assert str(task) == "Something else: Bring the big pans"


def test_an_unknown_kind_and_a_long_description_are_refused(personas, dinner):
    with pytest.raises(ValidationError) as exc:
        add(dinner, personas.fatima, kind="juggling")
    assert "kind" in exc.value.message_dict

    with pytest.raises(ValidationError) as exc:
        add(dinner, personas.fatima, description="x" * 201)
    assert "description" in exc.value.message_dict


def test_the_same_task_twice_on_a_date_is_refused(personas, dinner):
    add(dinner, personas.fatima, kind="cooking", every_date=True)

    with pytest.raises(ValidationError) as exc:
        add(dinner, personas.fatima, kind="cooking")

    assert "already on the list" in error_of(exc, "kind")
    assert add(dinner, personas.fatima, kind="cooking", description="Dessert")


def test_tasks_are_not_added_to_a_past_or_cancelled_date(personas, dinner, monkeypatch):
    services.occurrence_cancel(user=personas.fatima, activity=dinner, original_start=MARCH)
    with pytest.raises(ValidationError) as exc:
        add(dinner, personas.fatima)
    assert error_of(exc) == "This time is cancelled."

    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 5, 1, tzinfo=UTC))
    with pytest.raises(ValidationError) as exc:
        add(dinner, personas.fatima, start=APRIL)
    assert "already begun or passed" in error_of(exc)


def test_a_time_the_series_does_not_have_is_refused(personas, dinner):
    with pytest.raises(ValidationError) as exc:
        add(dinner, personas.fatima, start=local(2027, 3, 25, 18))
    assert error_of(exc) == "This activity does not take place at that time."
    with pytest.raises(ValidationError):
        add(dinner, personas.fatima, start=datetime(2027, 3, 26, 18))  # noqa: DTZ001 - naive on purpose


@pytest.mark.parametrize("who", ["fatima", "priya", "daan", "henk", "anna", "sem"])
def test_every_member_can_lend_a_hand(personas, dinner, who):
    task = add(dinner, personas.fatima)
    user = getattr(personas, who)

    signup = helping_services.task_signup(user=user, task=task, occurrence_start=MARCH)

    assert (signup.user, signup.occurrence_start) == (user, MARCH)


def test_members_of_another_neighbourhood_cannot_sign_up(personas, dinner):
    task = add(dinner, personas.fatima)

    with pytest.raises(PermissionDenied):
        helping_services.task_signup(user=personas.olga, task=task, occurrence_start=MARCH)


def test_a_full_task_refuses_one_more_hand_kindly(personas, dinner):
    task = add(dinner, personas.fatima, hands=2)
    for user in (personas.daan, personas.priya):
        helping_services.task_signup(user=user, task=task, occurrence_start=MARCH)

    with pytest.raises(ValidationError) as exc:
        helping_services.task_signup(user=personas.anna, task=task, occurrence_start=MARCH)

    assert exc.value.code == "full"
    assert "already has all the hands it needs" in error_of(exc)
    assert TaskSignup.objects.filter(task=task).count() == 2


def test_signing_up_twice_is_refused(personas, dinner):
    task = add(dinner, personas.fatima, hands=5)
    helping_services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)

    with pytest.raises(ValidationError) as exc:
        helping_services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)

    assert error_of(exc) == "You already help with this task."


def test_a_task_of_every_date_counts_hands_per_date(personas, dinner):
    task = add(dinner, personas.fatima, hands=1, every_date=True)
    helping_services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)

    signup = helping_services.task_signup(user=personas.priya, task=task, occurrence_start=APRIL)

    assert signup.occurrence_start == APRIL
    with pytest.raises(ValidationError):
        helping_services.task_signup(user=personas.priya, task=task, occurrence_start=MARCH)


def test_a_task_of_one_date_takes_no_hands_on_another(personas, dinner):
    task = add(dinner, personas.fatima)

    with pytest.raises(ValidationError) as exc:
        helping_services.task_signup(user=personas.daan, task=task, occurrence_start=APRIL)

    assert error_of(exc) == "This task is for another date."


def test_no_signing_up_or_withdrawing_on_a_past_or_cancelled_date(personas, dinner, monkeypatch):
    task = add(dinner, personas.fatima, every_date=True)
    helping_services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)
    services.occurrence_cancel(user=personas.fatima, activity=dinner, original_start=APRIL)

    with pytest.raises(ValidationError) as exc:
        helping_services.task_signup(user=personas.priya, task=task, occurrence_start=APRIL)
    assert error_of(exc) == "This time is cancelled."

    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 3, 27, tzinfo=UTC))
    for action in (helping_services.task_signup, helping_services.task_withdraw):
        with pytest.raises(ValidationError) as exc:
            action(user=personas.daan, task=task, occurrence_start=MARCH)
        assert exc.value.code == "past"
    assert TaskSignup.objects.filter(user=personas.daan).exists()


def test_withdrawing_frees_the_hand(personas, dinner):
    task = add(dinner, personas.fatima, hands=1)
    helping_services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)

    helping_services.task_withdraw(user=personas.daan, task=task, occurrence_start=MARCH)

    assert helping_services.task_signup(user=personas.priya, task=task, occurrence_start=MARCH)


def test_withdrawing_without_signing_up_is_refused(personas, dinner):
    task = add(dinner, personas.fatima)

    with pytest.raises(ValidationError) as exc:
        helping_services.task_withdraw(user=personas.daan, task=task, occurrence_start=MARCH)

    assert error_of(exc) == "You were not signed up for this task."


def test_organisers_change_the_hands_needed(personas, dinner):
    task = add(dinner, personas.fatima, hands=2)

    changed = helping_services.task_update(
        user=personas.fatima, task=task, occurrence_start=MARCH, hands_needed=5, description="Rice"
    )

    assert (changed.hands_needed, changed.description) == (5, "Rice")


def test_hands_needed_never_drop_below_who_already_helps(personas, dinner):
    task = add(dinner, personas.fatima, hands=3, every_date=True)
    for user in (personas.daan, personas.priya):
        helping_services.task_signup(user=user, task=task, occurrence_start=APRIL)

    with pytest.raises(ValidationError) as exc:
        helping_services.task_update(
            user=personas.fatima, task=task, occurrence_start=MARCH, hands_needed=1
        )

    assert error_of(exc, "hands_needed") == (
        "2 people already help on April 30, 2027; ask for at least that many hands."
    )
    task.refresh_from_db()
    assert task.hands_needed == 3


@pytest.mark.parametrize("who", ["priya", "daan", "henk", "anna", "olga"])
def test_only_organisers_change_or_remove_tasks(personas, dinner, who):
    task = add(dinner, personas.fatima)
    user = getattr(personas, who)

    with pytest.raises(PermissionDenied):
        helping_services.task_update(user=user, task=task, occurrence_start=MARCH, hands_needed=9)
    with pytest.raises(PermissionDenied):
        helping_services.task_remove(user=user, task=task, occurrence_start=MARCH)
    assert Task.objects.get().hands_needed == 2


def test_a_task_with_helpers_is_not_removed_and_says_who_helps(personas, dinner):
    task = add(dinner, personas.fatima, every_date=True)
    helping_services.task_signup(user=personas.daan, task=task, occurrence_start=APRIL)
    helping_services.task_signup(user=personas.priya, task=task, occurrence_start=MARCH)

    with pytest.raises(ValidationError) as exc:
        helping_services.task_remove(user=personas.fatima, task=task, occurrence_start=MARCH)

    assert error_of(exc).startswith("Priya, Daan signed up for this task")
    assert Task.objects.filter(pk=task.pk).exists()


def test_a_task_without_helpers_is_removed(personas, dinner):
    task = add(dinner, personas.fatima)

    helping_services.task_remove(user=personas.fatima, task=task, occurrence_start=MARCH)

    assert not Task.objects.exists()
    with pytest.raises(ValidationError) as exc:
        helping_services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)
    assert error_of(exc) == "This task has just been removed."


def test_open_tasks_count_what_is_still_free(personas, dinner):
    cooking = add(dinner, personas.fatima, hands=3)
    cleaning = add(dinner, personas.fatima, kind="cleaning_up", hands=1)
    helping_services.task_signup(user=personas.daan, task=cooking, occurrence_start=MARCH)
    helping_services.task_signup(user=personas.priya, task=cleaning, occurrence_start=MARCH)
    stranger = neighbour(personas, "Noor")
    helping_services.task_signup(user=stranger, task=cooking, occurrence_start=MARCH)

    assert open_tasks(occurrence_at(dinner, MARCH)) == [(cooking, 1)]
