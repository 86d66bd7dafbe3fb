"""A grant from the foundation, on phones, in Dutch and English: from the ask to the public page.

Fatima, who started the shared dinner, asks Vrienden van de Hoogbouw for € 250 for kitchen
equipment in three budget lines. Bas (board) asks a question; Fatima answers and revises the
budget. Bas and Carla approve; Priya, who takes part in the dinner, is refused a vote and sees
why. Tom, the treasurer, marks the grant to pay, downloads the SEPA file and imports the bank's
statement that confirms the payment. Fatima uploads a receipt and Tom accepts it. The public page
shows the grant and the fund's new balance, and the annual report downloads as a PDF.
"""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from playwright.sync_api import expect

from buurtnet.funding import ledger
from buurtnet.funding.models import GrantRequest, GrantStatus, Payment, PaymentStatus
from tests.browser.helpers import check_page, tr
from tests.core.photos import camera_jpeg_bytes
from tests.funding.camt import camt053
from tests.funding.conftest import IBAN_DINNER, IBAN_FOUNDATION
from tests.funding.conftest import funding as funding  # the fixture, shared with tests/funding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, text: str) -> None:
    page.locator("main").get_by_role("button", name=text, exact=True).first.click()


def test_a_grant_from_ask_to_public_page(funding, signed_in, phone, live_server, tmp_path):
    p = funding.p
    slug, org = p.ede.slug, p.foundation.slug
    server = live_server.url
    # Fatima and Carla read Buurtnet in Dutch, the others in English.
    for person in (p.fatima, funding.carla):
        person.preferred_language = "nl"
        person.save(update_fields=["preferred_language"])

    # Fatima (Dutch) asks from the initiative's page.
    fatima = signed_in(p.fatima, lang="nl").new_page()
    fatima.goto(f"{server}{reverse('initiatives:detail', args=[slug, p.initiative.pk])}")
    fatima.locator(f"main a[href$='/apply/{p.initiative.pk}/']").click()
    check_page(fatima, "nl", "foundation-apply")
    fatima.fill("input[name=amount]", "250")
    fatima.fill(
        "textarea[name=purpose]", "Pannen, een rijstkoker en een pollepel voor het buureten."
    )
    for n, (what, cents) in enumerate(
        [("Pannen", "100"), ("Rijstkoker", "120"), ("Pollepel", "30")], start=1
    ):
        fatima.fill(f"input[name=what_{n}]", what)
        fatima.fill(f"input[name=line_amount_{n}]", cents)
    fatima.fill("input[name=needed_by]", date(timezone.localdate().year + 1, 1, 15).isoformat())
    fatima.fill("input[name=account_holder]", "Samen eten")
    fatima.fill("input[name=iban]", IBAN_DINNER)
    fatima.locator("main form button[type=submit]").last.click()
    grant = GrantRequest.objects.get(initiative=p.initiative)
    expect(fatima).to_have_url(re.compile(re.escape(grant.get_absolute_url())))
    _submit(fatima, tr("nl", "Send to the board"))
    expect(fatima.locator("main")).to_contain_text(tr("nl", "Waiting for the board"))
    check_page(fatima, "nl", "foundation-request-sent")

    # Bas (English, board) asks a question.
    bas = signed_in(funding.bas, lang="en").new_page()
    bas.goto(f"{server}{reverse('funding:desk', args=[slug, org])}")
    check_page(bas, "en", "foundation-desk")
    bas.get_by_role("link", name="Samen eten").first.click()
    bas.fill("textarea[name=message-text]", "Which rice cooker, and how big?")
    _submit(bas, tr("en", "Send"))
    expect(bas.locator("#messages")).to_contain_text("Which rice cooker")

    # Fatima answers and revises the budget.
    fatima.reload()
    fatima.fill(
        "textarea[name=message-text]", "Een rijstkoker van 10 liter; de offerte staat erbij."
    )
    _submit(fatima, tr("nl", "Send"))
    expect(fatima.locator("#messages")).to_contain_text("10 liter")
    fatima.get_by_role("link", name=tr("nl", "Revise the budget")).click()
    fatima.fill("input[name=line_amount_2]", "110")
    fatima.fill("input[name=line_amount_3]", "40")
    fatima.fill("textarea[name=change_note]", "Rijstkoker goedkoper gevonden, pollepel duurder.")
    fatima.locator("main form button[type=submit]").last.click()
    _submit(fatima, tr("nl", "Send to the board"))
    expect(fatima.locator("main")).to_contain_text(tr("nl", "Versions sent"))
    assert grant.versions.filter(submitted_at__isnull=False).count() == 2

    # Priya takes part in the dinner: she may not vote, and reads why.
    priya = signed_in(p.priya, lang="en").new_page()
    priya.goto(f"{server}{grant.get_absolute_url()}")
    expect(priya.locator("main")).to_contain_text(tr("en", "You take part in this initiative."))
    assert priya.locator("form[action*='/vote/']").count() == 0
    check_page(priya, "en", "foundation-conflicted")

    # Bas and Carla approve.
    for person, lang in ((funding.bas, "en"), (funding.carla, "nl")):
        page = bas if person == funding.bas else signed_in(person, lang=lang).new_page()
        page.goto(f"{server}{grant.get_absolute_url()}")
        page.locator("input[name=vote-choice][value=approve]").check()
        page.locator("form[action*='/vote/'] [name=vote-reason]").fill("Goed plan")
        page.locator("form[action*='/vote/'] button[type=submit]").click()
    grant.refresh_from_db()
    assert grant.status == GrantStatus.GRANTED
    check_page(page, "nl", "foundation-granted")

    # Tom (treasurer) marks it to pay, makes the bank file and downloads it.
    tom = signed_in(funding.tom, lang="en").new_page()
    tom.goto(f"{server}{reverse('funding:payments', args=[slug, org])}")
    check_page(tom, "en", "foundation-payments")
    tom.locator(f"form[action*='/mark/{grant.pk}/'] button[type=submit]").click()
    tom.locator("form[action*='/payments/file/'] button[type=submit]").click()
    with tom.expect_download() as download_info:
        tom.locator("a[href$='.xml']").first.click()
    xml = etree.parse(download_info.value.path())
    ns = {"p": xml.getroot().nsmap[None]}
    assert xml.findtext(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", namespaces=ns) == "250.00"
    assert xml.findtext(".//p:CdtrAcct/p:Id/p:IBAN", namespaces=ns) == IBAN_DINNER
    payment = Payment.objects.get(grant=grant)
    assert payment.status == PaymentStatus.IN_FILE

    # The bank's statement confirms the payment.
    statement = tmp_path / "statement.xml"
    statement.write_bytes(
        camt053(
            account_iban=IBAN_FOUNDATION,
            lines=[
                {
                    "amount": "250.00",
                    "credit": False,
                    "booked_on": timezone.localdate(),
                    "name": "Samen eten",
                    "iban": IBAN_DINNER,
                    "remittance": "Buurtnet",
                    "end_to_end_id": payment.end_to_end_id,
                    "reference": "RABO-0001",
                }
            ],
        )
    )
    tom.goto(f"{server}{reverse('funding:bank', args=[slug, org])}")
    tom.locator("input[type=file]").set_input_files(str(statement))
    tom.locator("main form button[type=submit]").first.click()
    check_page(tom, "en", "foundation-bank")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID

    # Fatima uploads a receipt; Tom accepts it.
    photo = tmp_path / "bon.jpg"
    photo.write_bytes(camera_jpeg_bytes())
    fatima.goto(f"{server}{grant.get_absolute_url()}")
    receipts = fatima.locator("form[action*='/receipts/']")
    receipts.locator("select[name=receipt-budget_line]").select_option("Pannen")
    receipts.locator("input[name=receipt-description]").fill("Drie pannen")
    receipts.locator("input[name=receipt-amount]").fill("98,50")
    receipts.locator("input[name=receipt-spent_on]").fill(timezone.localdate().isoformat())
    receipts.locator("input[type=file]").set_input_files(str(photo))
    receipts.locator("button[type=submit]").click()
    expect(fatima.locator("#receipts")).to_contain_text("Drie pannen")
    check_page(fatima, "nl", "foundation-receipt")
    tom.goto(f"{server}{grant.get_absolute_url()}#receipts")
    tom.locator("#receipts button[name=decision][value=accept]").click()
    expect(tom.locator("#receipts")).to_contain_text(tr("en", "Accepted"))
    figures = ledger.grant_figures_of(grant)
    assert (figures.granted, figures.paid, figures.spent) == (25000, 25000, 9850)

    # Everyone sees the grant and the fund's new balance; the board downloads the report.
    public = phone(lang="nl").new_page()  # a visitor, without an account
    public.goto(f"{server}{reverse('funding:public', args=[slug, org])}")
    main = public.locator("main")
    expect(main).to_contain_text("Samen eten")
    expect(main).to_contain_text("750,00")  # € 1.000 in, € 250 granted
    check_page(public, "nl", "foundation-public")
    assert IBAN_DINNER not in public.content()
    with bas.expect_download() as report_info:
        bas.goto(f"{server}{reverse('funding:desk', args=[slug, org])}")
        bas.locator("a[href$='.pdf']").first.click()
    with open(report_info.value.path(), "rb") as report:
        assert report.read(5) == b"%PDF-"
