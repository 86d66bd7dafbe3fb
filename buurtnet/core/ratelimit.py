"""Counting attempts per client address or per email address, to slow down guessing and floods.

Counts live in Django's cache (shared by every process when a shared cache such as Redis is
configured). A limit counts in fixed windows: at most `limit` attempts per `window` seconds.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


class RateLimited(Exception):  # noqa: N818 - reads as what happened: "rate limited"
    """Too many attempts; `retry_after` seconds from now the next window opens."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RateLimit:
    scope: str
    limit: int
    window: int

    def _key(self, key: str, now: float) -> str:
        # Hashed, so no address ends up in the cache as it was typed, and any key is valid.
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return f"ratelimit:{self.scope}:{int(now // self.window)}:{digest}"

    def retry_after(self, now: float | None = None) -> int:
        """Seconds until the current window ends."""
        now = time.time() if now is None else now
        return max(1, math.ceil(self.window - now % self.window))

    def hit(self, key: str) -> bool:
        """Count one attempt for `key`; False when it is one too many for this window."""
        now = time.time()
        cache_key = self._key(key, now)
        cache.add(cache_key, 0, timeout=self.window + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:
            # The window ended between add() and incr(): this is the first attempt of the next.
            cache.set(cache_key, 1, timeout=self.window + 1)
            count = 1
        return count <= self.limit

    def check(self, key: str) -> None:
        """Count one attempt for `key`; raise RateLimited when it is one too many."""
        if not self.hit(key):
            raise RateLimited(self.retry_after())


def client_address(request: HttpRequest) -> str:
    """The client's address as the login lockout sees it (trusting the configured proxies)."""
    return get_client_ip_address(request) or "unknown"


def rate_limited_message(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    return ngettext(
        "That was a lot of tries in a short time. Please wait %(minutes)s minute, then send "
        "the form again. What you typed is still here.",
        "That was a lot of tries in a short time. Please wait %(minutes)s minutes, then send "
        "the form again. What you typed is still here.",
        minutes,
    ) % {"minutes": minutes}


def rate_limited_response(
    request: HttpRequest,
    template_name: str,
    context: dict,
    *,
    form: BaseForm,
    retry_after: int,
) -> HttpResponse:
    """The form's own page again, with what was typed and a friendly word to wait (HTTP 429)."""
    form.add_error(None, rate_limited_message(retry_after))
    response = render(request, template_name, {**context, "form": form}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
