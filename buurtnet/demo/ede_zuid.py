"""The Ede-Zuid demo: eight flats, 900 homes, neighbours from forty countries and their initiatives.

Based on "De praktijk in Ede-Zuid" (2016): residents cook and eat together every month and drink
coffee every week in the Elskamp flat, want to run that meeting place themselves, and founded
Stichting Vrienden van de Hoogbouw; the neighbourhood team is the first point of contact.
The people are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from buurtnet.activities.models import (
    Activity,
    Attendance,
    Audience,
    RsvpStatus,
    Task,
    TaskKind,
    TaskSignup,
)
from buurtnet.activities.recurrence import original_starts
from buurtnet.activities.services.bookings import series_booking_decide
from buurtnet.activities.services.organise import activity_create
from buurtnet.activities.services.places import place_create, place_keeper_assign, place_key_give
from buurtnet.activities.services.rsvps import rsvp_set
from buurtnet.cli import DEMO_LOGINS, DEMO_PASSWORD
from buurtnet.conversations.models import Conversation, ConversationStatus, Message
from buurtnet.demo import funding as demo_funding
from buurtnet.demo import sharing as demo_sharing
from buurtnet.demo.builders import (
    FlatSpec,
    InitiativeSpec,
    LearningSpec,
    NeedSpec,
    OfferSpec,
    ParticipantSpec,
    PersonSpec,
    UpdateSpec,
    Vocabulary,
    flats_create,
    initiatives_create,
    invite_codes_create,
    memberships_create,
    neighbourhood_create,
    people_create,
    vocabulary_load,
)
from buurtnet.funding.models import BoardSeat
from buurtnet.initiatives.models import (
    Initiative,
    NeedKind,
    OfferStatus,
    ParticipantRole,
    ParticipationStatus,
    Status,
    SupportKind,
    Visibility,
)
from buurtnet.neighbourhoods.models import (
    Building,
    Home,
    JoinRequest,
    Membership,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Role,
)
from buurtnet.notifications.models import Kind, Notification
from buurtnet.people.models import Language, User

SLUG = "ede-zuid"
EMAIL_DOMAIN = "demo.buurtnet.nl"

INITIATOR = ParticipantRole.INITIATOR
PENDING = ParticipationStatus.PENDING

DESCRIPTION = (
    "Ede-Zuid is een hoogbouwwijk met 8 flats, zo'n 900 woningen en 1.500 bewoners uit 40"
    " verschillende landen. Een bijzondere wijk, waar het risico groot is dat je langs elkaar heen"
    " leeft. Daarom doen we het samen: bewoners starten zelf initiatieven en houden daarvan de"
    " leiding. Iedereen kan meedoen vanuit zijn eigen talent, drijfveren en passie.\n\n"
    "In de Elskamp koken en eten we elke maand samen en drinken we elke week koffie. De volgende"
    " stap: de ontmoetingsplek opknappen, zodat bewoners die helemaal zelf runnen, met een plek"
    " waar ook jongeren zich thuis voelen.\n\n"
    "De gemeente Ede, het wijkteam, de politie en Woonstede sluiten aan waar dat helpt: met"
    " kennis, contacten en middelen. Het wijkteam is je eerste aanspreekpunt. Bewoners hebben"
    " zelf de stichting Vrienden van de Hoogbouw opgericht, die initiatieven financieel steunt."
)
MOTTO = "Hoogbouw Ede-Zuid, deel ik met mijn buren!"
LANGUAGES = (
    "nl", "ar", "tr", "so", "ti", "pl", "en", "fa", "ku", "ber", "am", "uk", "ru", "ps", "ur",
    "hi", "srn", "pap", "fr", "es", "pt", "de", "bg", "ro", "zh", "id",
)  # fmt: skip

FLATS = [
    FlatSpec("de Elskamp", "Elskamp", 144),
    FlatSpec("de Berkenhof", "Berkenlaan", 120),
    FlatSpec("de Eikenburg", "Eikenlaan", 96),
    FlatSpec("de Lindenhorst", "Lindelaan", 112),
    FlatSpec("de Beukenstein", "Beukenlaan", 128),
    FlatSpec("de Wilgenhoeve", "Wilgenlaan", 104),
    FlatSpec("de Essenburg", "Essenlaan", 96),
    FlatSpec("de Kastanjehof", "Kastanjelaan", 100),
]
ELSKAMP, BERKENHOF, EIKENBURG, LINDENHORST, BEUKENSTEIN, WILGENHOEVE, ESSENBURG, KASTANJEHOF = (
    range(8)
)


@dataclass(frozen=True)
class Neighbour:
    key: str
    name: str
    languages: tuple[str, ...]
    talents: tuple[str, ...]
    flat: int | None = None
    passions: str = ""
    other: str = ""
    lang: str = "nl"
    hidden: tuple[str, ...] = ()
    listed: bool = True
    role: str = Role.RESIDENT
    organisation: str = ""
    joined: float = 365

    @property
    def email(self) -> str:
        return f"{self.key}@{EMAIL_DOMAIN}"

    def spec(self) -> PersonSpec:
        return PersonSpec(
            email=self.email,
            display_name=self.name,
            preferred_language=self.lang,
            languages=self.languages,
            talents=self.talents,
            talents_other=self.other,
            passions=self.passions,
            hidden=self.hidden,
            listed_in_directory=self.listed,
            joined_days_ago=self.joined,
        )


N = Neighbour
RESIDENTS = [
    N("daan", "Daan V.", ("nl", "en"), ("cooking", "diy", "bikes"), BERKENHOF,
      "Ik woon sinds kort in de Berkenhof en wil mijn buren leren kennen. Koken voor een grote"
      " groep en klussen geven mij energie.", joined=20),
    N("fatima", "Fatima E.", ("nl", "ar", "ber", "fr"),
      ("cooking", "organising", "connecting", "hosting"), ELSKAMP,
      "Samen aan tafel: zo leer je elkaar echt kennen, welke taal je ook spreekt.",
      other="Couscous voor vijftig mensen", joined=420),
    N("henk", "Henk J.", ("nl", "de"), ("hosting", "listening", "admin", "connecting"), ELSKAMP,
      "Ik woon al 31 jaar in de Elskamp. Ik vind het mooi als nieuwe bewoners zich snel thuis"
      " voelen.", role=Role.HOST, joined=430),
    N("khadija", "Khadija B.", ("nl", "ar", "ber"), ("cooking", "children"), ELSKAMP,
      "Mijn moeder leerde me koken voor de hele straat. Dat doe ik nu hier.", joined=410),
    N("youssef", "Youssef A.", ("nl", "ar", "ber"), ("diy", "carpentry", "sports"), ELSKAMP,
      "De ontmoetingsplek moet echt van ons worden: door bewoners opgeknapt en door bewoners"
      " gerund.", joined=400),
    N("els", "Els de G.", ("nl", "en"), ("painting", "design", "organising"), ELSKAMP,
      "Kleur en licht maken een ruimte warm. Ik teken graag mee aan plannen.", joined=380),
    N("joke", "Joke van D.", ("nl",), ("baking", "hosting", "elderly"), ELSKAMP,
      "Elke woensdag koffie schenken voor de buren: daar sta ik graag voor op.", joined=425),
    N("mehmet", "Mehmet Y.", ("tr", "nl"), ("hosting", "cooking", "music"), EIKENBURG,
      "Thee zetten, saz spelen en mensen met elkaar laten praten.", other="Turkse thee zetten",
      joined=390),
    N("ayse", "Ayşe K.", ("tr", "nl"), ("sewing", "cooking", "children"), EIKENBURG,
      "Kleding herstellen voor wie dat nodig heeft.", hidden=("show_photo",), joined=300),
    N("hodan", "Hodan M.", ("so", "nl", "ar", "en"), ("languages", "children", "listening"),
      LINDENHORST, "Ik help nieuwe Somalische gezinnen in hun eerste weken in de wijk.",
      joined=350),
    N("abdi", "Abdi H.", ("so", "nl", "en"), ("youth", "sports", "music"), LINDENHORST,
      "Voetbal, muziek maken en jongeren een plek geven waar ze welkom zijn.", joined=200),
    N("rojda", "Rojda A.", ("ku", "ar", "nl", "en"), ("youth", "design", "photography"),
      BEUKENSTEIN,
      "Ik fotografeer de wijk en wil laten zien wie de jongeren hier zijn.", joined=190),
    N("yonas", "Yonas T.", ("ti", "nl", "en"), ("bikes", "diy"), EIKENBURG,
      "Fietsen maken: in Asmara deed ik het op straat, hier wil ik het samen doen.", joined=150),
    N("semhar", "Semhar G.", ("ti", "am", "nl"), ("cooking", "baking", "languages"), ELSKAMP,
      "Injera bakken en mijn taal delen.", joined=330),
    N("agnieszka", "Agnieszka W.", ("pl", "nl", "en"), ("gardening", "cleaning", "organising"),
      BERKENHOF, "Groente kweken op mijn balkon, en straks hopelijk samen naast de flat.",
      joined=280),
    N("piotr", "Piotr K.", ("pl", "en"), ("electrics", "diy"), WILGENHOEVE,
      "I am an electrician and happy to help neighbours with small jobs.", lang="en", joined=120),
    N("rania", "Rania H.", ("ar", "en", "nl"), ("teaching", "homework", "languages"), LINDENHORST,
      "Ik was lerares in Aleppo. Kinderen helpen met hun huiswerk geeft mij energie.", joined=260),
    N("omar", "Omar S.", ("ar", "nl"), ("cooking", "driving"), BEUKENSTEIN,
      "Ik heb een busje en rijd graag voor de buurt.", joined=310),
    N("farid", "Farid N.", ("fa", "ps", "nl"), ("carpentry", "driving"), WILGENHOEVE,
      "Met hout werken: banken en kasten die een ruimte gezellig maken.", joined=240),
    N("zahra", "Zahra R.", ("fa", "nl"), ("sewing", "children"), WILGENHOEVE,
      "Ik naai gordijnen en kussens.", hidden=("show_photo", "show_building"), joined=230),
    N("shirin", "Shirin M.", ("fa", "en", "nl"), ("music", "teaching"), ESSENBURG,
      "Singing with children and teaching piano.", lang="en", joined=170),
    N("sharon", "Sharon K.", ("nl", "srn"), ("cooking", "hosting", "music"), ESSENBURG,
      "Roti maken en muziek aan: dan is het feest.", joined=360),
    N("ravi", "Ravi B.", ("nl", "srn", "hi"), ("computers", "admin"), KASTANJEHOF,
      "Buren helpen met hun telefoon, DigiD en formulieren.", joined=290),
    N("giovanni", "Giovanni M.", ("pap", "nl", "es", "en"), ("sports", "music", "youth"),
      BEUKENSTEIN, "Jongeren laten sporten en muziek laten maken.", joined=210),
    N("johan", "Johan L.", ("nl", "id"), ("music", "carpentry"), KASTANJEHOF,
      "Gitaar spelen en oude meubels opknappen.", joined=340),
    N("kwame", "Kwame O.", ("en", "nl"), ("photography", "sports"), ESSENBURG,
      "Photography, and football on Saturday mornings.", lang="en", joined=140),
    N("chidi", "Chidi N.", ("en",), ("computers", "teaching"), KASTANJEHOF,
      "Teaching kids to code.", lang="en", listed=False, joined=60),
    N("meseret", "Meseret A.", ("am", "ti", "nl"), ("cooking", "elderly"), EIKENBURG,
      "Koffie volgens de Ethiopische ceremonie: dat deel ik graag.", joined=270),
    N("olena", "Olena P.", ("uk", "ru", "en"), ("teaching", "children", "languages"), WILGENHOEVE,
      "I teach Ukrainian children and love learning Dutch together.", lang="en", joined=100),
    N("dmytro", "Dmytro S.", ("uk", "ru", "pl"), ("electrics", "driving"), WILGENHOEVE,
      "Ik leg elektra aan en help graag.", joined=95),
    N("natalia", "Natalia I.", ("ru", "nl"), ("sewing", "painting"), LINDENHORST,
      "Schilderen op doek en kleding vermaken.", joined=250),
    N("dimitar", "Dimitar G.", ("bg", "ru"), ("diy", "cleaning"), BEUKENSTEIN,
      "Ik help graag met klussen en opruimen.", joined=130),
    N("ioana", "Ioana P.", ("ro", "en", "nl"), ("elderly", "listening"), BERKENHOF,
      "Oudere buren bezoeken en een praatje maken.", joined=220),
    N("jurgen", "Jürgen B.", ("de", "nl"), ("gardening", "bikes"), BERKENHOF,
      "Ik mis mijn volkstuin: daarom wil ik moestuinbakken bij de flat.", joined=300),
    N("joao", "João S.", ("pt", "es", "nl"), ("cooking", "sports"), ESSENBURG,
      "Portugese vis koken en zaalvoetbal.", joined=30),
    N("lucia", "Lucía F.", ("es", "en"), ("teaching", "children"), KASTANJEHOF,
      "Spanish lessons and crafts with children.", lang="en", hidden=("show_building",),
      joined=80),
    N("wei", "Wei L.", ("zh", "nl", "en"), ("money", "computers"), LINDENHORST,
      "Cijfers laten kloppen: ik help graag met een begroting.", joined=260),
    N("linh", "Linh N.", ("nl", "en"), ("cooking", "design"), EIKENBURG,
      "Koken uit de Vietnamese keuken van mijn oma.", other="Vietnamese loempia's", joined=200),
    N("priya", "Priya S.", ("hi", "en", "nl"), ("admin", "organising"), ELSKAMP,
      "Keeping lists and making sure everyone knows where and when.", lang="en", joined=320),
    N("imran", "Imran Q.", ("ur", "en", "nl"), ("driving", "sports"), BEUKENSTEIN,
      "Cricket en badminton met de buren.", joined=180),
    N("ali", "Ali H.", ("ar", "ku", "nl"), ("carpentry", "painting"), ELSKAMP,
      "Ik was schilder in Mosul. Nu schilder ik graag samen met de buren.", joined=290),
    N("amani", "Amani O.", ("ar", "en"), ("listening", "hosting"), ESSENBURG,
      "Mensen welkom heten die net als ik nieuw zijn.", joined=110),
    N("grace", "Grace M.", ("fr", "nl"), ("music", "children"), KASTANJEHOF,
      "Zingen in het koor en met kinderen.", joined=240),
    N("camila", "Camila R.", ("pt", "es", "en"), ("sports", "photography"), WILGENHOEVE,
      "Dansen, sporten en foto's maken.", joined=90),
    N("maricel", "Maricel D.", ("en", "nl"), ("cleaning", "elderly", "hosting"), BERKENHOF,
      "Zorgen dat iedereen zich welkom voelt.", joined=270),
    N("zsofia", "Zsófia K.", ("en", "de"), ("design", "writing"), KASTANJEHOF,
      "Designing posters and writing the neighbourhood newsletter.", lang="en", joined=150),
    N("eleni", "Eleni P.", ("en", "nl"), ("baking", "cooking"), LINDENHORST,
      "Baklava bakken voor de buren.", joined=230),
    N("marco", "Marco R.", ("nl", "en"), ("cooking", "music"), ESSENBURG,
      "Pasta maken met de kinderen uit de flat.", other="Verse pasta maken", joined=160),
    N("emina", "Emina H.", ("nl", "de"), ("sewing", "listening"), EIKENBURG,
      "Er zijn voor buren die het even moeilijk hebben.", hidden=("show_talents",), joined=310),
    N("sami", "Sami B.", ("ar", "fr", "nl"), ("fundraising", "connecting"), BEUKENSTEIN,
      "Fondsen vinden voor goede ideeën van buren.", joined=280),
    N("nour", "Nour E.", ("ar", "en"), ("writing", "teaching"), LINDENHORST,
      "Taallessen geven en verhalen schrijven.", joined=140),
    N("hassan", "Hassan A.", ("ar",), ("driving", "diy"), WILGENHOEVE,
      hidden=("show_languages", "show_passions"), joined=70),
    N("layla", "Layla K.", ("ar", "fr", "en"), ("photography", "hosting"), ESSENBURG,
      "Foto's maken van buurtfeesten.", joined=190),
    N("fatou", "Fatou D.", ("fr", "nl"), ("cooking", "music"), KASTANJEHOF,
      "Thieboudienne koken en trommelen.", joined=210),
    N("brice", "Brice T.", ("fr", "en"), ("sports", "youth"), BEUKENSTEIN,
      "Basketbal met jongeren op het plein.", joined=160),
    N("tom", "Tom W.", ("en", "nl"), ("writing", "fundraising"), EIKENBURG,
      "Writing funding applications for neighbourhood plans.", lang="en", joined=250),
    N("gerrit", "Gerrit B.", ("nl",), ("gardening", "elderly"), EIKENBURG,
      "Ik ken de Eikenburg als mijn broekzak en help nieuwe bewoners op weg.", role=Role.HOST,
      joined=415),
    N("sanne", "Sanne de W.", ("nl", "en"), ("photography", "writing", "children"), BEUKENSTEIN,
      "Verhalen van buren opschrijven.", joined=200),
    N("willem", "Willem K.", ("nl",), ("money", "admin"), LINDENHORST,
      "Penningmeester zijn van alles wat een kas heeft.", hidden=("show_passions",), joined=380),
    N("bram", "Bram T.", ("nl", "en"), ("youth", "sports"), WILGENHOEVE,
      "Voetballen met de jongens van de flat.", joined=120),
    N("anouk", "Anouk M.", ("nl", "en"), ("design", "organising"), ESSENBURG,
      "Plannen maken en die op een mooie poster zetten.", joined=170),
    N("ineke", "Ineke V.", ("nl", "de"), ("elderly", "listening", "teaching"), LINDENHORST,
      "Nederlands oefenen met nieuwe buren, bij mij aan de keukentafel.", role=Role.HOST,
      joined=405),
    N("kemal", "Kemal D.", ("tr", "nl", "de"), ("driving", "diy"), BERKENHOF,
      "Ik rijd op zaterdag graag voor de buurt.", joined=260),
    N("aziz", "Aziz M.", ("ar", "ber", "nl"), ("sports", "youth"), BERKENHOF,
      "Zaalvoetbal en de jongeren van de wijk.", joined=150),
    N("tesfay", "Tesfay H.", ("ti", "ar"), ("bikes",), EIKENBURG, joined=90),
    N("somchai", "Somchai P.", ("en",), ("cooking", "gardening"), KASTANJEHOF,
      "Thaise kruiden kweken en pad thai koken.", joined=130),
]  # fmt: skip

PROFESSIONALS = [
    N("anna", "Anna de Boer", ("nl", "en"), ("listening", "connecting", "admin"),
      passions="Als wijkcoach ben ik het eerste aanspreekpunt in Ede-Zuid. Ik sluit aan bij wat"
      " bewoners zelf willen.", role=Role.PROFESSIONAL, organisation="wijkteam", joined=420),
    N("mustafa", "Mustafa Çelik", ("nl", "tr"), ("youth", "sports"),
      passions="Jongerenwerker: ik denk mee met jongeren die zelf iets willen opzetten.",
      role=Role.PROFESSIONAL, organisation="wijkteam", joined=300),
    N("marieke", "Marieke Smit", ("nl", "en"), ("organising", "connecting"),
      passions="Wijkregisseur bij de gemeente: ik zoek binnen de gemeente de mogelijkheden om"
      " initiatieven te steunen.", role=Role.PROFESSIONAL, organisation="gemeente-ede", joined=400),
    N("ruud", "Ruud Hendriks", ("nl",), ("listening", "sports"),
      passions="Wijkagent van Ede-Zuid. Kom gerust een kop koffie met me drinken.",
      role=Role.PROFESSIONAL, organisation="politie", joined=380),
    N("karin", "Karin Bos", ("nl", "de"), ("organising", "diy"),
      passions="Buurtbeheerder bij Woonstede voor de acht flats.", role=Role.PROFESSIONAL,
      organisation="woonstede", joined=370),
    N("sem", "Sem Jansen", ("nl", "en"), ("money", "fundraising"),
      passions="Fondsen werven voor de stichting: zorgen dat goede ideeën niet stranden op geld.",
      role=Role.PROFESSIONAL, organisation="vrienden-van-de-hoogbouw", joined=350),
]  # fmt: skip

# Someone who asked to join without an invite code; the hosts decide.
APPLICANT = N("kofi", "Kofi A.", ("en", "nl"), ("music", "sports"), joined=2)


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    kind: str
    description: str
    goals: str
    website: str = ""
    first_point_of_contact: bool = False


ORGANISATIONS = [
    OrganisationSpec(
        "wijkteam",
        "Wijkteam Ede-Zuid",
        OrganisationKind.NEIGHBOURHOOD_TEAM,
        "Het wijkteam is het eerste aanspreekpunt voor bewoners van Ede-Zuid. Heb je een vraag,"
        " een idee, of zoek je hulp bij zorg, geld of wonen? Stel je vraag hier, of loop binnen"
        " op de koffieochtend in de Elskamp: daar schuift elke week iemand van ons aan.",
        "Dat buren niet langs elkaar heen leven en niemand er alleen voor staat. We helpen"
        " bewoners elkaar te vinden vanuit hun talenten, en we sluiten aan bij wat zij zelf"
        " willen: het initiatief blijft van de bewoners.",
        first_point_of_contact=True,
    ),
    OrganisationSpec(
        "gemeente-ede",
        "Gemeente Ede",
        OrganisationKind.MUNICIPALITY,
        "De gemeente Ede werkt samen met bewoners aan een mooie, prettige en dynamische wijk. We"
        " ondersteunen waar dat nodig is: met kennis, vergunningen, contacten en soms budget.",
        "Een wijk waar iedereen een bijdrage kan en mag leveren. We willen leren werken in"
        " netwerken vanuit gedeelde waarden, en deze manier van samenwerken structureel maken.",
        website="https://www.ede.nl",
    ),
    OrganisationSpec(
        "politie",
        "Politie Ede",
        OrganisationKind.POLICE,
        "De wijkagent van Ede-Zuid kent de flats en de mensen. Je kunt hem aanspreken op straat,"
        " op de koffieochtend of hier met een vraag.",
        "Een veilige wijk waar bewoners elkaar en de wijkagent kennen, en waar jongeren een plek"
        " hebben waar ze welkom zijn.",
        website="https://www.politie.nl",
    ),
    OrganisationSpec(
        "woonstede",
        "Woonstede",
        OrganisationKind.HOUSING,
        "Woonstede verhuurt de woningen in de acht flats van Ede-Zuid. De buurtbeheerder is er"
        " voor de gemeenschappelijke ruimtes, de entrees en de omgeving van de flats.",
        "Schone, hele en veilige flats waar bewoners zich thuis voelen en samen zorgen voor de"
        " ruimtes die ze delen, zoals de ontmoetingsplek in de Elskamp.",
        website="https://www.woonstede.nl",
    ),
    OrganisationSpec(
        "vrienden-van-de-hoogbouw",
        "Stichting Vrienden van de Hoogbouw",
        OrganisationKind.FOUNDATION,
        "Een stichting die bewoners van de hoogbouw zelf hebben opgericht. We zoeken fondsen en"
        " sponsors en beheren een klein budget voor initiatieven van bewoners.",
        "Dat goede ideeën van bewoners niet stranden op geld, zoals een aantrekkelijke"
        " ontmoetingsplek waar ook jongeren zich thuis voelen.",
    ),
]

DINNER = "Samen koken en eten"
COFFEE = "Koffieochtend in de Elskamp"
MEETING_PLACE = "Ontmoetingsplek de Elskamp opknappen"
YOUTH_PLACE = "Een plek waar jongeren zich thuis voelen"
SEED_INITIATIVES = (DINNER, COFFEE, MEETING_PLACE, YOUTH_PLACE)


def demo_present() -> bool:
    return Neighbourhood.objects.filter(slug=SLUG).exists()


def demo_accounts():
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


def demo_remove() -> None:
    """Delete the demo neighbourhood and every demo account (all of it is sample data)."""
    demo_funding.remove(neighbourhood_slug=SLUG)
    demo_sharing.remove(neighbourhood_slug=SLUG)
    # An activity protects its place, so the activities go before the places do.
    Activity.objects.filter(neighbourhood__slug=SLUG).delete()
    Neighbourhood.objects.filter(slug=SLUG).delete()
    demo_accounts().delete()


def meeting_place_missing() -> bool:
    """The demo is there but was loaded before it had places and activities."""
    return (
        Neighbourhood.objects.filter(slug=SLUG).exists()
        and not Neighbourhood.objects.filter(slug=SLUG, places__isnull=False).exists()
    )


def meeting_place_add(*, now: datetime | None = None) -> None:
    """Give an already loaded demo de Elskamp's rooms and agenda; the caller runs it atomically."""
    neighbourhood = Neighbourhood.objects.get(slug=SLUG)
    people = {user.email.partition("@")[0]: user for user in demo_accounts()}
    initiatives = {i.title: i for i in neighbourhood.initiatives.filter(title__in=[DINNER, COFFEE])}
    _meeting_place(neighbourhood, initiatives, people, now or timezone.now())


def foundation_missing() -> bool:
    """The demo is there but was loaded before the foundation kept its books here."""
    return (
        Neighbourhood.objects.filter(slug=SLUG).exists()
        and not BoardSeat.objects.filter(foundation__neighbourhood__slug=SLUG).exists()
    )


def foundation_add(*, now: datetime | None = None) -> None:
    """Give an already loaded demo the foundation's board, funds, year of money and grants; the
    caller runs it atomically."""
    neighbourhood = Neighbourhood.objects.get(slug=SLUG)
    demo_funding.load(
        neighbourhood=neighbourhood,
        organisations={o.slug: o for o in neighbourhood.organisations.all()},
        initiatives={i.title: i for i in neighbourhood.initiatives.all()},
        people={user.email.partition("@")[0]: user for user in demo_accounts()},
        now=now or timezone.now(),
    )


def load(*, now: datetime | None = None) -> Neighbourhood:
    """Create the whole demo; the caller runs it inside one transaction."""
    now = now or timezone.now()
    rng = random.Random(2016)
    vocabulary = vocabulary_load()
    neighbourhood = neighbourhood_create(
        slug=SLUG,
        name="Ede-Zuid",
        municipality="Ede",
        vocabulary=vocabulary,
        description=DESCRIPTION,
        motto=MOTTO,
        languages=LANGUAGES,
    )
    flats = flats_create(neighbourhood=neighbourhood, flats=FLATS)
    organisations = _organisations(neighbourhood)
    people = _people(vocabulary=vocabulary, now=now)
    _memberships(
        neighbourhood=neighbourhood,
        flats=flats,
        organisations=organisations,
        people=people,
        rng=rng,
        now=now,
    )
    initiatives = {
        initiative.title: initiative
        for initiative in initiatives_create(
            neighbourhood=neighbourhood,
            initiatives=_initiatives(people, organisations),
            vocabulary=vocabulary,
            now=now,
        )
    }
    _conversations(neighbourhood, organisations, people, now)
    JoinRequest.objects.create(
        neighbourhood=neighbourhood,
        user=people[APPLICANT.key],
        building=list(flats)[ESSENBURG],
        message="Ik woon sinds vorige maand in de Essenburg en wil graag meedoen met de"
        " koffieochtend. Mijn buurvrouw Amani vertelde me over Buurtnet.",
    )
    _notifications(neighbourhood, organisations, initiatives, people, now)
    _meeting_place(neighbourhood, initiatives, people, now)
    demo_funding.load(
        neighbourhood=neighbourhood,
        organisations=organisations,
        initiatives=initiatives,
        people=people,
        now=now,
    )
    demo_sharing.add(neighbourhood=neighbourhood, people=people, now=now)
    return neighbourhood


def _organisations(neighbourhood: Neighbourhood) -> dict[str, Organisation]:
    rows = Organisation.objects.bulk_create(
        [
            Organisation(
                neighbourhood=neighbourhood,
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                description=spec.description,
                goals=spec.goals,
                website=spec.website,
                is_first_point_of_contact=spec.first_point_of_contact,
            )
            for spec in ORGANISATIONS
        ]
    )
    return {row.slug: row for row in rows}


def _people(*, vocabulary: Vocabulary, now: datetime) -> dict[str, User]:
    """All demo accounts; only the published demo logins have a password."""
    logins = {email for _, email in DEMO_LOGINS}
    everyone = [*RESIDENTS, *PROFESSIONALS, APPLICANT]
    with_password = [n for n in everyone if n.email in logins]
    without = [n for n in everyone if n.email not in logins]
    users = people_create(
        people=[n.spec() for n in with_password],
        vocabulary=vocabulary,
        password_hash=make_password(DEMO_PASSWORD),
        now=now,
    ) + people_create(people=[n.spec() for n in without], vocabulary=vocabulary, now=now)
    return {n.key: user for n, user in zip([*with_password, *without], users, strict=True)}


def _memberships(
    *,
    neighbourhood: Neighbourhood,
    flats: dict[Building, list[Home]],
    organisations: dict[str, Organisation],
    people: dict[str, User],
    rng: random.Random,
    now: datetime,
) -> None:
    """Residents live behind a door of their flat (known to the hosts only).

    The hosts put invite codes in letterboxes: a third of the residents joined with one, more
    codes are still waiting to be used, and one was withdrawn after a removal.
    """
    buildings = list(flats)
    doors = {building: rng.sample(homes, k=len(homes)) for building, homes in flats.items()}
    homes = {n.key: doors[buildings[n.flat]].pop() for n in RESIDENTS}
    invited = [n.key for n in RESIDENTS[1::3] if n.role == Role.RESIDENT]
    waiting = [
        doors[buildings[flat]].pop() for flat in (ELSKAMP, EIKENBURG, LINDENHORST) for _ in range(8)
    ]
    codes = invite_codes_create(
        neighbourhood=neighbourhood,
        homes=[homes[key] for key in invited] + waiting,
        created_by=people["henk"],
        revoked=waiting[:1],
        now=now,
    )
    memberships = [
        Membership(
            user=people[n.key],
            neighbourhood=neighbourhood,
            role=n.role,
            building=buildings[n.flat],
            home=homes[n.key],
            invite=codes[homes[n.key]] if n.key in invited else None,
        )
        for n in RESIDENTS
    ]
    memberships += [
        Membership(
            user=people[n.key],
            neighbourhood=neighbourhood,
            role=Role.PROFESSIONAL,
            organisation=organisations[n.organisation],
        )
        for n in PROFESSIONALS
    ]
    memberships_create(memberships=memberships)


def _initiatives(p: dict[str, User], o: dict[str, Organisation]) -> list[InitiativeSpec]:
    """The four initiatives from Ede-Zuid's story, and a few smaller ones in other stages."""
    dinner = InitiativeSpec(
        title=DINNER,
        wish="Ik wil dat buren in de Elskamp niet langs elkaar heen leven. Als je samen kookt en"
        " eet, leer je elkaar echt kennen, welke taal je ook spreekt.",
        description="Elke laatste vrijdag van de maand koken we met een groep bewoners in de"
        " ontmoetingsplek van de Elskamp. Iedereen kookt een gerecht uit zijn eigen keuken; om"
        " 18.00 uur eten we samen. Een bijdrage van € 3 per persoon, kinderen eten gratis mee."
        " Opgeven kan tot de woensdag ervoor bij Priya.",
        status=Status.STRUCTURAL,
        themes=("food", "meeting", "culture"),
        days_ago=330,
        participants=[
            ParticipantSpec(
                p["fatima"],
                INITIATOR,
                talents=("cooking", "organising"),
                brings="Ik maak de planning en kook de couscous.",
                days_ago=330,
            ),
            ParticipantSpec(
                p["khadija"],
                INITIATOR,
                talents=("cooking",),
                brings="Ik kook mee en zorg voor de kinderhoek.",
                days_ago=330,
            ),
            ParticipantSpec(
                p["priya"],
                talents=("admin", "organising"),
                brings="I keep the sign-up list and answer questions.",
                days_ago=300,
            ),
            ParticipantSpec(
                p["semhar"],
                talents=("cooking", "languages"),
                brings="Injera en shiro voor veertig mensen, en ik vertaal in het Tigrinya.",
                days_ago=280,
            ),
            ParticipantSpec(
                p["mehmet"],
                talents=("hosting",),
                brings="Ik zet thee en help met opruimen.",
                days_ago=260,
            ),
            ParticipantSpec(
                p["sharon"],
                talents=("cooking", "music"),
                brings="Ik kook roti en neem mijn muziekbox mee.",
                days_ago=240,
            ),
            ParticipantSpec(
                p["eleni"], talents=("baking",), brings="Ik bak het toetje.", days_ago=200
            ),
            ParticipantSpec(
                p["omar"],
                talents=("driving",),
                brings="Ik rijd met mijn busje naar de groothandel.",
                days_ago=190,
            ),
            ParticipantSpec(
                p["hodan"],
                talents=("languages",),
                brings="Ik vertaal de uitnodiging in het Somalisch.",
                days_ago=150,
            ),
            ParticipantSpec(
                p["linh"], talents=("cooking",), brings="Vietnamese loempia's.", days_ago=90
            ),
            ParticipantSpec(
                p["joao"],
                status=PENDING,
                talents=("cooking",),
                brings="Ik wil graag een keer Portugese vis koken.",
                days_ago=1,
            ),
        ],
        needs=[
            NeedSpec(
                NeedKind.TALENT,
                "Een tweede kok voor de vegetarische pan",
                talent="cooking",
                days_ago=60,
            ),
            NeedSpec(
                NeedKind.HANDS, "Handen om na afloop af te wassen en op te ruimen", days_ago=40
            ),
            NeedSpec(
                NeedKind.MATERIALS,
                "Twee grote pannen en een rijstkoker voor veertig mensen",
                met_by_organisation=o["vrienden-van-de-hoogbouw"],
                days_ago=120,
            ),
            NeedSpec(
                NeedKind.TALENT,
                "Iemand die de uitnodiging in het Tigrinya vertaalt",
                talent="languages",
                met_by=p["semhar"],
                days_ago=280,
            ),
            NeedSpec(
                NeedKind.TALENT,
                "Iemand met een auto voor de boodschappen",
                talent="driving",
                met_by=p["omar"],
                days_ago=200,
            ),
        ],
        offers=[
            OfferSpec(
                o["wijkteam"],
                p["anna"],
                SupportKind.FACILITATION,
                "We helpen de uitnodiging te verspreiden in alle acht flats en nodigen"
                " bewoners uit die we via het wijkteam kennen. Ik eet zelf ook graag mee."
                " Bereikbaar via Buurtnet of op de koffieochtend.",
                days_ago=320,
            ),
            OfferSpec(
                o["vrienden-van-de-hoogbouw"],
                p["sem"],
                SupportKind.RESOURCES,
                "Vraag de stichting een bijdrage voor pannen en een rijstkoker via Buurtnet;"
                " ik help met de begroting.",
                need=2,
                days_ago=125,
            ),
            OfferSpec(
                o["woonstede"],
                p["karin"],
                SupportKind.RESOURCES,
                "Woonstede kan een extra koelkast in de ontmoetingsplek zetten, zodat jullie"
                " de dag ervoor al kunnen koken. Laat maar weten of jullie dat willen.",
                status=OfferStatus.PENDING,
                days_ago=2,
            ),
        ],
        updates=[
            UpdateSpec(
                p["fatima"],
                "Wat een avond! 46 buren aan tafel, uit 17 landen. Volgende"
                " keer staat Semhar in de keuken met Eritrese injera.",
                days_ago=3,
                translations=(
                    (
                        p["rania"],
                        "ar",
                        "يا لها من أمسية! جلس 46 جارًا إلى المائدة، من 17 بلدًا. في المرة"
                        " القادمة تطبخ سمهر لنا الإنجيرا الإريترية.",
                    ),
                    (
                        p["semhar"],
                        "ti",
                        "ከመይ ዝበለት ምሸት! 46 ጎረቤታት ካብ 17 ሃገራት ኣብ ሓደ መኣዲ። ዝመጽእ ግዜ"
                        " ሰምሃር ኤርትራዊ እንጀራ ክትሰርሕ እያ።",
                    ),
                    (
                        p["hodan"],
                        "so",
                        "Habeen qurux badan! 46 deris oo ka kala yimid 17 waddan ayaa miiska"
                        " wada fadhiyay. Marka xigta Semhar ayaa karin doonta canjeero"
                        " Eritrean ah.",
                    ),
                ),
            ),
            UpdateSpec(
                p["fatima"],
                "شكرًا لكل من ساعد في الطبخ! العشاء القادم يوم الجمعة الأخيرة من الشهر."
                " أهلًا وسهلًا بالجميع.",
                days_ago=2,
                language="ar",
                translations=(
                    (
                        p["khadija"],
                        "nl",
                        "Dank aan iedereen die hielp met koken! Het volgende diner is op de"
                        " laatste vrijdag van de maand. Iedereen is welkom.",
                    ),
                ),
            ),
            UpdateSpec(
                p["khadija"],
                "De nieuwe pannen zijn binnen. Dank jullie wel, Vrienden van de Hoogbouw!",
                days_ago=110,
            ),
            UpdateSpec(
                p["fatima"],
                "We zoeken nog iemand die de vegetarische pan wil koken."
                " Meld je aan via deze pagina!",
                days_ago=60,
            ),
        ],
        learnings=[
            LearningSpec(
                p["fatima"],
                what_worked="Uitnodigen in meerdere talen en persoonlijk aanbellen werkt veel"
                " beter dan een poster in de lift. En iedereen kookt iets uit de eigen keuken:"
                " zo is iedereen gastheer.",
                what_did_not="Opgeven via een lijst op het prikbord werkte niet: we wisten nooit"
                " hoeveel mensen kwamen. Nu houdt Priya de aanmeldingen bij.",
                days_ago=150,
            )
        ],
    )
    coffee = InitiativeSpec(
        title=COFFEE,
        wish="Elke week een plek waar je zomaar binnen kunt lopen voor een kop koffie en een"
        " praatje. Voor nieuwe bewoners, voor wie alleen is, voor iedereen.",
        description="Elke woensdag van 10.00 tot 11.30 uur in de ontmoetingsplek van de Elskamp."
        " Koffie en thee zijn gratis; wie wil, neemt iets lekkers mee. Het wijkteam en de"
        " wijkagent schuiven regelmatig aan, zodat je ook je vragen kwijt kunt.",
        status=Status.STRUCTURAL,
        themes=("meeting", "elderly"),
        days_ago=350,
        participants=[
            ParticipantSpec(
                p["joke"],
                INITIATOR,
                talents=("hosting", "baking"),
                brings="Ik open de deur en bak elke week een cake.",
                days_ago=350,
            ),
            ParticipantSpec(
                p["mehmet"],
                INITIATOR,
                talents=("hosting",),
                brings="Turkse thee en een warm welkom.",
                days_ago=350,
            ),
            ParticipantSpec(
                p["henk"],
                talents=("hosting", "connecting"),
                brings="Ik zet de stoelen klaar en maak een praatje met nieuwe bewoners.",
                days_ago=340,
            ),
            ParticipantSpec(
                p["ioana"],
                talents=("elderly",),
                brings="Ik haal oudere buren op die slecht ter been zijn.",
                days_ago=200,
            ),
            ParticipantSpec(p["ineke"], talents=("listening",), days_ago=180),
            ParticipantSpec(
                p["maricel"],
                talents=("hosting", "cleaning"),
                brings="Ik help met afwassen en opruimen.",
                days_ago=160,
            ),
            ParticipantSpec(
                p["amani"],
                talents=("listening",),
                brings="Ik spreek Arabisch en Engels met nieuwe buren.",
                days_ago=90,
            ),
            ParticipantSpec(
                p["meseret"],
                talents=("cooking",),
                brings="Eén keer per maand een Ethiopische koffieceremonie.",
                days_ago=120,
            ),
        ],
        needs=[
            NeedSpec(
                NeedKind.HANDS,
                "Iemand die op woensdag de deur opent als Joke er niet is",
                days_ago=20,
            ),
            NeedSpec(
                NeedKind.MATERIALS,
                "Een nieuw koffiezetapparaat voor dertig kopjes",
                met_by_organisation=o["woonstede"],
                days_ago=200,
            ),
        ],
        offers=[
            OfferSpec(
                o["politie"],
                p["ruud"],
                SupportKind.CONTACT,
                "De wijkagent komt elke eerste woensdag van de maand langs. Bewoners kunnen"
                " dan zonder afspraak hun vragen stellen.",
                days_ago=300,
            ),
            OfferSpec(
                o["wijkteam"],
                p["anna"],
                SupportKind.KNOWLEDGE,
                "Elke week schuift iemand van het wijkteam aan, voor vragen over zorg, geld"
                " of wonen. We nemen niets over: jullie zijn de gastvrouwen en -heren.",
                days_ago=330,
            ),
            OfferSpec(
                o["woonstede"],
                p["karin"],
                SupportKind.RESOURCES,
                "Woonstede betaalt een nieuw koffiezetapparaat.",
                need=1,
                days_ago=195,
            ),
        ],
        updates=[
            UpdateSpec(
                p["joke"],
                "Vanochtend 23 mensen, waarvan vijf nieuwe bewoners uit de Wilgenhoeve. Welkom!",
                days_ago=7,
            ),
            UpdateSpec(p["mehmet"], "Vanaf nu ook Turkse thee op woensdag.", days_ago=40),
        ],
        learnings=[
            LearningSpec(
                p["joke"],
                what_worked="Vaste dag, vaste tijd en altijd dezelfde gezichten bij de deur:"
                " mensen weten waar ze aan toe zijn.",
                what_did_not="Een tweede ochtend op zaterdag liep niet; daar zijn we mee gestopt.",
                days_ago=100,
            )
        ],
    )
    meeting_place = InitiativeSpec(
        title=MEETING_PLACE,
        wish="De ontmoetingsplek in de Elskamp wordt een warme, lichte ruimte die helemaal door"
        " bewoners zelf gerund wordt. Van ons allemaal, open voor iedereen.",
        description="Eerst bedenken we samen hoe de ruimte eruit moet zien, op een avond voor alle"
        " bewoners. Dan halen we de ruimte leeg, schilderen, hangen nieuwe verlichting op en"
        " maken meubels van steigerhout. Daarna maken we een rooster, zodat bewoners de ruimte"
        " zelf openen en beheren.",
        status=Status.STARTING,
        themes=("meeting", "living", "youth"),
        days_ago=75,
        participants=[
            ParticipantSpec(
                p["youssef"],
                INITIATOR,
                talents=("diy", "carpentry"),
                brings="Ik coördineer de klusdagen.",
                days_ago=75,
            ),
            ParticipantSpec(
                p["els"],
                INITIATOR,
                talents=("design", "painting"),
                brings="Ik maak de tekeningen en kies de kleuren.",
                days_ago=75,
            ),
            ParticipantSpec(
                p["farid"],
                talents=("carpentry",),
                brings="Ik maak nieuwe banken van steigerhout.",
                days_ago=60,
            ),
            ParticipantSpec(
                p["ali"],
                talents=("painting",),
                brings="Ik schilder mee, twee zaterdagen.",
                days_ago=50,
            ),
            ParticipantSpec(
                p["dimitar"],
                talents=("cleaning",),
                brings="Ik help met leeghalen en schoonmaken.",
                days_ago=45,
            ),
            ParticipantSpec(
                p["abdi"],
                talents=("youth",),
                brings="Ik vraag de jongeren wat zij willen.",
                days_ago=40,
            ),
            ParticipantSpec(
                p["wei"], talents=("money",), brings="Ik houd de begroting bij.", days_ago=30
            ),
        ],
        needs=[
            NeedSpec(
                NeedKind.TALENT,
                "Klussers die helpen met de keuken en de kasten ophangen",
                talent="diy",
                days_ago=30,
            ),
            NeedSpec(
                NeedKind.TALENT,
                "Een elektricien die de nieuwe verlichting aansluit",
                talent="electrics",
                days_ago=30,
            ),
            NeedSpec(
                NeedKind.TALENT, "Schilders voor twee zaterdagen", talent="painting", days_ago=30
            ),
            NeedSpec(
                NeedKind.MONEY,
                "Budget voor verf, verlichting en steigerhout (ongeveer € 1.800)",
                met_by_organisation=o["vrienden-van-de-hoogbouw"],
                days_ago=70,
            ),
            NeedSpec(
                NeedKind.PERMIT,
                "Toestemming van de verhuurder om de ruimte te verbouwen",
                met_by_organisation=o["woonstede"],
                days_ago=70,
            ),
            NeedSpec(
                NeedKind.KNOWLEDGE,
                "Hoe regel je het beheer als bewoners: sleutels, verzekering, rooster?",
                days_ago=25,
            ),
        ],
        offers=[
            OfferSpec(
                o["woonstede"],
                p["karin"],
                SupportKind.RESOURCES,
                "Woonstede geeft toestemming voor de verbouwing en levert de verf en een"
                " nieuwe vloer. Ik ben jullie aanspreekpunt.",
                need=4,
                days_ago=65,
            ),
            OfferSpec(
                o["vrienden-van-de-hoogbouw"],
                p["sem"],
                SupportKind.RESOURCES,
                "De stichting zoekt mee naar geld voor verf en verlichting, zoals de"
                " jongerensubsidie van de gemeente.",
                need=3,
                days_ago=60,
            ),
            OfferSpec(
                o["gemeente-ede"],
                p["marieke"],
                SupportKind.KNOWLEDGE,
                "We delen ervaringen van buurthuizen in Ede die door bewoners worden"
                " beheerd, en denken mee over een beheerovereenkomst.",
                need=5,
                days_ago=20,
            ),
        ],
        updates=[
            UpdateSpec(
                p["youssef"],
                "De tekeningen zijn klaar! Ze hangen op het prikbord in de"
                " hal van de Elskamp. Zeg wat je ervan vindt.",
                days_ago=5,
            ),
            UpdateSpec(
                p["els"],
                "Ontwerpavond: 31 bewoners dachten mee. Grootste wensen: meer"
                " licht en een eigen hoek voor de jongeren.",
                days_ago=21,
            ),
        ],
    )
    youth_place = InitiativeSpec(
        title=YOUTH_PLACE,
        wish="Jongeren in de flats hebben geen plek om af te spreken, behalve de portiek. We"
        " willen een plek die we zelf inrichten, waar we muziek maken, gamen en huiswerk doen.",
        description="We maken een jongerenhoek in de opgeknapte ontmoetingsplek van de Elskamp,"
        " met eigen openingstijden op de avond. Eerst organiseren we een startavond met jongeren"
        " uit alle flats om te horen wat zij willen.",
        status=Status.STARTING,
        themes=("youth", "meeting"),
        days_ago=45,
        participants=[
            ParticipantSpec(
                p["abdi"],
                INITIATOR,
                talents=("youth", "music"),
                brings="Ik organiseer de startavond.",
                days_ago=45,
            ),
            ParticipantSpec(
                p["rojda"],
                INITIATOR,
                talents=("design", "photography"),
                brings="Ik maak de flyers en een fotoserie.",
                days_ago=45,
            ),
            ParticipantSpec(
                p["giovanni"],
                talents=("music", "sports"),
                brings="Ik kan een muziekworkshop geven.",
                days_ago=30,
            ),
            ParticipantSpec(p["bram"], talents=("sports",), days_ago=25),
            ParticipantSpec(
                p["aziz"],
                talents=("youth",),
                brings="Ik ken veel jongeren uit de Berkenhof.",
                days_ago=20,
            ),
            ParticipantSpec(p["brice"], talents=("sports",), brings="Basketbal.", days_ago=12),
        ],
        needs=[
            NeedSpec(
                NeedKind.TALENT,
                "Een volwassene die op de avonden mee wil draaien",
                talent="youth",
                days_ago=40,
            ),
            NeedSpec(
                NeedKind.MATERIALS, "Een tweedehands bank, een tv en een spelcomputer", days_ago=40
            ),
            NeedSpec(
                NeedKind.MONEY,
                "Geld voor pizza en drinken op de startavond",
                met_by_organisation=o["vrienden-van-de-hoogbouw"],
                days_ago=35,
            ),
        ],
        offers=[
            OfferSpec(
                o["wijkteam"],
                p["mustafa"],
                SupportKind.FACILITATION,
                "Als jongerenwerker denk ik mee en help ik met de startavond. Jullie houden"
                " de leiding; ik sluit aan.",
                days_ago=38,
            ),
            OfferSpec(
                o["politie"],
                p["ruud"],
                SupportKind.HELP,
                "Ik kom graag kennismaken op de startavond, zonder uniform, en hoor wat"
                " jongeren nodig hebben.",
                days_ago=30,
            ),
            OfferSpec(
                o["vrienden-van-de-hoogbouw"],
                p["sem"],
                SupportKind.RESOURCES,
                "De stichting betaalt de pizza's en het drinken voor de startavond.",
                need=2,
                days_ago=33,
            ),
        ],
        updates=[
            UpdateSpec(
                p["rojda"],
                "De startavond is op vrijdag over drie weken in de Elskamp."
                " Alle jongeren van 12 tot 23 jaar zijn welkom!",
                days_ago=10,
            ),
        ],
    )
    smaller = [
        InitiativeSpec(
            title="Huiswerkklas op woensdagmiddag",
            wish="Kinderen uit de flats die thuis geen hulp bij hun huiswerk krijgen, kunnen op"
            " woensdagmiddag bij ons terecht.",
            status=Status.IDEA,
            themes=("children", "learning"),
            days_ago=9,
            participants=[
                ParticipantSpec(p["rania"], INITIATOR, talents=("homework", "teaching"), days_ago=9)
            ],
            needs=[
                NeedSpec(
                    NeedKind.TALENT,
                    "Buren die rekenen of Nederlands willen uitleggen",
                    talent="homework",
                    days_ago=9,
                ),
                NeedSpec(NeedKind.SPACE, "Een rustige ruimte op woensdagmiddag", days_ago=9),
            ],
        ),
        InitiativeSpec(
            title="Moestuinbakken bij de Berkenhof",
            wish="Samen groente en kruiden kweken op het grasveld naast de Berkenhof.",
            description="Vier grote bakken, een rooster voor water geven en een oogstfeest.",
            status=Status.PAUSED,
            themes=("green",),
            days_ago=240,
            participants=[
                ParticipantSpec(p["agnieszka"], INITIATOR, talents=("gardening",), days_ago=240),
                ParticipantSpec(
                    p["jurgen"],
                    talents=("gardening",),
                    brings="Ik heb gereedschap en zaden.",
                    days_ago=230,
                ),
                ParticipantSpec(
                    p["somchai"], talents=("gardening",), brings="Thaise kruiden.", days_ago=200
                ),
            ],
            needs=[NeedSpec(NeedKind.MATERIALS, "Steigerhout voor vier bakken", days_ago=230)],
            updates=[
                UpdateSpec(
                    p["agnieszka"],
                    "We pauzeren tot het voorjaar: in de winter groeit er"
                    " weinig. In maart gaan we verder!",
                    days_ago=50,
                ),
            ],
            learnings=[
                LearningSpec(
                    p["agnieszka"],
                    what_worked="Kinderen uit de flat hielpen elke dag met water geven.",
                    what_did_not="In de zomervakantie was bijna iedereen weg.",
                    days_ago=50,
                ),
            ],
        ),
        InitiativeSpec(
            title="Fietsenwerkplaats in de kelder van de Eikenburg",
            wish="Een plek waar je samen met buren je fiets repareert, en waar kinderen leren"
            " hoe dat moet.",
            status=Status.IDEA,
            visibility=Visibility.MEMBERS,
            themes=("living", "work"),
            days_ago=14,
            participants=[
                ParticipantSpec(p["yonas"], INITIATOR, talents=("bikes",), days_ago=14),
                ParticipantSpec(p["tesfay"], talents=("bikes",), days_ago=10),
            ],
            needs=[
                NeedSpec(
                    NeedKind.TALENT,
                    "Buren die fietsen kunnen repareren",
                    talent="bikes",
                    days_ago=14,
                ),
                NeedSpec(
                    NeedKind.PERMIT, "Toestemming om de kelderruimte te gebruiken", days_ago=14
                ),
            ],
        ),
        InitiativeSpec(
            title="Taalcafé: Nederlands oefenen met buren",
            wish="Nieuwe buren oefenen Nederlands in een gewoon gesprek, bij een kop thee.",
            description="Elke donderdagavond in de Lindenhorst, bij Ineke aan de keukentafel.",
            status=Status.ACTIVE,
            visibility=Visibility.MEMBERS,
            themes=("learning", "meeting"),
            days_ago=160,
            participants=[
                ParticipantSpec(p["ineke"], INITIATOR, talents=("teaching",), days_ago=160),
                ParticipantSpec(
                    p["nour"], INITIATOR, talents=("teaching", "writing"), days_ago=160
                ),
                ParticipantSpec(
                    p["olena"],
                    brings="I come to practise and bring Ukrainian pastries.",
                    days_ago=90,
                ),
                ParticipantSpec(p["amani"], days_ago=80),
                ParticipantSpec(p["dmytro"], days_ago=60),
            ],
            updates=[
                UpdateSpec(
                    p["nour"],
                    "We zijn nu met twaalf: vanaf volgende week twee tafels.",
                    days_ago=15,
                ),
            ],
        ),
    ]
    return [dinner, coffee, meeting_place, youth_place, *smaller]


def _conversations(
    neighbourhood: Neighbourhood,
    organisations: dict[str, Organisation],
    p: dict[str, User],
    now: datetime,
) -> None:
    """Residents ask the neighbourhood team, the first point of contact; one waits for an answer."""
    wijkteam = organisations["wijkteam"]
    threads = [
        (
            p["fatima"],
            "Mogen we in de ontmoetingsplek op gas koken?",
            ConversationStatus.ANSWERED,
            [
                (p["fatima"], 12, "Voor het samen eten willen we graag op een gasstel koken. Mag"
                 " dat in de ontmoetingsplek?"),
                (p["anna"], 11, "Goede vraag! Binnen is open vuur niet toegestaan, maar Woonstede"
                 " heeft twee inductieplaten die jullie mogen gebruiken. Ik heb Karin gevraagd"
                 " ze voor de volgende keer klaar te zetten."),
            ],
        ),
        (
            p["daan"],
            "Hoe kan ik meedoen in de wijk?",
            ConversationStatus.ANSWERED,
            [
                (p["daan"], 6, "Ik woon sinds kort in de Berkenhof. Waar kan ik helpen?"),
                (p["anna"], 5, "Welkom in Ede-Zuid! Kijk eens bij de initiatieven: bij"
                 " ‘Ontmoetingsplek de Elskamp opknappen’ zoeken ze klussers, en bij ‘Samen koken"
                 " en eten’ nog een kok. En kom woensdag gerust naar de koffieochtend."),
            ],
        ),
        (
            p["hodan"],
            "Hulp bij een brief van de gemeente",
            ConversationStatus.OPEN,
            [
                (p["hodan"], 1, "Een buurvrouw heeft een brief over haar huurtoeslag gekregen en"
                 " begrijpt die niet. Kan iemand van het wijkteam met haar meekijken? Ik kan"
                 " tolken in het Somalisch."),
            ],
        ),
    ]  # fmt: skip
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(
                neighbourhood=neighbourhood,
                organisation=wijkteam,
                started_by=user,
                subject=subject,
                status=status,
            )
            for user, subject, status, _ in threads
        ]
    )
    messages = Message.objects.bulk_create(
        [
            Message(conversation=conversation, author=author, body=body)
            for conversation, (_, _, _, posts) in zip(conversations, threads, strict=True)
            for author, _, body in posts
        ]
    )
    days = [days for _, _, _, posts in threads for _, days, _ in posts]
    for message, days_ago in zip(messages, days, strict=True):
        message.created_at = now - timedelta(days=days_ago)
    Message.objects.bulk_update(messages, ["created_at"])
    for conversation, (_, _, _, posts) in zip(conversations, threads, strict=True):
        conversation.created_at = now - timedelta(days=posts[0][1])
        conversation.updated_at = now - timedelta(days=posts[-1][1])
    Conversation.objects.bulk_update(conversations, ["created_at", "updated_at"])


def _notifications(
    neighbourhood: Neighbourhood,
    organisations: dict[str, Organisation],
    initiatives: dict[str, Initiative],
    p: dict[str, User],
    now: datetime,
) -> None:
    """What the demo people find in their notifications; older ones are read, new ones not."""
    wijkteam = organisations["wijkteam"]

    def on(title: str, **params: str) -> dict:
        return {
            "params": {"initiative": title, **params},
            "url": initiatives[title].get_absolute_url(),
        }

    def question(subject: str) -> dict:
        return {
            "params": {"organisation": wijkteam.name, "subject": subject},
            "url": wijkteam.get_absolute_url(),
        }

    welcome = {
        "params": {"neighbourhood": neighbourhood.name},
        "url": reverse("front:member_home", args=[neighbourhood.slug]),
    }
    gas = "Mogen we in de ontmoetingsplek op gas koken?"
    letter = "Hulp bij een brief van de gemeente"
    rows = [
        (p["fatima"], Kind.INITIATIVE_JOINED, p["joao"], on(DINNER), 1, False),
        (p["fatima"], Kind.SUPPORT_OFFERED, p["karin"], on(DINNER, organisation="Woonstede"), 2,
         False),
        (p["fatima"], Kind.QUESTION_ANSWERED, p["anna"], question(gas), 11, True),
        (p["khadija"], Kind.INITIATIVE_JOINED, p["joao"], on(DINNER), 1, False),
        (p["anna"], Kind.QUESTION_ASKED, p["hodan"], question(letter), 1, False),
        (p["mustafa"], Kind.QUESTION_ASKED, p["hodan"], question(letter), 1, False),
        (p["anna"], Kind.OFFER_ACCEPTED, p["fatima"], on(DINNER), 318, True),
        (p["anna"], Kind.OFFER_ACCEPTED, p["joke"], on(COFFEE), 328, True),
        (p["daan"], Kind.JOIN_APPROVED, p["henk"], welcome, 20, True),
        (p["daan"], Kind.QUESTION_ANSWERED, p["anna"], question("Hoe kan ik meedoen in de wijk?"),
         5, False),
        (p["henk"], Kind.PARTICIPATION_ACCEPTED, p["joke"], on(COFFEE), 339, True),
        (p["karin"], Kind.OFFER_ACCEPTED, p["youssef"], on(MEETING_PLACE), 63, True),
        (p["sem"], Kind.OFFER_ACCEPTED, p["abdi"], on(YOUTH_PLACE), 31, False),
    ]  # fmt: skip
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=recipient,
                kind=kind,
                actor=actor,
                params=extra["params"],
                url=extra["url"],
                read_at=now - timedelta(days=days_ago) + timedelta(hours=3) if read else None,
            )
            for recipient, kind, actor, extra, days_ago, read in rows
        ]
    )
    for notification, row in zip(notifications, rows, strict=True):
        notification.created_at = now - timedelta(days=row[4])
    Notification.objects.bulk_update(notifications, ["created_at"])


# --- De Elskamp's meeting place and its two series -------------------------------------------

ROOM = "Ontmoetingsruimte de Elskamp"
KITCHEN = "Keuken de Elskamp"
DINNER_RULE = "FREQ=MONTHLY;BYDAY=-1FR"
COFFEE_RULE = "FREQ=WEEKLY;BYDAY=WE"


@dataclass(frozen=True)
class PlaceSpec:
    name: str
    address: str
    capacity: int
    accessibility: str
    opening_hours: str
    house_rules: str
    keepers: tuple[str, ...]
    keys: tuple[tuple[str, str], ...] = ()


PLACES = [
    PlaceSpec(
        ROOM,
        "Elskamp, begane grond (ingang aan het plein)",
        40,
        "Drempelvrije ingang aan het plein, brede deuren, een invalidentoilet naast de zaal en"
        " een ringleiding. De lift van de Elskamp stopt ernaast.",
        "Maandag tot en met zaterdag van 9.00 tot 22.00 uur. Op zondag op afspraak met een van"
        " de sleutelhouders.",
        "Met open keuken: wie kookt, laat de keuken schoon achter. Stoelen en tafels na afloop"
        " terug op hun plek. Om 22.00 uur is het stil, voor de buren boven. Niet roken, ook niet"
        " bij de deur. De sleutel haal je bij een van de sleutelhouders en breng je dezelfde"
        " avond terug.",
        ("fatima", "youssef"),
        (
            ("fatima", "Voordeur en keuken"),
            ("youssef", "Voordeur"),
            ("joke", "Voordeur, voor de koffieochtend"),
        ),
    ),
    PlaceSpec(
        KITCHEN,
        "Elskamp, begane grond, naast de ontmoetingsruimte",
        8,
        "Drempelvrij vanuit de ontmoetingsruimte; een van de werkbladen is laag genoeg om"
        " zittend te koken.",
        "Tijdens activiteiten in de ontmoetingsruimte, en op afspraak met een sleutelhouder.",
        "Koken op inductie, niet op gas. Halal en niet-halal gescheiden: de pannen met een groene"
        " sticker zijn halal. Alles afgewassen en de koelkast leeg voor je weggaat.",
        ("fatima", "khadija"),
    ),
]

# Who said they are coming next time, with what they eat: (key, guests, halal, vegetarian,
# vegan, no pork, allergies).
DINNER_GUESTS = [
    ("khadija", 2, True, False, False, False, ""),
    ("priya", 0, False, True, False, False, ""),
    ("semhar", 1, True, False, False, False, ""),
    ("mehmet", 0, True, False, False, False, ""),
    ("agnieszka", 0, False, True, False, False, "noten"),
    ("rania", 3, True, False, False, False, ""),
    ("johan", 0, False, False, False, False, "gluten"),
    ("linh", 0, False, False, True, False, ""),
    ("omar", 1, True, False, False, False, ""),
    ("ioana", 0, False, False, False, True, ""),
]
COFFEE_GUESTS = [
    ("henk", 0, False, False, False, False, ""),
    ("ioana", 0, False, False, False, False, ""),
    ("meseret", 0, False, False, False, False, ""),
    ("amani", 1, False, False, False, False, ""),
    ("ineke", 0, False, False, False, False, ""),
    ("maricel", 0, False, False, False, False, ""),
    ("emina", 0, False, False, False, False, "lactose"),
]


# The jobs of every dinner and coffee morning: (kind, hands needed, what exactly).
DINNER_TASKS = [
    (TaskKind.SHOPPING, 2, "Boodschappen bij de markt en de Turkse supermarkt, bonnetjes bewaren"),
    (TaskKind.COOKING, 4, "Vanaf 15.00 uur in de keuken; de recepten kiest de kookploeg"),
    (TaskKind.SETTING_UP, 2, "Tafels in een lange rij, borden en glazen klaarzetten"),
    (TaskKind.WELCOMING, 1, "Bij de deur nieuwe buren verwelkomen en aan tafel voorstellen"),
    (TaskKind.CLEANING_UP, 3, "Afwassen, vegen, stoelen terug"),
]
COFFEE_TASKS = [
    (TaskKind.SETTING_UP, 1, "Koffie en thee zetten vanaf 9.45 uur"),
    (TaskKind.CLEANING_UP, 1, ""),
]
# Who lends a hand at the next dinner.
DINNER_HELPERS = {
    TaskKind.SHOPPING: ["khadija"],
    TaskKind.COOKING: ["fatima", "rania", "mehmet"],
    TaskKind.SETTING_UP: ["johan"],
}
# How many came to the dinner over the past year: it grew from a few tables to a full room.
DINNER_CAME = [16, 19, 18, 22, 25, 24, 28, 27, 31, 33, 36, 38]
DINNER_NOTES = {
    0: "Voor het eerst een Eritrees gerecht op tafel, dankzij Semhar.",
    5: "Iftar-maaltijd: we aten pas na zonsondergang, en het was vol.",
    9: "Tien nieuwe buren, en de kinderen hebben de toetjes gemaakt.",
    11: "Zaal vol. Volgende keer een tweede tafelrij klaarzetten.",
}


def _helping_hands(dinner: Activity, coffee: Activity, p: dict[str, User], now: datetime) -> None:
    """The tasks of both series, and who helps at the next dinner."""
    tasks = Task.objects.bulk_create(
        [
            Task(activity=activity, kind=kind, hands_needed=hands, description=what)
            for activity, specs in ((dinner, DINNER_TASKS), (coffee, COFFEE_TASKS))
            for kind, hands, what in specs
        ]
    )
    by_kind = {task.kind: task for task in tasks if task.activity_id == dinner.pk}
    start = _next_start(dinner, now)
    TaskSignup.objects.bulk_create(
        [
            TaskSignup(task=by_kind[kind], occurrence_start=start, user=p[key])
            for kind, keys in DINNER_HELPERS.items()
            for key in keys
        ]
    )


def _past_attendance(dinner: Activity, coffee: Activity, p: dict[str, User], now: datetime) -> None:
    """How many came to each dinner and coffee morning of the past twelve months."""
    rng = random.Random(1500)
    rows = []
    dinners = [s for s in original_starts(dinner, now - timedelta(days=370), now) if s < now]
    for number, start in enumerate(dinners[-12:]):
        rows.append(
            Attendance(
                activity=dinner,
                occurrence_start=start,
                came=DINNER_CAME[number + 12 - len(dinners[-12:])],
                note=DINNER_NOTES.get(number, ""),
                recorded_by=p["fatima"],
            )
        )
    coffees = [s for s in original_starts(coffee, now - timedelta(days=365), now) if s < now]
    for number, start in enumerate(coffees):
        rows.append(
            Attendance(
                activity=coffee,
                occurrence_start=start,
                came=8 + number // 8 + rng.randint(0, 4),
                recorded_by=p["joke"],
            )
        )
    Attendance.objects.bulk_create(rows)


def _first_date(rule: str, on_or_after: date, at: time) -> date:
    """The first date the rule gives from `on_or_after` on (a series starts on one of its own)."""
    begin = datetime.combine(on_or_after, at)
    return rrulestr(rule, dtstart=begin).after(begin, inc=True).date()


def _next_start(activity: Activity, now: datetime) -> datetime:
    return next(s for s in original_starts(activity, now, now + timedelta(days=45)) if s > now)


def _meeting_place(
    neighbourhood: Neighbourhood,
    initiatives: dict[str, Initiative],
    p: dict[str, User],
    now: datetime,
) -> None:
    """De Elskamp's rooms with their keepers, the monthly dinner and the weekly coffee since a
    year, and who is coming next time, through the same services the pages use."""
    places = {}
    for spec in PLACES:
        place = place_create(
            user=p["henk"],
            neighbourhood=neighbourhood,
            name=spec.name,
            address=spec.address,
            capacity=spec.capacity,
            accessibility=spec.accessibility,
            opening_hours=spec.opening_hours,
            house_rules=spec.house_rules,
        )
        for key in spec.keepers:
            place_keeper_assign(user=p["henk"], place=place, keeper=p[key])
        for key, which in spec.keys:
            place_key_give(user=p["henk"], place=place, holder=p[key], note=which)
        places[spec.name] = place

    languages = {lang.code: lang for lang in Language.objects.filter(code__in=["nl", "ar", "tr"])}
    year_ago = now.astimezone(ZoneInfo(neighbourhood.timezone)).date() - timedelta(days=365)
    dinner = activity_create(
        user=p["fatima"],
        neighbourhood=neighbourhood,
        initiative=initiatives[DINNER],
        place=places[ROOM],
        title="Samen koken en eten",
        description="Elke laatste vrijdag van de maand koken we met buren uit alle landen in de"
        " keuken van de Elskamp, en om 18.00 uur eten we samen. Geef bij je aanmelding door wat"
        " je eet (halal, vegetarisch, allergieën): dan koken we voor iedereen. Kinderen eten"
        " gratis mee.",
        start_date=_first_date(DINNER_RULE, year_ago, time(18, 0)),
        start_time=time(18, 0),
        duration_minutes=150,
        rrule=DINNER_RULE,
        languages=[languages[code] for code in ("nl", "ar", "tr")],
        cost_cents=300,
        audience=Audience.EVERYONE,
        capacity=40,
    )
    asked = timezone.now()
    coffee = activity_create(
        user=p["joke"],
        neighbourhood=neighbourhood,
        initiative=initiatives[COFFEE],
        place=places[ROOM],
        title="Koffieochtend",
        description="Loop zomaar binnen voor een kop koffie of Turkse thee en een praatje. Het"
        " wijkteam schuift elke week aan, de wijkagent elke eerste woensdag van de maand.",
        start_date=_first_date(COFFEE_RULE, year_ago, time(10, 0)),
        start_time=time(10, 0),
        duration_minutes=90,
        rrule=COFFEE_RULE,
        languages=[languages[code] for code in ("nl", "tr", "ar")],
        audience=Audience.EVERYONE,
    )
    # Joke does not keep the room: Fatima approved the coffee mornings' dates a year ago. The
    # request and its answer are history, not news, in the demo's notifications.
    series_booking_decide(keeper=p["fatima"], series=coffee.place_request, approve=True)
    Notification.objects.filter(
        kind__in=[Kind.BOOKING_REQUESTED, Kind.BOOKING_DECIDED], created_at__gte=asked
    ).delete()
    _helping_hands(dinner, coffee, p, now)
    _past_attendance(dinner, coffee, p, now)
    for activity, guests in ((dinner, DINNER_GUESTS), (coffee, COFFEE_GUESTS)):
        start = _next_start(activity, now)
        for key, extra, halal, vegetarian, vegan, no_pork, allergies in guests:
            rsvp_set(
                user=p[key],
                activity=activity,
                occurrence_start=start,
                status=RsvpStatus.GOING,
                guests=extra,
                halal=halal,
                vegetarian=vegetarian,
                vegan=vegan,
                no_pork=no_pork,
                allergies=allergies,
            )
