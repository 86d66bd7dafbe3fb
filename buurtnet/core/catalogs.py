"""Catalog chores that need no GNU gettext: fill the English catalog, compile, check.

python -m buurtnet.core.catalogs fill-english   # English msgstr = msgid where empty
python -m buurtnet.core.catalogs compile        # .po -> .mo with polib
python -m buurtnet.core.catalogs check          # list untranslated or fuzzy entries

compile and check cover locale/ and locale_django/ (Django's own strings for Somali and Tigrinya).
"""

import sys
from pathlib import Path

import django
import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "locale"
# The interface languages (config.settings.LANGUAGES and the Makefile's LANGS list the same).
LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk", "so", "ti", "fa", "bg")
# Interface languages Django ships no catalog for: Buurtnet translates the Django strings its
# users meet (form errors, password messages, month names) in locale_django/, a second entry in
# settings.LOCALE_PATHS. Never put it under an app: makemessages would add the app's strings.
DJANGO_GAP_LANGUAGES = ("so", "ti")
DJANGO_LOCALE_DIR = LOCALE_DIR.parent / "locale_django"
# Django's English catalogs, whose msgids the locale_django/ entries must repeat exactly.
DJANGO_ENGLISH_CATALOGS = tuple(
    Path(django.__file__).resolve().parent / folder / "locale/en/LC_MESSAGES/django.po"
    for folder in ("conf", "contrib/auth")
)


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def django_po_path(language: str, locale_dir: Path = DJANGO_LOCALE_DIR) -> Path:
    """The catalog of Django's own strings for one of DJANGO_GAP_LANGUAGES."""
    return po_path(language, locale_dir)


def catalog_paths(
    locale_dir: Path = LOCALE_DIR, django_locale_dir: Path = DJANGO_LOCALE_DIR
) -> list[tuple[str, Path]]:
    """Every catalog that compile and check cover, with the name check reports it by."""
    return [(language, po_path(language, locale_dir)) for language in LANGUAGES] + [
        (f"{language} (locale_django)", django_po_path(language, django_locale_dir))
        for language in DJANGO_GAP_LANGUAGES
    ]


def django_msgids() -> set[tuple[str | None, str, str]]:
    """(msgctxt, msgid, msgid_plural) of every string in Django's English catalogs."""
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural)
        for path in DJANGO_ENGLISH_CATALOGS
        for entry in polib.pofile(str(path))
        if not entry.obsolete
    }


def not_django_msgids(po: polib.POFile) -> list[str]:
    """msgids of a locale_django/ catalog that Django's own catalogs do not have (misspelt, or
    changed by a Django upgrade): Django never asks for them, so they translate nothing."""
    known = django_msgids()
    return [
        entry.msgid
        for entry in po
        if not entry.obsolete and (entry.msgctxt, entry.msgid, entry.msgid_plural) not in known
    ]


def untranslated(po: polib.POFile) -> list[str]:
    """msgids that would show up untranslated (empty, fuzzy, or an empty plural form)."""
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            missing.append(entry.msgid)
        elif entry.msgid_plural:
            if not entry.msgstr_plural or any(not v for v in entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        elif not entry.msgstr:
            missing.append(entry.msgid)
    return missing


def fill_english(locale_dir: Path = LOCALE_DIR) -> int:
    po = polib.pofile(str(po_path("en", locale_dir)))
    filled = 0
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {}
        if entry.msgid_plural:
            if not entry.msgstr_plural or any(not v for v in entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
    po.metadata["Language"] = "en"
    po.metadata["Project-Id-Version"] = "Buurtnet"
    po.metadata_is_fuzzy = False
    po.save()
    return filled


def compile_all(locale_dir: Path = LOCALE_DIR, django_locale_dir: Path = DJANGO_LOCALE_DIR) -> None:
    for _name, path in catalog_paths(locale_dir, django_locale_dir):
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def main(argv: list[str]) -> int:
    if argv == ["fill-english"]:
        print(f"filled {fill_english()} English entries")
    elif argv == ["compile"]:
        compile_all()
    elif argv == ["check"]:
        bad = 0
        for name, path in catalog_paths():
            for msgid in untranslated(polib.pofile(str(path))):
                print(f"{name}: {msgid!r}")
                bad += 1
        for language in DJANGO_GAP_LANGUAGES:
            for msgid in not_django_msgids(polib.pofile(str(django_po_path(language)))):
                print(f"{language} (locale_django): not one of Django's msgids: {msgid!r}")
                bad += 1
        return 1 if bad else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
