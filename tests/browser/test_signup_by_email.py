"""A newcomer without a code asks to join on a cheap phone without JavaScript: a typo in the
address is fixed from the "check your email" page, and on the page of the link in the email she
chooses her password and finishes.

Pages without JavaScript are photographed only: axe runs as a script in the page."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from buurtnet.neighbourhoods.models import JoinRequest
from buurtnet.people.models import User
from tests.browser.helpers import check_page, label, screenshot, tr

NOOR = {"name": "Noor", "email": "noor@example.org", "password": "Balkon-met-geraniums-7"}
TYPO = "noor@exmaple.org"


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.mark.browser
def test_a_newcomer_fixes_a_typo_and_confirms_by_email_without_javascript(
    live_server, personas, phone
):
    server = live_server.url
    ede = personas.ede
    ask_path = reverse("neighbourhoods:ask_to_join", args=[ede.slug])
    page = phone(lang="nl", java_script_enabled=False).new_page()
    page.goto(f"{server}{ask_path}")

    page.get_by_label(label("nl", "Your name")).fill(NOOR["name"])
    page.get_by_label(label("nl", "Email address")).fill(TYPO)
    # The password is chosen on the link's page, by whoever reads the email.
    expect(page.locator("input[type=password]")).to_have_count(0)
    page.get_by_label(label("nl", "Your flat")).select_option(label=personas.elskamp.name)
    page.locator("main form").get_by_role("button", name=tr("nl", "Send my request")).click()

    expect(page).to_have_url(f"{server}{reverse('neighbourhoods:signup_sent')}")
    expect(page.locator("main strong").first).to_have_text(TYPO)
    screenshot(page, "nl-no-javascript-check-your-email")

    # The address has a typo: back to the form, where everything is still filled in.
    page.get_by_role("link", name=tr("nl", "Go back and change it.")).click()
    expect(page.get_by_label(label("nl", "Your name"))).to_have_value(NOOR["name"])
    expect(page.get_by_label(label("nl", "Your flat"))).to_have_value(str(personas.elskamp.pk))
    page.get_by_label(label("nl", "Email address")).fill(NOOR["email"])
    page.locator("main form").get_by_role("button", name=tr("nl", "Send my request")).click()
    expect(page.locator("main strong").first).to_have_text(NOOR["email"])
    assert not User.objects.filter(email=NOOR["email"]).exists()

    (email,) = mails_to(NOOR["email"])
    link = re.search(r"/join/confirm/[^/\s]+/", email.body).group(0)
    # The mail app opens the link in a browser of its own, which has JavaScript.
    page = phone(lang="nl").new_page()
    page.goto(f"{server}{link}")
    check_page(page, "nl", "signup-confirm-request")
    send = page.locator("main form").get_by_role(
        "button", name=tr("nl", "Create my account and send my request")
    )
    # A password of digits only is refused, with the reason, and nothing is made yet.
    page.get_by_label(label("nl", "Password")).fill("20252025")
    page.get_by_label(label("nl", "Password again")).fill("20252025")
    send.click()
    expect(page.locator("main")).to_contain_text(tr("nl", "This password is entirely numeric."))
    check_page(page, "nl", "signup-confirm-weak-password")
    assert not User.objects.filter(email=NOOR["email"]).exists()
    page.get_by_label(label("nl", "Password")).fill(NOOR["password"])
    page.get_by_label(label("nl", "Password again")).fill(NOOR["password"])
    send.click()

    expect(page).to_have_url(f"{server}{ask_path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("nl", "Your request has been sent")
    )
    noor = User.objects.get(email=NOOR["email"])
    assert noor.check_password(NOOR["password"])
    assert JoinRequest.objects.get(user=noor).building == personas.elskamp

    # The same link on another phone later: it says what happened, and how to log in.
    later = phone(lang="nl").new_page()
    later.goto(f"{server}{link}")
    expect(later.get_by_role("heading", level=1)).to_have_text(tr("nl", "This link does not work"))
    expect(later.locator("input[type=password]")).to_have_count(0)
    check_page(later, "nl", "signup-link-used")
