"""Saving the profile goes back to the page the member came from, and says so.

The form carries `next`: from the link (`?next=`) or from the Referer of the page that opened
the form, only when it is a safe path on this site; otherwise the profile itself.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from buurtnet.people.models import Talent
from tests.people.helpers import profile_data

PROFILE = reverse("profile")
AGENDA = "/n/ede-zuid/agenda/?view=month&start=2027-03-01"


@pytest.fixture
def daan(client, personas):
    client.force_login(personas.daan)
    return personas.daan


def next_in_form(response) -> str | None:
    assert response.status_code in (200, 400)
    return response.context["next"] or None


def test_the_form_carries_the_page_that_linked_to_it(client, daan):
    response = client.get(PROFILE, headers={"referer": f"http://testserver{AGENDA}"})

    assert next_in_form(response) == AGENDA
    html = response.content.decode()
    escaped = "/n/ede-zuid/agenda/?view=month&amp;start=2027-03-01"
    assert f'<input type="hidden" name="next" value="{escaped}">' in html


def test_a_next_in_the_link_comes_before_the_referer(client, daan):
    response = client.get(
        PROFILE, {"next": "/me/notifications/"}, headers={"referer": f"http://testserver{AGENDA}"}
    )

    assert next_in_form(response) == "/me/notifications/"


def test_saving_goes_back_there_with_a_message(client, daan):
    response = client.post(PROFILE, profile_data(daan, passions="Bikes", next=AGENDA), follow=True)

    assert response.redirect_chain == [(AGENDA, 302)]
    assert response.status_code == 200
    assert "Your profile is saved." in response.content.decode()
    daan.refresh_from_db()
    assert daan.passions == "Bikes"


def test_the_message_is_in_the_language_just_chosen(client, daan):
    response = client.post(PROFILE, profile_data(daan, preferred_language="nl", next=AGENDA))

    assert response.status_code == 302
    assert response.url == AGENDA
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Je profiel is opgeslagen."]


def test_without_a_next_it_goes_back_to_the_profile(client, daan):
    assert next_in_form(client.get(PROFILE)) is None

    response = client.post(PROFILE, profile_data(daan))

    assert response.status_code == 302
    assert response.url == PROFILE


@pytest.mark.parametrize(
    "bad",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "agenda",
        "/accounts/login/?next=/me/profile/",
        PROFILE,
        "/no/such/page/",
        "/" + "a" * 3000,
    ],
)
def test_an_unsafe_or_useless_next_is_ignored(client, daan, bad):
    assert next_in_form(client.get(PROFILE, {"next": bad})) is None

    response = client.post(PROFILE, profile_data(daan, next=bad))

    assert response.status_code == 302
    assert response.url == PROFILE


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/n/ede-zuid/agenda/",
        "http://testserver/accounts/login/?next=/me/profile/",
        f"http://testserver{PROFILE}",
        "not a url at all",
        "http://[::1",
    ],
)
def test_a_referer_from_elsewhere_or_from_the_form_itself_is_ignored(client, daan, referer):
    assert next_in_form(client.get(PROFILE, headers={"referer": referer})) is None


def test_bad_input_keeps_everything_typed_and_where_to_go_back(client, daan):
    cooking = Talent.objects.get(slug="cooking")
    data = profile_data(
        daan,
        display_name="   ",
        talents=[cooking.pk],
        talents_other="Juggling",
        passions="Bikes and <b>birds</b>",
        next=AGENDA,
    )

    response = client.post(PROFILE, data)

    assert response.status_code == 400
    assert next_in_form(response) == AGENDA
    html = response.content.decode()
    assert 'name="next" value="/n/ede-zuid/agenda/?view=month&amp;start=2027-03-01"' in html
    assert 'value="Juggling"' in html
    assert "Bikes and &lt;b&gt;birds&lt;/b&gt;</textarea>" in html
    assert f'name="talents" value="{cooking.pk}" id="id_talents_' in html
    daan.refresh_from_db()
    assert daan.passions == ""

    # Put right, it goes back where it was going.
    data["display_name"] = "Daan"
    fixed = client.post(PROFILE, data)
    assert fixed.status_code == 302
    assert fixed.url == AGENDA


def test_a_bad_next_in_a_bad_form_is_dropped(client, daan):
    response = client.post(PROFILE, profile_data(daan, display_name="", next="//evil.example/"))

    assert response.status_code == 400
    assert next_in_form(response) is None
    assert "evil.example" not in response.content.decode()


def test_the_notifications_page_is_a_fine_place_to_go_back_to(client, daan):
    page = client.get(PROFILE, headers={"referer": "http://testserver/me/notifications/?page=2"})
    assert next_in_form(page) == "/me/notifications/?page=2"

    response = client.post(PROFILE, profile_data(daan, next="/me/notifications/?page=2"))

    assert response.url == "/me/notifications/?page=2"
