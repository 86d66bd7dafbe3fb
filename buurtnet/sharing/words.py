"""From what a neighbour writes to what matching looks for: words, talents and languages.

Asks are written in forty languages. Two things make an ask in one language find a neighbour
who wrote in another:

- the shared vocabulary: every talent has a name and a list of words people use when they ask
  for it (people.vocabulary.TALENT_WORDS), and each interface language's catalog translates
  both; an ask is read against all of them at once, whatever language it is written in;
- the languages themselves: "Arabisch", "Arabic", "العربية" and "Arapça" all name Arabic.

What is left — the words that are not vocabulary — is matched with the database's full-text
search against what members wrote about themselves and in their offers (sharing.search).

This module only reads the vocabulary (thirty talents, a few dozen languages): never members.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import translation

from buurtnet.people.vocabulary import LANGUAGES, TALENT_WORDS, TALENTS

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Arabic: short vowels and other marks, the elongation stroke.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
# "the", "and the", "with the", "for the", "like the" glued to an Arabic word.
_ARABIC_ARTICLE = re.compile(r"^(?:وال|بال|فال|كال|لل|ال)(?=\w{2,})")

# Shortest word that matches longer words as a prefix ("fiets" finds "fietsen").
PREFIX_MIN = 4

# Words that say nothing about what is asked, in the languages neighbours write most. Kept
# out of the full-text search, where they would match nearly everyone.
_STOPWORDS = """
    de het een en van in op te met voor aan om dat die dit is zijn ben bent was wie wat waar
    hoe kan kun kunt wil wilt mij me mijn ik jij je jou u uw we wij ons onze hij zij ze er
    niet wel ook nog maar als dan of bij naar uit over door heb hebt heeft hebben graag even
    iemand mensen buren buurman buurvrouw help helpen hulp nodig vraag zoek zoeken alstublieft
    bedankt dank week dag morgen vandaag zaterdag zondag avond middag ochtend keer misschien
    goed gaat ga gaan komt komen kom helpt mee soms vind vindt kijkt kijken zetten zet werkt
    werken krijg krijgen leuk geven geef snap snappen weet weten denk denken maak maakt
    staan staat liefst graag samen thuis nieuw nieuwe oud oude groot klein even alleen echt
    iets niks niemand iedereen altijd nooit vaak weer verder eerst eerste laatste twee drie
    overdag avonds ochtends middags vanavond vanmiddag weekend doen doe lukt lukken uur uren
    minuten tijd tijdje keertje paar beetje veel weinig lang kort
    leen lenen uitlenen geleend lending borrow borrowing lend loan ödünç odunc استعاره اعاره
    استعير اعير pożyczyć pożyczę позичити позичу weggeven geven give away
    the a an and of to in on at for with is are was be been am i me my you your we our he she
    they them it this that who what where how can could would will want need needs needed
    help helping please anyone someone somebody neighbour neighbours neighbor neighbors
    thanks thank day week today tomorrow saturday sunday evening morning afternoon maybe
    just some any have has had do does get like go out up about from by or but so not
    من في على الى إلى عن مع هل ما ماذا كيف اين أين انا أنا انت أنت نحن هو هي هم هذا هذه ذلك
    التي الذي او أو و لا نعم ان أن كان يكون يمكن يستطيع احد أحد شخص مساعده مساعدة يساعدني
    ساعدني اريد أريد احتاج أحتاج الجيران جار جاري شكرا لو سمحت يوم اليوم غدا بكرا عندي لي
    bir ve ile için bu şu o ben sen biz siz onlar mi mı mu mü var yok ne kim nasıl nerede
    bana beni benim yardım yardımcı lazım istiyorum olabilir olur eder misiniz komşu
    komşular teşekkürler lütfen gün bugün yarın cumartesi pazar akşam sabah hafta sonu
    alabilir miyim miyiz verebilir verebilirim edebilir edebilecek biri birisi
    i w z na do nie się jest ktoś kto co jak czy mi mnie mój moja pomoc pomóc proszę
    dzięki sąsiad sąsiedzi dzień jutro sobota niedziela wieczorem
    и в на з із що хто як чи мені мене мій моя допомога допомогти будь ласка дякую сусід
    iyo oo ka ku la waxaan ma yaa caawin fadlan mahadsanid
    """


def normalise(word: str) -> str:
    """Case, accents and Arabic spelling folded away, as the full-text index folds them."""
    word = unicodedata.normalize("NFKC", word).casefold()
    word = _ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS)
    word = _ARABIC_ARTICLE.sub("", word)
    decomposed = unicodedata.normalize("NFD", word)
    # Drop Latin accents only (the marks on Arabic, Cyrillic or Ethiopic letters are letters).
    return "".join(
        ch
        for ch in decomposed
        if not (unicodedata.category(ch) == "Mn" and "\u0300" <= ch <= "\u036f")
    )


def _stopwords() -> frozenset[str]:
    """Ours (the words of asking) and the stopwords-iso lists of every language they have."""
    import stopwordsiso

    found = set(_STOPWORDS.split())
    for code, _english, _native in LANGUAGES:
        if stopwordsiso.has_lang(code):
            found |= stopwordsiso.stopwords(code)
    return frozenset(normalise(w) for w in found)


STOPWORDS = _stopwords()
# Only our own list keeps a word out of the vocabulary ("van" is a car in English and "of" in
# Dutch); the general lists hold words such as "computer" or "fix" that do name a talent.
ASKING_WORDS = frozenset(normalise(w) for w in _STOPWORDS.split())


def stem(word: str) -> str:
    """A long word without its last two letters, so that "vietnamees" finds "vietnamese"
    and "fietsen" finds "fietsje": enough for the languages neighbours write, with no
    stemmer per language."""
    return word[: max(5, len(word) - 2)] if len(word) >= 7 else word


def tokens(text: str) -> list[str]:
    return [normalise(t) for t in _TOKEN.findall(text or "")]


@dataclass(frozen=True)
class Pattern:
    """One vocabulary entry: every word must be in the ask (as a word, or as a prefix)."""

    words: tuple[tuple[str, bool], ...]  # (word, is_prefix)

    def found_in(self, ask: set[str], ask_prefixes: dict[str, list[str]]) -> set[str]:
        """The ask's words this entry takes up (empty when one of its words is missing)."""
        used: set[str] = set()
        for word, is_prefix in self.words:
            if not is_prefix:
                if word not in ask:
                    return set()
                used.add(word)
            else:
                hits = [t for t in ask_prefixes.get(word[:PREFIX_MIN], ()) if t.startswith(word)]
                if not hits:
                    return set()
                used.update(hits)
        return used


def _patterns(entry: str) -> Pattern | None:
    words = []
    for raw in entry.split():
        is_prefix = raw.endswith("*")
        found = tokens(raw.rstrip("*"))
        if not found:
            continue
        for word in found:
            if word in ASKING_WORDS:
                # "van" is a car in English and "of" in Dutch: a word that is a stopword in
                # any language names nothing.
                continue
            # A prefix shorter than PREFIX_MIN would match far too much: then it is a word.
            words.append((word, is_prefix and len(word) >= PREFIX_MIN))
    return Pattern(tuple(words)) if words else None


def _entries(msgid: str) -> set[str]:
    """The msgid's comma-separated entries in every interface language."""
    found = {e.strip() for e in msgid.split(",")}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found |= {e.strip() for e in translation.gettext(msgid).split(",")}
    return {e for e in found if e}


@lru_cache(maxsize=1)
def talent_patterns() -> dict[str, tuple[Pattern, ...]]:
    """Per talent slug, every way to name it in every interface language (built once)."""
    names = dict(TALENTS)
    result = {}
    for slug, words in TALENT_WORDS.items():
        entries = _entries(words) | _entries(names[slug])
        patterns = {p for e in entries if (p := _patterns(e)) is not None}
        result[slug] = tuple(patterns)
    return result


LANGUAGE_STEM_MIN = 5


def _language_stem(name: str) -> tuple[str, bool]:
    """ "arabisch" names Arabic, so do "arabische" and "arabic": a stem of the name (five
    letters at least, so that "freni" is not French)."""
    word = normalise(name)
    if len(word) <= LANGUAGE_STEM_MIN:
        return word, False
    return word[: max(LANGUAGE_STEM_MIN, len(word) - 2)], True


@lru_cache(maxsize=1)
def language_patterns() -> dict[str, tuple[Pattern, ...]]:
    """Per language code, its names in every interface language and in itself."""
    result = {}
    for code, english, native in LANGUAGES:
        names = _entries(english) | {native}
        patterns = set()
        for name in names:
            words = tuple(_language_stem(w) for w in tokens(name))
            if words:
                patterns.add(Pattern(words))
        result[code] = tuple(patterns)
    return result


# Words for speaking a language: "who speaks Kurdish?" asks for the language itself, where
# "an Arabic dish" does not. Stems, matched at the start of a word.
SPEAKING = tuple(
    normalise(w)
    for w in """
    speak spoke spreek spreken sprak praat praten chat talk taal language
    konuş konus bilen bilir dil
    يتكلم تتكلم يتحدث تتحدث يحكي تحكي لغه
    mówi mowi rozmawia język jezyk
    говор розмовля мов
    hadl luqad
    """.split()
)


@dataclass(frozen=True)
class Reading:
    """What matching takes from an ask's text."""

    talents: frozenset[str]  # talent slugs named in the text
    languages: frozenset[str]  # language codes named in the text
    terms: tuple[str, ...]  # the telling words, for the full-text search
    # The terms that are not vocabulary ("injera", "saz", "Belastingdienst"): the specific
    # thing asked for, which a neighbour's own words or offer may name.
    specific: frozenset[str] = frozenset()
    speaking: bool = False  # it speaks of speaking a language


# Arabic glues "and", "so", "with", "for" and "like" to the next word: وتنظيف is "and cleaning".
_ARABIC_PARTICLE = re.compile(r"^[وفبلك](?=[\u0621-\u064a]{4,})")


def read(text: str, *, max_terms: int = 10) -> Reading:
    words = tokens(text)
    ask = set(words) | {_ARABIC_PARTICLE.sub("", w) for w in words}
    prefixes: dict[str, list[str]] = {}
    for word in ask:
        prefixes.setdefault(word[:PREFIX_MIN], []).append(word)
    vocabulary: set[str] = set()
    languages = set()
    for code, patterns in language_patterns().items():
        for pattern in patterns:
            used = pattern.found_in(ask, prefixes)
            if used:
                languages.add(code)
                vocabulary |= used
    names_of_languages = set(vocabulary)
    talents = set()
    for slug, patterns in talent_patterns().items():
        for pattern in patterns:
            used = pattern.found_in(ask, prefixes)
            # "my Dutch CV" names Dutch, not the talent of translating.
            if used and not used <= names_of_languages:
                talents.add(slug)
                vocabulary |= used
    terms: list[str] = []
    for word in words:
        if len(word) < 3 or word.isdigit() or word in STOPWORDS or word in terms:
            continue
        if word.startswith(SPEAKING):
            continue  # "speaks" says which language, not what
        terms.append(word)
        if len(terms) == max_terms:
            break
    return Reading(
        talents=frozenset(talents),
        languages=frozenset(languages),
        terms=tuple(terms),
        specific=frozenset(t for t in terms if t not in vocabulary),
        speaking=any(w.startswith(SPEAKING) for w in ask),
    )
