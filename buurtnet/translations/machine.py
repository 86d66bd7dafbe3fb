"""Machine translation through a LibreTranslate server, when TRANSLATION_URL names one.

LibreTranslate's API (https://libretranslate.com/docs): POST {TRANSLATION_URL}/translate with a
JSON body {"q", "source", "target", "format": "text", "api_key"?}; the answer is
{"translatedText": "..."} (and "detectedLanguage" when source is "auto"); an error is a 4xx/5xx
with {"error": "..."}. Results are kept in the cache per text and language pair, so each text is
sent at most once per language.
"""

import hashlib
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60 * 60 * 24 * 30
TIMEOUT_SECONDS = 15


class MachineTranslationError(Exception):
    """The server could not translate (unreachable, refused the pair, or answered nonsense)."""


def enabled() -> bool:
    return bool(settings.TRANSLATION_URL)


def _key(text: str, source: str, target: str) -> str:
    digest = hashlib.sha256(f"{source}\0{target}\0{text}".encode("utf-8", "surrogatepass"))
    return f"machine-translation:{digest.hexdigest()}"


def translate(text: str, *, source: str, target: str) -> str:
    """`text` in `target`; the source language may be "" (the server then detects it)."""
    if not enabled():
        raise MachineTranslationError("TRANSLATION_URL is not set")
    key = _key(text, source, target)
    cached = cache.get(key)
    if cached is not None:
        return cached
    body = {"q": text, "source": source or "auto", "target": target, "format": "text"}
    if settings.TRANSLATION_API_KEY:
        body["api_key"] = settings.TRANSLATION_API_KEY
    request = urllib.request.Request(  # noqa: S310 - the address is the operator's setting
        f"{settings.TRANSLATION_URL.rstrip('/')}/translate",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.load(response)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace")
        logger.warning("machine translation refused (%s): %s", exc.code, detail)
        raise MachineTranslationError(detail) from exc
    except (OSError, ValueError) as exc:
        logger.warning("machine translation failed: %s", exc)
        raise MachineTranslationError(str(exc)) from exc
    translated = answer.get("translatedText") if isinstance(answer, dict) else None
    if not isinstance(translated, str) or not translated.strip():
        raise MachineTranslationError("no translatedText in the answer")
    cache.set(key, translated, CACHE_SECONDS)
    return translated
