"""The translation catalogs are complete, compiled and up to date with the code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from buurtnet.core.catalogs import LANGUAGES, LOCALE_DIR, po_path, untranslated

ROOT = Path(__file__).resolve().parents[2]


def _messages(po: polib.POFile) -> dict:
    return {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po
        if not e.obsolete and "fuzzy" not in e.flags
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    missing = untranslated(polib.pofile(str(po_path(language))))
    assert missing == [], f"untranslated in {language}: {missing[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(language):
    path = po_path(language)
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    source = polib.pofile(str(path))
    assert _messages(compiled) == _messages(source), (
        "the .mo file is stale: run `python -m buurtnet.core.catalogs compile`"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogs_hold_every_string_in_the_code(tmp_path):
    """Extract the strings from a copy of the code and compare with the committed catalogs."""
    for name in ("buurtnet", "config", "templates", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    for language in LANGUAGES:
        target = po_path(language, tmp_path / "locale")
        target.parent.mkdir(parents=True)
        shutil.copy(po_path(language, LOCALE_DIR), target)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BUURTNET_DATA_DIR": str(tmp_path / "data"),
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
        + [f"--locale={lang}" for lang in LANGUAGES],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    for language in LANGUAGES:
        fresh = {e.msgid for e in polib.pofile(str(po_path(language, tmp_path / "locale")))}
        committed = {e.msgid for e in polib.pofile(str(po_path(language)))}
        assert fresh - committed == set(), (
            f"strings missing from the {language} catalog: run make messages"
        )
        assert committed - fresh == set(), (
            f"stale strings in the {language} catalog: run make messages"
        )
