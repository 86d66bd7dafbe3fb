"""The agenda on a phone, in Dutch and in English.

A resident finds the weekly coffee on the agenda, says they are coming and what they eat; an
initiator of the organising initiative opens the same morning and sees what to prepare. Every
page on the way is in the reader's language and axe-clean.
"""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from buurtnet.activities.models import Rsvp, RsvpStatus
from buurtnet.activities.recurrence import original_starts
from buurtnet.activities.services.organise import activity_create
from buurtnet.activities.services.places import place_create
from buurtnet.people.models import User
from tests.browser.helpers import check_page, flash, label, tr
from tests.factories import InitiativeFactory, ParticipationFactory

COFFEE = "Coffee morning"
ALLERGY = "sesame"


def ntr(lang: str, singular: str, plural: str, count: int, **params: object) -> str:
    """A counted text as Buurtnet shows it in `lang`."""
    with translation.override(lang):
        text = translation.ngettext(singular, plural, count)
    return text % params


@pytest.fixture
def coffee(personas, lang):
    """A weekly coffee morning at de Elskamp since a few weeks, organised by Fatima's initiative,
    and the URL of its next morning that is still open for answers."""
    User.objects.filter(pk__in=[personas.daan.pk, personas.fatima.pk]).update(
        preferred_language=lang
    )
    initiative = InitiativeFactory(
        neighbourhood=personas.ede, title="Koffieochtend", created_by=personas.fatima
    )
    ParticipationFactory(initiative=initiative, user=personas.fatima, role="initiator")
    room = place_create(
        user=personas.henk,
        neighbourhood=personas.ede,
        name="Ontmoetingsruimte de Elskamp",
        capacity=40,
    )
    today = timezone.localdate()
    first = today - timedelta(days=21 + (today.weekday() - 2) % 7)
    assert first.weekday() == 2  # a Wednesday
    activity = activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=initiative,
        place=room,
        title=COFFEE,
        start_date=first,
        start_time=time(10, 0),
        duration_minutes=90,
        rrule="FREQ=WEEKLY;BYDAY=WE",
    )
    # Skip a morning that is about to begin, so the answer is still open when the test sends it.
    soon = timezone.now() + timedelta(hours=1)
    start = next(s for s in original_starts(activity, soon, soon + timedelta(days=8)) if s > soon)
    when = start.astimezone(activity.tz).strftime("%Y%m%dT%H%M")
    path = reverse("activities:occurrence", args=[personas.ede.slug, activity.pk, when])
    return activity, start, path


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_resident_signs_up_for_coffee_and_the_organiser_sees_what_they_eat(
    live_server, signed_in, personas, coffee, lang
):
    server = live_server.url
    activity, start, occurrence_path = coffee
    daan, fatima = personas.daan, personas.fatima

    # Daan opens the agenda on his phone and finds the coming coffee morning.
    resident = signed_in(daan, lang=lang).new_page()
    resident.goto(f"{server}{reverse('activities:agenda', args=[personas.ede.slug])}")
    expect(resident.get_by_role("heading", level=1)).to_have_text(tr(lang, "Agenda"))
    expect(resident.get_by_role("link", name=COFFEE)).not_to_have_count(0)
    check_page(resident, lang, "agenda-01-agenda")

    resident.locator(f"main a[href='{occurrence_path}']").click()
    expect(resident).to_have_url(f"{server}{occurrence_path}")
    expect(resident.get_by_role("heading", level=1)).to_have_text(COFFEE)
    check_page(resident, lang, "agenda-02-occurrence")

    # He is going, eats halal and tells about his allergy.
    answer = resident.get_by_role("region", name=tr(lang, "Are you coming?"))
    answer.get_by_role("radio", name=tr(lang, "Going"), exact=True).check()
    answer.get_by_label(label(lang, "Halal")).check()
    answer.get_by_label(label(lang, "Allergies")).fill(ALLERGY)
    answer.get_by_role("button", name=tr(lang, "Save my answer")).click()

    expect(resident).to_have_url(f"{server}{occurrence_path}")
    expect(flash(resident)).to_contain_text(tr(lang, "You're going."))
    expect(resident.get_by_role("region", name=tr(lang, "Are you coming?"))).to_contain_text(
        tr(lang, "You're going.")
    )
    # What neighbours eat is for the organisers only.
    expect(resident.get_by_role("region", name=tr(lang, "For the organisers"))).to_have_count(0)
    check_page(resident, lang, "agenda-03-going")
    rsvp = Rsvp.objects.get(activity=activity, occurrence_start=start, user=daan)
    assert (rsvp.status, rsvp.halal, rsvp.vegetarian, rsvp.allergies) == (
        RsvpStatus.GOING,
        True,
        False,
        ALLERGY,
    )

    # Fatima, who started the initiative, opens the same morning and sees what to prepare.
    organiser = signed_in(fatima, lang=lang).new_page()
    organiser.goto(f"{server}{occurrence_path}")
    for_organisers = organiser.get_by_role("region", name=tr(lang, "For the organisers"))
    expect(for_organisers).to_contain_text(
        ntr(lang, "%(people)s person", "%(people)s people", 1, people=1)
    )
    expect(for_organisers).to_contain_text(tr(lang, "%(n)s halal", n="1"))
    expect(for_organisers).to_contain_text(tr(lang, "%(n)s %(text)s allergy", n="1", text=ALLERGY))
    coming = for_organisers.get_by_role("list", name=tr(lang, "Who is coming"))
    expect(coming.get_by_role("listitem")).to_have_text([daan.display_name])
    check_page(organiser, lang, "agenda-04-organiser")
