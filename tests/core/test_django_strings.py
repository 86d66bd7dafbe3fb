"""Django's own strings and formats in Somali and Tigrinya, which Django does not ship.

Without locale_django/ a Somali or Tigrinya reader would get Django's form errors, month names and
timesince in Dutch (Django falls back to LANGUAGE_CODE) and dates formatted the English way.
"""

import datetime
import re
import shutil
from zoneinfo import ZoneInfo

import polib
import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, get_format
from django.utils.timesince import timesince

from buurtnet.core import catalogs
from buurtnet.core.catalogs import (
    DJANGO_GAP_LANGUAGES,
    DJANGO_LOCALE_DIR,
    LANGUAGES,
    LOCALE_DIR,
    django_po_path,
    not_django_msgids,
    untranslated,
)
from buurtnet.core.formats.so import formats as so_formats
from buurtnet.core.formats.ti import formats as ti_formats
from buurtnet.people.models import User

FORMATS = {"so": so_formats, "ti": ti_formats}
MOMENT = datetime.datetime(2026, 11, 26, 19, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))  # Thursday
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdr]|%[sdr]|\{[a-z_]+\}")


class ContactForm(forms.Form):
    email = forms.EmailField()
    name = forms.CharField(max_length=5)


def _in(language: str, make):
    with translation.override(language):
        return str(make())


def _differs_from_english_and_dutch(language: str, make) -> str:
    """The text in `language`, checked against English and against Dutch (Django's fallback)."""
    text = _in(language, make)
    assert text != _in("en", make), f"{language} shows Django's English: {text!r}"
    assert text != _in("nl", make), f"{language} shows Django's Dutch fallback: {text!r}"
    return text


def _messages(po) -> dict:
    return {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po
        if not e.obsolete and "fuzzy" not in e.flags
    }


@pytest.mark.parametrize("language", DJANGO_GAP_LANGUAGES)
def test_form_errors_are_in_the_language(language):
    def required():
        return ContactForm({}).errors["email"][0]

    def invalid_email():
        return ContactForm({"email": "not an address", "name": "x"}).errors["email"][0]

    def too_long():
        return ContactForm({"email": "a@example.org", "name": "abcdefgh"}).errors["name"][0]

    _differs_from_english_and_dutch(language, required)
    _differs_from_english_and_dutch(language, invalid_email)
    text = _differs_from_english_and_dutch(language, too_long)
    assert "5" in text and "8" in text  # both placeholders filled in


@pytest.mark.parametrize("language", DJANGO_GAP_LANGUAGES)
def test_password_mismatch_is_in_the_language(language):
    def mismatch():
        form = SetPasswordForm(
            User(email="fatima@example.org", display_name="Fatima"),
            {"new_password1": "a long enough secret 1", "new_password2": "another secret 2"},
        )
        return form.errors["new_password2"][0]

    _differs_from_english_and_dutch(language, mismatch)


@pytest.mark.parametrize("language", DJANGO_GAP_LANGUAGES)
def test_month_and_day_names_are_in_the_language(language):
    for fmt in ("F", "N", "M", "b", "E", "l", "D"):
        _differs_from_english_and_dutch(language, lambda fmt=fmt: date_format(MOMENT, fmt))


@pytest.mark.parametrize("language", DJANGO_GAP_LANGUAGES)
def test_timesince_plurals_are_in_the_language(language):
    five_minutes = _differs_from_english_and_dutch(
        language, lambda: timesince(MOMENT - datetime.timedelta(minutes=5), MOMENT)
    )
    assert five_minutes.startswith("5")
    _differs_from_english_and_dutch(
        language, lambda: timesince(MOMENT - datetime.timedelta(days=2, hours=3), MOMENT)
    )


@pytest.mark.parametrize("language", DJANGO_GAP_LANGUAGES)
def test_the_catalog_is_complete_and_labelled(language):
    po = polib.pofile(str(django_po_path(language)))
    assert untranslated(po) == []
    assert len(po) > 100
    assert po.metadata["Language"] == language
    assert (
        po.metadata["Plural-Forms"]
        == {
            "so": "nplurals=2; plural=(n != 1);",
            "ti": "nplurals=2; plural=(n > 1);",
        }[language]
    )
    assert po.metadata["X-Native-Speaker-Review"] == "no"
    assert "docs/translating.md" in po.header


@pytest.mark.parametrize("language", DJANGO_GAP_LANGUAGES)
def test_the_compiled_catalog_matches_the_po_file(language):
    path = django_po_path(language)
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    assert _messages(compiled) == _messages(polib.pofile(str(path))), (
        "the .mo file is stale: run `python -m buurtnet.core.catalogs compile`"
    )


@pytest.mark.parametrize("language", DJANGO_GAP_LANGUAGES)
def test_every_msgid_is_one_of_djangos(language):
    assert not_django_msgids(polib.pofile(str(django_po_path(language)))) == []


def test_a_misspelt_msgid_is_caught():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="This field is required.", msgstr="x"))
    po.append(polib.POEntry(msgid="The two password fields didn't match.", msgstr="x"))
    po.append(polib.POEntry(msgid="May", msgctxt="abbrev. month", msgstr="x"))
    po.append(polib.POEntry(msgid="May", msgctxt="month", msgstr="x"))
    # a straight apostrophe where Django writes ’, and a context Django does not use
    assert not_django_msgids(po) == ["The two password fields didn't match.", "May"]


@pytest.mark.parametrize("language", DJANGO_GAP_LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for entry in polib.pofile(str(django_po_path(language))):
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, text in pairs:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
                f"{language}: {entry.msgid!r} -> {text!r}"
            )


@pytest.mark.parametrize("language", DJANGO_GAP_LANGUAGES)
def test_dates_use_the_languages_formats(language):
    module = FORMATS[language]
    with translation.override(language):
        for name in (
            "DATE_FORMAT",
            "TIME_FORMAT",
            "DATETIME_FORMAT",
            "SHORT_DATE_FORMAT",
            "SHORT_DATETIME_FORMAT",
            "MONTH_DAY_FORMAT",
            "YEAR_MONTH_FORMAT",
            "FIRST_DAY_OF_WEEK",
            "DECIMAL_SEPARATOR",
            "THOUSAND_SEPARATOR",
            "NUMBER_GROUPING",
        ):
            assert get_format(name) == getattr(module, name), name
        # Django adds the ISO formats to what people may type.
        assert get_format("DATE_INPUT_FORMATS")[: len(module.DATE_INPUT_FORMATS)] == (
            module.DATE_INPUT_FORMATS
        )
        assert "%Y-%m-%d" in get_format("DATE_INPUT_FORMATS")
        html = Template(
            '{% load i18n %}{% get_language_info for "' + language + '" as info %}'
            "{{ info.name_local }}|{{ moment|date }}|{{ moment|date:'SHORT_DATE_FORMAT' }}"
        ).render(Context({"moment": MOMENT}))
        name_local, long_date, short_date = html.split("|")
        assert name_local == {"so": "Soomaali", "ti": "ትግርኛ"}[language]
        assert long_date == date_format(MOMENT, module.DATE_FORMAT)
        assert long_date.startswith("26 ") and long_date.endswith(" 2026")
        assert long_date != _in("en", lambda: date_format(MOMENT))
        assert short_date == "26/11/2026"
        field = forms.DateField()
        assert field.clean("26/11/2026") == MOMENT.date()
        assert field.clean("2026-11-26") == MOMENT.date()


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code not in FORMATS])
def test_other_languages_keep_djangos_formats(language):
    from importlib import import_module

    django_formats = import_module(f"django.conf.locale.{language}.formats")
    with translation.override(language):
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DECIMAL_SEPARATOR"):
            if hasattr(django_formats, name):
                assert get_format(name) == getattr(django_formats, name), name


def test_settings_add_locale_django_after_locale():
    assert settings.LOCALE_PATHS == [LOCALE_DIR, DJANGO_LOCALE_DIR]
    assert settings.FORMAT_MODULE_PATH == ["buurtnet.core.formats"]


def test_compile_covers_locale_django(tmp_path):
    locale, django_locale = tmp_path / "locale", tmp_path / "locale_django"
    for name, source, target_dir in [
        *((code, LOCALE_DIR, locale) for code in LANGUAGES),
        *((code, DJANGO_LOCALE_DIR, django_locale) for code in DJANGO_GAP_LANGUAGES),
    ]:
        target = catalogs.po_path(name, target_dir)
        target.parent.mkdir(parents=True)
        shutil.copy(catalogs.po_path(name, source), target)
    catalogs.compile_all(locale, django_locale)
    for code in LANGUAGES:
        assert catalogs.po_path(code, locale).with_suffix(".mo").exists()
    for code in DJANGO_GAP_LANGUAGES:
        path = django_po_path(code, django_locale)
        assert _messages(polib.mofile(str(path.with_suffix(".mo")))) == _messages(
            polib.pofile(str(path))
        )
    assert [path for _name, path in catalogs.catalog_paths()][-2:] == [
        django_po_path(code) for code in DJANGO_GAP_LANGUAGES
    ]
