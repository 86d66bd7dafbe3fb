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

# Words people use when they ask for a talent, so that an ask written in any language finds it:
# each catalog translates the list into the words its speakers would write (any number of
# words, separated by commas; a word ending in * also matches longer words: "repair*").
# Used by buurtnet/sharing/matching.py.
TALENT_WORDS: dict[str, str] = {
    "cooking": gettext_noop("cook*, cooking, meal*, dinner, food, recipe*, kitchen, dish*"),
    "baking": gettext_noop("bake*, baking, cake*, bread, pastry, oven, cookie*, biscuit*"),
    "hosting": gettext_noop("welcom*, host*, coffee morning, tea, guests, party, visit*"),
    "listening": gettext_noop("listen*, talk*, lonely, chat, worry, worries, sad, company"),
    "languages": gettext_noop(
        "translat*, interpret*, language*, Dutch, Arabic, Tigrinya, Somali, Turkish, letter*"
    ),
    "teaching": gettext_noop("teach*, lesson*, tutor*, learn*, practis*, practic*, course*"),
    "homework": gettext_noop("homework, school, pupil*, maths, math, exam*, study, studying"),
    "children": gettext_noop("child*, kids, baby*, babysit*, toddler*, playground, play*"),
    "youth": gettext_noop("young people, teenager*, youth, boys, girls, football team"),
    "elderly": gettext_noop("elderly, older, grandm*, grandf*, old lady, old man, pension*"),
    "gardening": gettext_noop("garden*, plant*, seeds, vegetable*, herb*, balcony, flower*"),
    "diy": gettext_noop("repair*, fix*, broken, shelf, shelves, drill*, ladder*, tool*, hammer"),
    "painting": gettext_noop("paint*, wall*, decorat*, wallpaper*, brush*, colour*"),
    "carpentry": gettext_noop("wood*, carpent*, cupboard*, furniture, table*, saw*, plank*"),
    "electrics": gettext_noop("electric*, lamp*, light*, socket*, wire*, wiring, fuse*, cable*"),
    "bikes": gettext_noop("bike*, bicycle*, cycle, cycling, tyre*, tire*, puncture*, brake*"),
    "sewing": gettext_noop("sew*, sewing machine, clothes, trousers, curtain*, dress*, hem*"),
    "computers": gettext_noop(
        "computer*, laptop*, phone*, smartphone*, app*, WhatsApp*, internet, wifi, email*, DigiD, "
        "printer*"
    ),
    "admin": gettext_noop(
        "letter*, form*, paperwork, municipality, tax*, benefit*, allowance*, bill*, "
        "insurance, DigiD, appointment*, official"
    ),
    "money": gettext_noop("budget*, money, bookkeeping, accounts, debt*, savings, bank*"),
    "organising": gettext_noop(
        "organis*, organiz*, plan*, event*, arrange*, party tent*, marquee*, gazebo*"
    ),
    "writing": gettext_noop("writ*, text*, story, stories, newsletter*, essay*, CV"),
    "photography": gettext_noop("photo*, camera*, picture*, film*, video*"),
    "design": gettext_noop("design*, poster*, flyer*, logo*, drawing*, invitation card*"),
    "music": gettext_noop("music*, sing*, song*, guitar*, piano*, drum*, instrument*, band"),
    "sports": gettext_noop("sport*, football, soccer, run*, fitness, basketball, swim*, walk*"),
    "driving": gettext_noop("driv*, car, lift, ride, van, transport*, move*, moving, hospital"),
    "fundraising": gettext_noop("fundrais*, funds, grant*, sponsor*, subsid*"),
    "connecting": gettext_noop("meet*, neighbours, introduc*, connect*, network*"),
    "cleaning": gettext_noop("clean*, tidy*, rubbish, litter, waste, hoover*, vacuum*"),
}
