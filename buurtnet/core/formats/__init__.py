"""Locale formats for the interface languages Django has none for (settings.FORMAT_MODULE_PATH).

Django looks here first and then in django.conf.locale, so a language without a folder here
(every language but Somali and Tigrinya) keeps Django's own formats. The formats' month and day
names come from Django's strings, translated in locale_django/ (see docs/translating.md).
"""
