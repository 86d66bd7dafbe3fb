"""The signed-in person is read from the cache, and never outlives a change to them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

HOME = "front:member_home"


@pytest.fixture
def signed_in(client, personas):
    client.force_login(personas.daan)
    return client


def home(personas) -> str:
    return reverse(HOME, args=[personas.ede.slug])


def test_the_second_page_reads_no_user_row(signed_in, personas):
    signed_in.get(home(personas))
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(home(personas)).status_code == 200
    assert not any('FROM "people_user"' in q["sql"] for q in queries.captured_queries)


def test_a_new_password_ends_the_other_sessions_at_once(signed_in, personas):
    signed_in.get(home(personas))
    personas.daan.set_password("an-entirely-new-passphrase")
    personas.daan.save()

    response = signed_in.get(home(personas))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deactivated_person_is_signed_out_at_once(signed_in, personas):
    signed_in.get(home(personas))
    personas.daan.is_active = False
    personas.daan.save()

    assert signed_in.get(home(personas)).status_code == 302


def test_a_new_name_shows_on_the_next_page(signed_in, personas):
    signed_in.get(home(personas))
    personas.daan.display_name = "Daan de Bakker"
    personas.daan.save()

    assert "Hello Daan de Bakker" in signed_in.get(home(personas)).text.replace(
        "<bdi>", ""
    ).replace("</bdi>", "")


def test_signing_in_with_an_older_object_keeps_the_row_as_it_is_now(client, personas):
    type(personas.daan).objects.filter(pk=personas.daan.pk).update(display_name="Daan B.")
    client.force_login(personas.daan)  # the object in hand still says "Daan"

    assert "Hello Daan B." in client.get(home(personas)).text.replace("<bdi>", "").replace(
        "</bdi>", ""
    )
