"""axe-core on every main page, seen by the person it is for, with enough data to fill it.

Each page must also fit a phone's screen without scrolling sideways.

All findings of one run are collected and reported together, so one run shows every page to fix.
"""

import shutil
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from buurtnet.activities.models import Place
from buurtnet.activities.services import organise as services
from buurtnet.conversations import services as conversations
from buurtnet.initiatives import services as initiatives
from buurtnet.neighbourhoods import services as neighbourhoods
from buurtnet.neighbourhoods.models import Membership
from buurtnet.people.models import Language, Talent, User
from buurtnet.sharing.services.posts import post_create
from tests.browser.helpers import accessibility_report, overflow_report, screenshot
from tests.browser.test_crawl import VNU, validate
from tests.neighbourhoods.conftest import confirm_path, mails_to


def _membership(user, neighbourhood) -> Membership:
    return Membership.objects.select_related("organisation").get(
        user=user, neighbourhood=neighbourhood
    )


@pytest.fixture
def lively(personas, lang):
    """Ede-Zuid in full swing: a question answered, people waiting, codes printed, news."""
    ede, fatima, daan, anna = personas.ede, personas.fatima, personas.daan, personas.anna
    User.objects.filter(memberships__neighbourhood__in=[ede, personas.other]).update(
        preferred_language=lang
    )
    cooking, _created = Talent.objects.get_or_create(slug="cooking", defaults={"name": "Cooking"})
    arabic, _created = Language.objects.get_or_create(
        code="ar", defaults={"english_name": "Arabic", "native_name": "العربية"}
    )
    fatima.talents.add(cooking)
    fatima.languages.add(arabic)
    fatima.passions = "Bringing neighbours together around food."
    fatima.save(update_fields=["passions"])
    daan.talents.add(cooking)

    initiative = personas.initiative
    as_fatima = _membership(fatima, ede)
    initiatives.need_add(
        membership=as_fatima,
        initiative=initiative,
        kind="talent",
        description="Someone to cook rice for forty",
        talent=cooking,
    )
    initiatives.update_post(
        membership=as_fatima,
        initiative=initiative,
        body="Thirty neighbours came to the first dinner.",
        photo=None,
        photo_description="",
    )
    initiatives.learning_post(
        membership=as_fatima,
        initiative=initiative,
        what_worked="Inviting people at the door.",
        what_did_not="Starting at five: too early for working people.",
    )
    initiatives.initiative_join(
        membership=_membership(daan, ede),
        initiative=initiative,
        talents=[cooking],
        brings="My big pan",
    )
    initiatives.support_offer_make(
        membership=_membership(personas.sem, ede),
        initiative=initiative,
        kind="resources",
        message="The foundation pays for the groceries of the first three dinners.",
        need=None,
    )
    conversation = conversations.question_ask(
        neighbourhood=ede,
        user=fatima,
        subject="A room for our dinners",
        body="Who can open the community room on Fridays?",
    )
    conversations.message_send(
        conversation_id=conversation.pk,
        user=anna,
        body="The caretaker can; I will ask him to call you.",
    )
    neighbourhoods.invite_codes_issue(
        neighbourhood=ede, building=personas.elskamp, max_uses=2, issued_by=personas.henk
    )
    neighbourhoods.join_request_create(
        neighbourhood=ede,
        user=personas.olga,
        building=personas.elskamp,
        message="I moved into de Elskamp last month.",
    )
    return conversation


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_main_page_passes_axe_and_fits_a_phone(
    live_server, personas, lively, lang, phone, signed_in
):
    ede = personas.ede.slug
    initiative = personas.initiative.pk
    conversation = lively.pk
    private = conversations.conversation_start(
        neighbourhood=personas.ede,
        user=personas.fatima,
        to_user=personas.priya,
        subject="Samen eten",
        body="Can you bring the big pan on Friday?",
        topic=personas.initiative,
    )
    conversations.message_send(conversation_id=private.pk, user=personas.priya, body="Yes!")
    place = Place.objects.create(
        neighbourhood=personas.ede, name="Ontmoetingsruimte de Elskamp", capacity=40
    ).pk
    # A weekly dinner from next week on, for the organisers' pages.
    first_dinner = timezone.localdate() + timedelta(days=7)
    weekly_dinner = services.activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        place=Place.objects.get(pk=place),
        title="Samen eten",
        start_date=first_dinner,
        start_time=time(18, 0),
        duration_minutes=150,
        rrule="FREQ=WEEKLY",
    ).pk
    dinner_key = first_dinner.strftime("%Y%m%dT1800")

    def url(name: str, *args) -> str:
        return reverse(name, args=args)

    # A newcomer's emailed link: the page where they choose their password.
    neighbourhoods.signup_with_request_start(
        neighbourhood=personas.ede,
        display_name="Yusuf",
        email="yusuf@example.org",
        preferred_language=lang,
        building=personas.elskamp,
    )
    signup_link = confirm_path(mails_to("yusuf@example.org")[-1])

    # (who, page name, path, expected HTTP status)
    pages = {
        None: [
            ("home", url("home"), 200),
            ("landing", url("front:landing", ede), 200),
            ("login", url("login"), 200),
            ("join-with-code", url("neighbourhoods:signup"), 200),
            ("ask-to-join", url("neighbourhoods:ask_to_join", ede), 200),
            ("password-reset", url("password_reset"), 200),
            ("signup-choose-password", signup_link, 200),
            ("signup-link-broken", url("neighbourhoods:signup_confirm", "not-a-link"), 200),
        ],
        personas.fatima: [
            ("member-home", url("front:member_home", ede), 200),
            ("initiative-list", url("initiatives:list", ede), 200),
            ("initiative-list-mine", f"{url('initiatives:list', ede)}?mine=on", 200),
            ("initiative-detail-initiator", url("initiatives:detail", ede, initiative), 200),
            ("initiative-manage", url("initiatives:manage", ede, initiative), 200),
            ("initiative-edit", url("initiatives:edit", ede, initiative), 200),
            ("initiative-start", url("initiatives:start", ede), 200),
            ("member-directory", url("neighbourhoods:directory", ede), 200),
            ("member-page", url("neighbourhoods:member", ede, personas.priya.pk), 200),
            ("member-page-self", url("neighbourhoods:member", ede, personas.fatima.pk), 200),
            ("partners", url("neighbourhoods:organisations", ede), 200),
            ("organisation", url("neighbourhoods:organisation", ede, personas.wijkteam.slug), 200),
            ("ask-question", url("conversations:ask", ede), 200),
            ("questions", url("conversations:questions", ede), 200),
            ("conversation-resident", url("conversations:detail", ede, conversation), 200),
            ("messages", url("conversations:inbox", ede), 200),
            ("conversation-private", url("conversations:detail", ede, private.pk), 200),
            (
                "conversation-start",
                f"{url('conversations:start', ede)}?to={personas.priya.pk}"
                f"&about=initiatives.initiative:{initiative}",
                200,
            ),
            ("my-membership", url("neighbourhoods:my_membership", ede), 200),
            ("profile", url("profile"), 200),
            ("notifications", url("notifications:list"), 200),
            ("email-settings", url("notifications:email_settings"), 200),
            ("password-change", url("password_change"), 200),
            ("agenda", url("activities:agenda", ede), 200),
            ("my-calendar", url("activities:my_calendar"), 200),
            ("bookings", url("bookings:place", ede, place), 200),
            ("agenda-week", f"{url('activities:agenda', ede)}?view=week", 200),
            ("agenda-month", f"{url('activities:agenda', ede)}?view=month", 200),
            ("places", url("activities:places", ede), 200),
            ("place", url("activities:place", ede, place), 200),
            ("not-found", url("initiatives:detail", ede, 987654), 404),
            ("plan-activity", url("organise:create", ede), 200),
            ("edit-activity", url("organise:edit", ede, weekly_dinner), 200),
            (
                "cancel-date",
                url("organise:occurrence_cancel", ede, weekly_dinner, dinner_key),
                200,
            ),
            ("move-date", url("organise:occurrence_move", ede, weekly_dinner, dinner_key), 200),
            ("change-from", url("organise:change_from", ede, weekly_dinner, dinner_key), 200),
        ],
        personas.daan: [
            ("initiative-detail-waiting", url("initiatives:detail", ede, initiative), 200),
            ("forbidden", url("initiatives:manage", ede, initiative), 403),
            ("plan-activity-not-organiser", url("organise:create", ede), 403),
        ],
        personas.henk: [
            ("host", url("neighbourhoods:host", ede), 200),
            ("invites-print", url("neighbourhoods:invites_print", ede), 200),
            ("place-host", url("activities:place", ede, place), 200),
            ("place-edit", url("activities:place_edit", ede, place), 200),
        ],
        personas.anna: [
            ("member-home-professional", url("front:member_home", ede), 200),
            ("initiative-detail-professional", url("initiatives:detail", ede, initiative), 200),
            ("questions-professional", url("conversations:questions", ede), 200),
            ("conversation-professional", url("conversations:detail", ede, conversation), 200),
        ],
        personas.olga: [
            ("ask-to-join-waiting", url("neighbourhoods:ask_to_join", ede), 200),
        ],
    }

    findings = []
    for person, visits in pages.items():
        context = phone(lang=lang) if person is None else signed_in(person, lang=lang)
        page = context.new_page()
        for name, path, status in visits:
            response = page.goto(f"{live_server.url}{path}")
            if response is None or response.status != status:
                got = response.status if response else "no response"
                findings.append(f"{name} ({path}): HTTP {got}, expected {status}")
                continue
            expect(page.locator("html")).to_have_attribute("lang", lang)
            screenshot(page, f"pages-{lang}-{name}")
            report = accessibility_report(page) + overflow_report(page)
            if report:
                findings.append(f"{name} as {person or 'visitor'}: {report}")
        context.close()

    assert not findings, "\n\n".join(findings)


# What members write in Arabic, with a Dutch answer and a long link among it.
SUBJECT = "قدر كبير لعشاء الجمعة"
FATIMA_WRITES = "هل يمكنك إحضار القدر الكبير يوم الجمعة؟ سأكون في المطبخ من الساعة الخامسة."
PRIYA_ANSWERS = "Ja hoor! Ik breng ook de opscheplepels mee."
RECIPE = (
    "الوصفة هنا: https://www.voorbeeld.nl/recepten/rijst-voor-veertig-personen-met-kruiden"
    "-en-groenten-uit-de-buurttuin"
)
LADDER = "من يعيرني سلّماً لتعليق الستائر؟"
DAAN_ASKS = "أحتاج مساعدة في حمل خزانة إلى الطابق الثالث"
FATIMA_OFFERS = "أستطيع المساعدة يوم السبت صباحاً."


# The texts of `texts` that stand somewhere in <main> outside an element that isolates their
# direction: a <bdi> or an element with its own dir (an Arabic name next to a Dutch date, or a
# Latin one next to an Arabic date, would otherwise run into it), the forms' help texts too
# ("Only you and Priya read this.").
_NOT_ISOLATED = """texts => {
  const main = document.querySelector("main");
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const loose = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest("bdi, main [dir], textarea, option")) continue;
    for (const text of texts) if (node.data.includes(text)) loose.add(text);
  }
  return [...loose];
}"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ar"])
def test_every_conversation_page_passes_axe_is_valid_and_fits_a_phone_in_arabic(
    live_server, personas, lively, lang, signed_in, tmp_path
):
    """The conversation pages in Arabic, right to left: the list, a conversation seen from both
    sides, one about an ask, a closed one, a question, and starting one from a profile or an ask.
    What members write (subjects, messages, what it is about) reads in its own direction."""
    ede, fatima, priya, daan = personas.ede, personas.fatima, personas.priya, personas.daan
    slug = ede.slug
    private = conversations.conversation_start(
        neighbourhood=ede,
        user=fatima,
        to_user=priya,
        subject=SUBJECT,
        body=FATIMA_WRITES,
        topic=personas.initiative,
    )
    conversations.message_send(conversation_id=private.pk, user=priya, body=PRIYA_ANSWERS)
    conversations.message_send(conversation_id=private.pk, user=fatima, body=RECIPE)
    ladder = post_create(
        membership=_membership(priya, ede), side="ask", kind="borrow", title=LADDER
    )
    cupboard = post_create(
        membership=_membership(daan, ede), side="ask", kind="skill", title=DAAN_ASKS
    )
    closed = conversations.conversation_start(
        neighbourhood=ede,
        user=fatima,
        to_user=daan,
        subject=DAAN_ASKS,
        body=FATIMA_OFFERS,
        topic=cupboard,
    )
    conversations.conversation_close(conversation_id=closed.pk, user=daan)
    question = lively

    def url(name: str, *args) -> str:
        return reverse(name, args=[slug, *args])

    start = url("conversations:start")
    # Names sit inside sentences and next to dates: each keeps its own direction.
    names = [personas.wijkteam.name, fatima.display_name, priya.display_name, daan.display_name]
    # (who, page name, path, what members wrote that the page shows)
    pages = {
        fatima: [
            ("messages", url("conversations:inbox"), [SUBJECT, DAAN_ASKS, question.subject]),
            (
                "conversation-private",
                url("conversations:detail", private.pk),
                [SUBJECT, FATIMA_WRITES, PRIYA_ANSWERS, RECIPE, personas.initiative.title],
            ),
            (
                "conversation-closed",
                url("conversations:detail", closed.pk),
                [DAAN_ASKS, FATIMA_OFFERS],
            ),
            (
                "conversation-question",
                url("conversations:detail", question.pk),
                [question.subject, *[m.body for m in question.messages.all()]],
            ),
            ("questions", url("conversations:questions"), [question.subject]),
            ("ask-question", url("conversations:ask"), []),
            (
                "conversation-start-profile",
                f"{start}?to={priya.pk}&about=people.user:{priya.pk}",
                [],
            ),
            (
                "conversation-start-ask",
                f"{start}?to={priya.pk}&about=sharing.post:{ladder.pk}",
                [LADDER],
            ),
        ],
        priya: [
            (
                "conversation-private-other-side",
                url("conversations:detail", private.pk),
                [SUBJECT, FATIMA_WRITES, PRIYA_ANSWERS, RECIPE],
            ),
        ],
        personas.anna: [
            ("questions-professional", url("conversations:questions"), [question.subject]),
            (
                "conversation-question-professional",
                url("conversations:detail", question.pk),
                [question.subject],
            ),
        ],
    }

    findings, html = [], {}
    for person, visits in pages.items():
        context = signed_in(person, lang=lang)
        page = context.new_page()
        for name, path, written in visits:
            response = page.goto(f"{live_server.url}{path}")
            if response is None or response.status != 200:
                got = response.status if response else "no response"
                findings.append(f"{name} ({path}): HTTP {got}, expected 200")
                continue
            html[f"{name} ({path})"] = response.text()
            expect(page.locator("html")).to_have_attribute("lang", lang)
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            screenshot(page, f"pages-{lang}-{name}")
            report = accessibility_report(page) + overflow_report(page)
            if report:
                findings.append(f"{name} as {person}: {report}")
            for text in written:
                if not page.locator("main [dir=auto]", has_text=text).count():
                    findings.append(f'{name}: "{text}" is not in an element with dir="auto"')
            for text in page.evaluate(_NOT_ISOLATED, written + names):
                findings.append(f'{name}: "{text}" is not isolated (<bdi> or dir="auto")')
        context.close()
    assert not findings, "\n\n".join(findings)

    if not VNU.exists() or shutil.which("java") is None:
        pytest.skip("the Nu HTML checker comes with `make test` (npm and Java); HTML not checked")
    errors = validate(html, tmp_path / "pages")
    assert not errors, "\n".join(errors)
