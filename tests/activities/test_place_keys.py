"""The keepers' key list: who holds a key of the place, seen only by keepers and hosts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buurtnet.activities.models import PlaceKey
from buurtnet.activities.services import places as services
from tests.activities.test_places import place_url


def key_add_url(place) -> str:
    return place_url(place, "activities:place_key_add")


def test_a_keeper_writes_down_who_got_a_key(as_user, personas, room):
    response = as_user(personas.fatima).post(
        key_add_url(room),
        {"holder": personas.daan.memberships.get().pk, "note": "Front door"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#keys")
    key = PlaceKey.objects.get()
    assert (key.holder, key.note, key.given_by) == (personas.daan, "Front door", personas.fatima)
    page = as_user(personas.fatima).get(place_url(room)).text
    assert "Key list" in page
    assert "Front door" in page


def test_professionals_can_hold_a_key_too(personas, room):
    services.place_key_give(user=personas.henk, place=room, holder=personas.anna)

    assert PlaceKey.objects.get().holder == personas.anna


@pytest.mark.parametrize("who", ["daan", "priya", "anna", "sem"])
def test_only_keepers_and_hosts_see_or_change_the_key_list(as_user, personas, room, who):
    services.place_key_give(user=personas.fatima, place=room, holder=personas.priya)
    client = as_user(getattr(personas, who))

    page = client.get(place_url(room)).text
    response = client.post(key_add_url(room), {"holder": personas.daan.memberships.get().pk})
    key = PlaceKey.objects.get()
    removed = client.post(place_url(room, "activities:place_key_remove", key.pk))

    assert "Key list" not in page
    assert (response.status_code, removed.status_code) == (403, 403)
    assert list(PlaceKey.objects.values_list("holder", flat=True)) == [personas.priya.pk]


def test_another_neighbourhood_gets_404(as_user, personas, room):
    services.place_key_give(user=personas.fatima, place=room, holder=personas.priya)
    key = PlaceKey.objects.get()

    client = as_user(personas.olga)

    assert client.post(key_add_url(room), {}).status_code == 404
    assert client.post(place_url(room, "activities:place_key_remove", key.pk)).status_code == 404


def test_a_non_member_cannot_be_given_a_key(personas, room):
    with pytest.raises(ValidationError) as refused:
        services.place_key_give(user=personas.fatima, place=room, holder=personas.olga)
    assert "holder" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.place_key_give(user=personas.daan, place=room, holder=personas.daan)


def test_bad_input_gets_400_and_keeps_the_note(as_user, personas, room):
    services.place_key_give(user=personas.fatima, place=room, holder=personas.priya)

    twice = as_user(personas.fatima).post(
        key_add_url(room), {"holder": personas.priya.memberships.get().pk, "note": "Back door"}
    )
    stranger = as_user(personas.fatima).post(
        key_add_url(room), {"holder": personas.olga.memberships.get().pk, "note": "Back door"}
    )
    huge = as_user(personas.fatima).post(key_add_url(room), {"holder": "9" * 30, "note": "x"})

    assert twice.status_code == 400
    assert 'value="Back door"' in twice.text
    assert stranger.status_code == 400
    assert "Choose a member from the list." in stranger.text
    assert huge.status_code == 400
    assert PlaceKey.objects.count() == 1


def test_returning_a_key_takes_it_off_the_list(as_user, personas, room):
    services.place_key_give(user=personas.fatima, place=room, holder=personas.priya)
    key = PlaceKey.objects.get()

    response = as_user(personas.henk).post(place_url(room, "activities:place_key_remove", key.pk))

    assert response.status_code == 302
    assert not PlaceKey.objects.exists()


def test_the_key_list_costs_one_query_however_long(
    as_user, personas, room, django_assert_num_queries
):
    from tests.factories import MembershipFactory, UserFactory

    client = as_user(personas.fatima)
    client.get(place_url(room))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(place_url(room))
    for number in range(8):
        user = UserFactory(display_name=f"Buur {number}")
        MembershipFactory(user=user, neighbourhood=personas.ede)
        services.place_key_give(user=personas.fatima, place=room, holder=user)
    with CaptureQueriesContext(connection) as many:
        client.get(place_url(room))
    assert len(many) == len(few)
