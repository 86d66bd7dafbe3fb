"""Pages go out gzipped (with Django's BREACH padding), static files as Brotli or gzip."""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import FileResponse, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from whitenoise.middleware import WhiteNoiseMiddleware

from buurtnet.core.middleware import TextGZipMiddleware

LANDING = reverse("front:landing", args=["ede-zuid"])
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def _language_left_as_it_was():
    """Requests without a language cookie activate Dutch; the tests after these must not
    inherit it."""
    with translation.override(translation.get_language()):
        yield


def test_pages_are_gzipped_for_browsers_that_accept_it(personas):
    plain = Client().get(LANDING)
    zipped = Client().get(LANDING, **GZIP)

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 2


def test_the_same_page_never_compresses_to_the_same_bytes(personas):
    # BREACH: a secret in a page could be guessed from how well it compresses, over many tries.
    # Django pads each response the middleware gzips with a random number of bytes. The
    # visitors' agenda carries no token, so the page itself is the same every time. (The
    # visitors' landing page is the one page compressed once and kept so: it holds no secret and
    # echoes nothing a visitor sends — it is served whole from the cache only without cookies
    # and without parameters.)
    agenda = reverse("front:public_agenda", args=["ede-zuid"])
    responses = [Client().get(agenda, **GZIP) for _ in range(5)]

    assert all(r["Content-Encoding"] == "gzip" for r in responses)
    assert len({gzip.decompress(r.content) for r in responses}) == 1
    assert len({r.content for r in responses}) > 1


def _token(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_the_csrf_token_in_a_page_is_masked_anew_in_every_response(db):
    client = Client(enforce_csrf_checks=True)
    first = client.get(reverse("login"))
    second = client.get(reverse("login"))
    cookie = client.cookies["csrftoken"].value

    # A page with a form: gzipped too, and its token differs each time although the secret in
    # the cookie stays the same, so the compressed length does not give the secret away.
    assert client.get(reverse("login"), **GZIP)["Content-Encoding"] == "gzip"
    assert _token(first) != _token(second)
    assert cookie not in (_token(first), _token(second))
    for token in (_token(first), _token(second)):
        response = client.post(
            reverse("login"),
            {"username": "nobody@example.org", "password": "wrong", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 400  # the form's answer: the token was accepted


def test_photos_are_not_compressed_again():
    request = RequestFactory().get("/media/photo.jpg", **GZIP)
    photo = HttpResponse(b"\xff\xd8" + bytes(4000), content_type="image/jpeg")
    stream = FileResponse(iter([bytes(4000)]), content_type="image/webp")
    middleware = TextGZipMiddleware(lambda request: photo)

    assert not middleware.process_response(request, photo).has_header("Content-Encoding")
    assert not middleware.process_response(request, stream).has_header("Content-Encoding")


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "text/calendar", "application/json"]
)
def test_text_is_compressed(content_type):
    request = RequestFactory().get("/", **GZIP)
    response = HttpResponse(b"Buurtnet " * 100, content_type=content_type)

    compressed = TextGZipMiddleware(lambda request: response).process_response(request, response)

    assert compressed["Content-Encoding"] == "gzip"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic as `buurtnet serve` runs it (once: Brotli takes its time), into a directory
    of these tests' own, and WhiteNoise serving from there as it does in production."""
    root = tmp_path_factory.mktemp("static")
    production = override_settings(
        STATIC_ROOT=root,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    )
    with production:
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_collectstatic_writes_brotli_and_gzip_copies(collected):
    for name in ("css/app.css", "js/app.js"):
        hashed = collected / staticfiles_storage.stored_name(name)
        assert hashed.with_name(hashed.name + ".br").stat().st_size < hashed.stat().st_size
        assert hashed.with_name(hashed.name + ".gz").stat().st_size < hashed.stat().st_size


@pytest.mark.parametrize(
    ("accepts", "encoding"),
    [("gzip, deflate, br", "br"), ("gzip, deflate", "gzip"), ("", None)],
)
def test_static_files_are_sent_in_the_best_encoding_the_browser_accepts(
    collected, accepts, encoding
):
    url = staticfiles_storage.url("css/app.css")
    whitenoise = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))

    response = whitenoise(RequestFactory().get(url, HTTP_ACCEPT_ENCODING=accepts))

    assert response.status_code == 200
    assert response.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response["Vary"]
    response.file_to_stream.close()
