"""Neighbours translate for neighbours: who may, what readers see, and who may take it down."""

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from buurtnet.translations.models import Translation
from tests.translations.conftest import speaks

pytestmark = pytest.mark.django_db

ARABIC = "الأسبوع القادم نطبخ معًا. الجميع مرحب بهم!"


def _url(personas, update, name="translate"):
    return reverse(f"translations:{name}", args=[personas.ede.slug, "update", update.pk, "body"])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _written(update, language: str) -> str:
    update = type(update).objects.select_related("initiative__neighbourhood").get(pk=update.pk)
    with translation.override(language):
        return Template('{% load translations_tags %}{% written update "body" %}').render(
            Context({"update": update, "neighbourhood": update.initiative.neighbourhood})
        )


def test_a_bilingual_neighbour_translates_and_an_arabic_reader_sees_it(personas, update, semhar):
    client = _client(semhar)
    page = client.get(_url(personas, update))
    assert page.status_code == 200
    assert 'value="ar"' in page.content.decode()

    response = client.post(_url(personas, update), {"language": "ar", "text": ARABIC})

    assert response.status_code == 302
    assert response["Location"] == personas.initiative.get_absolute_url()
    row = Translation.objects.get()
    assert (row.language, row.translator, row.text) == ("ar", semhar, ARABIC)

    arabic = _written(update, "ar")
    assert f'dir="auto" lang="ar">{ARABIC}' in arabic
    assert "Daan" in arabic  # translated by …
    assert 'lang="nl">Volgende week koken we samen.' in arabic  # the original, folded away
    assert "<details" in arabic

    dutch = _written(update, "nl")
    assert ARABIC not in dutch
    assert 'dir="auto" lang="nl">Volgende week' in dutch


def test_a_visitors_page_names_no_translator(personas, update, semhar):
    Translation.objects.create(
        neighbourhood=personas.ede,
        content_type_id=_ct(update),
        object_id=update.pk,
        field="body",
        language="ar",
        text=ARABIC,
        translator=semhar,
        source_digest="x",
    )
    with translation.override("ar"):
        html = Template(
            '{% load translations_tags %}{% written update "body" public=True %}'
        ).render(Context({"update": update, "neighbourhood": personas.ede}))
    assert ARABIC in html
    assert "Daan" not in html
    assert "translate/" not in html  # no links for members only


def _ct(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_who_does_not_speak_both_languages_is_told_how_and_nothing_is_stored(personas, update):
    speaks(personas.priya, "ar")  # Arabic, but not the original's Dutch
    client = _client(personas.priya)

    page = client.get(_url(personas, update)).content.decode()
    assert reverse("profile") in page
    assert 'name="text"' not in page

    response = client.post(_url(personas, update), {"language": "ar", "text": ARABIC})
    assert response.status_code == 400
    assert Translation.objects.count() == 0


def test_an_empty_translation_keeps_the_form_with_a_message(personas, update, semhar):
    response = _client(semhar).post(_url(personas, update), {"language": "ar", "text": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert Translation.objects.count() == 0


def test_a_translation_into_the_originals_own_language_is_refused(personas, update, semhar):
    response = _client(semhar).post(_url(personas, update), {"language": "nl", "text": "Tekst"})
    assert response.status_code == 400
    assert Translation.objects.count() == 0


def test_one_translation_per_language_its_translator_may_correct_it(personas, update, semhar):
    client = _client(semhar)
    client.post(_url(personas, update), {"language": "ar", "text": ARABIC})
    client.post(_url(personas, update), {"language": "ar", "text": ARABIC + " ✓"})
    assert Translation.objects.get().text == ARABIC + " ✓"

    speaks(personas.priya, "nl", "ar")
    other = _client(personas.priya).post(_url(personas, update), {"language": "ar", "text": "x"})
    assert other.status_code == 400
    assert "already has a translation" in other.content.decode()
    assert Translation.objects.get().text == ARABIC + " ✓"


def test_when_the_original_changes_readers_are_told(personas, update, semhar):
    _client(semhar).post(_url(personas, update), {"language": "ar", "text": ARABIC})
    update.body = "Volgende week koken we niet."
    update.save()
    assert "written-outdated" in _written(update, "ar")
    row = Translation.objects.get()
    assert row.is_outdated(update.body)
    _client(semhar).post(_url(personas, update), {"language": "ar", "text": ARABIC})
    assert "written-outdated" not in _written(update, "ar")


@pytest.mark.parametrize(
    ("who", "may"),
    [("fatima", True), ("henk", True), ("daan", True), ("priya", False), ("anna", False)],
)
def test_who_may_remove_a_translation(personas, update, semhar, who, may):
    """The writer, the translator and a host may; another neighbour or a professional not."""
    _client(semhar).post(_url(personas, update), {"language": "ar", "text": ARABIC})
    row = Translation.objects.get()
    remove = reverse("translations:remove", args=[personas.ede.slug, row.pk])

    response = _client(getattr(personas, who)).post(remove)

    assert response.status_code == (302 if may else 403)
    assert Translation.objects.exists() is not may


def test_strangers_get_404_and_visitors_are_asked_to_log_in(personas, update, semhar):
    _client(semhar).post(_url(personas, update), {"language": "ar", "text": ARABIC})
    row = Translation.objects.get()
    olga = _client(personas.olga)
    assert olga.get(_url(personas, update)).status_code == 404
    remove = reverse("translations:remove", args=[personas.ede.slug, row.pk])
    assert olga.post(remove).status_code == 404
    assert Client().get(_url(personas, update)).status_code == 302
    assert Translation.objects.exists()


def test_a_post_of_another_neighbourhood_is_404(personas, update, semhar):
    speaks(personas.olga, "nl", "ar")
    url = reverse("translations:translate", args=[personas.other.slug, "update", update.pk, "body"])
    assert _client(personas.olga).get(url).status_code == 404


def test_unknown_kinds_and_fields_are_404(personas, update, semhar):
    client = _client(semhar)
    slug = personas.ede.slug
    assert client.get(f"/n/{slug}/translate/user/{semhar.pk}/email/").status_code == 404
    url = reverse("translations:translate", args=[slug, "update", update.pk, "photo"])
    assert client.get(url).status_code == 404


def test_a_list_of_posts_costs_one_query(personas, semhar, django_assert_num_queries):
    from buurtnet.initiatives.models import Update
    from buurtnet.translations.selectors import attach, translation_shown

    updates = [
        Update.objects.create(
            initiative=personas.initiative, author=personas.fatima, body=f"Tekst {i}", language="nl"
        )
        for i in range(5)
    ]
    for row in updates[:3]:
        _client(semhar).post(_url(personas, row), {"language": "ar", "text": f"نص {row.pk}"})
    fresh = list(Update.objects.filter(pk__in=[u.pk for u in updates]))
    with django_assert_num_queries(1):
        attach(fresh, language="ar")
        shown = [translation_shown(u, "body", language="ar") for u in fresh]
    assert sum(1 for s in shown if s is not None) == 3
    with django_assert_num_queries(0):
        attach(fresh, language="nl")  # written in Dutch: nothing to look up


def test_a_name_in_a_sentence_keeps_its_own_direction(personas, update, semhar):
    semhar.display_name = "سمهر غ."
    semhar.save()
    _client(semhar).post(_url(personas, update), {"language": "ar", "text": ARABIC})
    html = _written(update, "nl")  # a Dutch reader of an Arabic translation? no: of the original
    assert "<bdi>" not in html
    arabic = _written(update, "ar")
    assert "<bdi>سمهر غ.</bdi>" in arabic
