"""The right neighbour for each ask: who fits, and why, in words the reader understands.

For an ask (or an initiative's open need) Buurtnet suggests a few neighbours who fit it, only
among members who opted in to be asked (User.open_to_asks), never the asker, never someone who
blocked the asker or was blocked by them, never a suspended member, never someone already asked
for this ask, and not someone who said no to the same asker's ask in the same category lately.

How it works, in two fixed steps whatever the size of the neighbourhood:

1. **Signals, in the database.** One query gathers the members with a strong reason to be
   asked — the talent the ask is filed under, talents its words name (through the translated
   vocabulary, so an ask in Dutch finds a talent entered in Arabic: see words.py), a live offer
   of theirs in that category or whose words match, their own words about themselves naming
   the specific thing asked (full-text search: SQLite FTS5 or PostgreSQL tsvector, migration
   sharing 0003), a language the ask needs, thanks for help in that category — adds up the
   strongest weight of each kind per member, filters out who may not be asked, and keeps the
   best CANDIDATES.
2. **A host's judgement, for those few.** Their languages, talents, offers, flat, free time
   and thanks are read for at most CANDIDATES members, and the rules a good host follows are
   applied:
   - asked for a part of the week: only who is free then;
   - a language ask ("who speaks Kurdish?", "Arabic to Dutch"): only who speaks it (both,
     for translating); someone who reads no Dutch and says so: also neighbours who speak
     their own language and Dutch;
   - borrowing or taking something: only the neighbours who lend or give it;
   - a specific thing (a dish, a word few neighbours wrote): the neighbours who name it come
     first. When the asker chose no category and someone names it in their own words about
     themselves ("injera"), they are the only ones, rather than everyone with a talent guessed
     from the words; when only an offer names it ("help with DigiD"), the neighbours with the
     same talent follow. Talents guessed from the words count while nothing surer is there;
   - bonuses tell equal fits apart: speaks the language the ask is written in, lives in the
     asker's flat, is free then, was thanked before.

The weights are whole numbers; a member needs at least THRESHOLD from strong reasons, which one
of them reaches on its own and bonuses never do. Quality is measured on a labelled set
(tests/sharing/matching_set.json, see bench/RESULTS.md), speed at 20,000 members
(bench/matching.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.initiatives.models import ParticipationStatus
from buurtnet.neighbourhoods.models import Building, Membership
from buurtnet.people.models import Language, Talent, User
from buurtnet.sharing import words
from buurtnet.sharing.models import (
    Answer,
    Kind,
    PartOfDay,
    Post,
    PostStatus,
    Side,
    Thanks,
)

# Strong signals: one of them is enough to be suggested.
W_CATEGORY = 8  # has the talent the ask is filed under
W_TALENT = 6  # has a talent the ask's words name (no category chosen)
W_TALENT_EXTRA = 3  # has a talent the ask's words name, besides the category chosen
W_OFFER = 8  # offers it: a live offer in the category, or whose words match
W_WORDS = 6  # wrote about it themselves (full-text search over their profile)
W_LANGUAGE = 8  # speaks a language the ask names ("who translates Tigrinya?")
W_HELPED_HERE = 2  # was thanked for help in this category before
# Bonuses, for telling apart members who fit equally well.
B_WRITTEN_IN = 3  # speaks the language the ask is written in (when it is not the local one)
B_FLAT = 2  # lives in the asker's flat
B_FREE = 2  # is free at the part of the week asked for
B_HELPED = 1  # was thanked for help before
B_OWN_LANGUAGE = 2  # speaks the asker's own language (other than Dutch or English)
B_NAMED_LANGUAGE = 3  # speaks a language the ask names, when the ask is not about language
B_NAMES_IT = 20  # names the specific thing asked for: first, whatever else they have
THRESHOLD = 6

CANDIDATES = 40  # read in detail in step 2
PER_REASON = 500  # members one reason brings at most
FTS_LIMIT = 60  # best full-text hits taken per search
RARE = 8  # a word at most this many members wrote about themselves names something specific
DECLINED_DAYS = 90  # not asked again by the same asker for the same category for this long


@dataclass(frozen=True)
class Reason:
    code: str  # talent, offer, words, speaks, flat, free, helped
    value: str = ""

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "value": self.value}


@dataclass
class Suggestion:
    user: User
    score: int
    reasons: list[Reason] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return explain(self.reasons)


@dataclass(frozen=True)
class Ask:
    """What is matched: an ask, or an initiative's need, put the same way."""

    neighbourhood_id: int
    asker_id: int
    text: str
    category: Talent | None = None
    written_in: str = ""
    building_id: int | None = None
    part_of_day: str = ""
    kind: str = ""
    post_id: int | None = None
    need_id: int | None = None
    # Already on board (an initiative's participants): never suggested for its needs.
    exclude_ids: tuple[int, ...] = ()


def ask_of_post(post: Post) -> Ask:
    return Ask(
        neighbourhood_id=post.neighbourhood_id,
        asker_id=post.author_id,
        text=f"{post.title}\n{post.body}\n{post.when}",
        category=post.category,
        written_in=post.language,
        building_id=post.building_id,
        part_of_day=post.part_of_day,
        kind=post.kind,
        post_id=post.pk,
    )


def ask_of_need(need, *, asker) -> Ask:
    initiative = need.initiative
    on_board = tuple(
        initiative.participations.filter(
            status__in=(ParticipationStatus.PENDING, ParticipationStatus.ACCEPTED)
        ).values_list("user_id", flat=True)
    )
    return Ask(
        neighbourhood_id=initiative.neighbourhood_id,
        asker_id=asker.pk,
        text=need.description,
        category=need.talent,
        written_in=getattr(initiative, "language", "") or "",
        need_id=need.pk,
        exclude_ids=on_board,
    )


def suggest_for_post(post: Post, *, limit: int = 10) -> list[Suggestion]:
    return suggest(ask_of_post(post), limit=limit)


def suggest_for_need(need, *, asker, limit: int = 10) -> list[Suggestion]:
    return suggest(ask_of_need(need, asker=asker), limit=limit)


# Step 1 ------------------------------------------------------------------------------------


def _in(values) -> tuple[str, list]:
    values = list(values)
    return ", ".join(["%s"] * len(values)), values


def _fts_query(terms: tuple[str, ...]) -> str:
    """The ask's telling words as a full-text query: any of them, each also as a prefix."""
    stems = dict.fromkeys(words.stem(t) for t in terms)
    if connection.vendor == "postgresql":
        return " | ".join(f"{t}:*" for t in stems)
    return " OR ".join(f'"{t}"*' for t in stems)


def _profile_hits_sql(neighbourhood_id: int, terms: tuple[str, ...]) -> tuple[str, list]:
    query = _fts_query(terms)
    if connection.vendor == "postgresql":
        document = "coalesce(u.talents_other, '') || ' ' || coalesce(u.passions, '')"
        return (
            f"""SELECT * FROM (
                SELECT u.id AS user_id, {W_WORDS} AS weight, 'words' AS code
                FROM people_user u
                JOIN neighbourhoods_membership wm
                  ON wm.user_id = u.id AND wm.neighbourhood_id = %s
                WHERE to_tsvector('simple', {document}) @@ to_tsquery('simple', %s)
                ORDER BY ts_rank(to_tsvector('simple', {document}), to_tsquery('simple', %s))
                  DESC
                LIMIT {FTS_LIMIT}) AS profile_hits""",
            [neighbourhood_id, query, query],
        )
    return (
        f"""SELECT * FROM (
            SELECT f.rowid AS user_id, {W_WORDS} AS weight, 'words' AS code
            FROM people_user_fts f
            JOIN neighbourhoods_membership wm
              ON wm.user_id = f.rowid AND wm.neighbourhood_id = %s
            WHERE people_user_fts MATCH %s
            ORDER BY f.rank
            LIMIT {FTS_LIMIT})""",
        [neighbourhood_id, query],
    )


def _offer_text_sql(neighbourhood_id: int, terms: tuple[str, ...]) -> tuple[str, list]:
    """Live offers in the neighbourhood whose own words match the ask's."""
    query = _fts_query(terms)
    if connection.vendor == "postgresql":
        document = "coalesce(o.title, '') || ' ' || coalesce(o.body, '')"
        return (
            f"""SELECT o.id FROM sharing_post o
            WHERE o.neighbourhood_id = %s
              AND to_tsvector('simple', {document}) @@ to_tsquery('simple', %s)""",
            [neighbourhood_id, query],
        )
    return (
        """SELECT f.rowid FROM sharing_post_fts f
        WHERE sharing_post_fts MATCH %s""",
        [query],
    )


def _signals(
    ask: Ask,
    reading: words.Reading,
    talent_ids: list[int],
    rare: set[str],
    bridge: set[str] = frozenset(),
) -> list[tuple[int, int]]:
    """(member id, weight) of the best CANDIDATES members, strongest first."""
    now = timezone.now()
    parts: list[str] = []
    params: list = []
    if ask.category is not None:
        parts.append(
            f"SELECT ut.user_id, {W_CATEGORY} AS weight, 'talent' AS code"
            " FROM people_user_talents ut WHERE ut.talent_id = %s"
        )
        params.append(ask.category.pk)
    named = [t for t in talent_ids if ask.category is None or t != ask.category.pk]
    if named:
        marks, values = _in(named)
        parts.append(
            f"SELECT ut.user_id, {W_TALENT} AS weight, 'talent' AS code"
            f" FROM people_user_talents ut WHERE ut.talent_id IN ({marks})"
        )
        params += values
    offer_filters: list[str] = []
    offer_params: list = []
    categories = ([ask.category.pk] if ask.category is not None else []) + named
    if categories:
        marks, values = _in(categories)
        offer_filters.append(f"o.category_id IN ({marks})")
        offer_params += values
    if reading.terms:
        sql, values = _offer_text_sql(ask.neighbourhood_id, reading.terms)
        offer_filters.append(f"o.id IN ({sql})")
        offer_params += values
    if offer_filters:
        parts.append(
            f"SELECT o.author_id AS user_id, {W_OFFER} AS weight, 'offer' AS code"
            " FROM sharing_post o"
            " WHERE o.neighbourhood_id = %s AND o.side = %s AND o.status = %s"
            " AND o.hidden_at IS NULL AND o.expires_at > %s"
            f" AND ({' OR '.join(offer_filters)})"
        )
        params += [ask.neighbourhood_id, Side.OFFER, PostStatus.OPEN, now, *offer_params]
    if rare:
        sql, values = _profile_hits_sql(ask.neighbourhood_id, tuple(sorted(rare)))
        parts.append(sql)
        params += values
    needed_languages = sorted(_needed_languages(ask, reading)[0] | set(bridge))
    if needed_languages:
        marks, values = _in(needed_languages)
        parts.append(
            f"SELECT ul.user_id, {W_LANGUAGE} AS weight, 'speaks' AS code"
            f" FROM people_user_languages ul WHERE ul.language_id IN ({marks})"
        )
        params += values
    if categories:
        marks, values = _in(categories)
        parts.append(
            f"SELECT th.receiver_id AS user_id, {W_HELPED_HERE} AS weight, 'helped' AS code"
            f" FROM sharing_thanks th WHERE th.neighbourhood_id = %s"
            f" AND th.category_id IN ({marks})"
        )
        params += [ask.neighbourhood_id, *values]
    if not parts:
        return []

    filters = [
        "s.user_id != %s",
        "s.user_id NOT IN (SELECT blocked_id FROM people_block WHERE blocker_id = %s)",
        "s.user_id NOT IN (SELECT blocker_id FROM people_block WHERE blocked_id = %s)",
    ]
    filter_params: list = [ask.asker_id, ask.asker_id, ask.asker_id]
    if ask.post_id is not None:
        filters.append(
            "s.user_id NOT IN (SELECT user_id FROM sharing_invitation WHERE post_id = %s)"
        )
        filter_params.append(ask.post_id)
    if ask.need_id is not None:
        filters.append(
            "s.user_id NOT IN (SELECT user_id FROM sharing_invitation WHERE need_id = %s)"
        )
        filter_params.append(ask.need_id)
    if ask.category is not None:
        filters.append(
            "s.user_id NOT IN (SELECT i.user_id FROM sharing_invitation i"
            " JOIN sharing_post p ON p.id = i.post_id"
            " WHERE p.author_id = %s AND p.category_id = %s AND i.answer = %s"
            " AND i.answered_at > %s)"
        )
        filter_params += [
            ask.asker_id,
            ask.category.pk,
            Answer.NO,
            now - timedelta(days=DECLINED_DAYS),
        ]
    if ask.exclude_ids:
        marks, values = _in(ask.exclude_ids)
        filters.append(f"s.user_id NOT IN ({marks})")
        filter_params += values

    # One reason brings at most PER_REASON members: when thousands share a talent, any of them
    # fits as well, and the query stays as cheap as for a rare talent.
    union = " UNION ALL ".join(
        f"SELECT * FROM ({part} LIMIT {PER_REASON}) AS reason_{i}" for i, part in enumerate(parts)
    )
    sql = f"""
        SELECT best.user_id, SUM(best.weight) AS score FROM (
            SELECT s.user_id, s.code, MAX(s.weight) AS weight
            FROM ({union}) s
            JOIN neighbourhoods_membership m
              ON m.user_id = s.user_id AND m.neighbourhood_id = %s
             AND (m.suspended_until IS NULL OR m.suspended_until <= %s)
            JOIN people_user u ON u.id = s.user_id AND u.is_active = %s AND u.open_to_asks = %s
            WHERE {" AND ".join(filters)}
            GROUP BY s.user_id, s.code
        ) best
        GROUP BY best.user_id
        ORDER BY score DESC, best.user_id
        LIMIT {CANDIDATES}
    """
    all_params = [*params, ask.neighbourhood_id, now, True, True, *filter_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return [(int(user_id), int(score)) for user_id, score in cursor.fetchall()]


# Step 2 ------------------------------------------------------------------------------------


def _free(user: User, part_of_day: str) -> bool:
    return {
        PartOfDay.DAYTIME: user.available_daytime,
        PartOfDay.EVENING: user.available_evenings,
        PartOfDay.WEEKEND: user.available_weekends,
    }.get(part_of_day, False)


def _words_found(reading: words.Reading, text: str) -> list[str]:
    found = set(words.tokens(text))
    return [
        term
        for term in reading.terms
        if any(
            w == term or (len(term) >= words.PREFIX_MIN and w.startswith(words.stem(term)))
            for w in found
        )
    ]


def suggest(ask: Ask, *, limit: int = 10) -> list[Suggestion]:
    """The best `limit` neighbours for the ask, best first, each with its reasons."""
    reading = _without_place_names(words.read(ask.text), ask.neighbourhood_id)
    slug_of = dict(Talent.objects.values_list("pk", "slug"))
    talent_ids = [pk for pk, slug in slug_of.items() if slug in reading.talents]
    # Words many neighbours wrote about themselves single nobody out.
    rare = _rare_terms(ask.neighbourhood_id, frozenset(reading.terms))
    asker_speaks_all = set(
        User.languages.through.objects.filter(user_id=ask.asker_id).values_list(
            "language_id", flat=True
        )
    )
    bridge = _bridge_languages(ask, reading, asker_speaks_all)
    scored = _signals(ask, reading, talent_ids, rare & reading.specific, bridge)
    if not scored:
        return []
    ids = [user_id for user_id, _score in scored]
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=ids).only(
            "pk",
            "display_name",
            "sort_name",
            "photo",
            "show_photo",
            "show_talents",
            "show_passions",
            "show_building",
            "talents_other",
            "passions",
            "available_daytime",
            "available_evenings",
            "available_weekends",
        )
    }
    spoken_by: dict[int, set[str]] = {}
    for user_id, code in User.languages.through.objects.filter(user_id__in=ids).values_list(
        "user_id", "language_id"
    ):
        spoken_by.setdefault(user_id, set()).add(code)
    talents_of: dict[int, list[tuple[int, str]]] = {}
    for user_id, talent_id, slug in User.talents.through.objects.filter(
        user_id__in=ids
    ).values_list("user_id", "talent_id", "talent__slug"):
        talents_of.setdefault(user_id, []).append((talent_id, slug))
    buildings = dict(
        Membership.objects.filter(
            user_id__in=ids, neighbourhood_id=ask.neighbourhood_id
        ).values_list("user_id", "building_id")
    )
    now = timezone.now()
    offers: dict[int, list[Post]] = {}
    for offer in Post.objects.filter(
        neighbourhood_id=ask.neighbourhood_id,
        author_id__in=ids,
        side=Side.OFFER,
        status=PostStatus.OPEN,
        hidden_at__isnull=True,
        expires_at__gt=now,
    ).only("pk", "author_id", "title", "body", "category_id", "kind"):
        offers.setdefault(offer.author_id, []).append(offer)
    thanked = set(
        Thanks.objects.filter(receiver_id__in=ids, neighbourhood_id=ask.neighbourhood_id)
        .values_list("receiver_id", flat=True)
        .distinct()
    )
    wanted_talents = set(reading.talents) | ({ask.category.slug} if ask.category else set())
    local = settings.LANGUAGE_CODE

    asker_speaks = asker_speaks_all - {local, "en"}
    # The specific thing asked for ("injera", "saz"): not vocabulary, and named by few.
    specific_reading = words.Reading(
        talents=frozenset(),
        languages=frozenset(),
        terms=tuple(sorted(rare & reading.specific)),
    )
    needed_languages, named_local = _needed_languages(ask, reading)

    lending = ask.kind in (Kind.BORROW, Kind.GIVE)
    asked_categories = set(talent_ids) | ({ask.category.pk} if ask.category is not None else set())
    category_slug = ask.category.slug if ask.category is not None else None
    # Talents read from the words count fully when the asker chose no category; with one, the
    # category says what it is about and the words only add to it.
    w_named = W_TALENT if category_slug is None else W_TALENT_EXTRA

    language_ask = "languages" in wanted_talents or not wanted_talents or reading.speaking
    translating = "languages" in wanted_talents and len(needed_languages) >= 2
    fits: list[_Fit] = []
    for user_id, _rank in scored:
        user = users.get(user_id)
        if user is None:
            continue
        # Told when: who is not free then cannot help.
        if ask.part_of_day and not _free(user, ask.part_of_day):
            continue
        spoken = spoken_by.get(user_id, set())
        # A language ask ("who speaks Tigrinya", "Arabic to Dutch") needs that language; in
        # another ask ("cook an Arabic dish") speaking it only counts for more.
        if language_ask and needed_languages and not (needed_languages & spoken):
            continue
        if language_ask and named_local and needed_languages and local not in spoken:
            continue
        if translating and not needed_languages <= spoken:
            continue  # translating from Arabic into English: both
        fit = _Fit(user=user, score=0)
        strong = 0
        for language in sorted(needed_languages & spoken):
            fit.reasons.append(Reason("speaks", language))
            fit.specific = language_ask
        if needed_languages & spoken and language_ask:
            strong += W_LANGUAGE
        elif needed_languages & spoken:
            fit.score += B_NAMED_LANGUAGE
        elif bridge & spoken and local in spoken:
            # The asker reads no Dutch: a neighbour who speaks their language and Dutch.
            fit.reasons.append(Reason("speaks", sorted(bridge & spoken)[0]))
            strong += W_LANGUAGE
        if ask.written_in and ask.written_in != local and ask.written_in in spoken:
            if ask.written_in not in needed_languages:
                fit.reasons.append(Reason("speaks", ask.written_in))
            fit.score += B_WRITTEN_IN
        elif asker_speaks & spoken and not needed_languages:
            # Someone who shares the asker's own language can explain in it.
            fit.reasons.append(Reason("speaks", sorted(asker_speaks & spoken)[0]))
            fit.score += B_OWN_LANGUAGE
        talents = [(pk, slug) for pk, slug in talents_of.get(user_id, []) if slug in wanted_talents]
        if user.show_talents:
            fit.reasons += [Reason("talent", slug) for _pk, slug in talents]
        slugs = {slug for _pk, slug in talents}
        if category_slug in slugs:
            strong += W_CATEGORY
        strong += w_named * min(2, len(slugs - {category_slug}))
        fit.guessed = strong > 0 and category_slug not in slugs and not (needed_languages & spoken)
        fit.talents = slugs
        offer_categories = {ask.category.pk} if ask.category is not None else set()
        if ask.category is None:
            offer_categories |= {pk for pk, _slug in talents}
        for offer in offers.get(user_id, []):
            text = f"{offer.title} {offer.body}"
            names_it = _words_found(specific_reading, text)
            said = _words_found(reading, text)
            if lending:
                # Borrowing a ladder: an offer that names a ladder, or one filed under what
                # the ask's words name (a sewing machine, asked for in Arabic, offered in Dutch).
                fit.names_item = bool(names_it or said)
                fits_it = fit.names_item or (
                    offer.category_id in asked_categories and offer.kind == ask.kind
                )
            else:
                # Help with a skill: an offer in that category, or one that names the specific
                # thing and comes with the talent asked for, or says what the ask says in two
                # words or more ("Nederlands oefenen" for "Nederlands te oefenen").
                names_it = names_it if (talents or not wanted_talents) else []
                if len(said) >= 2 and (talents or not wanted_talents):
                    names_it = names_it or said
                fits_it = offer.category_id in offer_categories or bool(names_it)
            if not lending and offer.kind in (Kind.BORROW, Kind.GIVE):
                fits_it = False  # lending a ladder says little about helping with a skill
            if fits_it:
                fit.reasons.append(Reason("offer", offer.title))
                fit.offers = True
                # Sure when it names the thing, is lent or given, or is in the category the
                # asker chose; an offer in a talent only guessed from the words is a guess too.
                fit.sure_offer = bool(
                    names_it
                    or lending
                    or (ask.category is not None and offer.category_id == ask.category.pk)
                )
                fit.sure_talents |= {slug_of.get(offer.category_id, "")} | (
                    {category_slug} if category_slug else set()
                )
                if fit.sure_offer:
                    fit.sure_talents |= slugs
                fit.specific = fit.specific or bool(names_it)
                strong += W_OFFER
                break
        # A specific word counts when it comes with the talent asked for (or when the ask names
        # no talent at all): "injera" from a baker, not "benzine" from someone's story.
        on_topic = bool(talents) or fit.offers or not wanted_talents
        if user.show_passions or user.show_talents:
            own = _words_found(specific_reading, f"{user.talents_other} {user.passions}")
            if own and on_topic:
                fit.specific = True
                fit.names_own = True
                fit.sure_talents |= slugs
                fit.reasons.append(Reason("words", own[0]))
                strong += W_WORDS
        if fit.sure_offer or fit.specific or (bridge & spoken and local in spoken):
            fit.guessed = False
        if strong < THRESHOLD:
            continue  # bonuses alone never make a suggestion
        fit.score += strong
        fit.strong = strong
        if (
            ask.building_id is not None
            and buildings.get(user_id) == ask.building_id
            and user.show_building
        ):
            fit.reasons.append(Reason("flat"))
            fit.score += B_FLAT
        if ask.part_of_day:
            fit.reasons.append(Reason("free", ask.part_of_day))
            fit.score += B_FREE
        if user_id in thanked:
            fit.reasons.append(Reason("helped"))
            fit.score += B_HELPED
        fits.append(fit)
    # Borrowing or taking something: from the neighbours who lend or give it, and when an offer
    # names the thing, from those whose offer does.
    if lending:
        fits = [f for f in fits if f.offers]
        if any(f.names_item for f in fits):
            fits = [f for f in fits if f.names_item]
    # Talents guessed from the ask's words only count while nothing surer is there.
    # Talents guessed from the ask's words: while surer fits are there (an offer, the specific
    # thing named), only the guesses that share their talent.
    sure = [f for f in fits if not f.guessed]
    if sure:
        sure_talents = set().union(*(f.sure_talents for f in sure))
        fits = [f for f in fits if not f.guessed or f.talents & sure_talents]
    # A specific thing asked for (a dish, an instrument, a language): the neighbours who name
    # it first. Without a category, a member's own words naming it ("injera") leave only those
    # who name it: everyone else was only guessed from the words; an offer naming it ("help
    # with DigiD") leaves the neighbours with the same talent after it. With a category, the
    # category the asker chose says who else fits.
    if any(f.specific for f in fits):
        if category_slug is None:
            if any(f.names_own for f in fits):
                fits = [f for f in fits if f.specific]
            else:
                named_by = set().union(*(f.talents for f in fits if f.specific))
                fits = [f for f in fits if f.specific or f.talents & named_by]
        for f in fits:
            if f.specific:
                f.score += B_NAMES_IT
    fits.sort(key=lambda f: (-f.score, f.user.sort_name, f.user.pk))
    return [Suggestion(user=f.user, score=f.score, reasons=f.reasons) for f in fits[:limit]]


def _needed_languages(ask: Ask, reading: words.Reading) -> tuple[set[str], bool]:
    """The languages a helper must speak (besides Dutch), and whether Dutch is one of them.

    Named in the ask ("who speaks Tigrinya?", "Arabic to Dutch"), or implied: an ask filed
    under translating and written in Arabic ("who translates this letter for me?") asks for
    Arabic and Dutch."""
    local = settings.LANGUAGE_CODE
    needed = set(reading.languages) - {local}
    named_local = local in reading.languages
    asks_translation = ask.category is not None and ask.category.slug == "languages"
    if not needed and asks_translation and ask.written_in not in ("", local):
        return {ask.written_in}, True
    return needed, named_local


# Asks about these may need someone to explain Dutch in the asker's own language.
DUTCH_MATTERS = frozenset({"admin", "languages", "money"})


def _bridge_languages(ask: Ask, reading: words.Reading, asker_speaks: set[str]) -> set[str]:
    """The asker's own languages, when they read no Dutch and say their letter or form is in
    Dutch ("my Dutch is not good"): a neighbour who speaks one of them and Dutch can explain."""
    local = settings.LANGUAGE_CODE
    if local in asker_speaks:
        return set()
    wanted = {ask.category.slug} if ask.category is not None else set(reading.talents)
    if local in reading.languages and wanted & DUTCH_MATTERS:
        return asker_speaks - {local, "en"}
    return set()


def _without_place_names(reading: words.Reading, neighbourhood_id: int) -> words.Reading:
    """The names of the flats and the neighbourhood say where, not what: not matched."""
    names = set(
        Building.objects.filter(neighbourhood_id=neighbourhood_id).values_list("name", flat=True)
    )
    places = {w for name in names for w in words.tokens(name)}
    return words.Reading(
        talents=reading.talents,
        languages=reading.languages,
        terms=tuple(t for t in reading.terms if t not in places),
        specific=frozenset(t for t in reading.specific if t not in places),
        speaking=reading.speaking,
    )


@dataclass
class _Fit:
    user: User
    score: int
    reasons: list[Reason] = field(default_factory=list)
    strong: int = 0  # the weight of the strong reasons alone
    guessed: bool = False  # only talents read from the ask's words speak for them
    sure_offer: bool = False  # an offer that surely fits
    names_item: bool = False  # a lending offer that names the thing asked for
    talents: set[str] = field(default_factory=set)  # the talents asked for that they have
    sure_talents: set[str] = field(default_factory=set)  # the talents their surer fit is about
    offers: bool = False  # has a live offer that fits
    specific: bool = False  # names the specific thing asked, or speaks the language asked
    names_own: bool = False  # names the specific thing in their own words about themselves


def _rare_terms(neighbourhood_id: int, terms: frozenset[str]) -> set[str]:
    """The ask's specific words that at most RARE members of the neighbourhood wrote about
    themselves: a word many wrote ("cooking", "children") singles nobody out. One query."""
    if not terms:
        return set()
    ordered = sorted(terms)
    parts = []
    params: list = []
    for term in ordered:
        if connection.vendor == "postgresql":
            document = "coalesce(u.talents_other, '') || ' ' || coalesce(u.passions, '')"
            # No LIMIT here: with one, PostgreSQL reads every member hoping to stop early,
            # without it the GIN index finds the few who wrote the word.
            parts.append(
                f"SELECT count(*) FROM people_user u"
                f" JOIN neighbourhoods_membership m ON m.user_id = u.id"
                f" AND m.neighbourhood_id = %s"
                f" WHERE to_tsvector('simple', {document}) @@ to_tsquery('simple', %s)"
            )
        else:
            parts.append(
                f"SELECT count(*) FROM (SELECT 1 FROM people_user_fts f"
                f" JOIN neighbourhoods_membership m ON m.user_id = f.rowid"
                f" AND m.neighbourhood_id = %s"
                f" WHERE people_user_fts MATCH %s LIMIT {RARE + 1})"
            )
        params += [neighbourhood_id, _fts_query((term,))]
    sql = " UNION ALL ".join(f"SELECT {i} AS n, ({part}) AS hits" for i, part in enumerate(parts))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = dict(cursor.fetchall())
    return {term for i, term in enumerate(ordered) if counts.get(i, 0) <= RARE}


# Words -------------------------------------------------------------------------------------


def _language_name(code: str) -> str:
    language = _languages().get(code)
    if language is None:
        language = Language.objects.filter(code=code).first()
    return language.name if language else code


@lru_cache(maxsize=1)
def _languages() -> dict[str, Language]:
    """The languages vocabulary (synced at every migrate): read once per process."""
    return {language.code: language for language in Language.objects.all()}


@lru_cache(maxsize=1)
def _talents() -> dict[str, Talent]:
    return {talent.slug: talent for talent in Talent.objects.all()}


def explain(reasons) -> str:
    """The reasons in the reader's language: "speaks Arabic · likes cooking · lives in your flat".

    Takes Reason objects or their JSON form (as kept on an Invitation)."""
    parts: list[str] = []
    for reason in reasons:
        code, value = (
            (reason.code, reason.value)
            if isinstance(reason, Reason)
            else (reason.get("code", ""), reason.get("value", ""))
        )
        if code == "speaks":
            parts.append(_("speaks %(language)s") % {"language": _language_name(value)})
        elif code == "talent":
            talent = _talents().get(value) or Talent.objects.filter(slug=value).first()
            if talent is not None:
                parts.append(_("likes %(talent)s") % {"talent": talent.label.lower()})
        elif code == "offer":
            parts.append(_("offers “%(title)s”") % {"title": value})
        elif code == "words":
            parts.append(_("wrote about “%(word)s”") % {"word": value})
        elif code == "flat":
            parts.append(_("lives in your flat"))
        elif code == "free":
            parts.append(
                {
                    PartOfDay.DAYTIME: _("free during the day"),
                    PartOfDay.EVENING: _("free in the evenings"),
                    PartOfDay.WEEKEND: _("free at the weekend"),
                }.get(value, _("free then"))
            )
        elif code == "helped":
            parts.append(_("helped neighbours before"))
    return " · ".join(dict.fromkeys(parts))


__all__ = [
    "Ask",
    "Reason",
    "Suggestion",
    "ask_of_need",
    "ask_of_post",
    "explain",
    "suggest",
    "suggest_for_need",
    "suggest_for_post",
]
