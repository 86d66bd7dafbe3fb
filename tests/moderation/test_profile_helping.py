"""The profile says whether neighbours may ask for help, when, and whether thanks show."""

import pytest

from tests.people.helpers import profile_data

from .conftest import text

pytestmark = pytest.mark.django_db

PROFILE = "/me/profile/"


def test_the_profile_shows_the_helping_settings(personas, as_user):
    html = text(as_user(personas.daan).get(PROFILE))
    assert "Neighbours may ask me for help" in html
    assert "suggests you to a neighbour whose ask fits" in html
    assert "When I usually can help" in html
    for name in ("open_to_asks", "available_daytime", "available_evenings", "available_weekends"):
        assert f'name="{name}"' in html
    assert 'name="show_thanks"' in html


def test_the_helping_settings_are_saved(personas, as_user):
    daan = personas.daan
    data = profile_data(daan, open_to_asks="on", available_evenings="on", available_weekends="on")
    data.pop("show_thanks", None)
    response = as_user(daan).post(PROFILE, data)
    assert response.status_code == 302
    daan.refresh_from_db()
    assert daan.open_to_asks
    assert daan.available_evenings and daan.available_weekends
    assert not daan.available_daytime
    assert not daan.show_thanks

    response = as_user(daan).post(PROFILE, profile_data(daan, open_to_asks=None))
    daan.refresh_from_db()
    assert not daan.open_to_asks
    assert not daan.available_evenings
