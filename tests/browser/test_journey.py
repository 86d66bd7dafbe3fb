"""The main journey, on a phone, in Dutch and in English.

A resident joins with the code from the letter and starts an initiative from their wish; a
neighbour joins with a talent; the neighbourhood team offers support; the initiator welcomes
both and posts an update. Every page on the way is in the reader's language and axe-clean.
"""

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from buurtnet.initiatives.models import (
    Initiative,
    OfferStatus,
    Participation,
    ParticipationStatus,
    SupportOffer,
)
from buurtnet.neighbourhoods.models import InviteCode, Membership
from buurtnet.people.models import Talent, User
from tests.browser.helpers import check_page, choose_language, flash, label, log_in, tr
from tests.factories import HomeFactory, InviteCodeFactory

NEWCOMER = {
    "name": "Yasmin",
    "email": "yasmin@example.org",
    "password": "Zonnebloem-aan-de-Elskamp",
}
TITLE = "Soup on Sundays"
WISH = "That nobody in the flat eats alone on Sunday."
PLAN = "We cook in the community room and eat together at six."
NEED = "Someone who loves to cook for many"
BRINGS = "I cook for twenty and bring my big pan."
OFFER = "We know the community room's caretaker and can arrange the key."
UPDATE = "Our first Sunday: fourteen neighbours and two pans of soup."


@dataclass
class Journey:
    personas: object
    invite: InviteCode
    cooking: Talent


@pytest.fixture
def journey(personas, lang) -> Journey:
    """Ede-Zuid with an unused code for a home in de Elskamp; Daan cooks, Anna is the Wijkteam."""
    home = HomeFactory(building=personas.elskamp, number="12A")
    invite = InviteCodeFactory(neighbourhood=personas.ede, home=home, max_uses=2)
    cooking, _created = Talent.objects.get_or_create(slug="cooking", defaults={"name": "Cooking"})
    personas.daan.talents.add(cooking)
    User.objects.filter(pk__in=[personas.daan.pk, personas.anna.pk]).update(preferred_language=lang)
    return Journey(personas=personas, invite=invite, cooking=cooking)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_resident_starts_an_initiative_that_a_neighbour_and_a_partner_join(
    live_server, phone, journey, lang
):
    server = live_server.url
    ede = journey.personas.ede
    daan, anna, wijkteam = journey.personas.daan, journey.personas.anna, journey.personas.wijkteam

    # A newcomer opens the link from the letter; for English they switch the language first.
    initiator = phone(lang="nl").new_page()
    initiator.goto(f"{server}{reverse('neighbourhoods:signup')}?code={journey.invite.code}")
    if lang == "en":
        choose_language(initiator, "en")
    expect(initiator.locator("input[name=code]")).to_have_value(journey.invite.code)
    expect(initiator.locator("select[name=preferred_language]")).to_have_value(lang)
    check_page(initiator, lang, "01-join-with-code")

    initiator.get_by_label(label(lang, "Your name")).fill(NEWCOMER["name"])
    initiator.get_by_label(label(lang, "Email address")).fill(NEWCOMER["email"])
    initiator.locator("main form").get_by_role("button", name=tr(lang, "Create my account")).click()

    # She is asked to confirm her address: on the page of the link in the email she chooses her
    # password, and the account is made.
    expect(initiator).to_have_url(f"{server}{reverse('neighbourhoods:signup_sent')}")
    expect(initiator.get_by_role("heading", level=1)).to_have_text(tr(lang, "Check your email"))
    expect(initiator.locator("main")).to_contain_text(NEWCOMER["email"])
    check_page(initiator, lang, "02a-check-your-email")
    assert not User.objects.filter(email=NEWCOMER["email"]).exists()
    (email,) = [m for m in mail.outbox if m.to == [NEWCOMER["email"]]]
    link = re.search(r"/join/confirm/[^/\s]+/", email.body).group(0)
    initiator.goto(f"{server}{link}")
    expect(initiator.get_by_role("heading", level=1)).to_have_text(
        tr(lang, "Almost there, %(name)s!", name=NEWCOMER["name"])
    )
    check_page(initiator, lang, "02b-confirm-email")
    initiator.get_by_label(label(lang, "Password")).fill(NEWCOMER["password"])
    initiator.get_by_label(label(lang, "Password again")).fill(NEWCOMER["password"])
    initiator.locator("main form").get_by_role("button", name=tr(lang, "Create my account")).click()

    expect(initiator).to_have_url(f"{server}{reverse('front:member_home', args=[ede.slug])}")
    expect(initiator.get_by_role("heading", level=1)).to_have_text(
        tr(lang, "Hello %(name)s", name=NEWCOMER["name"])
    )
    expect(flash(initiator)).to_contain_text(
        tr(lang, "Welcome to %(neighbourhood)s!", neighbourhood=ede.name)
    )
    check_page(initiator, lang, "02-member-home")
    yasmin = User.objects.get(email=NEWCOMER["email"])
    assert yasmin.preferred_language == lang
    assert yasmin.check_password(NEWCOMER["password"])
    assert Membership.objects.get(user=yasmin, neighbourhood=ede).home == journey.invite.home

    # She starts an initiative from her wish, in three short steps.
    start_path = reverse("initiatives:start", args=[ede.slug])
    initiator.locator(f"main a[href='{start_path}']").click()
    expect(initiator).to_have_url(f"{server}{start_path}")
    check_page(initiator, lang, "03-start-wish")
    initiator.get_by_label(label(lang, "What do you wish for your neighbourhood?")).fill(WISH)
    initiator.get_by_label(label(lang, "Give your initiative a short name")).fill(TITLE)
    initiator.locator("button[name=action][value=next]").click()

    expect(initiator).to_have_url(f"{server}{start_path}?step=2")
    check_page(initiator, lang, "04-start-themes-and-needs")
    initiator.get_by_label(label(lang, "how you want to do it")).fill(PLAN)
    initiator.locator("input[name=themes]").first.check()
    initiator.get_by_label(label(lang, "Kind of need")).select_option("talent")
    initiator.get_by_label(label(lang, "What exactly?")).fill(NEED)
    initiator.get_by_label(label(lang, "Which talent?")).select_option(str(journey.cooking.pk))
    initiator.locator("button[name=action][value=next]").click()

    expect(initiator).to_have_url(f"{server}{start_path}?step=3")
    check_page(initiator, lang, "05-start-who-can-see-it")
    initiator.get_by_role(
        "radio", name=tr(lang, "Everyone, also visitors of the neighbourhood page")
    ).check()
    initiator.locator("button[name=action][value=confirm]").click()

    expect(initiator).to_have_url(
        re.compile(rf"{re.escape(server)}/n/{ede.slug}/initiatives/\d+/$")
    )
    initiative = Initiative.objects.get(title=TITLE)
    detail_path = reverse("initiatives:detail", args=[ede.slug, initiative.pk])
    assert initiative.created_by == yasmin
    expect(initiator.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(flash(initiator)).to_contain_text(
        tr(lang, "Your initiative has started. You keep the lead: invite neighbours to join in!")
    )
    check_page(initiator, lang, "06-initiative-started")

    # Daan, who loves cooking, logs in on his own phone and joins with his talent.
    neighbour = phone(lang=lang).new_page()
    log_in(
        neighbour,
        server,
        email=daan.email,
        password=journey.personas.password,
        lang=lang,
        then=detail_path,
    )
    check_page(neighbour, lang, "07-neighbour-opens-initiative")
    neighbour.get_by_role("link", name=tr(lang, "I want to join")).click()
    join_section = neighbour.locator("#join")
    join_section.get_by_role("checkbox", name=tr(lang, journey.cooking.name)).check()
    join_section.get_by_label(label(lang, "what I bring")).fill(BRINGS)
    join_section.get_by_role("button", name=tr(lang, "Ask to join")).click()

    expect(flash(neighbour)).to_contain_text(
        tr(lang, "Thank you! The initiators will let you know when you are on board.")
    )
    expect(
        neighbour.get_by_text(tr(lang, "You asked to join. The initiators will let you know."))
    ).to_be_visible()
    check_page(neighbour, lang, "08-neighbour-asked-to-join")
    asked = Participation.objects.get(initiative=initiative, user=daan)
    assert asked.status == ParticipationStatus.PENDING
    assert list(asked.talents.all()) == [journey.cooking]

    # Anna of the Wijkteam offers what the team knows; the initiators decide.
    partner = phone(lang=lang).new_page()
    log_in(
        partner,
        server,
        email=anna.email,
        password=journey.personas.password,
        lang=lang,
        then=detail_path,
    )
    check_page(partner, lang, "09-partner-opens-initiative")
    partner.get_by_role("link", name=tr(lang, "Offer support")).click()
    offer_section = partner.locator("#offer")
    offer_section.get_by_role("radio", name=tr(lang, "Knowledge")).check()
    offer_section.get_by_label(label(lang, "what you offer")).fill(OFFER)
    offer_section.get_by_label(label(lang, "for this need")).select_option(label=NEED)
    offer_section.get_by_role("button", name=tr(lang, "Send my offer")).click()

    expect(flash(partner)).to_contain_text(
        tr(lang, "Your offer is sent. The initiators decide whether it fits.")
    )
    check_page(partner, lang, "10-partner-offered-support")
    offer = SupportOffer.objects.get(initiative=initiative)
    assert (offer.organisation, offer.status) == (wijkteam, OfferStatus.PENDING)

    # Yasmin welcomes Daan on board and accepts the Wijkteam's support.
    manage_path = reverse("initiatives:manage", args=[ede.slug, initiative.pk])
    initiator.goto(f"{server}{detail_path}")
    initiator.locator(f"main a[href='{manage_path}']").click()
    expect(initiator).to_have_url(f"{server}{manage_path}")
    check_page(initiator, lang, "11-manage-waiting")
    joiners = initiator.get_by_role("region", name=tr(lang, "Neighbours who want to join"))
    expect(joiners).to_contain_text(BRINGS)
    joiners.get_by_role(
        "button", name=tr(lang, "Welcome %(name)s on board", name=daan.display_name)
    ).click()
    expect(flash(initiator)).to_contain_text(
        tr(lang, "%(name)s is on board.", name=daan.display_name)
    )
    offers = initiator.get_by_role("region", name=tr(lang, "Support offered by partners"))
    expect(offers).to_contain_text(OFFER)
    offers.get_by_role("button", name=tr(lang, "Accept this support")).click()
    expect(flash(initiator)).to_contain_text(
        tr(lang, "%(name)s now supports your initiative.", name=wijkteam.name)
    )
    check_page(initiator, lang, "12-manage-decided")

    initiator.locator(f"main a[href='{detail_path}']").click()
    expect(initiator).to_have_url(f"{server}{detail_path}")
    on_board = initiator.get_by_role("region", name=tr(lang, "On board"))
    expect(on_board.get_by_role("link", name=daan.display_name)).to_be_visible()
    expect(on_board).to_contain_text(BRINGS)
    expect(on_board).to_contain_text(tr(lang, journey.cooking.name))
    partners = initiator.get_by_role("region", name=tr(lang, "Partners who join in"))
    expect(partners.get_by_role("link", name=wijkteam.name)).to_be_visible()
    check_page(initiator, lang, "13-initiative-with-neighbour-and-partner")

    # She tells the neighbourhood how the first Sunday went.
    updates = initiator.get_by_role("region", name=tr(lang, "Updates"))
    updates.locator("summary").click()
    updates.get_by_label(label(lang, "What happened?")).fill(UPDATE)
    updates.get_by_role("button", name=tr(lang, "Post the update")).click()
    expect(initiator).to_have_url(f"{server}{detail_path}")
    expect(flash(initiator)).to_contain_text(tr(lang, "Your update is posted."))
    expect(initiator.get_by_role("region", name=tr(lang, "Updates"))).to_contain_text(UPDATE)
    check_page(initiator, lang, "14-update-posted")

    # Daan, now on board, reads it too.
    neighbour.reload()
    expect(neighbour.get_by_role("region", name=tr(lang, "Updates"))).to_contain_text(UPDATE)
    check_page(neighbour, lang, "15-neighbour-reads-update")
