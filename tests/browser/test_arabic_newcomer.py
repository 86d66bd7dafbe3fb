"""An Arabic-speaking neighbour's first hour, on a cheap phone set to Arabic.

She arrives as a visitor and reads the landing page right to left, opens the coffee morning and
adds it to her calendar; joins with the code from a slip by opening its QR code's address; sets
her profile and says she comes. Rania, who speaks Dutch and Arabic, translates an update into
Arabic, and she reads it in her own language. axe-core checks every page; the screenshots are
in out/screenshots (ar-newcomer-*).
"""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from playwright.sync_api import expect

from buurtnet.activities.models import Activity, Rsvp
from buurtnet.initiatives.models import Update
from buurtnet.neighbourhoods.models import Building, Membership, Neighbourhood
from buurtnet.neighbourhoods.slips import qr_svg
from buurtnet.people.models import User
from buurtnet.translations.models import Translation
from tests.browser.helpers import check_page, flash, label, tr
from tests.demo.test_demo_agenda import person
from tests.factories import HomeFactory, InviteCodeFactory

AMAL = {"name": "Amal", "email": "amal@example.org", "password": "Shay-bil-naana-2026"}
ARABIC_UPDATE = "وصلت القدور الجديدة. شكرًا لكم يا أصدقاء الأبراج!"


@pytest.mark.browser
def test_an_arabic_speaking_neighbour_finds_joins_and_reads_in_her_language(
    live_server, phone, signed_in
):
    call_command("demo", stdout=StringIO())
    server = live_server.url
    ede = Neighbourhood.objects.get(slug="ede-zuid")
    coffee = Activity.objects.get(neighbourhood=ede, title="Koffieochtend")
    page = phone(lang="ar").new_page()

    # Her phone asks for Arabic: the landing page is Arabic, right to left.
    page.goto(f"{server}/n/ede-zuid/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    check_page(page, "ar", "newcomer-01-landing")

    # She opens the coffee morning from "Come along": what, when, where, for whom, cost.
    page.get_by_role("link", name="Koffieochtend").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Koffieochtend")
    expect(page.locator("main")).to_contain_text(tr("ar", "Join with your code to sign up"))
    check_page(page, "ar", "newcomer-02-coffee-morning")
    ics = page.get_by_role("link", name=tr("ar", "Add to my calendar"))
    response = page.request.get(server + ics.get_attribute("href"))
    assert response.headers["content-type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.body()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Koffieochtend"

    # The host printed slips; the QR code on hers holds the sign-up address with her code.
    home = HomeFactory(
        building=Building.objects.get(neighbourhood=ede, name="de Elskamp"), number="999"
    )
    invite = InviteCodeFactory(neighbourhood=ede, home=home, max_uses=2)
    host = Client()
    host.force_login(person("henk"))
    sheet = host.get(reverse("neighbourhoods:invites_print", args=[ede.slug])).content.decode()
    address = re.search(rf'https?://[^"<\s]*/join/\?code={invite.code}', sheet).group(0)
    assert qr_svg(address) in sheet
    scanned = f"{server}{address[address.index('/join/') :]}"
    page.goto(scanned)
    expect(page.locator("input[name=code]")).to_have_value(invite.code)
    check_page(page, "ar", "newcomer-03-join-with-code")
    page.get_by_label(label("ar", "Your name")).fill(AMAL["name"])
    page.get_by_label(label("ar", "Email address")).fill(AMAL["email"])
    page.locator("main form").get_by_role("button", name=tr("ar", "Create my account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("ar", "Check your email"))
    (email,) = [m for m in mail.outbox if m.to == [AMAL["email"]]]
    page.goto(server + re.search(r"/join/confirm/[^/\s]+/", email.body).group(0))
    page.get_by_label(label("ar", "Password")).fill(AMAL["password"])
    page.get_by_label(label("ar", "Password again")).fill(AMAL["password"])
    page.locator("main form").get_by_role("button", name=tr("ar", "Create my account")).click()
    expect(page).to_have_url(f"{server}{reverse('front:member_home', args=[ede.slug])}")
    check_page(page, "ar", "newcomer-04-member-home")
    amal = User.objects.get(email=AMAL["email"])
    assert amal.preferred_language == "ar"
    assert Membership.objects.filter(user=amal, neighbourhood=ede).exists()

    # Her profile: a few words about herself; saving brings her back with a confirmation.
    page.get_by_role("link", name=tr("ar", "My profile")).click()
    check_page(page, "ar", "newcomer-05-profile")
    page.get_by_label(label("ar", "what gives me energy")).fill("أحب الطبخ مع الجيران.")
    page.locator("main form").get_by_role("button", name=tr("ar", "Save")).first.click()
    expect(flash(page)).to_contain_text(tr("ar", "Your profile is saved."))
    assert User.objects.get(pk=amal.pk).passions == "أحب الطبخ مع الجيران."

    # She says she comes to the next coffee morning.
    page.goto(f"{server}{reverse('activities:agenda', args=[ede.slug])}")
    page.get_by_role("link", name="Koffieochtend").first.click()
    page.get_by_role("radio", name=tr("ar", "Going")).check()
    page.get_by_role("button", name=tr("ar", "Save my answer")).click()
    expect(page.locator("main")).to_contain_text(tr("ar", "You're going."))
    check_page(page, "ar", "newcomer-06-coming")
    assert Rsvp.objects.filter(user=amal, activity=coffee, status="going").exists()

    # Rania speaks Dutch and Arabic and translates Khadija's update for her.
    update = Update.objects.get(body__startswith="De nieuwe pannen zijn binnen")
    rania = signed_in(person("rania"), lang="nl").new_page()
    rania.goto(
        server + reverse("translations:translate", args=[ede.slug, "update", update.pk, "body"])
    )
    check_page(rania, "nl", "newcomer-07-rania-translates")
    rania.get_by_label(label("nl", "Into")).select_option("ar")
    rania.get_by_label(label("nl", "Translation")).fill(ARABIC_UPDATE)
    rania.locator("main form").get_by_role("button", name=tr("nl", "Share the translation")).click()
    expect(flash(rania)).to_contain_text(
        tr("nl", "Thank you! Your translation is shown to neighbours.")
    )
    assert Translation.objects.get(object_id=update.pk, language="ar").text == ARABIC_UPDATE

    # Amal reads it in Arabic, with who translated it and the Dutch original a tap away.
    page.goto(server + update.initiative.get_absolute_url())
    translated = page.locator(".written", has_text=ARABIC_UPDATE)
    expect(translated.locator(".written-text[lang=ar]")).to_have_text(ARABIC_UPDATE)
    expect(translated).to_contain_text(tr("ar", "Translated by %(name)s", name="Rania H."))
    translated.locator("summary").click()
    expect(translated.locator(".written-original .written-text[lang=nl]")).to_contain_text(
        "De nieuwe pannen zijn binnen"
    )
    check_page(page, "ar", "newcomer-08-reads-the-translation")
