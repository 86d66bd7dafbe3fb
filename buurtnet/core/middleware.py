"""Response middleware shared by every page: compression and the Cache-Control safety net."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control

# What compresses well. Photos (JPEG, PNG, WebP) are compressed already: gzipping them again costs
# time, and would turn a download with a known length into a stream.
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip for pages, feeds and JSON, with its BREACH mitigation.

    Django (since 4.2) pads each gzipped response with up to 100 random bytes, and masks the CSRF
    token differently in every response, so a secret in a page cannot be guessed from the
    compressed length over many requests.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)


class CacheControlMiddleware:
    """Keeps what is personal out of shared caches.

    - A response that sets a cookie (a session, a CSRF token, a language) is never public,
      whatever the view said: a shared cache would hand that cookie to the next visitor.
    - A signed-in person's page without a Cache-Control of its own is private.

    It stands above the session and CSRF middleware in MIDDLEWARE, so it sees their cookies.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.cookies and "public" in _directives(response):
            patch_cache_control(response, private=True)  # also removes "public"
        elif (
            not response.has_header("Cache-Control")
            # Only a request with a session cookie can be signed in; asking any other request
            # would cost nothing, but this way /healthz and static files never load a session.
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            patch_cache_control(response, private=True)
        return response


def _directives(response: HttpResponse) -> set[str]:
    return {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }
