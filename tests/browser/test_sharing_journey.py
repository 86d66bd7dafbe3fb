"""Sharing between neighbours, on phones, in Dutch and in Arabic (right to left).

In the Ede-Zuid demo:

1. Hassan has a letter from the municipality he does not understand. He asks for help, only
   to the neighbours Buurtnet suggests, picks Ravi and Priya from the suggestions (each with why
   Buurtnet thought of them) and asks them. Ravi taps "I can help" in "Asked to you", lands in
   a private conversation with Hassan and writes to him; Hassan (whose phone runs no
   JavaScript) reads it and answers, then thanks Ravi. The thanks show on Ravi's page for
   Daan, who was not asked and cannot open the ask.
2. Fatima borrows Youssef's ladder from tomorrow: Youssef accepts, hands it over and takes it
   back; his offer's page keeps the loan in its history.
3. Henk, a host, puts up an ask for Mevrouw de Vries from the coffee morning (she agreed), opens
   the notice board of his flat in Dutch and Arabic, sees the ask on it and downloads the PDF.

Every person reads Buurtnet in the language of the run (their preferred language); every page
they see fits a 390 px screen and axe-core finds nothing on it. The screenshots are in
out/screenshots (nl-sharing-*, ar-sharing-*).
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from buurtnet.conversations.models import Conversation
from buurtnet.neighbourhoods.models import Building, Neighbourhood
from buurtnet.people.models import Talent, User
from buurtnet.sharing.models import (
    Answer,
    Audience,
    Invitation,
    Loan,
    LoanStatus,
    Post,
    Thanks,
)
from buurtnet.sharing.services.loans import today_in
from tests.browser.helpers import (
    accessibility_report,
    check_page,
    flash,
    overflow_report,
    screenshot,
    tr,
)
from tests.demo.test_demo_agenda import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["nl", "ar"]

LETTER = {
    "nl": (
        "Wie helpt mij met een brief van de gemeente?",
        "Ik kreeg een brief over de huurtoeslag en begrijp niet wat ik moet doen.",
    ),
    "ar": (
        "من يساعدني في فهم رسالة من البلدية؟",
        "وصلتني رسالة عن بدل الإيجار ولا أفهم ما المطلوب مني.",
    ),
}
RAVI_WRITES = {
    "nl": "Ik kan je helpen. Zullen we donderdagavond samen naar de brief kijken?",
    "ar": "أستطيع مساعدتك. هل نقرأ الرسالة معاً مساء الخميس؟",
}
HASSAN_ANSWERS = {
    "nl": "Graag! Donderdag om zeven uur bij de Wilgenhoeve?",
    "ar": "شكراً! الخميس الساعة السابعة في فيلخنهوفه؟",
}
THANKS_NOTE = {
    "nl": "Dank je, Ravi! Nu snap ik de brief en is het formulier op tijd weg.",
    "ar": "شكراً يا رافي! الآن فهمت الرسالة وأرسلت الاستمارة في الوقت.",
}
FOR_MRS_DE_VRIES = {
    "nl": ("Wie brengt mevrouw de Vries dinsdag naar de huisarts?", "Mevrouw de Vries"),
    "ar": ("من يوصل السيدة دي فريس إلى الطبيب يوم الثلاثاء؟", "السيدة دي فريس"),
}


@pytest.fixture
def ede(live_server) -> Neighbourhood:
    call_command("demo", stdout=StringIO())
    return Neighbourhood.objects.get(slug="ede-zuid")


def reading(lang: str, *keys: str) -> list[User]:
    """The demo's people, each reading Buurtnet in `lang`."""
    people = [person(key) for key in keys]
    User.objects.filter(pk__in=[p.pk for p in people]).update(preferred_language=lang)
    for each in people:
        each.preferred_language = lang
    return people


def visit(page: Page, lang: str, name: str, *, twin: Page | None = None) -> None:
    """The journey's checks on every page: language and direction, screenshot, axe, width.

    axe-core needs JavaScript: a page seen without it is checked for its width where it is, and
    for the rest in `twin`, the same person's phone with JavaScript, opened at the same address.
    """
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    if twin is not None:
        report = overflow_report(page)
        assert not report, report
        twin.goto(page.url)
        page = twin
    check_page(page, lang, f"sharing-{name}")


def button(page: Page, lang: str, text: str, within: str = "main"):
    return page.locator(within).get_by_role("button", name=tr(lang, text), exact=True)


def link(page: Page, lang: str, text: str, within: str = "main"):
    return page.locator(within).get_by_role("link", name=tr(lang, text), exact=True)


# --- 1. The right neighbour for a letter from the municipality -----------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_letter_from_the_municipality_reaches_only_the_neighbours_buurtnet_suggests(
    ede, live_server, signed_in, lang
):
    server, slug = live_server.url, ede.slug
    hassan, ravi, priya, daan = reading(lang, "hassan", "ravi", "priya", "daan")
    title, body = LETTER[lang]
    admin = Talent.objects.get(slug="admin")

    # Hassan's phone runs no JavaScript: every step of his works without it. (axe-core, which
    # does need it, checks his pages on a second phone of his.)
    asker = signed_in(hassan, lang=lang, java_script_enabled=False).new_page()
    twin = signed_in(hassan, lang=lang).new_page()
    asker.goto(f"{server}{reverse('sharing:list', args=[slug])}")
    visit(asker, lang, "01-list", twin=twin)
    link(asker, lang, "Ask something").first.click()
    expect(asker).to_have_url(f"{server}{reverse('sharing:create', args=[slug, 'ask'])}")
    visit(asker, lang, "02-ask-form", twin=twin)
    form = asker.locator("main form")
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=body]").fill(body)
    form.locator("input[name=kind][value=skill]").check()
    form.locator("select[name=category]").select_option(str(admin.pk))
    form.locator(f"input[name=audience][value={Audience.SUGGESTED}]").check()
    form.locator("select[name=language]").select_option(lang)
    button(asker, lang, "Ask my neighbours").click()
    post = Post.objects.get(author=hassan, title=title)
    assert (post.audience, post.category, post.language) == (Audience.SUGGESTED, admin, lang)
    expect(asker).to_have_url(f"{server}{post.get_absolute_url()}")
    expect(flash(asker)).to_contain_text(
        tr(lang, "Your ask is up. Neighbours who can help will answer you here.")
    )
    expect(asker.locator("main")).to_contain_text(tr(lang, "Only the neighbours Buurtnet suggests"))
    visit(asker, lang, "03-ask", twin=twin)

    # The suggestions, each with why Buurtnet thought of them; he asks Ravi and Priya.
    link(asker, lang, "Find neighbours who can help").click()
    expect(asker).to_have_url(f"{server}{reverse('sharing:suggestions', args=[slug, post.pk])}")
    suggested = asker.locator("main section[aria-labelledby=suggested-heading]")
    for neighbour in (ravi, priya):
        expect(suggested).to_contain_text(neighbour.display_name)
    # Ravi offers help with forms: the explanation names his offer.
    expect(suggested.locator(f"#why-{ravi.pk}")).to_contain_text(
        "Hulp met DigiD, je telefoon en formulieren"
    )
    expect(suggested.locator(f"#why-{priya.pk}")).not_to_be_empty()
    expect(suggested).not_to_contain_text(daan.display_name)
    visit(asker, lang, "04-suggestions", twin=twin)
    suggested.locator(f"#ask-{ravi.pk}").check()
    suggested.locator(f"#ask-{priya.pk}").check()
    button(asker, lang, "Ask them").click()
    asked = asker.locator("main section[aria-labelledby=asked-heading]")
    for neighbour in (ravi, priya):
        expect(asked).to_contain_text(neighbour.display_name)
    expect(asked).to_contain_text(tr(lang, "Not answered yet"))
    visit(asker, lang, "05-suggestions-asked", twin=twin)
    invitations = Invitation.objects.filter(post=post)
    assert sorted(invitations.values_list("user_id", flat=True)) == sorted([ravi.pk, priya.pk])

    # Daan was not asked: for him the ask does not exist.
    third = signed_in(daan, lang=lang).new_page()
    response = third.goto(f"{server}{post.get_absolute_url()}")
    assert response.status == 404
    response = third.goto(f"{server}{reverse('sharing:suggestions', args=[slug, post.pk])}")
    assert response.status == 404

    # Ravi opens "Asked to you" and can help.
    helper = signed_in(ravi, lang=lang).new_page()
    helper.goto(f"{server}{reverse('sharing:list', args=[slug])}")
    helper.locator("main a.asked-to-me").click()
    expect(helper).to_have_url(f"{server}{reverse('sharing:inbox', args=[slug])}")
    invitation = invitations.get(user=ravi)
    row = helper.locator(f"#invitation-{invitation.pk}")
    expect(row).to_contain_text(title)
    expect(row).to_contain_text(tr(lang, "Why Buurtnet thought of you:"))
    visit(helper, lang, "06-asked-to-you")
    button(helper, lang, "I can help", within=f"#invitation-{invitation.pk}").click()
    expect(helper).to_have_url(re.compile(rf"/n/{slug}/conversations/\d+/$"))
    invitation.refresh_from_db()
    assert invitation.answer == Answer.YES
    conversation = Conversation.objects.get(pk=int(helper.url.rstrip("/").rsplit("/", 1)[1]))
    expect(flash(helper)).to_contain_text(
        tr(lang, "Thank you! Agree here on how and when you help.")
    )
    helper.locator("#reply textarea[name=body]").fill(RAVI_WRITES[lang])
    button(helper, lang, "Send", within="#reply").click()
    expect(helper.locator("#messages")).to_contain_text(RAVI_WRITES[lang])
    # What members write reads in its own direction; Ravi's own message is on his side.
    expect(helper.locator("main h1")).to_have_attribute("dir", "auto")
    mine = helper.locator("#messages > li.mine [dir=auto]", has_text=RAVI_WRITES[lang])
    expect(mine).to_have_count(1)
    visit(helper, lang, "07-conversation-helper")

    # Hassan finds the conversation with his messages and answers.
    asker.goto(f"{server}{reverse('conversations:inbox', args=[slug])}")
    visit(asker, lang, "08-messages", twin=twin)
    asker.locator(f"main a[href$='/conversations/{conversation.pk}/']").click()
    expect(asker.locator("#messages")).to_contain_text(RAVI_WRITES[lang])
    asker.locator("#reply textarea[name=body]").fill(HASSAN_ANSWERS[lang])
    button(asker, lang, "Send", within="#reply").click()
    expect(asker.locator("#messages")).to_contain_text(HASSAN_ANSWERS[lang])
    theirs = asker.locator("#messages > li:not(.mine) [dir=auto]", has_text=RAVI_WRITES[lang])
    expect(theirs).to_have_count(1)
    visit(asker, lang, "09-conversation-asker", twin=twin)
    helper.reload()
    expect(helper.locator("#messages")).to_contain_text(HASSAN_ANSWERS[lang])

    # Hassan thanks Ravi, who answered (Priya did not, so she is not offered).
    asker.goto(f"{server}{post.get_absolute_url()}")
    expect(asker.locator("main")).to_contain_text(ravi.display_name)
    link(asker, lang, "Thank someone who helped").click()
    expect(asker).to_have_url(f"{server}{reverse('sharing:thank', args=[slug, post.pk])}")
    assert asker.locator("input[name=receiver]").count() == 1
    expect(asker.locator(f"input[name=receiver][value='{ravi.pk}']")).to_be_checked()
    asker.locator("textarea[name=note]").fill(THANKS_NOTE[lang])
    visit(asker, lang, "10-thank", twin=twin)
    button(asker, lang, "Send my thanks").click()
    expect(asker).to_have_url(f"{server}{post.get_absolute_url()}")
    expect(flash(asker)).to_contain_text(
        tr(lang, "Your thanks are on their way to %(name)s.", name=ravi.display_name)
    )
    assert Thanks.objects.filter(giver=hassan, receiver=ravi, post=post).count() == 1

    # The thanks show on Ravi's page, without what was asked (only those asked saw the ask).
    ravi_page = f"{server}{reverse('neighbourhoods:member', args=[slug, ravi.pk])}"
    third.goto(ravi_page)
    thanks = third.locator("main section.thanks")
    expect(thanks).to_contain_text(THANKS_NOTE[lang])
    expect(thanks).to_contain_text(hassan.display_name)
    expect(thanks).not_to_contain_text(title)
    visit(third, lang, "11-member-thanks")
    # Ravi chooses not to show his thanks: Daan no longer sees them.
    User.objects.filter(pk=ravi.pk).update(show_thanks=False)
    third.reload()
    expect(third.locator("main")).not_to_contain_text(THANKS_NOTE[lang])


# --- 2. Borrowing the ladder ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_ladder_is_lent_handed_over_and_brought_back(ede, live_server, signed_in, lang):
    server, slug = live_server.url, ede.slug
    fatima, youssef = reading(lang, "fatima", "youssef")
    ladder = Post.objects.get(author=youssef, title="Ladder te leen (3,5 meter)")
    tomorrow = today_in(ede) + timedelta(days=1)
    message = {
        "nl": "Mag ik hem lenen voor de gordijnen in de kinderkamer?",
        "ar": "هل أستطيع استعارته لتعليق الستائر في غرفة الأطفال؟",
    }[lang]

    # Fatima finds the ladder among the things to borrow.
    borrower = signed_in(fatima, lang=lang).new_page()
    borrower.goto(f"{server}{reverse('sharing:list', args=[slug])}")
    filters = borrower.locator("main form[role=search]")
    filters.locator("select[name=side]").select_option("offer")
    filters.locator("select[name=kind]").select_option("borrow")
    button(borrower, lang, "Show", within="main form[role=search]").click()
    visit(borrower, lang, "20-list-to-borrow")
    borrower.get_by_role("link", name=ladder.title).click()
    expect(borrower).to_have_url(f"{server}{ladder.get_absolute_url()}")
    visit(borrower, lang, "21-offer")

    # She asks for it from tomorrow, for two days.
    link(borrower, lang, "Ask to borrow it").click()
    expect(borrower).to_have_url(f"{server}{reverse('sharing:borrow', args=[slug, ladder.pk])}")
    visit(borrower, lang, "22-borrow-form")
    borrower.locator("input[name=starts_on]").fill(tomorrow.isoformat())
    borrower.locator("input[name=ends_on]").fill((tomorrow + timedelta(days=1)).isoformat())
    borrower.locator("textarea[name=message]").fill(message)
    button(borrower, lang, "Send the request").click()
    loan = Loan.objects.get(post=ladder, borrower=fatima)
    assert (loan.status, loan.starts_on) == (LoanStatus.REQUESTED, tomorrow)
    expect(borrower).to_have_url(f"{server}{reverse('sharing:loan', args=[slug, loan.pk])}")
    expect(borrower.locator("main")).to_contain_text(tr(lang, "Waiting for the owner's answer."))
    visit(borrower, lang, "23-loan-requested")

    # Youssef accepts on his offer's page, hands the ladder over and takes it back.
    owner = signed_in(youssef, lang=lang).new_page()
    owner.goto(f"{server}{ladder.get_absolute_url()}")
    request = owner.locator(f"#loan-{loan.pk}")
    expect(request).to_contain_text(fatima.display_name)
    expect(request).to_contain_text(message)
    visit(owner, lang, "24-offer-owner-request")
    button(owner, lang, "Accept", within=f"#loan-{loan.pk}").click()
    expect(flash(owner)).to_contain_text(
        tr(lang, "You lend it to %(name)s. They hear it from Buurtnet.", name=fatima.display_name)
    )
    button(owner, lang, "Handed over", within=f"#loan-{loan.pk}").click()
    expect(flash(owner)).to_contain_text(
        tr(lang, "Noted: the item is with %(name)s.", name=fatima.display_name)
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.HANDED_OVER
    visit(owner, lang, "25-offer-owner-lent")
    button(owner, lang, "It is back", within=f"#loan-{loan.pk}").click()
    expect(flash(owner)).to_contain_text(
        tr(lang, "Noted: the item is back with you. Thank you for lending it!")
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and loan.returned_at is not None

    # The offer's page keeps the history: Fatima's loan, and Daan's from before.
    history = owner.locator("#loans")
    expect(history.get_by_role("heading", name=tr(lang, "Earlier"))).to_be_visible()
    returned = history.locator(f"#loan-{loan.pk}")
    expect(returned).to_contain_text(fatima.display_name)
    with translation.override(lang):
        expect(returned).to_contain_text(str(LoanStatus.RETURNED.label))  # "Teruggebracht"
    expect(history).to_contain_text(person("daan").display_name)
    visit(owner, lang, "26-offer-owner-history")

    # Fatima reads that the ladder is back with its owner.
    borrower.reload()
    expect(borrower.locator("main")).to_contain_text(tr(lang, "The item is back with its owner."))
    visit(borrower, lang, "27-loan-returned")


# --- 3. A host asks for a neighbour from the coffee morning, and prints the flat's board --------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_host_asks_for_a_neighbour_and_prints_the_flats_board(ede, live_server, signed_in, lang):
    server, slug = live_server.url, ede.slug
    (henk,) = reading(lang, "henk")
    elskamp = Building.objects.get(neighbourhood=ede, name="de Elskamp")
    title, name = FOR_MRS_DE_VRIES[lang]

    host = signed_in(henk, lang=lang).new_page()
    host.goto(f"{server}{reverse('sharing:create', args=[slug, 'ask'])}")
    form = host.locator("main form")
    behalf = form.locator("fieldset").filter(
        has_text=tr(lang, "Asking for a neighbour who is not online?")
    )
    expect(behalf).to_be_visible()
    # The ask is for his own flat unless he says otherwise.
    expect(form.locator("select[name=building]")).to_have_value(str(elskamp.pk))
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=kind][value=company]").check()
    form.locator("input[name=when]").fill({"nl": "dinsdagochtend", "ar": "صباح الثلاثاء"}[lang])
    form.locator("select[name=language]").select_option(lang)
    behalf.locator("input[name=on_behalf_of]").fill(name)
    behalf.locator("input[name=on_behalf_consent]").check()
    behalf.locator("input[name=on_behalf_contact]").fill("Woensdag op de koffieochtend")
    visit(host, lang, "30-ask-on-behalf-form")
    button(host, lang, "Ask my neighbours").click()
    post = Post.objects.get(author=henk, title=title)
    assert post.on_behalf_of == name and post.on_behalf_consent_at is not None
    assert post.building == elskamp
    expect(host).to_have_url(f"{server}{post.get_absolute_url()}")
    expect(host.locator("main")).to_contain_text(name)
    expect(host.locator("main")).to_contain_text("Woensdag op de koffieochtend")
    # Its width at 390 px is checked in test_an_ask_for_a_neighbour_fits_a_phone (known bug).
    expect(host.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    screenshot(host, f"{lang}-sharing-31-ask-on-behalf")
    report = accessibility_report(host)
    assert not report, report

    # From the hosts' page to the flat's notice board, also in Arabic.
    host.goto(f"{server}{reverse('neighbourhoods:host', args=[slug])}")
    host.locator(f"main a[href='{reverse('sharing:board', args=[slug, elskamp.pk])}']").click()
    expect(host).to_have_url(f"{server}{reverse('sharing:board', args=[slug, elskamp.pk])}")
    host.locator("main input[name=lang][value=ar]").check()
    button(host, lang, "Show the board in these languages").click()
    expect(host).to_have_url(re.compile(r"\?lang=ar$"))
    board = host.locator("main article.board")
    expect(board.locator(".board-post-title")).to_contain_text([title])
    expect(board.locator(".board-headings bdi[lang=ar][dir=rtl]")).to_have_count(1)
    expect(board.locator(".board-how-lang[lang=ar][dir=rtl]")).to_have_count(1)
    # What a neighbour sees at 390 px before printing.
    visit(host, lang, "32-board")

    # The PDF, in Dutch and Arabic.
    pdf_link = link(host, lang, "Download PDF")
    href = pdf_link.get_attribute("href")
    assert href == f"{reverse('sharing:board_pdf', args=[slug, elskamp.pk])}?lang=ar"
    response = host.request.get(f"{server}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # The same page as the printer gets it: only the board (so no heading for axe to find).
    host.emulate_media(media="print")
    expect(host.get_by_role("heading", level=1)).to_be_hidden()
    expect(board).to_be_visible()
    screenshot(host, f"{lang}-sharing-33-board-print")
    report = overflow_report(host)
    assert not report, report


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_ask_for_a_neighbour_fits_a_phone(ede, live_server, signed_in, lang):
    (henk,) = reading(lang, "henk")
    post = Post.objects.get(author=henk, on_behalf_of__startswith="Mevrouw Jansen")
    host = signed_in(henk, lang=lang).new_page()
    host.goto(f"{live_server.url}{post.get_absolute_url()}")
    expect(host.locator("main")).to_contain_text(post.on_behalf_contact)
    report = overflow_report(host)
    assert not report, report
