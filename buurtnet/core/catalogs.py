"""Catalog chores that need no GNU gettext: fill the English catalog, compile, check.

python -m buurtnet.core.catalogs fill-english   # English msgstr = msgid where empty
python -m buurtnet.core.catalogs compile        # .po -> .mo with polib
python -m buurtnet.core.catalogs check          # list untranslated or fuzzy entries
"""

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "locale"
# The interface languages (config.settings.LANGUAGES and the Makefile's LANGS list the same).
LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk", "so", "ti", "fa", "bg")


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


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


def compile_all(locale_dir: Path = LOCALE_DIR) -> None:
    for language in LANGUAGES:
        path = po_path(language, locale_dir)
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def main(argv: list[str]) -> int:
    if argv == ["fill-english"]:
        print(f"filled {fill_english()} English entries")
    elif argv == ["compile"]:
        compile_all()
    elif argv == ["check"]:
        bad = 0
        for language in LANGUAGES:
            for msgid in untranslated(polib.pofile(str(po_path(language)))):
                print(f"{language}: {msgid!r}")
                bad += 1
        return 1 if bad else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
