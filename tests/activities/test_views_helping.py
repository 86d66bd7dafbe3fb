"""The occurrence page's tasks, dishes and attendance, through the views, for every role."""

import io
import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from buurtnet.activities.models import Attendance, AttendancePhoto, Dish, Task, TaskSignup
from buurtnet.activities.services import helping as services
from buurtnet.activities.services.organise import activity_update, occurrence_cancel
from buurtnet.activities.services.rsvps import rsvp_set
from tests.activities.conftest import local
from tests.factories import MembershipFactory, UserFactory

MARCH = local(2027, 3, 26, 18)
WHEN = "20270326T1800"
ALERT = '<p class="form-errors" role="alert">%s</p>'


def page(activity, when: str = WHEN) -> str:
    return reverse("activities:occurrence", args=["ede-zuid", activity.pk, when])


def url(name: str, activity, *extra, when: str = WHEN) -> str:
    return reverse(f"helping:{name}", args=["ede-zuid", activity.pk, when, *extra])


def text(response) -> str:
    """The page's words as they read: inline tags vanish, others separate, single spaces."""
    html = re.sub(r"</?(strong|span|a|em|time|bdi)\b[^>]*>", "", response.content.decode())
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def add_task(activity, *, kind="cooking", hands=2, every_date=False, description=""):
    return services.task_add(
        user=activity.created_by,
        activity=activity,
        occurrence_start=MARCH,
        kind=kind,
        hands_needed=hands,
        every_date=every_date,
        description=description,
    )


def neighbour(personas, name: str):
    user = UserFactory(display_name=name)
    MembershipFactory(user=user, neighbourhood=personas.ede)
    return user


@pytest.fixture
def after_march(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))


@pytest.fixture
def potluck(personas, dinner):
    return activity_update(user=personas.fatima, activity=dinner, bring_a_dish=True)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, format="PNG")
    return SimpleUploadedFile("party.png", buffer.getvalue(), content_type="image/png")


# Who may reach the views at all.


def every_post_url(activity, task, photo_pk: int = 1) -> list[str]:
    return [
        url("task_add", activity),
        url("task_update", activity, task.pk),
        url("task_remove", activity, task.pk),
        url("task_signup", activity, task.pk),
        url("task_withdraw", activity, task.pk),
        url("dish_set", activity),
        url("dish_remove", activity),
        url("attendance_record", activity),
        url("attendance_photo_add", activity),
        url("attendance_photo_remove", activity, photo_pk),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, personas, potluck):
    task = add_task(potluck)
    for address in every_post_url(potluck, task):
        response = client.post(address)
        assert response.status_code == 302, address
        assert response.url.startswith(reverse("login"))
    assert TaskSignup.objects.count() == 0


def test_members_of_another_neighbourhood_get_404(as_user, personas, potluck):
    task = add_task(potluck)
    client = as_user(personas.olga)
    for address in every_post_url(potluck, task):
        assert client.post(address).status_code == 404, address


def test_the_views_take_posts_only(as_user, personas, dinner):
    task = add_task(dinner)
    response = as_user(personas.daan).get(url("task_signup", dinner, task.pk))
    assert response.status_code == 405


@pytest.mark.parametrize("task_pk", [999999, 10**20])
def test_an_unknown_task_is_404(as_user, personas, dinner, task_pk):
    assert as_user(personas.daan).post(url("task_signup", dinner, task_pk)).status_code == 404


def test_a_task_of_another_date_or_activity_is_404(as_user, personas, dinner, coffee, first_coffee):
    task = add_task(dinner)
    other = services.task_add(
        user=personas.fatima,
        activity=coffee,
        occurrence_start=first_coffee,
        kind="welcoming",
        hands_needed=1,
    )
    client = as_user(personas.daan)

    assert client.post(url("task_signup", dinner, task.pk, when="20270430T1800")).status_code == 404
    assert client.post(url("task_signup", dinner, other.pk)).status_code == 404
    assert client.post(url("task_signup", dinner, task.pk, when="20270325T1800")).status_code == 404


# Tasks.


def test_everyone_sees_the_tasks_and_who_helps(as_user, personas, dinner):
    cooking = add_task(dinner, hands=2, description="Soup for 40")
    services.task_signup(user=personas.priya, task=cooking, occurrence_start=MARCH)

    response = as_user(personas.anna).get(page(dinner))

    words = text(response)
    assert "Lend a hand" in words
    assert "Cooking Soup for 40" in words and "1 of 2 hands" in words
    assert "Helping: Priya" in words
    assert "I'll help" in words
    assert "Still needed" not in words and "Add a task" not in words


@pytest.mark.parametrize("who", ["daan", "priya", "henk", "anna", "sem", "fatima"])
def test_every_member_signs_up_and_is_thanked(as_user, personas, dinner, who):
    task = add_task(dinner)

    response = as_user(getattr(personas, who)).post(
        url("task_signup", dinner, task.pk), follow=True
    )

    assert response.redirect_chain[-1][0] == page(dinner) + "#tasks"
    assert "Thank you! You help with: Cooking." in text(response)
    assert "I can't help after all" in text(response)
    assert TaskSignup.objects.get().user == getattr(personas, who)


def test_with_htmx_only_the_tasks_section_comes_back(as_user, personas, dinner):
    task = add_task(dinner, hands=1)

    response = as_user(personas.daan).post(
        url("task_signup", dinner, task.pk), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert '<div id="tasks-body"' in body and 'id="tasks-heading"' not in body
    assert '<div id="tasks-notice" data-hx-swap-oob="innerHTML">' in body
    assert "<html" not in body
    assert "Thank you! You help with: Cooking." in text(response)
    assert "Full" in text(response)


def test_a_full_task_says_so_and_offers_no_button(as_user, personas, dinner):
    task = add_task(dinner, hands=1)
    services.task_signup(user=personas.priya, task=task, occurrence_start=MARCH)

    response = as_user(personas.daan).get(page(dinner))

    assert "Full 1 of 1 hand" in text(response)
    assert url("task_signup", dinner, task.pk) not in response.text


def test_signing_up_for_a_full_task_is_refused_clearly(as_user, personas, dinner):
    task = add_task(dinner, hands=1)
    services.task_signup(user=personas.priya, task=task, occurrence_start=MARCH)
    client = as_user(personas.daan)

    response = client.post(url("task_signup", dinner, task.pk))
    assert response.status_code == 400
    assert "already has all the hands it needs" in text(response)
    assert "<html" in response.text

    response = client.post(url("task_signup", dinner, task.pk), headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "already has all the hands it needs" in text(response)
    assert "<html" not in response.text
    assert TaskSignup.objects.count() == 1


def test_withdrawing(as_user, personas, dinner):
    task = add_task(dinner)
    services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)
    client = as_user(personas.daan)

    response = client.post(url("task_withdraw", dinner, task.pk), follow=True)

    assert "You no longer help with: Cooking." in text(response)
    assert not TaskSignup.objects.exists()
    response = client.post(url("task_withdraw", dinner, task.pk))
    assert response.status_code == 400
    assert "You were not signed up for this task." in text(response)


def test_organisers_see_what_is_still_needed(as_user, personas, dinner):
    cooking = add_task(dinner, hands=3, every_date=True)
    add_task(dinner, kind="cleaning_up", hands=1)
    add_task(dinner, kind="other", hands=1, description="Bring the big pans")
    services.task_signup(user=personas.daan, task=cooking, occurrence_start=MARCH)

    response = as_user(personas.fatima).get(page(dinner))
    assert "Still needed: 2 cooks, 1 for cleaning up, 1 for: Bring the big pans" in text(response)
    assert "every date" in text(response)


def test_helpers_show_up_among_the_organisers_people(as_user, personas, dinner):
    task = add_task(dinner, hands=3)
    rsvp_set(user=personas.priya, activity=dinner, occurrence_start=MARCH, status="going")
    services.task_signup(user=personas.priya, task=task, occurrence_start=MARCH)
    services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)

    words = text(as_user(personas.fatima).get(page(dinner)))

    assert "1 person And 1 helper who has not said they are coming." in words
    assert "Helping hands Priya: Cooking Daan: Cooking (has not said they are coming)" in words


@pytest.mark.parametrize("who", ["priya", "daan", "henk", "anna"])
def test_only_organisers_add_change_or_remove_tasks(as_user, personas, dinner, who):
    task = add_task(dinner)
    client = as_user(getattr(personas, who))

    add = client.post(
        url("task_add", dinner),
        {"new-task-kind": "shopping", "new-task-hands_needed": "1", "new-task-applies_to": "this"},
    )
    edit = client.post(
        url("task_update", dinner, task.pk),
        {f"task-{task.pk}-hands_needed": "9", f"task-{task.pk}-description": ""},
    )
    remove = client.post(url("task_remove", dinner, task.pk))

    assert (add.status_code, edit.status_code, remove.status_code) == (403, 403, 403)
    assert list(Task.objects.values_list("kind", "hands_needed")) == [("cooking", 2)]


def test_organisers_add_a_task(as_user, personas, dinner):
    response = as_user(personas.fatima).post(
        url("task_add", dinner),
        {
            "new-task-kind": "shopping",
            "new-task-description": "Rice and vegetables",
            "new-task-hands_needed": "2",
            "new-task-applies_to": "every",
        },
        follow=True,
    )

    assert "The task is on the list." in text(response)
    task = Task.objects.get()
    assert (task.kind, task.hands_needed, task.occurrence_start) == ("shopping", 2, None)
    assert "Still needed: 2 for shopping" in text(response)


@pytest.mark.parametrize(
    ("hands", "message"),
    [
        ("-1", "Ask for between 1 and 50 hands."),
        ("0", "Ask for between 1 and 50 hands."),
        ("51", "Ask for between 1 and 50 hands."),
        ("99999999999999999999999", "Ask for between 1 and 50 hands."),
        ("", "Say how many hands are needed."),
        ("two", "Give a whole number."),
    ],
)
def test_bad_hands_are_refused_and_what_was_typed_stays(as_user, personas, dinner, hands, message):
    response = as_user(personas.fatima).post(
        url("task_add", dinner),
        {
            "new-task-kind": "cooking",
            "new-task-description": "Dessert",
            "new-task-hands_needed": hands,
            "new-task-applies_to": "this",
        },
    )

    assert response.status_code == 400
    assert message in text(response)
    assert 'value="Dessert"' in response.text
    assert f'value="{hands}"' in response.text or not hands
    assert not Task.objects.exists()


def test_an_unknown_kind_and_dates_choice_are_refused(as_user, personas, dinner):
    response = as_user(personas.fatima).post(
        url("task_add", dinner),
        {"new-task-kind": "juggling", "new-task-hands_needed": "1", "new-task-applies_to": "x"},
    )

    assert response.status_code == 400
    assert not Task.objects.exists()


def test_a_duplicate_task_is_refused_by_the_service(as_user, personas, dinner):
    add_task(dinner, every_date=True)

    response = as_user(personas.fatima).post(
        url("task_add", dinner),
        {"new-task-kind": "cooking", "new-task-hands_needed": "1", "new-task-applies_to": "this"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 400
    assert "already on the list for this date" in text(response)
    assert Task.objects.count() == 1


def test_organisers_change_the_hands_and_keep_what_they_typed_on_errors(as_user, personas, dinner):
    task = add_task(dinner, hands=2)
    for user in (personas.daan, personas.priya):
        services.task_signup(user=user, task=task, occurrence_start=MARCH)
    client = as_user(personas.fatima)
    field = f"task-{task.pk}-hands_needed"

    response = client.post(
        url("task_update", dinner, task.pk),
        {field: "1", f"task-{task.pk}-description": "Soup"},
    )
    assert response.status_code == 400
    assert "2 people already help on" in text(response)
    assert 'value="Soup"' in response.text and 'value="1"' in response.text
    assert '<details class="task-edit" open>' in response.text

    response = client.post(
        url("task_update", dinner, task.pk), {field: "4", f"task-{task.pk}-description": "Soup"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.hands_needed, task.description) == (4, "Soup")


def test_removing_a_task_with_helpers_is_refused_with_their_names(as_user, personas, dinner):
    task = add_task(dinner)
    services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)

    response = as_user(personas.fatima).post(url("task_remove", dinner, task.pk))

    assert response.status_code == 400
    assert "Daan signed up for this task, so it stays on the list." in text(response)
    assert Task.objects.exists()


def test_removing_a_task_without_helpers(as_user, personas, dinner):
    task = add_task(dinner)

    response = as_user(personas.fatima).post(url("task_remove", dinner, task.pk), follow=True)

    assert "Removed from the list: Cooking." in text(response)
    assert not Task.objects.exists()


def test_a_past_date_shows_who_helped_without_buttons(as_user, personas, dinner, monkeypatch):
    task = add_task(dinner)
    services.task_signup(user=personas.daan, task=task, occurrence_start=MARCH)
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))

    for who in ("daan", "fatima"):
        response = as_user(getattr(personas, who)).get(page(dinner))
        assert "Helping: Daan" in text(response)
        assert "I can't help after all" not in text(response)
        assert "Add a task" not in text(response)

    response = as_user(personas.priya).post(url("task_signup", dinner, task.pk))
    assert response.status_code == 400
    assert ALERT % "This time has already begun or passed; it can no longer be changed." in (
        response.text
    )


def test_a_cancelled_date_takes_no_helpers(as_user, personas, dinner):
    task = add_task(dinner, every_date=True)
    occurrence_cancel(user=personas.fatima, activity=dinner, original_start=MARCH)

    response = as_user(personas.daan).post(url("task_signup", dinner, task.pk))

    assert response.status_code == 400
    assert ALERT % "This time is cancelled." in response.text


def test_members_see_no_tasks_section_when_there_are_none(as_user, personas, dinner):
    assert "Lend a hand" not in text(as_user(personas.daan).get(page(dinner)))
    assert "Lend a hand" in text(as_user(personas.fatima).get(page(dinner)))


# Bring a dish.


def test_no_dish_section_or_dish_views_without_bring_a_dish(as_user, personas, dinner):
    client = as_user(personas.daan)

    assert "Bring a dish" not in text(client.get(page(dinner)))
    assert client.post(url("dish_set", dinner), {"dish-dish": "Soup"}).status_code == 404
    assert client.post(url("dish_remove", dinner)).status_code == 404


@pytest.mark.parametrize("who", ["daan", "priya", "henk", "anna", "fatima"])
def test_members_say_which_dish_they_bring(as_user, personas, potluck, who):
    response = as_user(getattr(personas, who)).post(
        url("dish_set", potluck),
        {"dish-dish": "Lentil soup", "dish-vegan": "on", "dish-halal": "on"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == page(potluck) + "#dishes"
    words = text(response)
    assert "Thank you! Your dish is on the list." in words
    assert "You bring: Lentil soup." in words
    assert "1 dish: 1 vegetarian, 1 vegan, 1 halal" in words
    dish = Dish.objects.get()
    assert (dish.user, dish.vegetarian, dish.vegan, dish.halal) == (
        getattr(personas, who),
        True,
        True,
        True,
    )


@pytest.mark.parametrize("dish", ["", "   ", "x" * 121])
def test_a_dish_without_a_proper_name_is_refused(as_user, personas, potluck, dish):
    response = as_user(personas.daan).post(
        url("dish_set", potluck), {"dish-dish": dish, "dish-vegetarian": "on"}
    )

    assert response.status_code == 400
    assert 'name="dish-vegetarian" id="id_dish-vegetarian" checked' in response.text
    assert not Dish.objects.exists()


def test_the_list_of_dishes_is_for_who_is_going(as_user, personas, potluck):
    services.dish_set(user=personas.priya, activity=potluck, occurrence_start=MARCH, dish="Baklava")
    services.dish_set(
        user=personas.henk, activity=potluck, occurrence_start=MARCH, dish="Salad", vegetarian=True
    )

    words = text(as_user(personas.daan).get(page(potluck)))
    assert "2 dishes: 1 vegetarian" in words
    assert "Baklava" not in words
    assert "Who brings what is shown to everyone who is going." in words

    rsvp_set(user=personas.daan, activity=potluck, occurrence_start=MARCH, status="going")
    words = text(as_user(personas.daan).get(page(potluck)))
    assert "Baklava by Priya" in words and "Salad by Henk Vegetarian" in words
    assert "Baklava by Priya" in text(as_user(personas.fatima).get(page(potluck)))


def test_changing_and_removing_my_dish(as_user, personas, potluck):
    client = as_user(personas.daan)
    client.post(url("dish_set", potluck), {"dish-dish": "Soup"})
    response = client.get(page(potluck))
    assert 'value="Soup"' in response.text and "Change my dish" in text(response)

    response = client.post(url("dish_remove", potluck), follow=True)

    assert "Your dish is off the list." in text(response)
    assert not Dish.objects.exists()
    response = client.post(url("dish_remove", potluck))
    assert response.status_code == 400
    assert "You had not said you bring a dish." in text(response)


def test_no_dishes_for_a_past_date(as_user, personas, potluck, after_march):
    client = as_user(personas.daan)
    response = client.post(url("dish_set", potluck), {"dish-dish": "Soup"})

    assert response.status_code == 400
    assert ALERT % "This time has already begun or passed; it can no longer be changed." in (
        response.text
    )
    assert "Save my dish" not in text(response)
    response = client.post(url("dish_set", potluck), {"dish-dish": ""})
    assert response.status_code == 400
    assert "Say which dish you bring." in text(response)
    assert "Bring a dish" not in text(client.get(page(potluck)))


# How many came.


def attendance_post(client, activity, came="23", note="A full room."):
    return client.post(
        url("attendance_record", activity), {"attendance-came": came, "attendance-note": note}
    )


def test_before_it_begins_there_is_nothing_to_count(as_user, personas, dinner):
    client = as_user(personas.fatima)
    words = text(client.get(page(dinner)))
    assert "Once it has begun, you can write down on this page how many came." in words
    assert "How it went" not in words

    response = attendance_post(client, dinner)

    assert response.status_code == 400
    assert "You can write down how many came once it has begun." in text(response)
    assert not Attendance.objects.exists()


def test_the_form_starts_from_who_said_they_were_going(as_user, personas, dinner, monkeypatch):
    rsvp_set(user=personas.daan, activity=dinner, occurrence_start=MARCH, status="going", guests=2)
    rsvp_set(user=personas.priya, activity=dinner, occurrence_start=MARCH, status="going")
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 3, 26, 18, 30, tzinfo=UTC))

    response = as_user(personas.fatima).get(page(dinner))

    assert "How many came?" in text(response)
    assert 'name="attendance-came" value="4"' in response.text


def test_organisers_record_and_members_see_how_it_went(as_user, personas, dinner, after_march):
    response = attendance_post(as_user(personas.fatima), dinner, "23", "Soup ran out.")
    assert response.status_code == 302
    assert response.url == page(dinner) + "#how-it-went"

    for who in ("daan", "priya", "anna", "henk"):
        words = text(as_user(getattr(personas, who)).get(page(dinner)))
        assert "How it went 23 people came Soup ran out." in words
        assert "Change how many came" not in words


def test_correcting_the_count(as_user, personas, dinner, after_march):
    client = as_user(personas.fatima)
    attendance_post(client, dinner, "23")

    response = attendance_post(client, dinner, "1", "")

    assert response.status_code == 302
    assert Attendance.objects.get().came == 1
    words = text(client.get(page(dinner)))
    assert "1 person came" in words and "Change how many came" in words


@pytest.mark.parametrize(
    ("came", "message"),
    [
        ("-3", "Give a number between 0 and 5000."),
        ("5001", "Give a number between 0 and 5000."),
        ("123456789012345678901234567890", "Give a number between 0 and 5000."),
        ("", "Say how many came."),
        ("lots", "Give a whole number."),
    ],
)
def test_bad_counts_are_refused_and_kept(as_user, personas, dinner, after_march, came, message):
    response = attendance_post(as_user(personas.fatima), dinner, came, "Nice evening")

    assert response.status_code == 400
    assert message in text(response)
    assert 'value="Nice evening"' in response.text
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["priya", "daan", "henk", "anna"])
def test_only_organisers_record_how_many_came(as_user, personas, dinner, after_march, who):
    client = as_user(getattr(personas, who))

    assert attendance_post(client, dinner).status_code == 403
    assert client.post(url("attendance_photo_add", dinner)).status_code == 403
    assert "How many came?" not in text(client.get(page(dinner)))
    assert not Attendance.objects.exists()


def test_members_without_a_record_see_no_how_it_went(as_user, personas, dinner, after_march):
    assert "How it went" not in text(as_user(personas.daan).get(page(dinner)))


def test_photos_come_after_the_count(as_user, personas, dinner, after_march):
    client = as_user(personas.fatima)
    assert "Add a photo" not in text(client.get(page(dinner)))

    response = client.post(
        url("attendance_photo_add", dinner), {"photo-image": png(), "photo-alt": "At the table"}
    )

    assert response.status_code == 400
    assert "Write down how many came first; then you can add photos." in text(response)


def test_a_photo_of_how_it_went(as_user, personas, dinner, after_march):
    client = as_user(personas.fatima)
    attendance_post(client, dinner)

    response = client.post(
        url("attendance_photo_add", dinner),
        {"photo-image": png(), "photo-alt": "Neighbours at the long table"},
        follow=True,
    )

    assert "The photo is added." in text(response)
    photo = AttendancePhoto.objects.get()
    daan_sees = as_user(personas.daan).get(page(dinner)).content.decode()
    assert f'src="{photo.image.url}" alt="Neighbours at the long table"' in daan_sees
    assert "Remove this photo" not in daan_sees

    response = as_user(personas.fatima).post(
        url("attendance_photo_remove", dinner, photo.pk), follow=True
    )
    assert "The photo is removed." in text(response)
    assert not AttendancePhoto.objects.exists()


@pytest.mark.parametrize(
    ("upload", "alt", "message"),
    [
        (lambda: png(), "", "Describe what the photo shows, for people who cannot see it."),
        (
            lambda: SimpleUploadedFile("x.png", b"no image here", content_type="image/png"),
            "A party",
            "This file is not a photo we can use.",
        ),
        (
            lambda: SimpleUploadedFile("big.jpg", b"\0" * (5 * 1024 * 1024 + 10)),
            "A party",
            "photos can be at most 5 MB",
        ),
        (lambda: None, "A party", "This field is required."),
    ],
)
def test_bad_photos_are_refused_with_a_message(
    as_user, personas, dinner, after_march, upload, alt, message
):
    client = as_user(personas.fatima)
    attendance_post(client, dinner)
    data = {"photo-alt": alt}
    if (image := upload()) is not None:
        data["photo-image"] = image

    response = client.post(url("attendance_photo_add", dinner), data)

    assert response.status_code == 400
    assert message in text(response)
    assert f'value="{alt}"' in response.text or not alt
    assert not AttendancePhoto.objects.exists()


def test_a_photo_of_another_date_is_404(as_user, personas, dinner, after_march):
    client = as_user(personas.fatima)
    attendance_post(client, dinner)
    client.post(url("attendance_photo_add", dinner), {"photo-image": png(), "photo-alt": "Us"})
    photo = AttendancePhoto.objects.get()

    response = client.post(url("attendance_photo_remove", dinner, photo.pk, when="20270226T1800"))

    assert response.status_code == 404
    assert AttendancePhoto.objects.exists()


# The page as a whole.


def test_the_answer_heading_is_not_repeated_by_a_visible_legend(as_user, personas, dinner):
    response = as_user(personas.daan).get(page(dinner))

    assert response.text.count("Are you coming?") == 2
    assert '<legend class="visually-hidden">Are you coming?</legend>' in response.text


def test_calendar_links(as_user, personas, dinner, monkeypatch):
    ics = reverse("activities:occurrence_ics", args=["ede-zuid", dinner.pk, WHEN])
    feed = reverse("activities:feed_neighbourhood", args=["ede-zuid"])
    client = as_user(personas.daan)

    response = client.get(page(dinner))
    assert f'href="{ics}"' in response.text and f'href="{feed}"' in response.text

    activity_update(user=personas.fatima, activity=dinner, is_public=False)
    response = client.get(page(dinner))
    assert f'href="{ics}"' in response.text and f'href="{feed}"' not in response.text

    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))
    assert f'href="{ics}"' not in client.get(page(dinner)).text


def test_organisers_get_the_actions_to_change_the_plan(as_user, personas, dinner):
    edit = reverse("organise:edit", args=["ede-zuid", dinner.pk])

    assert edit in as_user(personas.fatima).get(page(dinner)).text
    assert edit not in as_user(personas.priya).get(page(dinner)).text


def fill(potluck, personas, size: int) -> None:
    """`size` tasks of one date, each with a helper, and `size` dishes."""
    for number in range(size):
        person = neighbour(personas, f"Helper {number}")
        task = add_task(potluck, kind="other", hands=2, description=f"Job {number}")
        services.task_signup(user=person, task=task, occurrence_start=MARCH)
        services.dish_set(
            user=person, activity=potluck, occurrence_start=MARCH, dish=f"Dish {number}"
        )
        rsvp_set(user=person, activity=potluck, occurrence_start=MARCH, status="going")


@pytest.mark.parametrize("who", ["fatima", "daan"])
def test_the_page_needs_the_same_queries_for_many_tasks_and_dishes(
    as_user, personas, potluck, django_assert_num_queries, who
):
    client = as_user(getattr(personas, who))
    fill(potluck, personas, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(page(potluck)).status_code == 200

    fill_more = 20
    for number in range(fill_more):
        person = neighbour(personas, f"More {number}")
        task = add_task(potluck, kind="other", hands=2, description=f"More job {number}")
        services.task_signup(user=person, task=task, occurrence_start=MARCH)
        services.dish_set(
            user=person, activity=potluck, occurrence_start=MARCH, dish=f"More dish {number}"
        )
    with django_assert_num_queries(len(few)):
        response = client.get(page(potluck))
    assert "More dish 19" in response.text or who == "daan"
    assert "More job 19" in response.text


def test_a_past_page_with_photos_needs_the_same_queries(
    as_user, personas, dinner, after_march, django_assert_num_queries
):
    client = as_user(personas.daan)
    services.attendance_record(
        user=personas.fatima, activity=dinner, occurrence_start=MARCH, came=12
    )
    attendance = Attendance.objects.get()

    def add_photos(count: int) -> None:
        for number in range(count):
            services.attendance_photo_add(
                user=personas.fatima, attendance=attendance, image=png(), alt=f"Photo {number}"
            )

    add_photos(1)
    with CaptureQueriesContext(connection) as few:
        client.get(page(dinner))
    add_photos(10)
    with django_assert_num_queries(len(few)):
        response = client.get(page(dinner))
    assert response.text.count('class="photo-grid"') == 1


def test_refusals_about_the_date_show_even_where_the_forms_do_not(as_user, personas, dinner):
    occurrence_cancel(user=personas.fatima, activity=dinner, original_start=MARCH)
    client = as_user(personas.fatima)

    response = client.post(
        url("task_add", dinner),
        {"new-task-kind": "cooking", "new-task-hands_needed": "1", "new-task-applies_to": "this"},
    )
    assert response.status_code == 400
    assert ALERT % "This time is cancelled." in response.text
    assert "Add a task" not in text(response)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime(2027, 4, 1, tzinfo=UTC))
        response = attendance_post(as_user(personas.fatima), dinner)
    assert response.status_code == 400
    assert ALERT % "This time was cancelled; there is nobody to count." in response.text
    assert not Task.objects.exists() and not Attendance.objects.exists()
