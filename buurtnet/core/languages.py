"""Locale data Django lacks, and how a request's language is chosen.

Django's LANG_INFO has no Somali or Tigrinya. Without an entry, `{% get_language_info %}`,
`get_language_bidi()` and the language list raise KeyError. The plural rules live in each
catalog's Plural-Forms header (gettext reads them from there): Somali `n != 1`, Tigrinya `n > 1`,
as in CLDR.
"""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation import trans_real

MISSING_LANG_INFO = {
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
}


def add_missing_language_info() -> None:
    for code, info in MISSING_LANG_INFO.items():
        LANG_INFO.setdefault(code, info)


def language_from_request(request: HttpRequest) -> str:
    """The language a request asks for: the switch's cookie, then the browser's Accept-Language.

    Unlike Django's own choice, a browser that asks only for languages Buurtnet does not speak
    gets the fallback language (English), which more newcomers read than Dutch; a request that
    states no preference at all gets the default (Dutch).
    """
    supported = dict(settings.LANGUAGES)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in supported:
        return cookie
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "").strip()
    if not header:
        return settings.LANGUAGE_CODE
    for accepted, _quality in trans_real.parse_accept_lang_header(header):
        if accepted == "*":
            return settings.LANGUAGE_CODE
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return settings.FALLBACK_LANGUAGE_CODE


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware (Vary and Content-Language included) with the choice above."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
