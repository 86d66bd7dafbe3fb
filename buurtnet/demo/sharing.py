"""Sharing between neighbours in the Ede-Zuid demo: who may be asked, what neighbours ask and
offer (in the languages they write in), loans of a ladder, a drill, a sewing machine, a cargo
bike and a party tent, and the thanks for help given.

Rows are written directly (in bulk) and dated afterwards: most open asks and offers run out in
3 to 13 days, one ask already ran out, and the helped ones carry the neighbours' thanks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.notifications.models import Kind as NotificationKind
from buurtnet.notifications.models import Notification
from buurtnet.notifications.unread import unread_count_forget
from buurtnet.people.models import Talent, User
from buurtnet.sharing.models import (
    LIFETIME,
    Answer,
    Audience,
    Invitation,
    Kind,
    Loan,
    LoanStatus,
    PartOfDay,
    Post,
    PostStatus,
    Side,
    Thanks,
)

ASK, OFFER = Side.ASK, Side.OFFER
BORROW, GIVE, SKILL, SWAP, COMPANY = Kind.BORROW, Kind.GIVE, Kind.SKILL, Kind.SWAP, Kind.COMPANY
DAYTIME, EVENING, WEEKEND = PartOfDay.DAYTIME, PartOfDay.EVENING, PartOfDay.WEEKEND
HELPED, NOT_NEEDED = PostStatus.HELPED, PostStatus.NOT_NEEDED

# Residents who said neighbours may ask them, with when they have time (daytime, evenings,
# weekends), read from what they wrote about themselves. The others (Chidi, Hassan, Emina, …)
# did not: Buurtnet never suggests them.
OPEN_TO_ASKS: dict[str, str] = {
    "daan": "EW", "fatima": "DE", "henk": "DE", "khadija": "DE", "youssef": "EW",
    "els": "DW", "joke": "D", "mehmet": "DE", "ayse": "D", "hodan": "DE", "abdi": "EW",
    "rojda": "EW", "yonas": "EW", "semhar": "DW", "agnieszka": "EW", "piotr": "EW",
    "rania": "DE", "omar": "DW", "farid": "EW", "shirin": "EW", "sharon": "EW", "ravi": "EW",
    "giovanni": "EW", "johan": "DW", "kwame": "EW", "meseret": "DW", "olena": "EW",
    "dmytro": "EW", "natalia": "DE", "dimitar": "DW", "ioana": "DE", "jurgen": "DW",
    "joao": "EW", "wei": "E", "linh": "EW", "priya": "E", "ali": "DW", "amani": "DE",
    "grace": "EW", "maricel": "D", "zsofia": "E", "eleni": "EW", "marco": "EW", "nour": "E",
    "layla": "W", "fatou": "W", "gerrit": "D", "sanne": "E", "bram": "EW", "ineke": "D",
    "kemal": "W", "aziz": "EW", "somchai": "W",
}  # fmt: skip
NOT_OPEN_TO_ASKS = (
    "chidi", "hassan", "emina", "zahra", "lucia", "willem", "tesfay", "sami", "tom", "brice",
    "camila", "anouk", "imran",
)  # fmt: skip


@dataclass(frozen=True)
class PostSpec:
    ref: str  # how loans, thanks and invitations below point at it
    author: str
    side: str
    kind: str
    title: str
    body: str
    language: str
    category: str | None = None
    part_of_day: str = ""
    when: str = ""
    audience: str = Audience.NEIGHBOURHOOD
    days_ago: float = 3  # written
    expires_in: float | None = None  # days from now; None: its first fourteen days
    status: str = PostStatus.OPEN
    closed_days_ago: float | None = None
    on_behalf_of: str = ""
    on_behalf_contact: str = ""


P = PostSpec
OFFERS = [
    # Lending.
    P("ladder", "youssef", OFFER, BORROW, "Ladder te leen (3,5 meter)",
      "Een stevige aluminium ladder, handig voor gordijnen en lampen. Ophalen bij de Elskamp,"
      " graag binnen een paar dagen terug.", "nl", "diy", days_ago=40, expires_in=9),
    P("drill", "kemal", OFFER, BORROW, "Darbeli matkap ödünç verebilirim",
      "Bosch darbeli matkap, beton uçlarıyla birlikte. Cumartesi günleri Berkenhof'tan"
      " alabilirsiniz. Hollandaca da konuşurum.", "tr", "diy", WEEKEND, "op zaterdag",
      days_ago=30, expires_in=12),
    P("sewing_machine", "natalia", OFFER, BORROW, "Naaimachine te leen",
      "Een eenvoudige Singer, goed voor zomen en gordijnen. Ik leg graag even uit hoe hij"
      " werkt.", "nl", "sewing", days_ago=20, expires_in=8),
    P("cargo_bike", "sanne", OFFER, BORROW, "Bakfiets te leen",
      "Onze bakfiets met regenhoes staat vaak stil. Voor boodschappen, een paar verhuisdozen of"
      " de kinderen naar de speeltuin. Slot en sleutel haal je bij mij in de Beukenstein.", "nl",
      "bikes", days_ago=35, expires_in=6),
    P("party_tent", "omar", OFFER, BORROW, "خيمة حفلات للإعارة (3×6 متر)",
      "خيمة بيضاء مع جوانب، تكفي لثلاثين شخصاً. مناسبة لأعياد الميلاد أو حفلة الحي. أساعد في"
      " نصبها وأنقلها بسيارتي.", "ar", "organising", days_ago=25, expires_in=11),
    # Skills.
    P("bike_repairs", "yonas", OFFER, SKILL, "Ik repareer je fiets",
      "Lekke band, remmen, ketting of verlichting: breng je fiets op zaterdagochtend naar de"
      " fietsenstalling van de Eikenburg. Onderdelen betaal je zelf, de hulp is gratis.", "nl",
      "bikes", WEEKEND, "zaterdagochtend", days_ago=6),
    P("digid", "ravi", OFFER, SKILL, "Hulp met DigiD, je telefoon en formulieren",
      "De DigiD-app instellen, een formulier van de gemeente of de toeslagen invullen, een app"
      " op je telefoon zetten. 's Avonds of op zaterdag, bij jou thuis of in de Elskamp.", "nl",
      "admin", EVENING, days_ago=4),
    P("homework", "rania", OFFER, SKILL, "مساعدة في الواجبات المدرسية",
      "كنت معلمة في حلب. أساعد الأطفال في الواجبات: الرياضيات والقراءة والإملاء بالهولندية."
      " بعد المدرسة في لينديهورست.", "ar", "homework", DAYTIME, "بعد المدرسة", days_ago=3),
    P("electrics", "piotr", OFFER, SKILL, "Small electrical jobs: lamps, sockets, switches",
      "I'm an electrician. Happy to hang a lamp, replace a socket or find out why the fuse keeps"
      " tripping. Evenings and weekends, in the Wilgenhoeve.", "en", "electrics", EVENING,
      days_ago=9),
    P("tigrinya", "semhar", OFFER, SKILL, "ትርጉም ትግርኛ–ሆላንድኛ",
      "ደብዳቤታት ካብ ቤት ትምህርቲ፡ ሓኪም ወይ ምምሕዳር ከተማ ክትርጉመልኩም እኽእል እየ። ኣብ ኤልስካምፕ"
      " ቀዳመ-ሰንበት ወይ ድሕሪ ቀትሪ። (Ik vertaal ook Nederlands–Tigrinya.)", "ti", "languages",
      days_ago=5),
    P("mending", "ayse", OFFER, SKILL, "Kıyafet tamiri: paça, fermuar, yırtık",
      "Pantolon paçası kısaltma, fermuar değiştirme, yırtık dikme. Getirin, birkaç gün içinde"
      " hazır olur. Eikenburg'dayım.", "tr", "sewing", DAYTIME, days_ago=7),
    P("somali", "hodan", OFFER, SKILL, "Waxaan caawiyaa qoysaska Soomaalida ee cusub",
      "Turjumaad Soomaali–Nederlands: warqadaha dugsiga iyo dowladda hoose, iyo socod lagu"
      " barto xaafadda. Kaalay qaxwada Arbacada ee Elskamp.", "so", "languages", DAYTIME,
      days_ago=8),
    P("furniture", "johan", OFFER, SKILL, "Oude stoel of kastje opknappen? Ik help",
      "Schuren, lijmen, een nieuwe zitting erin. Mijn gereedschap staat in de berging van de"
      " Kastanjehof.", "nl", "carpentry", WEEKEND, "op zaterdag", days_ago=10),
    # Giving away, swapping, company.
    P("seedlings", "jurgen", OFFER, GIVE, "Tomaten- en courgetteplantjes weg te geven",
      "Te veel gezaaid! Een stuk of twintig plantjes voor je balkon. Ophalen bij de Berkenhof,"
      " zolang de voorraad strekt.", "nl", "gardening", days_ago=1),
    P("kids_clothes", "khadija", OFFER, GIVE, "ملابس أطفال مجاناً (مقاس 98–116)",
      "كيس كبير من الملابس الشتوية للأطفال، نظيفة وبحالة جيدة. تعالوا إلى الإلسكامب.", "ar",
      "children", days_ago=2),
    P("piano", "shirin", OFFER, SWAP, "Piano lessons in exchange for Dutch conversation",
      "I teach piano to children and adults. In return I'd love someone to practise Dutch with"
      " me over tea. Essenburg, evenings.", "en", "music", EVENING, days_ago=6),
    P("dutch", "ineke", OFFER, COMPANY, "Nederlands oefenen aan mijn keukentafel",
      "Dinsdag- en donderdagochtend staat de koffie klaar. We praten over wat jij wilt: de"
      " buurt, het nieuws, je brieven. Alle niveaus zijn welkom.", "nl", "teaching", DAYTIME,
      "dinsdag- en donderdagochtend", days_ago=2),
    P("coffee_ceremony", "meseret", OFFER, COMPANY, "Koffieceremonie bij mij thuis",
      "Ik brand de bonen zelf, en er is popcorn en brood bij, zoals in Ethiopië. Buren uit de"
      " Eikenburg zijn welkom; ik hang een briefje bij de lift.", "nl", "hosting", WEEKEND,
      "zaterdagmiddag", audience=Audience.FLAT, days_ago=3),
    P("bike_seat", "marco", OFFER, GIVE, "Fietsstoeltje voor een kind, gratis",
      "Past achterop de meeste fietsen, met gordel. Onze jongste is eruit gegroeid.", "nl",
      "children", days_ago=15, status=HELPED, closed_days_ago=11),
]  # fmt: skip

ASKS = [
    P("mrs_jansen", "henk", ASK, SKILL,
      "Wie helpt mevrouw Jansen met beeldbellen op haar tablet?",
      "Mevrouw Jansen komt elke week op de koffieochtend. Ze kreeg een tablet van haar dochter en"
      " wil haar kleinkinderen in Canada zien. Ze is zelf niet op Buurtnet: ik geef de antwoorden"
      " aan haar door.", "nl", "computers", DAYTIME, "woensdagochtend na de koffie",
      days_ago=4, on_behalf_of="Mevrouw Jansen (82), van de koffieochtend",
      on_behalf_contact="Via Henk, op de koffieochtend op woensdag"),
    P("hospital", "amani", ASK, COMPANY, "أحتاج مرافقة إلى موعد في المستشفى",
      "عندي موعد في مستشفى خيلدرسه فالاي يوم الخميس. أبحث عن امرأة تتكلم العربية والهولندية"
      " لتأتي معي وتترجم للطبيب.", "ar", "languages", DAYTIME, "الخميس صباحاً",
      audience=Audience.SUGGESTED, days_ago=2, expires_in=5),
    P("tomatoes", "agnieszka", ASK, SKILL, "Kto podleje moje pomidory na balkonie?",
      "Wyjeżdżam na tydzień do Polski. Szukam kogoś z Berkenhofu, kto dwa razy podleje moje"
      " rośliny. Zostawię klucz. Dziękuję!", "pl", "gardening", when="w przyszłym tygodniu",
      audience=Audience.FLAT, days_ago=1),
    P("cupboard", "daan", ASK, SKILL, "Wie helpt mij een kast ophalen bij de kringloop?",
      "Ik vond een mooie boekenkast in de kringloopwinkel, maar ik heb geen auto en hij past"
      " niet in een gewone auto. Een busje zou top zijn; ik sjouw natuurlijk mee.", "nl",
      "driving", WEEKEND, "zaterdag", days_ago=3),
    P("cv", "abdi", ASK, SKILL, "Qof iga caawin kara CV-gayga?",
      "Waxaan codsanayaa shaqo bakhaar (magazijn). CV-gu waa inuu ku qornaadaa Nederlands. Qof"
      " ma ii sixi karaa?", "so", "writing", EVENING, days_ago=5),
    P("maths", "mehmet", ASK, SKILL, "Kızıma matematik ödevinde yardım edebilecek var mı?",
      "Kızım groep 8'de, kesirlerde ve yüzdelerde zorlanıyor. Haftada bir akşam bir saat"
      " yeter.", "tr", "homework", EVENING, days_ago=6),
    P("run", "kwame", ASK, COMPANY, "Anyone up for a Sunday morning run?",
      "Easy pace, 5 km around the park and back to the flats. Beginners welcome, I'll wait for"
      " you.", "en", "sports", WEEKEND, "Sunday 9:00", days_ago=2),
    P("dutch_buddy", "olena", ASK, COMPANY, "Looking for a Dutch conversation buddy",
      "My Dutch is A2. I'd like to practise speaking once a week: a walk, a coffee, anything."
      " I can help with English or Ukrainian in return.", "en", None, EVENING, days_ago=7),
    P("kids_bike", "linh", ASK, GIVE, "Gezocht: kinderfiets 20 inch",
      "Mijn zoon is uit zijn fiets gegroeid. Heeft iemand een kinderfiets van 20 inch die weg"
      " mag? Een beetje roest is geen probleem.", "nl", None, days_ago=4),
    P("portraits", "rojda", ASK, SWAP, "Ruilen: ik maak je portretfoto, wie leert mij naaien?",
      "Ik wil een tas maken van oude spijkerbroeken. Wie leert mij de basis van de naaimachine?"
      " In ruil maak ik mooie portretfoto's van jou of je gezin.", "nl", "sewing", EVENING,
      days_ago=5),
    P("shelf", "ioana", ASK, SKILL, "Wie kan een plank ophangen in mijn keuken?",
      "Ik heb de plank en de pluggen, maar geen boor en eerlijk gezegd ook geen idee. Het is een"
      " betonnen muur.", "nl", "diy", DAYTIME, days_ago=1),
    P("pan", "sharon", ASK, BORROW, "Grote pan te leen voor een verjaardag",
      "Mijn moeder wordt 70 en ik maak roti voor veertig mensen. Wie heeft een pan van 20 liter"
      " of meer die ik een weekend mag lenen?", "nl", "cooking", WEEKEND, days_ago=3),
    P("kitchen_light", "rania", ASK, SKILL, "ضوء المطبخ لا يعمل",
      "غيّرت المصباح لكن الضوء ما زال لا يعمل. ربما المشكلة في المفتاح. هل يوجد كهربائي في"
      " الحي؟", "ar", "electrics", EVENING, days_ago=2),
    # Nobody answered in time: it ran out two days ago.
    P("projector", "zsofia", ASK, BORROW, "Can I borrow a projector for Friday evening?",
      "For the newsletter team's film night in the Elskamp. We'll take good care of it.", "en",
      None, EVENING, "Friday evening", days_ago=16),
    # Helped, and thanked.
    P("flat_tyre", "daan", ASK, SKILL, "Lekke band, wie helpt?",
      "Mijn achterband is lek en ik moet morgen naar mijn werk. Een plakset heb ik wel.", "nl",
      "bikes", EVENING, days_ago=15, status=HELPED, closed_days_ago=14),
    P("digid_code", "amani", ASK, SKILL, "من يساعدني في تفعيل DigiD؟",
      "وصلتني رسالة التفعيل لكن التطبيق لا يقبل الرمز.", "ar", "computers", EVENING,
      days_ago=22, status=HELPED, closed_days_ago=20),
    P("balcony_lamp", "mehmet", ASK, SKILL, "Balkon lambası yanmıyor",
      "Ampulü değiştirdim ama yine yanmıyor. Elektrikten anlayan bir komşu var mı?", "tr",
      "electrics", days_ago=18, status=HELPED, closed_days_ago=16),
    P("spelling", "olena", ASK, SKILL, "Help with Dutch spelling for my son",
      "He is in groep 5 and the dictation words are hard for both of us.", "en", "homework",
      days_ago=26, status=HELPED, closed_days_ago=21),
    P("school_letter", "tesfay", ASK, SKILL, "ደብዳቤ ካብ ቤት ትምህርቲ ንምትርጓም ሓገዝ",
      "ካብ ቤት ትምህርቲ ወደይ ደብዳቤ መጺኡኒ። ብሆላንድኛ ስለ ዝኾነ ኣይተረደኣንን። መን ክሕግዘኒ ይኽእል?",
      "ti", "languages", days_ago=13, status=HELPED, closed_days_ago=12),
    P("planters", "gerrit", ASK, SKILL, "Wie helpt de moestuinbakken vullen?",
      "Woonstede heeft de bakken neergezet naast de Eikenburg. Nu nog twee kuub aarde erin"
      " scheppen. Koffie en koek van mij.", "nl", "gardening", WEEKEND, "zaterdagochtend",
      days_ago=28, status=HELPED, closed_days_ago=24),
    P("paint", "els", ASK, GIVE, "Wie heeft nog restjes muurverf?",
      "Voor de kast in de ontmoetingsruimte; wit of lichtgeel.", "nl", "painting", days_ago=12,
      status=NOT_NEEDED, closed_days_ago=9),
]  # fmt: skip

# Who was asked (ref, neighbour, answer, answered days ago), sent by the ask's author.
INVITATIONS = [
    ("mrs_jansen", "ravi", Answer.WAITING, None),
    ("mrs_jansen", "wei", Answer.NO, 3),
    ("hospital", "rania", Answer.YES, 1),
    ("hospital", "hodan", Answer.WAITING, None),
    ("maths", "rania", Answer.WAITING, None),
    ("maths", "nour", Answer.NO, 5),
    ("flat_tyre", "yonas", Answer.YES, 14.9),
    ("flat_tyre", "jurgen", Answer.NO, 14.5),
    ("digid_code", "ravi", Answer.YES, 21),
    ("digid_code", "priya", Answer.NO, 21.5),
    ("balcony_lamp", "piotr", Answer.YES, 17),
    ("balcony_lamp", "dmytro", Answer.NO, 17.5),
    ("spelling", "rania", Answer.YES, 25),
    ("spelling", "ineke", Answer.NO, 25),
    ("school_letter", "semhar", Answer.YES, 12.8),
    ("school_letter", "meseret", Answer.NO, 12.5),
    ("planters", "jurgen", Answer.YES, 27),
    ("planters", "agnieszka", Answer.YES, 26),
    ("planters", "somchai", Answer.NO, 27),
]


@dataclass(frozen=True)
class LoanSpec:
    item: str
    borrower: str
    starts: int  # days from today
    ends: int
    status: str
    message: str
    requested_days_ago: float


LOANS = [
    LoanSpec("ladder", "daan", -13, -12, LoanStatus.RETURNED, "Voor de lamp in mijn gang.", 15),
    LoanSpec("ladder", "els", -1, 0, LoanStatus.HANDED_OVER,
             "Voor de gordijnen in de ontmoetingsruimte.", 4),
    LoanSpec("drill", "linh", -9, -8, LoanStatus.RETURNED, "Voor een fotolijst, dank je!", 11),
    LoanSpec("drill", "daan", 4, 4, LoanStatus.REQUESTED,
             "Mag ik hem zaterdag lenen? Ik help Ioana met een plank.", 0.2),
    LoanSpec("sewing_machine", "khadija", 5, 8, LoanStatus.ACCEPTED,
             "Voor de gordijnen van de kinderkamer.", 2),
    LoanSpec("cargo_bike", "agnieszka", -25, -25, LoanStatus.RETURNED,
             "Na ziemię do skrzynek warzywnych.", 27),
    LoanSpec("cargo_bike", "fatou", 2, 3, LoanStatus.ACCEPTED,
             "Pour le marché de samedi, merci !", 3),
    LoanSpec("party_tent", "giovanni", 9, 10, LoanStatus.REQUESTED,
             "Voor het voetbaltoernooi van de jongeren op het plein.", 0.5),
    LoanSpec("party_tent", "sharon", 11, 12, LoanStatus.ACCEPTED,
             "Voor de zeventigste verjaardag van mijn moeder.", 5),
]  # fmt: skip

# Thanks (giver, receiver, ref, language, note, days ago).
THANKS = [
    ("daan", "yonas", "flat_tyre", "nl",
     "Binnen tien minuten gemaakt, en nu weet ik zelf hoe het moet. Dank je, Yonas!", 14),
    ("amani", "ravi", "digid_code", "ar",
     "شكراً جزيلاً يا رافي! الآن أستطيع أن أقرأ رسائلي من البلدية.", 20),
    ("mehmet", "piotr", "balcony_lamp", "tr",
     "Çok teşekkürler Piotr, lamba yanıyor! Çayım her zaman hazır.", 16),
    ("olena", "rania", "spelling", "uk", "Дякую, Раніє! Мій син тепер навіть любить диктанти.",
     21),
    ("tesfay", "semhar", "school_letter", "ti", "የቐንየለይ ሰምሃር! ሕጂ ተረዲኡኒ።", 12),
    ("gerrit", "jurgen", "planters", "nl", "Wat een werkers! De bakken zijn vol en de eerste"
     " sla staat erin.", 24),
    ("gerrit", "agnieszka", "planters", "nl", "Dank je wel voor het scheppen, Agnieszka.", 24),
    ("khadija", "marco", "bike_seat", "nl", "Mijn dochter zit er elke dag in. Dank je wel!", 11),
    ("daan", "youssef", "ladder", "nl", "Dank voor de ladder! De lamp hangt.", 12),
    ("agnieszka", "sanne", "cargo_bike", "pl", "Dziękuję! Cała ziemia przewieziona.", 25),
]  # fmt: skip


def add(*, neighbourhood: Neighbourhood, people: dict[str, User], now: datetime) -> None:
    """Asks, offers, loans and thanks of the demo; the caller runs it inside its transaction."""
    today = timezone.localtime(now).date()
    _open_to_asks(people)
    posts = _posts(neighbourhood, people, now)
    _invitations(neighbourhood, posts, people, now)
    _loans(posts, people, now, today)
    _thanks(neighbourhood, posts, people, now)
    _notifications(posts, people, now, today)


def missing() -> bool:
    """The demo is there but was loaded before neighbours shared anything in it."""
    from buurtnet.demo.ede_zuid import SLUG

    return (
        Neighbourhood.objects.filter(slug=SLUG).exists()
        and not Post.objects.filter(neighbourhood__slug=SLUG).exists()
    )


def add_to_loaded(*, now: datetime | None = None) -> None:
    """Give an already loaded demo its asks, offers, loans and thanks; the caller runs it
    atomically."""
    from buurtnet.demo.ede_zuid import SLUG, demo_accounts

    add(
        neighbourhood=Neighbourhood.objects.get(slug=SLUG),
        people={user.email.partition("@")[0]: user for user in demo_accounts()},
        now=now or timezone.now(),
    )


def remove(*, neighbourhood_slug: str = "ede-zuid") -> None:
    """Delete everything neighbours shared in the demo neighbourhood."""
    Thanks.objects.filter(neighbourhood__slug=neighbourhood_slug).delete()
    Invitation.objects.filter(neighbourhood__slug=neighbourhood_slug).delete()
    Loan.objects.filter(post__neighbourhood__slug=neighbourhood_slug).delete()
    Post.objects.filter(neighbourhood__slug=neighbourhood_slug).delete()


# --------------------------------------------------------------------------------- the parts


def _open_to_asks(people: dict[str, User]) -> None:
    by_time: dict[str, list[int]] = {}
    for key, when in OPEN_TO_ASKS.items():
        by_time.setdefault(when, []).append(people[key].pk)
    for when, ids in by_time.items():  # one update per pattern of free time
        User.objects.filter(pk__in=ids).update(
            open_to_asks=True,
            available_daytime="D" in when,
            available_evenings="E" in when,
            available_weekends="W" in when,
        )


def _posts(neighbourhood: Neighbourhood, people: dict[str, User], now: datetime) -> dict[str, Post]:
    specs = [*OFFERS, *ASKS]
    talents = {t.slug: t for t in Talent.objects.filter(slug__in={s.category for s in specs})}
    flats = dict(
        Membership.objects.filter(
            neighbourhood=neighbourhood, user__in=[people[s.author] for s in specs]
        ).values_list("user_id", "building_id")
    )
    rows = []
    for spec in specs:
        author = people[spec.author]
        created = now - timedelta(days=spec.days_ago)
        closed = (
            None if spec.closed_days_ago is None else now - timedelta(days=spec.closed_days_ago)
        )
        rows.append(
            Post(
                neighbourhood=neighbourhood,
                author=author,
                side=spec.side,
                kind=spec.kind,
                category=talents.get(spec.category) if spec.category else None,
                title=spec.title,
                body=spec.body,
                when=spec.when,
                part_of_day=spec.part_of_day,
                language=spec.language,
                building_id=flats.get(author.pk),
                audience=spec.audience,
                on_behalf_of=spec.on_behalf_of,
                on_behalf_consent_at=created if spec.on_behalf_of else None,
                on_behalf_contact=spec.on_behalf_contact,
                status=spec.status,
                expires_at=(
                    created + LIFETIME
                    if spec.expires_in is None
                    else now + timedelta(days=spec.expires_in)
                ),
                closed_at=closed,
            )
        )
    Post.objects.bulk_create(rows)
    for post, spec in zip(rows, specs, strict=True):
        post.created_at = now - timedelta(days=spec.days_ago)
        post.updated_at = post.closed_at or post.created_at
    Post.objects.bulk_update(rows, ["created_at", "updated_at"])
    return {spec.ref: post for post, spec in zip(rows, specs, strict=True)}


def _invitations(
    neighbourhood: Neighbourhood, posts: dict[str, Post], people: dict[str, User], now: datetime
) -> None:
    rows = [
        Invitation(
            neighbourhood=neighbourhood,
            post=posts[ref],
            user=people[key],
            sent_by=posts[ref].author,
            answer=answer,
            answered_at=None if days_ago is None else now - timedelta(days=days_ago),
        )
        for ref, key, answer, days_ago in INVITATIONS
    ]
    Invitation.objects.bulk_create(rows)
    for row in rows:
        # Sent shortly after the ask was written.
        row.created_at = row.post.created_at + timedelta(hours=1)
    Invitation.objects.bulk_update(rows, ["created_at"])


def _loans(posts: dict[str, Post], people: dict[str, User], now: datetime, today: date) -> None:
    rows = []
    for spec in LOANS:
        requested = now - timedelta(days=spec.requested_days_ago)
        starts = today + timedelta(days=spec.starts)
        ends = today + timedelta(days=spec.ends)
        decided = handed = returned = None
        if spec.status != LoanStatus.REQUESTED:
            decided = requested + timedelta(hours=5)
        if spec.status in (LoanStatus.HANDED_OVER, LoanStatus.RETURNED):
            handed = _at(starts, 10)
        if spec.status == LoanStatus.RETURNED:
            returned = _at(ends, 19)
        rows.append(
            Loan(
                post=posts[spec.item],
                borrower=people[spec.borrower],
                starts_on=starts,
                ends_on=ends,
                message=spec.message,
                status=spec.status,
                decided_at=decided,
                handed_over_at=handed,
                returned_at=returned,
            )
        )
    Loan.objects.bulk_create(rows)
    for row, spec in zip(rows, LOANS, strict=True):
        row.created_at = now - timedelta(days=spec.requested_days_ago)
    Loan.objects.bulk_update(rows, ["created_at"])


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _thanks(
    neighbourhood: Neighbourhood, posts: dict[str, Post], people: dict[str, User], now: datetime
) -> None:
    rows = [
        Thanks(
            neighbourhood=neighbourhood,
            giver=people[giver],
            receiver=people[receiver],
            post=posts[ref],
            category=posts[ref].category,
            note=note,
            language=language,
        )
        for giver, receiver, ref, language, note, _ in THANKS
    ]
    Thanks.objects.bulk_create(rows)
    for row, (*_, days_ago) in zip(rows, THANKS, strict=True):
        row.created_at = now - timedelta(days=days_ago)
    Thanks.objects.bulk_update(rows, ["created_at"])


def _notifications(
    posts: dict[str, Post], people: dict[str, User], now: datetime, today: date
) -> None:
    """What sharing left in the demo people's notifications; older ones are read. None is
    mailed: the demo's addresses are made up."""

    def about(ref: str, **params: str) -> dict:
        post = posts[ref]
        return {"params": {"title": post.title, **params}, "url": post.get_absolute_url()}

    def days(n: int) -> str:
        return (today + timedelta(days=n)).isoformat()

    rows = [
        ("ravi", NotificationKind.ASKED_FOR_HELP, "henk", about("mrs_jansen"), 4, False),
        ("hodan", NotificationKind.ASKED_FOR_HELP, "amani", about("hospital"), 2, False),
        ("amani", NotificationKind.ASK_ANSWERED, "rania", about("hospital"), 1, False),
        ("rania", NotificationKind.ASKED_FOR_HELP, "mehmet", about("maths"), 6, True),
        ("yonas", NotificationKind.THANKS_RECEIVED, "daan", about("flat_tyre"), 14, True),
        ("piotr", NotificationKind.THANKS_RECEIVED, "mehmet", about("balcony_lamp"), 16, True),
        ("semhar", NotificationKind.THANKS_RECEIVED, "tesfay", about("school_letter"), 12, True),
        ("kemal", NotificationKind.LOAN_REQUESTED, "daan",
         about("drill", from_iso=days(4), until_iso=days(4)), 0.2, False),
        ("omar", NotificationKind.LOAN_REQUESTED, "giovanni",
         about("party_tent", from_iso=days(9), until_iso=days(10)), 0.5, False),
        ("khadija", NotificationKind.LOAN_DECIDED, "natalia",
         about("sewing_machine", decision_code="approved"), 2, True),
        ("fatou", NotificationKind.LOAN_DECIDED, "sanne",
         about("cargo_bike", decision_code="approved"), 3, True),
        ("els", NotificationKind.LOAN_RETURN_DUE, "youssef", about("ladder"), 0.1, False),
    ]  # fmt: skip
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=people[recipient],
                kind=kind,
                actor=people[actor],
                params=extra["params"],
                url=extra["url"],
            )
            for recipient, kind, actor, extra, _, _ in rows
        ]
    )
    for notification, (*_, days_ago, read) in zip(notifications, rows, strict=True):
        notification.created_at = now - timedelta(days=days_ago)
        notification.emailed_at = notification.created_at
        notification.read_at = notification.created_at + timedelta(hours=3) if read else None
    Notification.objects.bulk_update(notifications, ["created_at", "emailed_at", "read_at"])
    unread_count_forget(user_ids={n.recipient_id for n in notifications})
