"""A visitor reads the neighbourhood page in their language; members manage without JavaScript."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from buurtnet.initiatives.models import Participation, ParticipationStatus
from buurtnet.people.models import User
from tests.browser.helpers import check_page, choose_language, flash, label, log_in, screenshot, tr

BRINGS = "I do the washing up afterwards."


@pytest.mark.browser
def test_a_visitor_switches_the_neighbourhood_page_to_english(live_server, personas, phone):
    context = phone(lang="nl")
    page = context.new_page()
    landing = f"{live_server.url}{reverse('front:landing', args=[personas.ede.slug])}"
    page.goto(landing)
    expect(page.get_by_role("heading", level=1)).to_have_text(personas.ede.name)
    check_page(page, "nl", "visitor-landing-nl")

    choose_language(page, "en")

    expect(page).to_have_url(landing)
    expect(page.get_by_role("heading", name=tr("en", "How it works here"))).to_be_visible()
    expect(page.get_by_role("link", name=tr("en", "Join with your invite code"))).to_be_visible()
    check_page(page, "en", "visitor-landing-en")
    # The choice sticks: the next page is in English too.
    assert {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en"}.items() <= next(
        c for c in context.cookies() if c["name"] == settings.LANGUAGE_COOKIE_NAME
    ).items()
    page.get_by_role("link", name=tr("en", "No code? Ask to join")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("en", "Ask to join %(name)s", name=personas.ede.name)
    )
    check_page(page, "en", "visitor-ask-to-join-en")


@pytest.mark.browser
def test_without_javascript_a_neighbour_joins_and_the_initiator_welcomes_them(
    live_server, personas, phone, signed_in
):
    server = live_server.url
    initiative = personas.initiative
    detail = initiative.get_absolute_url()
    User.objects.filter(pk__in=[personas.daan.pk, personas.fatima.pk]).update(
        preferred_language="nl"
    )

    neighbour = phone(lang="nl", java_script_enabled=False).new_page()
    log_in(
        neighbour,
        server,
        email=personas.daan.email,
        password=personas.password,
        lang="nl",
        then=detail,
    )
    join = neighbour.locator("#join")
    join.get_by_label(label("nl", "what I bring")).fill(BRINGS)
    join.get_by_role("button", name=tr("nl", "Ask to join")).click()

    expect(neighbour).to_have_url(f"{server}{detail}")
    expect(flash(neighbour)).to_contain_text(
        tr("nl", "Thank you! The initiators will let you know when you are on board.")
    )
    screenshot(neighbour, "nl-no-javascript-asked-to-join")
    asked = Participation.objects.get(initiative=initiative, user=personas.daan)
    assert (asked.status, asked.brings) == (ParticipationStatus.PENDING, BRINGS)

    initiator = signed_in(personas.fatima, java_script_enabled=False).new_page()
    initiator.goto(
        f"{server}{reverse('initiatives:manage', args=[personas.ede.slug, initiative.pk])}"
    )
    initiator.get_by_role(
        "button", name=tr("nl", "Welcome %(name)s on board", name=personas.daan.display_name)
    ).click()

    expect(flash(initiator)).to_contain_text(
        tr("nl", "%(name)s is on board.", name=personas.daan.display_name)
    )
    asked.refresh_from_db()
    assert asked.status == ParticipationStatus.ACCEPTED
