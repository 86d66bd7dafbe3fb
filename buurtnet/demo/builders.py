"""Builders for sample data, shared by the Ede-Zuid demo and bench/'s synthetic neighbourhoods.

Two layers:
- `*_create` functions turn explicit specs into rows (the demo's hand-written content);
- `*_build` functions invent plausible specs at any scale (bench/generate.py) and hand them to
  the same `*_create` functions.

Rows are written with bulk_create, so a neighbourhood of 1,500 members takes about a second.
Callers wrap a whole build in one transaction.atomic().
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from dateutil.rrule import rrulestr
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from buurtnet.activities.models import Activity, Audience, Place, Rsvp, RsvpStatus
from buurtnet.activities.recurrence import original_starts
from buurtnet.initiatives.models import (
    Initiative,
    Learning,
    Need,
    NeedKind,
    OfferStatus,
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Status,
    SupportKind,
    SupportOffer,
    Theme,
    Update,
    Visibility,
)
from buurtnet.neighbourhoods.models import (
    Building,
    Home,
    InviteCode,
    Membership,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Role,
    new_invite_code,
)
from buurtnet.people.models import Language, Talent, User
from buurtnet.people.services import vocabulary_sync
from buurtnet.people.vocabulary import THEMES
from buurtnet.translations.models import Translation, digest

BATCH = 1000
PRIVACY_FLAGS = ("show_photo", "show_languages", "show_talents", "show_passions", "show_building")


# --- Vocabulary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    talents: dict[str, Talent]
    languages: dict[str, Language]
    themes: dict[str, Theme]


def vocabulary_load() -> Vocabulary:
    """The curated talents, languages and themes (synced from the code first if missing)."""
    if not Talent.objects.exists() or not Language.objects.exists():
        vocabulary_sync()
    if not Theme.objects.exists():
        Theme.objects.bulk_create(
            [Theme(slug=slug, name=name) for slug, name in THEMES], ignore_conflicts=True
        )
    return Vocabulary(
        talents={t.slug: t for t in Talent.objects.all()},
        languages={lang.code: lang for lang in Language.objects.all()},
        themes={t.slug: t for t in Theme.objects.all()},
    )


def _backdate(model: type[models.Model], rows: Sequence[tuple[models.Model, dict]]) -> None:
    """Set timestamps after bulk_create (auto_now_add always writes "now" on insert)."""
    if not rows:
        return
    names: set[str] = set()
    for obj, values in rows:
        for name, value in values.items():
            setattr(obj, name, value)
        names.update(values)
    model.objects.bulk_update([obj for obj, _ in rows], sorted(names), batch_size=500)


# --- Neighbourhood, flats and homes --------------------------------------------------------


def neighbourhood_create(
    *,
    slug: str,
    name: str,
    municipality: str,
    vocabulary: Vocabulary,
    description: str = "",
    motto: str = "",
    languages: Sequence[str] = (),
) -> Neighbourhood:
    """A neighbourhood with the languages spoken in it."""
    neighbourhood = Neighbourhood.objects.create(
        slug=slug, name=name, municipality=municipality, description=description, motto=motto
    )
    neighbourhood.languages.set([vocabulary.languages[code] for code in languages])
    return neighbourhood


@dataclass(frozen=True)
class FlatSpec:
    name: str
    street: str
    homes: int


def flats_create(
    *, neighbourhood: Neighbourhood, flats: Sequence[FlatSpec]
) -> dict[Building, list[Home]]:
    """Flats with their front doors, numbered 1..n per flat."""
    buildings = Building.objects.bulk_create(
        [Building(neighbourhood=neighbourhood, name=f.name, street=f.street) for f in flats]
    )
    homes = Home.objects.bulk_create(
        [
            Home(building=building, number=str(number))
            for building, flat in zip(buildings, flats, strict=True)
            for number in range(1, flat.homes + 1)
        ],
        batch_size=BATCH,
    )
    grouped: dict[Building, list[Home]] = {building: [] for building in buildings}
    for home in homes:
        grouped[home.building].append(home)
    return grouped


# --- People and memberships ------------------------------------------------------------------


@dataclass
class PersonSpec:
    email: str
    display_name: str
    preferred_language: str = "nl"
    languages: Sequence[str] = ()
    talents: Sequence[str] = ()
    talents_other: str = ""
    passions: str = ""
    hidden: Sequence[str] = ()  # the show_* flags this person switched off
    listed_in_directory: bool = True
    joined_days_ago: float = 0


def people_create(
    *,
    people: Sequence[PersonSpec],
    vocabulary: Vocabulary,
    password_hash: str | None = None,
    now: datetime | None = None,
) -> list[User]:
    """Accounts with their languages and talents; without password_hash nobody can log in."""
    now = now or timezone.now()
    users = []
    for spec in people:
        unknown = set(spec.hidden) - set(PRIVACY_FLAGS)
        if unknown:
            raise ValueError(f"unknown privacy flags for {spec.email}: {sorted(unknown)}")
        users.append(
            User(
                email=spec.email.lower(),
                display_name=spec.display_name,
                preferred_language=spec.preferred_language,
                talents_other=spec.talents_other,
                passions=spec.passions,
                listed_in_directory=spec.listed_in_directory,
                password=password_hash or make_password(None),
                date_joined=now - timedelta(days=spec.joined_days_ago),
                **{flag: flag not in spec.hidden for flag in PRIVACY_FLAGS},
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    spoken = User.languages.through
    gifted = User.talents.through
    spoken.objects.bulk_create(
        [
            spoken(user_id=user.pk, language_id=vocabulary.languages[code].pk)
            for user, spec in zip(users, people, strict=True)
            for code in dict.fromkeys(spec.languages)
        ],
        batch_size=BATCH,
    )
    gifted.objects.bulk_create(
        [
            gifted(user_id=user.pk, talent_id=vocabulary.talents[slug].pk)
            for user, spec in zip(users, people, strict=True)
            for slug in dict.fromkeys(spec.talents)
        ],
        batch_size=BATCH,
    )
    return users


def memberships_create(*, memberships: Sequence[Membership]) -> list[Membership]:
    """Memberships dated from when each person joined."""
    created = Membership.objects.bulk_create(memberships, batch_size=BATCH)
    _backdate(Membership, [(m, {"created_at": m.user.date_joined}) for m in created])
    return created


def invite_codes_create(
    *,
    neighbourhood: Neighbourhood,
    homes: Sequence[Home],
    created_by: User | None,
    revoked: Sequence[Home] = (),
    now: datetime | None = None,
) -> dict[Home, InviteCode]:
    """One letterbox code per home; the homes in `revoked` get a code that was withdrawn."""
    now = now or timezone.now()
    revoked_ids = {home.pk for home in revoked}
    codes = InviteCode.objects.bulk_create(
        [
            InviteCode(
                neighbourhood=neighbourhood,
                home=home,
                code=new_invite_code(),
                created_by=created_by,
                revoked_at=now - timedelta(days=3) if home.pk in revoked_ids else None,
            )
            for home in homes
        ],
        batch_size=BATCH,
    )
    return {code.home: code for code in codes}


# --- Initiatives -----------------------------------------------------------------------------


@dataclass
class ParticipantSpec:
    user: User
    role: str = ParticipantRole.PARTICIPANT
    status: str = ParticipationStatus.ACCEPTED
    talents: Sequence[str] = ()
    brings: str = ""
    days_ago: float = 0


@dataclass
class NeedSpec:
    kind: str
    description: str
    talent: str | None = None
    met_by: User | None = None
    met_by_organisation: Organisation | None = None
    days_ago: float = 0


@dataclass
class OfferSpec:
    organisation: Organisation
    offered_by: User
    kind: str
    message: str
    status: str = OfferStatus.ACCEPTED
    need: int | None = None  # index into the initiative's needs
    days_ago: float = 0


@dataclass
class UpdateSpec:
    author: User
    body: str
    days_ago: float = 0
    language: str = "nl"
    # Neighbours' translations: (translator, language, text).
    translations: tuple[tuple[User, str, str], ...] = ()


@dataclass
class LearningSpec:
    author: User
    what_worked: str = ""
    what_did_not: str = ""
    days_ago: float = 0


@dataclass
class InitiativeSpec:
    title: str
    wish: str
    description: str = ""
    status: str = Status.ACTIVE
    visibility: str = Visibility.PUBLIC
    language: str = "nl"
    themes: Sequence[str] = ()
    days_ago: float = 0
    participants: list[ParticipantSpec] = field(default_factory=list)
    needs: list[NeedSpec] = field(default_factory=list)
    offers: list[OfferSpec] = field(default_factory=list)
    updates: list[UpdateSpec] = field(default_factory=list)
    learnings: list[LearningSpec] = field(default_factory=list)

    @property
    def initiators(self) -> list[User]:
        return [p.user for p in self.participants if p.role == ParticipantRole.INITIATOR]


def initiatives_create(
    *,
    neighbourhood: Neighbourhood,
    initiatives: Sequence[InitiativeSpec],
    vocabulary: Vocabulary,
    now: datetime | None = None,
) -> list[Initiative]:
    """Initiatives with their people, needs, support offers, updates and learnings."""
    now = now or timezone.now()

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    for spec in initiatives:
        if not spec.initiators:
            raise ValueError(f"initiative {spec.title!r} has no initiator")
        for p in spec.participants:
            if p.role not in ParticipantRole.values or p.status not in ParticipationStatus.values:
                raise ValueError(f"{spec.title!r}: bad role or status {p.role!r}/{p.status!r}")

    rows = Initiative.objects.bulk_create(
        [
            Initiative(
                neighbourhood=neighbourhood,
                title=spec.title,
                wish=spec.wish,
                description=spec.description,
                status=spec.status,
                visibility=spec.visibility,
                created_by=spec.initiators[0],
                language=spec.language,
            )
            for spec in initiatives
        ],
        batch_size=BATCH,
    )
    pairs = list(zip(rows, initiatives, strict=True))
    themed = Initiative.themes.through
    themed.objects.bulk_create(
        [
            themed(initiative_id=initiative.pk, theme_id=vocabulary.themes[slug].pk)
            for initiative, spec in pairs
            for slug in dict.fromkeys(spec.themes)
        ],
        batch_size=BATCH,
    )

    participations = Participation.objects.bulk_create(
        [
            Participation(
                initiative=initiative,
                user=p.user,
                role=p.role,
                status=p.status,
                brings=p.brings,
            )
            for initiative, spec in pairs
            for p in spec.participants
        ],
        batch_size=BATCH,
    )
    participant_specs = [p for _, spec in pairs for p in spec.participants]
    brought = Participation.talents.through
    brought.objects.bulk_create(
        [
            brought(participation_id=row.pk, talent_id=vocabulary.talents[slug].pk)
            for row, p in zip(participations, participant_specs, strict=True)
            for slug in dict.fromkeys(p.talents)
        ],
        batch_size=BATCH,
    )
    _backdate(
        Participation,
        [
            (
                row,
                {
                    "created_at": ago(p.days_ago),
                    "decided_at": ago(max(p.days_ago - 1, 0))
                    if p.status != ParticipationStatus.PENDING
                    else None,
                },
            )
            for row, p in zip(participations, participant_specs, strict=True)
        ],
    )

    needs = Need.objects.bulk_create(
        [
            Need(
                initiative=initiative,
                kind=n.kind,
                description=n.description,
                talent=vocabulary.talents[n.talent] if n.talent else None,
                is_met=n.met_by is not None or n.met_by_organisation is not None,
                met_by=n.met_by,
                met_by_organisation=n.met_by_organisation,
            )
            for initiative, spec in pairs
            for n in spec.needs
        ],
        batch_size=BATCH,
    )
    need_specs = [n for _, spec in pairs for n in spec.needs]
    _backdate(
        Need,
        [
            (
                row,
                {
                    "created_at": ago(n.days_ago),
                    "met_at": ago(n.days_ago / 2) if row.is_met else None,
                },
            )
            for row, n in zip(needs, need_specs, strict=True)
        ],
    )
    needs_of: dict[int, list[Need]] = {}
    for row in needs:
        needs_of.setdefault(row.initiative_id, []).append(row)

    offer_pairs = []
    for initiative, spec in pairs:
        for o in spec.offers:
            decided = o.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED)
            offer_pairs.append(
                (
                    SupportOffer(
                        initiative=initiative,
                        organisation=o.organisation,
                        offered_by=o.offered_by,
                        kind=o.kind,
                        message=o.message,
                        need=needs_of[initiative.pk][o.need] if o.need is not None else None,
                        status=o.status,
                        decided_by=spec.initiators[0] if decided else None,
                    ),
                    o,
                )
            )
    offers = SupportOffer.objects.bulk_create([row for row, _ in offer_pairs], batch_size=BATCH)
    _backdate(
        SupportOffer,
        [
            (
                row,
                {
                    "created_at": ago(o.days_ago),
                    "decided_at": ago(max(o.days_ago - 2, 0)) if row.decided_by_id else None,
                },
            )
            for row, (_, o) in zip(offers, offer_pairs, strict=True)
        ],
    )

    update_specs = [(initiative, u) for initiative, spec in pairs for u in spec.updates]
    updates = Update.objects.bulk_create(
        [
            Update(initiative=i, author=u.author, body=u.body, language=u.language)
            for i, u in update_specs
        ],
        batch_size=BATCH,
    )
    Translation.objects.bulk_create(
        [
            Translation(
                neighbourhood=neighbourhood,
                content_type=ContentType.objects.get_for_model(Update),
                object_id=row.pk,
                field="body",
                language=language,
                text=text,
                translator=translator,
                source_digest=digest(row.body),
            )
            for row, (_, u) in zip(updates, update_specs, strict=True)
            for translator, language, text in u.translations
        ],
        batch_size=BATCH,
    )
    _backdate(
        Update,
        [
            (row, {"created_at": ago(u.days_ago)})
            for row, (_, u) in zip(updates, update_specs, strict=True)
        ],
    )

    learning_specs = [(initiative, le) for initiative, spec in pairs for le in spec.learnings]
    learnings = Learning.objects.bulk_create(
        [
            Learning(
                initiative=i,
                author=le.author,
                what_worked=le.what_worked,
                what_did_not=le.what_did_not,
                language="nl",
            )
            for i, le in learning_specs
        ],
        batch_size=BATCH,
    )
    _backdate(
        Learning,
        [
            (row, {"created_at": ago(le.days_ago)})
            for row, (_, le) in zip(learnings, learning_specs, strict=True)
        ],
    )

    _backdate(
        Initiative,
        [
            (
                initiative,
                {
                    "created_at": ago(spec.days_ago),
                    "updated_at": ago(min([spec.days_ago, *(u.days_ago for u in spec.updates)])),
                },
            )
            for initiative, spec in pairs
        ],
    )
    return rows


# --- Synthetic neighbourhoods at any scale -----------------------------------------------------

FLAT_NAMES = [
    "de Elskamp",
    "de Berkenhof",
    "de Eikenburg",
    "de Lindenhorst",
    "de Beukenstein",
    "de Wilgenhoeve",
    "de Essenburg",
    "de Kastanjehof",
    "de Populierenflat",
    "de Lariksborg",
    "de Esdoornhof",
    "de Vlierhorst",
]

# First names by language background; everyone also gets Dutch and/or English some of the time.
ORIGINS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (
        ("Daan", "Sanne", "Henk", "Joke", "Willem", "Ineke", "Bram", "Anouk", "Gerrit", "Lotte"),
        ("nl",),
    ),
    (("Fatima", "Youssef", "Khadija", "Mohamed", "Samira", "Said", "Aziz", "Nadia"), ("ar", "ber")),
    (("Mehmet", "Ayşe", "Emre", "Zeynep", "Kemal", "Elif"), ("tr",)),
    (("Hodan", "Abdi", "Faadumo", "Mohamed", "Ayaan", "Hassan"), ("so", "ar")),
    (("Yonas", "Semhar", "Tesfay", "Helen", "Mussie"), ("ti", "am")),
    (("Agnieszka", "Piotr", "Kasia", "Tomasz", "Marta"), ("pl",)),
    (("Rania", "Omar", "Lina", "Ahmad", "Nour"), ("ar",)),
    (("Farid", "Zahra", "Shirin", "Dariush", "Maryam"), ("fa",)),
    (("Rojda", "Baran", "Dilan", "Serhat"), ("ku", "tr")),
    (("Olena", "Dmytro", "Iryna", "Andrii"), ("uk", "ru")),
    (("Sharon", "Ravi", "Priya", "Kenneth"), ("srn", "hi")),
    (("Giovanni", "Shurandy", "Jurmaine"), ("pap", "es")),
    (("Kwame", "Chidi", "Grace", "Brice", "Fatou"), ("en", "fr")),
    (("Wei", "Linh", "Mei"), ("zh",)),
    (("João", "Camila", "Lucía", "Diego"), ("pt", "es")),
    (("Ioana", "Dimitar", "Natalia"), ("ro", "bg", "ru")),
    (("Imran", "Ayesha", "Bilal"), ("ur", "ps")),
]

PASSIONS = [
    "Samen koken en eten met de buren.",
    "Kinderen zien spelen op het plein.",
    "Dingen repareren in plaats van weggooien.",
    "Nieuwe buren wegwijs maken in de wijk.",
    "Muziek maken met anderen.",
    "Groen in de wijk: plantenbakken, geveltuinen, bloemen.",
    "Verhalen van oudere buren horen.",
    "Jongeren een plek geven waar ze welkom zijn.",
    "Sporten in de buitenlucht.",
    "Een schone en veilige flat.",
    "Taal leren door gewoon met elkaar te praten.",
    "",
]

INITIATIVE_IDEAS: list[tuple[str, str, tuple[str, ...], str]] = [
    (
        "Samen koken in {flat}",
        "Elke maand samen koken en eten met buren uit alle landen.",
        ("food", "meeting"),
        "cooking",
    ),
    (
        "Koffieochtend in {flat}",
        "Een wekelijkse ochtend waar iedereen zomaar binnen kan lopen.",
        ("meeting", "elderly"),
        "hosting",
    ),
    (
        "Huiswerkklas",
        "Kinderen uit de flats krijgen hulp bij hun huiswerk.",
        ("children", "learning"),
        "homework",
    ),
    ("Moestuinbakken bij {flat}", "Samen groente kweken naast de flat.", ("green",), "gardening"),
    ("Repair café", "Kapotte spullen samen repareren in plaats van weggooien.", ("living",), "diy"),
    (
        "Taalcafé",
        "Nederlands oefenen met buren, bij een kop thee.",
        ("learning", "meeting"),
        "teaching",
    ),
    (
        "Buurtfeest op het plein",
        "Eén keer per jaar een feest voor de hele wijk.",
        ("culture", "meeting"),
        "organising",
    ),
    (
        "Schoonmaakactie rond {flat}",
        "Samen zwerfafval opruimen rond de flats.",
        ("green", "living"),
        "cleaning",
    ),
    (
        "Voetbal op zaterdag",
        "Jongeren en volwassenen voetballen samen op het veldje.",
        ("youth", "health"),
        "sports",
    ),
    (
        "Fietsenwerkplaats",
        "Een plek waar je je fiets samen met buren repareert.",
        ("living", "work"),
        "bikes",
    ),
    ("Jongerenplek", "Een plek waar jongeren zich thuis voelen.", ("youth",), "youth"),
    ("Wandelgroep", "Elke week samen wandelen door het park.", ("health", "elderly"), "connecting"),
    (
        "Boekenkast in de hal van {flat}",
        "Boeken ruilen in de hal van de flat.",
        ("learning",),
        "organising",
    ),
    ("Naaiatelier", "Samen kleding herstellen en maken.", ("culture", "work"), "sewing"),
]

NEED_KINDS = [k for k, _ in NeedKind.choices]
OFFER_STATUSES = [
    OfferStatus.ACCEPTED,
    OfferStatus.ACCEPTED,
    OfferStatus.PENDING,
    OfferStatus.DECLINED,
]
INITIATIVE_STATUSES = [
    Status.IDEA,
    Status.STARTING,
    Status.ACTIVE,
    Status.ACTIVE,
    Status.STRUCTURAL,
    Status.PAUSED,
    Status.ENDED,
]
SUPPORT_KINDS = [k for k, _ in SupportKind.choices]

PARTNERS: list[tuple[str, str, str, str]] = [
    (
        "wijkteam",
        "Wijkteam {name}",
        OrganisationKind.NEIGHBOURHOOD_TEAM,
        "Het eerste aanspreekpunt voor bewoners van {name}.",
    ),
    (
        "gemeente",
        "Gemeente {municipality}",
        OrganisationKind.MUNICIPALITY,
        "De gemeente ondersteunt bewonersinitiatieven waar dat nodig is.",
    ),
    (
        "politie",
        "Politie {municipality}",
        OrganisationKind.POLICE,
        "De wijkagent kent de wijk en denkt mee.",
    ),
    (
        "woningcorporatie",
        "Woningcorporatie {municipality}",
        OrganisationKind.HOUSING,
        "Verhuurt de woningen in de flats en zorgt voor de gemeenschappelijke ruimtes.",
    ),
    (
        "stichting",
        "Stichting Vrienden van {name}",
        OrganisationKind.FOUNDATION,
        "Opgezet door bewoners om initiatieven financieel te steunen.",
    ),
]


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def flats_build(
    *, neighbourhood: Neighbourhood, buildings: int, homes: int
) -> dict[Building, list[Home]]:
    """`buildings` flats sharing `homes` front doors."""
    sizes = _split(homes, buildings)
    specs = []
    for i, size in enumerate(sizes):
        name = FLAT_NAMES[i % len(FLAT_NAMES)]
        if i >= len(FLAT_NAMES):
            name = f"{name} {i // len(FLAT_NAMES) + 1}"
        specs.append(FlatSpec(name=name, street=name.removeprefix("de ") + "laan", homes=size))
    return flats_create(neighbourhood=neighbourhood, flats=specs)


def person_build(*, email: str, rng: random.Random, vocabulary: Vocabulary) -> PersonSpec:
    """An invented neighbour: a name, the languages they speak, some talents, maybe a passion."""
    names, languages = rng.choice(ORIGINS)
    spoken = [rng.choice(languages)]
    if spoken[0] != "nl" and rng.random() < 0.7:
        spoken.append("nl")
    if rng.random() < 0.4:
        spoken.append("en")
    talents = rng.sample(sorted(vocabulary.talents), k=rng.randint(0, 4))
    hidden = [flag for flag in PRIVACY_FLAGS if rng.random() < 0.1]
    return PersonSpec(
        email=email,
        display_name=f"{rng.choice(names)} {rng.choice(string.ascii_uppercase)}.",
        preferred_language="en" if rng.random() < 0.08 else "nl",
        languages=spoken,
        talents=talents,
        passions=rng.choice(PASSIONS),
        hidden=hidden,
        listed_in_directory=rng.random() > 0.03,
        joined_days_ago=rng.uniform(0, 700),
    )


def members_build(
    *,
    neighbourhood: Neighbourhood,
    flats: dict[Building, list[Home]],
    count: int,
    rng: random.Random,
    vocabulary: Vocabulary,
    hosts: int = 3,
    password_hash: str | None = None,
    now: datetime | None = None,
) -> list[Membership]:
    """`count` residents spread over the homes (some households of two or three); a few hosts.

    About a third of the households joined with the invite code from their letterbox.
    """
    people = [
        person_build(email=f"m{i:05d}@{neighbourhood.slug}.example", rng=rng, vocabulary=vocabulary)
        for i in range(count)
    ]
    users = people_create(
        people=people, vocabulary=vocabulary, password_hash=password_hash, now=now
    )
    homes = [home for flat_homes in flats.values() for home in flat_homes]
    # Most households have one member on Buurtnet, some two.
    occupied = rng.sample(homes, k=min(len(homes), max(1, int(count / 1.6))))
    invited = set(rng.sample(occupied, k=len(occupied) // 3))
    memberships = []
    for i, user in enumerate(users):
        home = occupied[i % len(occupied)]
        memberships.append(
            Membership(
                user=user,
                neighbourhood=neighbourhood,
                role=Role.HOST if i < hosts else Role.RESIDENT,
                building=home.building,
                home=home,
            )
        )
    codes = invite_codes_create(
        neighbourhood=neighbourhood,
        homes=sorted(invited, key=lambda h: h.pk),
        created_by=users[0] if users else None,
        now=now,
    )
    for membership in memberships[hosts:]:
        membership.invite = codes.get(membership.home)
    return memberships_create(memberships=memberships)


def organisations_build(
    *,
    neighbourhood: Neighbourhood,
    rng: random.Random,
    vocabulary: Vocabulary,
    professionals_each: int = 2,
    password_hash: str | None = None,
    now: datetime | None = None,
) -> dict[Organisation, list[User]]:
    """The usual partners (the neighbourhood team first) with their professionals."""
    names = {"name": neighbourhood.name, "municipality": neighbourhood.municipality}
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                neighbourhood=neighbourhood,
                slug=slug,
                name=name.format(**names),
                kind=kind,
                description=description.format(**names),
                goals="Dat bewoners elkaar vinden en dat goede ideeën van bewoners slagen.",
                is_first_point_of_contact=kind == OrganisationKind.NEIGHBOURHOOD_TEAM,
            )
            for slug, name, kind, description in PARTNERS
        ]
    )
    people = [
        person_build(
            email=f"{organisation.slug}{j}@{neighbourhood.slug}.example",
            rng=rng,
            vocabulary=vocabulary,
        )
        for organisation in organisations
        for j in range(professionals_each)
    ]
    users = people_create(
        people=people, vocabulary=vocabulary, password_hash=password_hash, now=now
    )
    staff: dict[Organisation, list[User]] = {o: [] for o in organisations}
    memberships = []
    for index, user in enumerate(users):
        organisation = organisations[index // professionals_each]
        staff[organisation].append(user)
        memberships.append(
            Membership(
                user=user,
                neighbourhood=neighbourhood,
                role=Role.PROFESSIONAL,
                organisation=organisation,
            )
        )
    memberships_create(memberships=memberships)
    return staff


def initiative_build(
    *,
    residents: Sequence[User],
    staff: dict[Organisation, list[User]],
    flat_names: Sequence[str],
    rng: random.Random,
    vocabulary: Vocabulary,
) -> InitiativeSpec:
    """An invented initiative: initiators, neighbours who join, needs, offers and updates."""
    title, wish, themes, talent = rng.choice(INITIATIVE_IDEAS)
    age = rng.uniform(5, 600)
    people = rng.sample(list(residents), k=min(len(residents), rng.randint(2, 26)))
    initiators = people[: rng.randint(1, 2)]
    participants = [
        ParticipantSpec(user=u, role=ParticipantRole.INITIATOR, talents=[talent], days_ago=age)
        for u in initiators
    ]
    for user in people[len(initiators) :]:
        participants.append(
            ParticipantSpec(
                user=user,
                status=ParticipationStatus.PENDING
                if rng.random() < 0.1
                else ParticipationStatus.ACCEPTED,
                talents=rng.sample(sorted(vocabulary.talents), k=rng.randint(0, 2)),
                brings=rng.choice(["", "Ik help mee waar het nodig is.", "Ik heb een auto."]),
                days_ago=rng.uniform(0, age),
            )
        )
    helpers = people[len(initiators) :] or initiators
    needs = []
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(NEED_KINDS)
        needs.append(
            NeedSpec(
                kind=kind,
                description=rng.choice(
                    [
                        "Handen om op te bouwen en op te ruimen",
                        "Iemand die een poster kan maken",
                        "Een ruimte voor een avond",
                        "Budget voor materiaal",
                        "Iemand die de uitnodiging vertaalt",
                        "Advies over een vergunning",
                    ]
                ),
                talent=rng.choice(sorted(vocabulary.talents)) if kind == NeedKind.TALENT else None,
                met_by=rng.choice(helpers) if rng.random() < 0.4 else None,
                days_ago=rng.uniform(0, age),
            )
        )
    offers = []
    for organisation in rng.sample(list(staff), k=rng.randint(0, min(3, len(staff)))):
        if not staff[organisation]:
            continue
        status = rng.choice(OFFER_STATUSES)
        need = rng.randrange(len(needs)) if rng.random() < 0.5 else None
        if need is not None and status == OfferStatus.ACCEPTED:
            needs[need].met_by, needs[need].met_by_organisation = None, organisation
        offers.append(
            OfferSpec(
                organisation=organisation,
                offered_by=rng.choice(staff[organisation]),
                kind=rng.choice(SUPPORT_KINDS),
                message="We denken mee en helpen met contacten en middelen waar dat nodig is.",
                status=status,
                need=need,
                days_ago=rng.uniform(0, age),
            )
        )
    authors = [p.user for p in participants if p.status == ParticipationStatus.ACCEPTED]
    updates = [
        UpdateSpec(
            author=rng.choice(authors),
            body=rng.choice(
                [
                    "Wat een mooie middag! Dank aan iedereen die er was.",
                    "We zoeken nog mensen voor de volgende keer.",
                    "De eerste stap is gezet: de datum staat.",
                    "Volgende week overleggen we over de planning. Iedereen is welkom.",
                ]
            ),
            days_ago=rng.uniform(0, age),
        )
        for _ in range(rng.randint(0, 8))
    ]
    learnings = []
    if rng.random() < 0.3:
        learnings.append(
            LearningSpec(
                author=initiators[0],
                what_worked="Persoonlijk uitnodigen werkt beter dan een poster.",
                what_did_not="Een vaste avond door de week was voor veel gezinnen lastig.",
                days_ago=rng.uniform(0, age),
            )
        )
    return InitiativeSpec(
        title=title.format(flat=rng.choice(flat_names)),
        wish=wish,
        description="Zo willen we het doen: klein beginnen, samen leren wat werkt.",
        status=rng.choice(INITIATIVE_STATUSES),
        visibility=Visibility.PUBLIC if rng.random() < 0.75 else Visibility.MEMBERS,
        themes=themes,
        days_ago=age,
        participants=participants,
        needs=needs,
        offers=offers,
        updates=updates,
        learnings=learnings,
    )


def neighbourhood_build(
    *,
    slug: str,
    name: str,
    municipality: str = "Ede",
    buildings: int = 8,
    homes: int = 900,
    members: int = 1500,
    initiatives: int = 20,
    activities: bool = True,
    rng: random.Random | None = None,
    vocabulary: Vocabulary | None = None,
    password_hash: str | None = None,
) -> Neighbourhood:
    """A whole invented neighbourhood: flats and homes, residents, partners and initiatives."""
    rng = rng or random.Random(slug)
    vocabulary = vocabulary or vocabulary_load()
    now = timezone.now()
    neighbourhood = neighbourhood_create(
        slug=slug,
        name=name,
        municipality=municipality,
        vocabulary=vocabulary,
        description=f"{name}: {buildings} flats, {homes} woningen, buren uit alle windstreken.",
        motto=f"{name}, deel ik met mijn buren!",
        languages=sorted({code for _, codes in ORIGINS for code in codes} | {"nl", "en"}),
    )
    flats = flats_build(neighbourhood=neighbourhood, buildings=buildings, homes=homes)
    memberships = members_build(
        neighbourhood=neighbourhood,
        flats=flats,
        count=members,
        rng=rng,
        vocabulary=vocabulary,
        password_hash=password_hash,
        now=now,
    )
    staff = organisations_build(
        neighbourhood=neighbourhood,
        rng=rng,
        vocabulary=vocabulary,
        password_hash=password_hash,
        now=now,
    )
    residents = [m.user for m in memberships]
    if residents and initiatives:
        created = initiatives_create(
            neighbourhood=neighbourhood,
            initiatives=[
                initiative_build(
                    residents=residents,
                    staff=staff,
                    flat_names=[b.name for b in flats],
                    rng=rng,
                    vocabulary=vocabulary,
                )
                for _ in range(initiatives)
            ],
            vocabulary=vocabulary,
            now=now,
        )
        if activities:
            activities_build(
                neighbourhood=neighbourhood,
                initiatives=created,
                residents=residents,
                rng=rng,
                now=now,
            )
    return neighbourhood


# Repeat rules of invented series, with how often each is picked.
SERIES_RULES = [
    ("FREQ=WEEKLY;BYDAY={day}", 4),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY={day}", 2),
    ("FREQ=MONTHLY;BYDAY=1{day}", 1),
    ("FREQ=MONTHLY;BYDAY=-1{day}", 2),
]
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def activities_build(
    *,
    neighbourhood: Neighbourhood,
    initiatives: Sequence[Initiative],
    residents: Sequence[User],
    rng: random.Random,
    now: datetime,
    series_per: int = 2,
    single_per: int = 3,
) -> list[Activity]:
    """Places, and for each initiative a few repeating series (begun in the past half year) and
    single events in the coming months, with RSVPs for the next date of each series."""
    places = Place.objects.bulk_create(
        [
            Place(neighbourhood=neighbourhood, name=name, capacity=capacity)
            for name, capacity in (("Buurtkamer", 40), ("Keuken", 8), ("Binnenplaats", 120))
        ]
    )
    today = now.date()
    rules = [rule for rule, weight in SERIES_RULES for _ in range(weight)]
    activities: list[Activity] = []
    for initiative in initiatives:
        for number in range(series_per + single_per):
            repeating = number < series_per
            day = rng.randrange(7)
            if repeating:
                rule = rng.choice(rules).format(day=WEEKDAYS[day])
                # A series starts on a date its own rule gives.
                begin = datetime.combine(today - timedelta(days=rng.randrange(30, 180)), time())
                start = rrulestr(rule, dtstart=begin).after(begin, inc=True).date()
            else:
                rule = ""
                start = today + timedelta(days=rng.randrange(1, 120))
            place = rng.choice([*places, None])
            activities.append(
                Activity(
                    neighbourhood=neighbourhood,
                    initiative=initiative,
                    place=place,
                    location="" if place else "Het park",
                    title=f"{initiative.title[:80]} #{number + 1}",
                    start_date=start,
                    start_time=time(rng.randrange(9, 21), rng.choice((0, 30))),
                    duration_minutes=rng.choice((60, 90, 120, 150)),
                    rrule=rule,
                    cost_cents=rng.choice((0, 0, 0, 200, 300)),
                    audience=rng.choice(list(Audience.values)),
                    capacity=rng.choice((None, 20, 40)),
                )
            )
    activities = Activity.objects.bulk_create(activities)
    answers = []
    for activity in activities:
        coming = original_starts(activity, now, now + timedelta(days=70))
        if not coming:
            continue
        for user in rng.sample(list(residents), min(len(residents), rng.randrange(3, 15))):
            answers.append(
                Rsvp(
                    activity=activity,
                    occurrence_start=coming[0],
                    user=user,
                    status=RsvpStatus.GOING,
                )
            )
    Rsvp.objects.bulk_create(answers)
    return activities
