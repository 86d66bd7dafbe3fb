import re

import pytest
from django.urls import reverse

from buurtnet.notifications.models import EmailOptOut, Kind

SETTINGS = "/me/notifications/email/"


def _ticked(html: str) -> set[str]:
    return set(re.findall(r'name="kinds" value="([a-z_]+)" id="[^"]*" checked', html))


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for response in (client.get(SETTINGS), client.post(SETTINGS, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_profile_has_an_email_section_with_every_kind_ticked(client, personas):
    client.force_login(personas.anna)
    html = client.get(reverse("profile")).content.decode()
    section = html[html.index('id="email"') :]
    assert f'action="{SETTINGS}"' in section
    assert "Send me an email when" in section
    assert _ticked(section) == set(Kind.values)
    for kind in Kind:
        assert str(kind.label) in section


def test_unticking_stores_an_opt_out_and_returns_to_the_profile(client, personas):
    client.force_login(personas.fatima)
    wanted = [k for k in Kind.values if k != Kind.SUPPORT_OFFERED]
    response = client.post(SETTINGS, {"kinds": wanted}, follow=True)
    assert response.redirect_chain == [(reverse("profile") + "#email", 302)]
    html = response.content.decode()
    assert "Your email settings are saved." in html
    assert _ticked(html) == set(wanted)
    assert list(EmailOptOut.objects.values_list("user", "kind")) == [
        (personas.fatima.pk, Kind.SUPPORT_OFFERED.value)
    ]


def test_ticking_again_removes_the_opt_out(client, personas):
    EmailOptOut.objects.create(user=personas.fatima, kind=Kind.SUPPORT_OFFERED)
    EmailOptOut.objects.create(user=personas.priya, kind=Kind.SUPPORT_OFFERED)
    client.force_login(personas.fatima)
    client.post(SETTINGS, {"kinds": Kind.values})
    assert not EmailOptOut.objects.filter(user=personas.fatima).exists()
    assert EmailOptOut.objects.filter(user=personas.priya).exists()


def test_unticking_everything_opts_out_of_every_email(client, personas):
    client.force_login(personas.daan)
    client.post(SETTINGS, {})
    assert set(
        EmailOptOut.objects.filter(user=personas.daan).values_list("kind", flat=True)
    ) == set(Kind.values)


def test_with_htmx_it_sends_back_only_the_section(client, personas):
    client.force_login(personas.daan)
    response = client.post(
        SETTINGS, {"kinds": [Kind.JOIN_APPROVED]}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="email"')
    assert "Your email settings are saved." in html
    assert _ticked(html) == {Kind.JOIN_APPROVED.value}


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        (["no_such_kind"], "is not one of the available choices"),
        ([Kind.JOIN_APPROVED, "\x00"], "is not one of the available choices"),
    ],
)
def test_unknown_kinds_are_refused_with_400(client, personas, kinds, message):
    client.force_login(personas.daan)
    response = client.post(SETTINGS, {"kinds": kinds})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_the_settings_also_have_a_page_of_their_own(client, personas):
    EmailOptOut.objects.create(user=personas.daan, kind=Kind.QUESTION_ASKED)
    client.force_login(personas.daan)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    assert _ticked(response.content.decode()) == set(Kind.values) - {Kind.QUESTION_ASKED.value}


def test_saving_opt_outs_twice_keeps_one_row_each(personas):
    from buurtnet.notifications.models import EmailOptOut, Kind
    from buurtnet.notifications.services import email_preferences_set

    email_preferences_set(user=personas.daan, opted_out=[Kind.JOIN_APPROVED])
    email_preferences_set(user=personas.daan, opted_out=[Kind.JOIN_APPROVED, Kind.OFFER_ACCEPTED])
    kinds = sorted(EmailOptOut.objects.filter(user=personas.daan).values_list("kind", flat=True))
    assert kinds == [Kind.JOIN_APPROVED, Kind.OFFER_ACCEPTED]
