"""Lending a hand on a phone: a neighbour takes a task and brings a dish, the organiser sees
what is still needed, and after the dinner everyone sees how it went. With and without
JavaScript, every page axe-clean and photographed.
"""

import io
from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from buurtnet.activities.models import AttendancePhoto, Dish, TaskSignup
from buurtnet.activities.recurrence import original_starts
from buurtnet.activities.services import helping as services
from buurtnet.activities.services.organise import activity_create
from buurtnet.activities.services.places import place_create
from buurtnet.activities.services.rsvps import rsvp_set
from buurtnet.people.models import User
from tests.browser.helpers import check_page, flash, label, screenshot, tr

TITLE = "Shared dinner"


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("dinner.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def photos_on_disk(settings):
    """Photos stored as files, so the page the browser loads can show them."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    yield
    for photo in AttendancePhoto.objects.all():
        photo.image.delete(save=False)


@pytest.fixture
def dinner(personas, lang):
    """A weekly potluck at de Elskamp since a few weeks, organised by Fatima's initiative, with
    tasks; the paths of its last past evening and of its next one."""
    User.objects.filter(pk__in=[personas.daan.pk, personas.fatima.pk]).update(
        preferred_language=lang
    )
    room = place_create(
        user=personas.henk, neighbourhood=personas.ede, name="Ontmoetingsruimte", capacity=40
    )
    today = timezone.localdate()
    activity = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        place=room,
        title=TITLE,
        start_date=today - timedelta(days=21),
        start_time=time(18, 0),
        duration_minutes=150,
        rrule="FREQ=WEEKLY",
        bring_a_dish=True,
    )
    now = timezone.now()
    starts = original_starts(activity, now - timedelta(days=8), now + timedelta(days=8))
    past = max(s for s in starts if s < now - timedelta(hours=3))
    coming = min(s for s in starts if s > now + timedelta(hours=1))
    for kind, hands in (("cooking", 2), ("cleaning_up", 1)):
        services.task_add(
            user=personas.fatima,
            activity=activity,
            occurrence_start=coming,
            kind=kind,
            hands_needed=hands,
            every_date=True,
        )
    services.task_add(
        user=personas.fatima,
        activity=activity,
        occurrence_start=coming,
        kind="shopping",
        description="Rice and vegetables for 30 people",
        hands_needed=1,
    )
    rsvp_set(user=personas.priya, activity=activity, occurrence_start=coming, status="going")
    services.dish_set(
        user=personas.priya, activity=activity, occurrence_start=coming, dish="Baklava", halal=True
    )

    def path(start):
        when = start.astimezone(activity.tz).strftime("%Y%m%dT%H%M")
        return reverse("activities:occurrence", args=[personas.ede.slug, activity.pk, when])

    return activity, coming, path(coming), past, path(past)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_neighbour_lends_a_hand_and_the_organiser_sees_what_is_left(
    live_server, signed_in, personas, dinner, lang
):
    server = live_server.url
    activity, coming, path, _past, _past_path = dinner

    resident = signed_in(personas.daan, lang=lang).new_page()
    resident.goto(f"{server}{path}")
    tasks = resident.get_by_role("region", name=tr(lang, "Lend a hand"))
    expect(tasks).to_be_visible()
    check_page(resident, lang, "helping-01-resident")

    # He takes the cooking; htmx swaps only the tasks and thanks him.
    cooking = tasks.locator("li", has=resident.get_by_role("heading", name=tr(lang, "Cooking")))
    cooking.get_by_role("button", name=tr(lang, "I'll help")).click()
    expect(resident.locator("#tasks-notice")).to_contain_text(
        tr(lang, "Thank you! You help with: %(task)s.", task=tr(lang, "Cooking"))
    )
    expect(cooking.get_by_role("button", name=tr(lang, "I can't help after all"))).to_be_focused()
    assert TaskSignup.objects.filter(user=personas.daan, occurrence_start=coming).count() == 1

    # And he brings a dish.
    dishes = resident.get_by_role("region", name=tr(lang, "Bring a dish"))
    dishes.get_by_label(label(lang, "The dish I bring")).fill("Lentil soup")
    dishes.get_by_label(label(lang, "Vegan")).check()
    dishes.get_by_role("button", name=tr(lang, "Save my dish")).click()
    expect(flash(resident)).to_contain_text(tr(lang, "Thank you! Your dish is on the list."))
    assert Dish.objects.get(user=personas.daan).vegan
    check_page(resident, lang, "helping-02-resident-helps")

    organiser = signed_in(personas.fatima, lang=lang).new_page()
    organiser.goto(f"{server}{path}")
    expect(organiser.locator(".still-needed")).to_contain_text(tr(lang, "Still needed:"))
    for_organisers = organiser.get_by_role("region", name=tr(lang, "For the organisers"))
    expect(for_organisers).to_contain_text(tr(lang, "Helping hands"))
    check_page(organiser, lang, "helping-03-organiser")
    # A task of another kind needs to say what; the refusal comes back in place.
    tasks = organiser.get_by_role("region", name=tr(lang, "Lend a hand"))
    tasks.get_by_text(tr(lang, "Add a task")).click()
    adding = tasks.locator("details.task-add")
    adding.get_by_label(label(lang, "Task")).select_option("other")
    adding.get_by_role("radio", name=tr(lang, "Only this date")).check()
    adding.get_by_role("button", name=tr(lang, "Add the task")).click()
    expect(tasks.locator(".errorlist")).to_contain_text(tr(lang, "Say what needs doing."))
    expect(organiser).to_have_url(f"{server}{path}")
    check_page(organiser, lang, "helping-04-organiser-add-task")
    adding = tasks.locator("details.task-add")
    adding.get_by_label(label(lang, "What exactly")).fill("Bring the big pans")
    adding.get_by_role("button", name=tr(lang, "Add the task")).click()
    expect(organiser.locator("#tasks-notice")).to_contain_text(tr(lang, "The task is on the list."))
    expect(tasks.get_by_role("heading", name="Bring the big pans")).to_be_visible()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["nl"])
def test_without_javascript_the_organiser_writes_down_how_it_went(
    live_server, signed_in, personas, dinner, lang, tmp_path, photos_on_disk
):
    server = live_server.url
    _activity, _coming, _path, _past, past_path = dinner

    organiser = signed_in(personas.fatima, lang=lang, java_script_enabled=False).new_page()
    organiser.goto(f"{server}{past_path}")
    went = organiser.get_by_role("region", name=tr(lang, "How it went"))
    went.get_by_label(label(lang, "How many came")).fill("23")
    went.get_by_label(label(lang, "One line about how it went")).fill("The soup ran out.")
    went.get_by_role("button", name=tr(lang, "Save")).click()
    expect(flash(organiser)).to_contain_text("23")

    went = organiser.get_by_role("region", name=tr(lang, "How it went"))
    upload = tmp_path / "dinner.jpg"
    upload.write_bytes(photo().read())
    went.get_by_label(label(lang, "Photo")).set_input_files(upload)
    went.get_by_label(label(lang, "What the photo shows")).fill("Neighbours at the long table")
    went.get_by_role("button", name=tr(lang, "Add the photo")).click()
    expect(flash(organiser)).to_contain_text(tr(lang, "The photo is added."))
    # axe needs JavaScript: the same page is checked again on a phone that has it.
    screenshot(organiser, f"{lang}-helping-05-organiser-how-it-went-no-js")
    organiser = signed_in(personas.fatima, lang=lang).new_page()
    organiser.goto(f"{server}{past_path}")
    check_page(organiser, lang, "helping-05-organiser-how-it-went")

    resident = signed_in(personas.daan, lang=lang).new_page()
    resident.goto(f"{server}{past_path}")
    went = resident.get_by_role("region", name=tr(lang, "How it went"))
    expect(went.get_by_role("img", name="Neighbours at the long table")).to_be_visible()
    check_page(resident, lang, "helping-06-resident-how-it-went")
