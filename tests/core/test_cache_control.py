"""What may be kept by a shared cache: never a response that sets a cookie, never a member's."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.cache import patch_cache_control

from buurtnet.core.cache_control import public_for_visitors
from buurtnet.core.middleware import CacheControlMiddleware


def _through_middleware(response: HttpResponse, *, user=None, cookies: dict | None = None):
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    request.user = user or AnonymousUser()
    return CacheControlMiddleware(lambda request: response)(request)


def _public() -> HttpResponse:
    response = HttpResponse("page")
    patch_cache_control(response, public=True, max_age=60)
    return response


def test_a_public_response_that_sets_a_cookie_is_made_private():
    response = _public()
    response.set_cookie("csrftoken", "secret")

    response = _through_middleware(response)

    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_public_response_without_cookies_stays_public():
    assert _through_middleware(_public())["Cache-Control"] == "public, max-age=60"


def test_a_signed_in_persons_page_is_private_when_the_view_said_nothing(personas):
    response = _through_middleware(
        HttpResponse("page"), user=personas.daan, cookies={"sessionid": "x"}
    )
    assert response["Cache-Control"] == "private"


def test_a_visitors_page_is_left_as_the_view_made_it():
    assert not _through_middleware(HttpResponse("page")).has_header("Cache-Control")


def test_the_decorator_makes_visitors_pages_public_and_members_private(personas):
    view = public_for_visitors(60)(lambda request: HttpResponse("page"))
    request = RequestFactory().get("/")

    request.user = AnonymousUser()
    visitor = view(request)
    request.user = personas.daan
    member = view(request)

    assert visitor["Cache-Control"] == "public, max-age=60"
    assert member["Cache-Control"] == "private"
    assert visitor["Vary"] == member["Vary"] == "Cookie"


def test_healthz_is_still_never_cached(db):
    response = Client().get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
