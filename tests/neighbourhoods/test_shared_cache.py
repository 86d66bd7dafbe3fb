"""The shared cache: parts of pages that every member sees alike, kept until something changes.

A write bumps the neighbourhood's version, so the next page shows it; what belongs to one person
is never read from a shared key; the same pages come from the cache on a second visit.
"""

from datetime import date, time

import pytest
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from buurtnet.activities.services.organise import activity_create
from buurtnet.activities.services.rsvps import rsvp_set
from buurtnet.activities.views import agenda as agenda_views
from buurtnet.initiatives.models import Update
from buurtnet.initiatives.services import update_post
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.people.models import Talent


def version(neighbourhood) -> str:
    return shared_cache.version(neighbourhood.pk)


@pytest.fixture
def coffee_morning(personas):
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        title="Koffieochtend",
        start_date=date(2027, 3, 3),
        start_time=time(10, 0),
        duration_minutes=90,
        location="de Elskamp",
        rrule="FREQ=WEEKLY",
        capacity=12,
    )


def agenda_url(personas) -> str:
    return reverse("activities:agenda", args=[personas.ede.slug])


# --- Versions -------------------------------------------------------------------------------------


def test_a_saved_row_bumps_its_own_neighbourhood_and_no_other(personas, coffee_morning):
    ede, other = version(personas.ede), version(personas.other)

    rsvp_set(
        user=personas.daan,
        activity=coffee_morning,
        occurrence_start=coffee_morning.first_start,
        status="going",
    )

    assert version(personas.ede) != ede
    assert version(personas.other) == other


def test_the_version_is_bumped_again_after_the_commit(
    personas, coffee_morning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rsvp_set(
            user=personas.daan,
            activity=coffee_morning,
            occurrence_start=coffee_morning.first_start,
            status="going",
        )
    during = version(personas.ede)

    for callback in callbacks:
        callback()

    # A page built by another process while the write was open is never read again.
    assert version(personas.ede) != during


def test_a_lost_version_is_never_an_old_one(personas):
    first = version(personas.ede)
    cache.clear()
    assert version(personas.ede) != first


def test_a_new_name_bumps_every_neighbourhood_of_that_person(personas):
    before = version(personas.ede)
    personas.daan.display_name = "Daan B."
    personas.daan.save()
    assert version(personas.ede) != before


def test_logging_in_changes_nothing_shown(personas):
    before = version(personas.ede)
    update_last_login(None, personas.daan)
    assert version(personas.ede) == before


def test_a_vocabulary_change_reaches_every_neighbourhood(personas):
    key = shared_cache.key(personas.other.pk, "directory")
    Talent.objects.create(slug="beekeeping", name="Beekeeping")
    assert shared_cache.key(personas.other.pk, "directory") != key


def test_keys_name_a_neighbourhood_a_language_and_an_audience_never_a_person(personas):
    with translation.override("en"):
        key = shared_cache.key(personas.ede.pk, "agenda", "view=week", audience="members")
    prefix, neighbourhood, _versions, language, audience, part, _variant = key.split(":")
    assert (prefix, neighbourhood, language, audience, part) == (
        "bn",
        str(personas.ede.pk),
        "en",
        "members",
        "agenda",
    )


# --- Pages come from the cache --------------------------------------------------------------


def test_the_agenda_unfolds_and_renders_once_then_comes_from_the_cache(
    personas, coffee_morning, as_user, monkeypatch
):
    built = []
    real = agenda_views._body
    monkeypatch.setattr(agenda_views, "_body", lambda *a, **k: built.append(1) or real(*a, **k))
    client = as_user(personas.daan)
    params = {"view": "month", "from": "2027-03-01"}

    with CaptureQueriesContext(connection) as first:
        cold = client.get(agenda_url(personas), params)
    with CaptureQueriesContext(connection) as second:
        warm = client.get(agenda_url(personas), params)

    assert built == [1]

    def main(response) -> str:
        return response.text[response.text.index("<main") : response.text.index("</main>")]

    assert main(warm) == main(cold)
    assert not any("activities_activity" in q["sql"] for q in second.captured_queries)
    assert len(second) < len(first)


def test_a_write_shows_on_the_next_page(personas, coffee_morning, as_user):
    client = as_user(personas.daan)
    params = {"from": "2027-03-01"}
    assert "1 of 12 places taken" not in client.get(agenda_url(personas), params).text

    rsvp_set(
        user=personas.priya,
        activity=coffee_morning,
        occurrence_start=coffee_morning.first_start,
        status="going",
    )

    assert "1 of 12 places taken" in client.get(agenda_url(personas), params).text


def test_the_writer_sees_their_update_on_the_very_next_page(personas, as_user):
    client = as_user(personas.fatima)
    detail = reverse("initiatives:detail", args=[personas.ede.slug, personas.initiative.pk])
    client.get(detail)

    response = client.post(
        reverse("initiatives:update_post", args=[personas.ede.slug, personas.initiative.pk]),
        {"body": "We cooked for forty neighbours."},
        follow=True,
    )

    assert Update.objects.filter(body="We cooked for forty neighbours.").exists()
    assert "We cooked for forty neighbours." in response.text


def test_the_initiative_list_and_directory_come_from_the_cache(personas, as_user):
    client = as_user(personas.daan)
    for name in ("initiatives:list", "neighbourhoods:directory"):
        url = reverse(name, args=[personas.ede.slug])
        client.get(url)
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        touched = " ".join(q["sql"] for q in warm.captured_queries)
        assert "initiatives_initiative" not in touched
        assert "people_talent" not in touched


# --- Nothing personal crosses persons --------------------------------------------------------


def test_two_roles_get_their_own_page_after_one_fills_the_cache(personas, as_user):
    detail = reverse("initiatives:detail", args=[personas.ede.slug, personas.initiative.pk])
    initiator = as_user(personas.fatima).get(detail).text
    neighbour = as_user(personas.daan).get(detail).text
    professional = as_user(personas.anna).get(detail).text

    assert "Manage" in initiator and "I want to join" not in initiator
    assert "I want to join" in neighbour and "Manage" not in neighbour
    assert "Offer support" in professional and "I want to join" not in professional
    # The shared part is the same for all three.
    for page in (initiator, neighbour, professional):
        assert "Who keeps the lead" in page


def test_needs_what_i_can_do_is_never_shared(personas, as_user, monkeypatch):
    asked = []
    real = shared_cache.shared
    monkeypatch.setattr(
        shared_cache,
        "shared",
        lambda nid, part, *a, **k: asked.append(part) or real(nid, part, *a, **k),
    )
    url = reverse("initiatives:list", args=[personas.ede.slug])

    as_user(personas.daan).get(url, {"mine": "on"})
    assert "initiatives" not in asked
    as_user(personas.daan).get(url)
    assert "initiatives" in asked


def test_an_update_by_someone_else_reaches_a_reader_with_a_warm_cache(personas, as_user):
    detail = reverse("initiatives:detail", args=[personas.ede.slug, personas.initiative.pk])
    reader = as_user(personas.daan)
    assert "Forty neighbours came" not in reader.get(detail).text

    update_post(
        membership=personas.priya.memberships.get(neighbourhood=personas.ede),
        initiative=personas.initiative,
        body="Forty neighbours came",
    )

    assert "Forty neighbours came" in as_user(personas.daan).get(detail).text


def test_a_visitor_gets_the_landing_page_whole_from_the_cache(personas, client):
    landing = reverse("front:landing", args=[personas.ede.slug])
    first = client.get(landing)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(landing)

    assert len(warm) == 0
    assert second.text == first.text
    assert "csrfmiddlewaretoken" not in second.text
    assert not second.cookies


def test_a_visitor_sees_a_change_on_the_next_visit(personas, client):
    landing = reverse("front:landing", args=[personas.ede.slug])
    assert "Samen eten" in client.get(landing).text

    initiative = personas.initiative
    initiative.title = "Samen koken"
    initiative.save()

    page = client.get(landing).text
    assert "Samen koken" in page and "Samen eten" not in page


def test_the_member_home_comes_from_the_cache_and_follows_writes(personas, as_user):
    home = reverse("front:member_home", args=[personas.ede.slug])
    client = as_user(personas.daan)
    with CaptureQueriesContext(connection) as cold:
        client.get(home)
    with CaptureQueriesContext(connection) as warm:
        client.get(home)
    assert len(warm) < len(cold)

    update_post(
        membership=personas.fatima.memberships.get(neighbourhood=personas.ede),
        initiative=personas.initiative,
        body="The soup was finished by seven",
    )
    assert "The soup was finished by seven" in client.get(home).text
