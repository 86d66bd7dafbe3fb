"""The member page shows the thanks a neighbour received (sharing's member_thanks tag)."""

import pytest
from django.urls import reverse

from buurtnet.sharing.models import Thanks

from .conftest import text

pytestmark = pytest.mark.django_db


def test_the_member_page_shows_thanks_received(personas, post, as_user):
    Thanks.objects.create(
        neighbourhood=personas.ede,
        giver=personas.daan,
        receiver=personas.fatima,
        note="Dank je wel voor de hulp!",
        language="nl",
    )
    url = reverse("neighbourhoods:member", args=[personas.ede.slug, personas.fatima.pk])
    html = text(as_user(personas.priya).get(url))
    assert "Thanks from neighbours" in html
    assert "Dank je wel voor de hulp!" in html
    personas.fatima.show_thanks = False
    personas.fatima.save(update_fields=["show_thanks"])
    assert "Dank je wel" not in text(as_user(personas.priya).get(url))
