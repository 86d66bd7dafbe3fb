"""Machine translation through LibreTranslate, tested against a local server that speaks its
documented API (POST /translate, JSON in and out, {"error": ...} with a 4xx for a refused pair)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from buurtnet.translations import machine

pytestmark = pytest.mark.django_db


class FakeLibreTranslate(BaseHTTPRequestHandler):
    calls: list[dict] = []
    unsupported = {"ti"}

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).calls.append({"path": self.path, **body})
        if self.path != "/translate" or self.headers["Content-Type"] != "application/json":
            return self._answer(404, {"error": "Not found"})
        if set(body) - {"q", "source", "target", "format", "api_key"} or body["format"] != "text":
            return self._answer(400, {"error": "Invalid request"})
        if body["target"] in self.unsupported:
            return self._answer(400, {"error": f"{body['target']} is not supported"})
        return self._answer(
            200, {"translatedText": f"[{body['source']}→{body['target']}] {body['q']}"}
        )

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def libretranslate(settings):
    FakeLibreTranslate.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TRANSLATION_URL = f"http://127.0.0.1:{server.server_port}"
    settings.TRANSLATION_API_KEY = ""
    cache.clear()
    yield FakeLibreTranslate
    server.shutdown()
    server.server_close()


def _render(update, language: str) -> str:
    with translation.override(language):
        return Template('{% load translations_tags %}{% written update "body" %}').render(
            Context({"update": update, "neighbourhood": update.initiative.neighbourhood})
        )


def _machine_url(personas, update) -> str:
    return reverse("translations:machine", args=[personas.ede.slug, "update", update.pk, "body"])


def test_without_a_server_there_is_no_button_and_no_page(personas, update, settings):
    settings.TRANSLATION_URL = ""
    assert "/machine/" not in _render(update, "ar")
    client = Client()
    client.force_login(personas.priya)
    assert client.get(_machine_url(personas, update)).status_code == 404


def test_a_reader_gets_a_machine_translation_marked_as_such_and_cached(
    personas, update, libretranslate
):
    assert _machine_url(personas, update) in _render(update, "ar")
    assert "/machine/" not in _render(update, "nl")  # already in the reader's language

    client = Client()
    client.force_login(personas.priya)
    client.cookies["buurtnet_language"] = "ar"
    personas.priya.preferred_language = "ar"
    personas.priya.save()
    first = client.get(_machine_url(personas, update))
    again = client.get(_machine_url(personas, update))

    assert first.status_code == again.status_code == 200
    html = first.content.decode()
    assert f"[nl→ar] {update.body}" in html
    assert 'lang="ar"' in html
    assert "written-machine" in html
    assert len(libretranslate.calls) == 1  # the second came from the cache
    call = libretranslate.calls[0]
    assert (call["q"], call["source"], call["target"], call["format"]) == (
        update.body,
        "nl",
        "ar",
        "text",
    )


def test_htmx_gets_the_fragment_to_swap(personas, update, libretranslate):
    client = Client()
    client.force_login(personas.priya)
    personas.priya.preferred_language = "tr"
    personas.priya.save()
    response = client.get(_machine_url(personas, update), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="written">')
    assert "<html" not in html


def test_a_refused_language_pair_is_a_clear_message_not_an_error(personas, update, libretranslate):
    client = Client()
    client.force_login(personas.priya)
    personas.priya.preferred_language = "ti"
    personas.priya.save()
    response = client.get(_machine_url(personas, update))
    assert response.status_code == 503
    assert update.body in response.content.decode()  # the original stays readable


def test_an_unreachable_server_is_a_clear_message(personas, update, settings):
    settings.TRANSLATION_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    cache.clear()
    client = Client()
    client.force_login(personas.priya)
    personas.priya.preferred_language = "pl"
    personas.priya.save()
    assert client.get(_machine_url(personas, update)).status_code == 503


def test_the_api_key_is_sent_when_set(libretranslate, settings):
    settings.TRANSLATION_API_KEY = "secret-key"
    assert machine.translate("Hallo", source="nl", target="en") == "[nl→en] Hallo"
    assert libretranslate.calls[0]["api_key"] == "secret-key"


def test_a_human_translation_replaces_the_button(personas, update, semhar, libretranslate):
    client = Client()
    client.force_login(semhar)
    url = reverse("translations:translate", args=[personas.ede.slug, "update", update.pk, "body"])
    client.post(url, {"language": "ar", "text": "نص"})
    assert "/machine/" not in _render(update, "ar")


def test_strangers_get_404(personas, update, libretranslate):
    client = Client()
    client.force_login(personas.olga)
    assert client.get(_machine_url(personas, update)).status_code == 404
    assert libretranslate.calls == []
