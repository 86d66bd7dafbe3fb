"""Cache-Control for pages that visitors and members see at the same address."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

View = Callable[..., HttpResponse]


def public_for_visitors(max_age: int) -> Callable[[View], View]:
    """A visitor's copy may be kept for `max_age` seconds, by the browser and by shared caches;
    a signed-in person's copy is private.

    The page differs for members (their menu, links into members' pages), so it varies on the
    Cookie header: a cache keeps the cookie-less copy apart from everyone else's. A response that
    sets a cookie after all is made private again by core.middleware.CacheControlMiddleware.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ("Cookie",))
            if request.user.is_authenticated or response.status_code != 200:
                patch_cache_control(response, private=True)
            else:
                patch_cache_control(response, public=True, max_age=max_age)
            return response

        return wrapped

    return decorator


def cookie_less(request: HttpRequest) -> bool:
    """A visitor whose page can come whole from the cache: no session, no parameters."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and not request.GET
