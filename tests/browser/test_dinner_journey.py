"""The monthly shared dinner on a phone, from plan to "how it went", in Dutch and in English.

Fatima, who started "Samen eten", plans the dinner series through the form and asks for cooks.
Daan and Priya say they come and what they eat, Priya cooks, and the last seat is taken; Noor
lands on the waiting list and moves up when Daan cannot come after all. Fatima sees what to cook
for and who helps, and after last week's coffee morning writes down how many came. Every page on
the way is in the reader's language, axe-clean, photographed and fits the phone.
"""

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from buurtnet.activities.models import (
    Activity,
    Attendance,
    Rsvp,
    RsvpStatus,
    Task,
    TaskKind,
    TaskSignup,
)
from buurtnet.activities.recurrence import original_starts
from buurtnet.activities.services.organise import activity_create
from buurtnet.activities.services.places import place_create, place_keeper_assign
from buurtnet.notifications.models import Kind, Notification
from buurtnet.people.models import User
from tests.browser.helpers import check_page, flash, label, tr
from tests.factories import HomeFactory, MembershipFactory, UserFactory

ROOM = "Ontmoetingsruimte de Elskamp"
DINNER = "Shared dinner at the long table"
COFFEE = "Coffee morning"
# What a resident types in their own language.
NUTS = {"nl": "noten", "en": "nut"}
NOTE = {
    "nl": "Veertien buren, en de soep was op.",
    "en": "Fourteen neighbours, and the soup ran out.",
}


def ntr(lang: str, singular: str, plural: str, number: int, /, **params: object) -> str:
    """A counted text as Buurtnet shows it in `lang`."""
    with translation.override(lang):
        text = translation.ngettext(singular, plural, number)
    return text % params


def last_friday_of_next_month(today: date) -> date:
    """Always at least three weeks ahead: the last Friday falls on the 22nd or later."""
    first_of_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    first_after = (first_of_next + timedelta(days=32)).replace(day=1)
    last_day = first_after - timedelta(days=1)
    return last_day - timedelta(days=(last_day.weekday() - 4) % 7)


@dataclass
class Dinner:
    personas: object
    noor: User
    room: object
    coffee: Activity
    coffee_past_path: str
    coffee_past_start: object
    first_date: date


@pytest.fixture
def dinner(personas, lang) -> Dinner:
    """Ede-Zuid with de Elskamp's meeting room, kept by Fatima; Noor, one more resident; and the
    weekly coffee morning of Fatima's initiative since a few weeks, with the path of last week's
    morning (long over, so it can be written down how many came)."""
    ede = personas.ede
    noor = UserFactory(email="noor@example.org", display_name="Noor")
    MembershipFactory(
        user=noor,
        neighbourhood=ede,
        role="resident",
        building=personas.elskamp,
        home=HomeFactory(building=personas.elskamp),
    )
    User.objects.filter(
        pk__in=[p.pk for p in (personas.fatima, personas.priya, personas.daan, noor)]
    ).update(preferred_language=lang)
    room = place_create(user=personas.henk, neighbourhood=ede, name=ROOM, capacity=40)
    place_keeper_assign(user=personas.henk, place=room, keeper=personas.fatima)

    tz = ZoneInfo(ede.timezone)
    today = timezone.localdate(timezone=tz)
    first_coffee = today - timedelta(days=21 + (today.weekday() - 2) % 7)
    assert first_coffee.weekday() == 2  # a Wednesday
    coffee = activity_create(
        user=personas.fatima,
        neighbourhood=ede,
        initiative=personas.initiative,
        place=room,
        title=COFFEE,
        start_date=first_coffee,
        start_time=time(10, 0),
        duration_minutes=90,
        rrule="FREQ=WEEKLY;BYDAY=WE",
    )
    now = timezone.now()
    past = max(
        s
        for s in original_starts(coffee, now - timedelta(days=14), now)
        if s < now - timedelta(days=1)
    )
    when = past.astimezone(tz).strftime("%Y%m%dT%H%M")
    path = reverse("activities:occurrence", args=[ede.slug, coffee.pk, when])
    return Dinner(
        personas=personas,
        noor=noor,
        room=room,
        coffee=coffee,
        coffee_past_path=path,
        coffee_past_start=past,
        first_date=last_friday_of_next_month(today),
    )


def answer(page: Page, lang: str, *, guests: int = 0, diets=(), allergies: str = "") -> None:
    """Say "going" in the "Are you coming?" part of the occurrence page."""
    region = page.get_by_role("region", name=tr(lang, "Are you coming?"))
    region.get_by_role("radio", name=tr(lang, "Going"), exact=True).check()
    region.get_by_label(label(lang, "Guests I bring")).fill(str(guests))
    for diet in diets:
        region.get_by_label(label(lang, diet)).check()
    region.get_by_label(label(lang, "Allergies")).fill(allergies)
    region.get_by_role("button", name=tr(lang, "Save my answer")).click()


def my_answer(page: Page, lang: str):
    return page.get_by_role("region", name=tr(lang, "Are you coming?")).locator(".answer-status")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_monthly_dinner_from_plan_to_waiting_list_to_how_it_went(
    live_server, signed_in, dinner, lang
):
    server = live_server.url
    personas = dinner.personas
    ede, fatima, priya, daan, noor = (
        personas.ede,
        personas.fatima,
        personas.priya,
        personas.daan,
        dinner.noor,
    )
    agenda_path = reverse("activities:agenda", args=[ede.slug])

    # 1. Fatima opens the agenda and plans the monthly dinner.
    organiser = signed_in(fatima, lang=lang).new_page()
    organiser.goto(f"{server}{agenda_path}")
    expect(organiser.get_by_role("heading", level=1)).to_have_text(tr(lang, "Agenda"))
    check_page(organiser, lang, "dinner-01-agenda")
    organiser.get_by_role("link", name=tr(lang, "Plan an activity")).click()
    expect(organiser).to_have_url(f"{server}{reverse('organise:create', args=[ede.slug])}")
    expect(organiser.get_by_role("heading", level=1)).to_have_text(tr(lang, "Plan an activity"))

    form = organiser.locator("main form")
    # She leads an initiative and keeps a place, so she says for which the dinner is.
    form.get_by_label(label(lang, "Organised by")).select_option(label=personas.initiative.title)
    form.get_by_label(label(lang, "Title")).fill(DINNER)
    form.get_by_label(label(lang, "Place")).select_option(label=ROOM)
    form.get_by_label(label(lang, "First date")).fill(dinner.first_date.isoformat())
    form.get_by_label(label(lang, "Starts at")).fill("18:00")
    form.get_by_label(label(lang, "Ends at")).fill("20:30")
    form.get_by_role(
        "radio",
        name=tr(lang, "Every month on the last such weekday (for example the last Friday)"),
    ).check()
    form.get_by_label(label(lang, "Places")).fill("3")
    form.get_by_label(label(lang, "Contribution in euros")).fill("3,00" if lang == "nl" else "3.00")
    expect(form.get_by_label(label(lang, "Everyone brings a dish"))).not_to_be_checked()
    check_page(organiser, lang, "dinner-02-plan-form")
    form.get_by_role("button", name=tr(lang, "Put it in the agenda")).click()

    expect(organiser).to_have_url(
        re.compile(rf"^{re.escape(server)}/n/{ede.slug}/agenda/\d+/\d{{8}}T1800/$")
    )
    activity = Activity.objects.get(title=DINNER)
    first_key = f"{dinner.first_date:%Y%m%d}T1800"
    occurrence_path = reverse("activities:occurrence", args=[ede.slug, activity.pk, first_key])
    expect(organiser).to_have_url(f"{server}{occurrence_path}")
    expect(flash(organiser)).to_contain_text(tr(lang, "%(title)s is in the agenda.", title=DINNER))
    expect(organiser.get_by_role("heading", level=1)).to_have_text(DINNER)
    expect(organiser.locator("main dl")).to_contain_text(
        tr(lang, "%(going)s of %(capacity)s places taken", going="0", capacity="3")
    )
    assert (
        activity.initiative,
        activity.place,
        activity.rrule,
        activity.start_time,
        activity.duration_minutes,
        activity.capacity,
        activity.cost_cents,
        activity.bring_a_dish,
    ) == (personas.initiative, dinner.room, "FREQ=MONTHLY;BYDAY=-1FR", time(18), 150, 3, 300, False)

    # She asks for two cooks, for every dinner of the series.
    tasks = organiser.get_by_role("region", name=tr(lang, "Lend a hand"))
    add = tasks.locator("details.task-add")
    add.get_by_label(label(lang, "Task")).select_option(TaskKind.COOKING.value)
    add.get_by_label(label(lang, "Hands needed")).fill("2")
    add.get_by_role("radio", name=tr(lang, "Every date of the series")).check()
    add.get_by_role("button", name=tr(lang, "Add the task")).click()
    expect(organiser.locator("#tasks-notice")).to_contain_text(tr(lang, "The task is on the list."))
    cooking = tasks.locator(
        "li", has=organiser.get_by_role("heading", name=tr(lang, "Cooking"), exact=True)
    )
    expect(cooking).to_contain_text(
        ntr(
            lang, "%(taken)s of %(hands)s hand", "%(taken)s of %(hands)s hands", 2, taken=0, hands=2
        )
    )
    expect(cooking).to_contain_text(tr(lang, "every date"))
    check_page(organiser, lang, "dinner-03-organiser-first-date")
    task = Task.objects.get(activity=activity)
    assert (task.kind, task.hands_needed, task.occurrence_start) == (TaskKind.COOKING, 2, None)

    # 2. Daan comes with a guest, both eat halal.
    daan_page = signed_in(daan, lang=lang).new_page()
    daan_page.goto(f"{server}{occurrence_path}")
    answer(daan_page, lang, guests=1, diets=["Halal"])
    expect(daan_page).to_have_url(f"{server}{occurrence_path}")
    expect(flash(daan_page)).to_contain_text(tr(lang, "You're going."))
    expect(my_answer(daan_page, lang)).to_have_text(tr(lang, "You're going."))

    # Priya is vegetarian with a nut allergy, and takes the cooking; now the dinner is full.
    priya_page = signed_in(priya, lang=lang).new_page()
    priya_page.goto(f"{server}{occurrence_path}")
    answer(priya_page, lang, diets=["Vegetarian"], allergies=NUTS[lang])
    expect(flash(priya_page)).to_contain_text(tr(lang, "You're going."))
    priya_tasks = priya_page.get_by_role("region", name=tr(lang, "Lend a hand"))
    priya_cooking = priya_tasks.locator(
        "li", has=priya_page.get_by_role("heading", name=tr(lang, "Cooking"), exact=True)
    )
    priya_cooking.get_by_role("button", name=tr(lang, "I'll help")).click()
    expect(priya_page.locator("#tasks-notice")).to_contain_text(
        tr(lang, "Thank you! You help with: %(task)s.", task=tr(lang, "Cooking"))
    )
    expect(priya_cooking).to_contain_text(tr(lang, "You help"))
    expect(priya_cooking).to_contain_text(f"{tr(lang, 'Helping:')} {priya.display_name}")
    expect(priya_page.locator("main dl")).to_contain_text(
        tr(lang, "%(going)s of %(capacity)s places taken", going="3", capacity="3")
    )
    # What neighbours eat is for the organisers only.
    expect(priya_page.get_by_role("region", name=tr(lang, "For the organisers"))).to_have_count(0)
    check_page(priya_page, lang, "dinner-04-resident-going-and-cooking")

    # 3. Noor answers too, and lands on the waiting list.
    noor_page = signed_in(noor, lang=lang).new_page()
    noor_page.goto(f"{server}{occurrence_path}")
    answer(noor_page, lang, diets=["Halal"])
    waiting = tr(lang, "You're on the waiting list (number %(position)s).", position="1")
    expect(flash(noor_page)).to_contain_text(waiting)
    will_hear = tr(lang, "We'll let you know when a place comes free.")
    expect(my_answer(noor_page, lang)).to_have_text(f"{waiting} {will_hear}")
    check_page(noor_page, lang, "dinner-05-resident-waiting-list")

    # Fatima sees a full dinner, what to cook for and who waits.
    organiser.reload()
    for_organisers = organiser.get_by_role("region", name=tr(lang, "For the organisers"))
    expect(for_organisers).to_contain_text(
        ntr(lang, "%(people)s person", "%(people)s people", 3, people=3)
    )
    expect(for_organisers).to_contain_text(tr(lang, "%(n)s halal", n="2"))
    expect(for_organisers).to_contain_text(
        ntr(
            lang,
            "%(waiting)s person on the waiting list",
            "%(waiting)s people on the waiting list",
            1,
            waiting=1,
        )
    )
    guest = ntr(lang, "(+%(guests)s guest)", "(+%(guests)s guests)", 1, guests=1)
    coming = for_organisers.get_by_role("list", name=tr(lang, "Who is coming"))
    expect(coming.get_by_role("listitem")).to_have_text(
        [f"{daan.display_name} {guest}", priya.display_name]
    )
    expect(for_organisers.locator("ol li")).to_have_text([noor.display_name])

    # 4. Daan cannot come after all; Noor moves up and hears it.
    daan_page.reload()
    daan_page.get_by_role("button", name=tr(lang, "I'm not coming after all")).click()
    expect(flash(daan_page)).to_contain_text(
        tr(lang, "You're no longer going; your place goes to the next in line.")
    )
    expect(my_answer(daan_page, lang)).to_have_text(tr(lang, "You're not going."))

    noor_page.reload()
    expect(my_answer(noor_page, lang)).to_have_text(tr(lang, "You're going."))
    expect(noor_page.locator("#unread-badge .badge")).to_contain_text("1")
    check_page(noor_page, lang, "dinner-06-resident-moved-up")
    noor_page.locator('a.notif-link[href="/me/notifications/"]').click()
    expect(noor_page).to_have_url(f"{server}{reverse('notifications:list')}")
    came_free = tr(
        lang, "A place came free: you are now going to “%(activity)s” on %(when)s. See you there!"
    )
    before_date = came_free.split("%(when)s")[0] % {"activity": DINNER}
    notice = noor_page.locator("main .notification-list a", has_text=before_date)
    expect(notice).to_have_count(1)
    check_page(noor_page, lang, "dinner-07-resident-notification")
    # The notification names the date and leads to it.
    notice.click()
    expect(noor_page).to_have_url(f"{server}{occurrence_path}")

    # 5. Fatima sees what to cook for, and who cooks.
    organiser.reload()
    for_organisers = organiser.get_by_role("region", name=tr(lang, "For the organisers"))
    expect(for_organisers).to_contain_text(
        ntr(lang, "%(people)s person", "%(people)s people", 2, people=2)
    )
    to_cook_for = for_organisers.get_by_role("list", name=tr(lang, "What to cook for"))
    expect(to_cook_for.get_by_role("listitem")).to_have_text(
        [
            tr(lang, "%(n)s halal", n="1"),
            tr(lang, "%(n)s vegetarian", n="1"),
            tr(lang, "%(n)s %(text)s allergy", n="1", text=NUTS[lang]),
        ]
    )
    coming = for_organisers.get_by_role("list", name=tr(lang, "Who is coming"))
    expect(coming.get_by_role("listitem")).to_have_text([priya.display_name, noor.display_name])
    helpers = for_organisers.get_by_role("list", name=tr(lang, "Helping hands"))
    expect(helpers.get_by_role("listitem")).to_have_text(
        [f"{priya.display_name}: {tr(lang, 'Cooking')}"]
    )
    cooking = organiser.get_by_role("region", name=tr(lang, "Lend a hand")).locator(
        "li", has=organiser.get_by_role("heading", name=tr(lang, "Cooking"), exact=True)
    )
    expect(cooking).to_contain_text(
        ntr(
            lang, "%(taken)s of %(hands)s hand", "%(taken)s of %(hands)s hands", 2, taken=1, hands=2
        )
    )
    expect(organiser.locator(".still-needed")).to_contain_text(
        ntr(lang, "%(n)s cook", "%(n)s cooks", 1, n=1)
    )
    check_page(organiser, lang, "dinner-08-organiser-summary")

    # Last week's coffee morning is over: Fatima writes down how many came.
    organiser.goto(f"{server}{dinner.coffee_past_path}")
    went = organiser.get_by_role("region", name=tr(lang, "How it went"))
    went.get_by_label(label(lang, "How many came")).fill("14")
    went.get_by_label(label(lang, "One line about how it went")).fill(NOTE[lang])
    went.get_by_role("button", name=tr(lang, "Save"), exact=True).click()
    expect(organiser).to_have_url(f"{server}{dinner.coffee_past_path}#how-it-went")
    expect(flash(organiser)).to_contain_text(
        ntr(lang, "Saved: %(count)s person came.", "Saved: %(count)s people came.", 14, count=14)
    )
    went = organiser.get_by_role("region", name=tr(lang, "How it went"))
    expect(went.locator(".attendance-came")).to_have_text(
        ntr(lang, "%(came)s person came", "%(came)s people came", 14, came=14)
    )
    expect(went).to_contain_text(NOTE[lang])
    check_page(organiser, lang, "dinner-09-how-it-went")

    # What the pages said is what the database holds.
    start = Rsvp.objects.get(activity=activity, user=priya).occurrence_start
    assert start.astimezone(activity.tz).date() == dinner.first_date
    answers = {
        rsvp.user_id: rsvp
        for rsvp in Rsvp.objects.filter(activity=activity, occurrence_start=start)
    }
    assert set(answers) == {daan.pk, priya.pk, noor.pk}
    assert (answers[daan.pk].status, answers[daan.pk].guests) == (RsvpStatus.NOT_GOING, 0)
    assert answers[daan.pk].halal
    assert (
        answers[priya.pk].status,
        answers[priya.pk].waitlisted,
        answers[priya.pk].vegetarian,
        answers[priya.pk].allergies,
    ) == (RsvpStatus.GOING, False, True, NUTS[lang])
    assert (answers[noor.pk].status, answers[noor.pk].waitlisted) == (RsvpStatus.GOING, False)
    assert answers[noor.pk].halal
    assert answers[noor.pk].promoted_at is not None
    assert list(TaskSignup.objects.values_list("task", "occurrence_start", "user")) == [
        (task.pk, start, priya.pk)
    ]
    promoted = Notification.objects.get(recipient=noor)
    assert (promoted.kind, promoted.actor) == (Kind.WAITLIST_PROMOTED, daan)
    attendance = Attendance.objects.get()
    assert (
        attendance.activity,
        attendance.occurrence_start,
        attendance.came,
        attendance.note,
        attendance.recorded_by,
    ) == (dinner.coffee, dinner.coffee_past_start, 14, NOTE[lang], fatima)
