"""Curated, translatable vocabularies. Names are English msgids; gettext translates them on display.

Adding an entry: add it here, run `buurtnet sync_vocabulary` (also run by every migrate) and
translate the new msgid in locale/*/LC_MESSAGES/django.po.
"""

from django.utils.translation import gettext_noop

TALENTS: list[tuple[str, str]] = [
    ("cooking", gettext_noop("Cooking")),
    ("baking", gettext_noop("Baking")),
    ("hosting", gettext_noop("Welcoming people")),
    ("listening", gettext_noop("Listening")),
    ("languages", gettext_noop("Translating and interpreting")),
    ("teaching", gettext_noop("Teaching and tutoring")),
    ("homework", gettext_noop("Homework help")),
    ("children", gettext_noop("Playing with children")),
    ("youth", gettext_noop("Working with young people")),
    ("elderly", gettext_noop("Visiting older neighbours")),
    ("gardening", gettext_noop("Gardening")),
    ("diy", gettext_noop("Odd jobs and repairs")),
    ("painting", gettext_noop("Painting and decorating")),
    ("carpentry", gettext_noop("Carpentry")),
    ("electrics", gettext_noop("Electrics")),
    ("bikes", gettext_noop("Repairing bikes")),
    ("sewing", gettext_noop("Sewing")),
    ("computers", gettext_noop("Computers and phones")),
    ("admin", gettext_noop("Paperwork and forms")),
    ("money", gettext_noop("Bookkeeping")),
    ("organising", gettext_noop("Organising")),
    ("writing", gettext_noop("Writing")),
    ("photography", gettext_noop("Photography")),
    ("design", gettext_noop("Design and posters")),
    ("music", gettext_noop("Music")),
    ("sports", gettext_noop("Sports and games")),
    ("driving", gettext_noop("Driving")),
    ("fundraising", gettext_noop("Fundraising")),
    ("connecting", gettext_noop("Bringing people together")),
    ("cleaning", gettext_noop("Cleaning up")),
]

THEMES: list[tuple[str, str]] = [
    ("meeting", gettext_noop("Meeting each other")),
    ("food", gettext_noop("Food and cooking")),
    ("youth", gettext_noop("Young people")),
    ("children", gettext_noop("Children and families")),
    ("elderly", gettext_noop("Older neighbours")),
    ("green", gettext_noop("Green and clean")),
    ("safety", gettext_noop("Safety")),
    ("health", gettext_noop("Health and sport")),
    ("learning", gettext_noop("Learning and language")),
    ("culture", gettext_noop("Culture and celebrations")),
    ("living", gettext_noop("Living together in the flats")),
    ("work", gettext_noop("Work and money")),
]

# ISO 639-1 codes with their English names, for languages often spoken in Dutch neighbourhoods.
LANGUAGES: list[tuple[str, str, str]] = [
    ("nl", gettext_noop("Dutch"), "Nederlands"),
    ("en", gettext_noop("English"), "English"),
    ("ar", gettext_noop("Arabic"), "العربية"),
    ("tr", gettext_noop("Turkish"), "Türkçe"),
    ("pl", gettext_noop("Polish"), "Polski"),
    ("so", gettext_noop("Somali"), "Soomaali"),
    ("ti", gettext_noop("Tigrinya"), "ትግርኛ"),
    ("fa", gettext_noop("Persian"), "فارسی"),
    ("ku", gettext_noop("Kurdish"), "Kurdî"),
    ("uk", gettext_noop("Ukrainian"), "Українська"),
    ("ru", gettext_noop("Russian"), "Русский"),
    ("de", gettext_noop("German"), "Deutsch"),
    ("fr", gettext_noop("French"), "Français"),
    ("es", gettext_noop("Spanish"), "Español"),
    ("pt", gettext_noop("Portuguese"), "Português"),
    ("bg", gettext_noop("Bulgarian"), "Български"),
    ("ro", gettext_noop("Romanian"), "Română"),
    ("ber", gettext_noop("Berber"), "Tamaziɣt"),
    ("am", gettext_noop("Amharic"), "አማርኛ"),
    ("ps", gettext_noop("Pashto"), "پښتو"),
    ("ur", gettext_noop("Urdu"), "اردو"),
    ("hi", gettext_noop("Hindi"), "हिन्दी"),
    ("zh", gettext_noop("Chinese"), "中文"),
    ("id", gettext_noop("Indonesian"), "Bahasa Indonesia"),
    ("pap", gettext_noop("Papiamento"), "Papiamentu"),
    ("srn", gettext_noop("Sranan Tongo"), "Sranan Tongo"),
]
