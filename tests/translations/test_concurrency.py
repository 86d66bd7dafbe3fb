"""Two neighbours translate the same text into the same language at the same moment."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from buurtnet.neighbourhoods.models import Membership
from buurtnet.translations import registry, services
from buurtnet.translations.models import Translation
from tests.translations.conftest import speaks


def _add(user, personas, update, text):
    membership = Membership.objects.select_related("user").get(
        user=user, neighbourhood=personas.ede
    )
    return services.translation_add(
        membership=membership,
        entry=registry.entry_for_kind("update"),
        obj=update,
        field="body",
        language="ar",
        text=text,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_two_translators_at_once_one_translation_and_a_clear_word(personas, update, monkeypatch):
    speaks(personas.daan, "nl", "ar")
    speaks(personas.priya, "nl", "ar")
    digest = services.digest

    def slow_digest(text):
        time.sleep(0.3)  # widen the window between looking and writing
        return digest(text)

    monkeypatch.setattr(services, "digest", slow_digest)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(user, text):
        try:
            barrier.wait()
            with translation.override("en"):
                _add(user, personas, update, text)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(personas.daan, "أ")),
        threading.Thread(target=run, args=(personas.priya, "ب")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Translation.objects.count() == 1
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)


@pytest.mark.django_db
def test_the_constraint_is_the_last_word_on_any_database(personas, update, monkeypatch):
    """Had the other translator's row not been visible yet, the unique constraint still keeps
    one translation per language, and the service answers with a message, not an error."""
    speaks(personas.daan, "nl", "ar")
    speaks(personas.priya, "nl", "ar")
    _add(personas.daan, personas, update, "أ")
    original_filter = Translation.objects.select_for_update

    class Blind:
        def filter(self, *args, **kwargs):
            return Translation.objects.none()

    monkeypatch.setattr(
        Translation.objects, "select_for_update", lambda *a, **k: Blind(), raising=False
    )
    with pytest.raises(ValidationError):
        _add(personas.priya, personas, update, "ب")
    monkeypatch.setattr(Translation.objects, "select_for_update", original_filter)
    assert list(Translation.objects.values_list("text", flat=True)) == ["أ"]
