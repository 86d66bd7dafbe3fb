"""A suspended member meets a 403 on every page of the neighbourhood, from the very next
request (the membership is cached per member; saving it bumps the version), until it is lifted
or ends."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from buurtnet.moderation import services
from buurtnet.neighbourhoods import cache as shared_cache

from .conftest import detail_url, membership, text

pytestmark = pytest.mark.django_db


def pages(personas) -> list[str]:
    slug = personas.ede.slug
    return [
        reverse("neighbourhoods:directory", args=[slug]),
        reverse("neighbourhoods:member", args=[slug, personas.daan.pk]),
        reverse("moderation:blocks", args=[slug]),
    ]


def test_a_suspension_takes_effect_on_the_next_request_and_a_lift_too(
    personas, report_about_fatima, client
):
    fatima = client
    fatima.force_login(personas.fatima)
    url = reverse("neighbourhoods:directory", args=[personas.ede.slug])
    assert fatima.get(url).status_code == 200
    assert fatima.get(url).status_code == 200
    # The membership now comes from the shared cache.
    key = shared_cache.key(personas.ede.pk, "membership", audience=f"person-{personas.fatima.pk}")
    assert cache.get(key) is not None

    host = membership(personas.henk, personas.ede)
    services.member_suspend(
        report=report_about_fatima, host=host, reason="Drie keer gewaarschuwd", period="week"
    )
    response = fatima.get(url)
    assert response.status_code == 403
    html = text(response)
    assert "Your membership is suspended" in html
    assert "Drie keer gewaarschuwd" in html
    until = membership(personas.fatima, personas.ede).suspended_until
    assert until.strftime("%Y") in html
    for page in pages(personas):
        assert fatima.get(page).status_code == 403, page

    services.suspension_lift(report=report_about_fatima, host=host, reason="Gesproken")
    assert fatima.get(url).status_code == 200


def test_a_suspension_until_lifted_says_so(personas, report_about_fatima, as_user):
    services.member_suspend(
        report=report_about_fatima,
        host=membership(personas.henk, personas.ede),
        reason="Ernstig",
        period="lifted",
    )
    html = text(as_user(personas.fatima).get(pages(personas)[0]))
    assert "until a host lifts it" in html
    assert "2126" not in html


def test_the_suspension_page_shows_no_menu_of_the_neighbourhood(
    personas, report_about_fatima, as_user
):
    services.member_suspend(
        report=report_about_fatima,
        host=membership(personas.henk, personas.ede),
        reason="Grof",
        period="week",
    )
    html = text(as_user(personas.fatima).get(pages(personas)[0]))
    assert reverse("initiatives:list", args=[personas.ede.slug]) not in html


def test_a_suspension_ends_by_itself(personas, report_about_fatima, as_user):
    services.member_suspend(
        report=report_about_fatima,
        host=membership(personas.henk, personas.ede),
        reason="Grof",
        period="week",
    )
    client = as_user(personas.fatima)
    assert client.get(pages(personas)[0]).status_code == 403
    member = membership(personas.fatima, personas.ede)
    member.suspended_until = timezone.now() - timedelta(minutes=1)
    member.save(update_fields=["suspended_until"])
    assert client.get(pages(personas)[0]).status_code == 200


def test_a_suspended_member_can_do_nothing_here_and_reports_nothing(
    personas, report_about_fatima, post, as_user
):
    services.member_suspend(
        report=report_about_fatima,
        host=membership(personas.henk, personas.ede),
        reason="Grof",
        period="week",
    )
    client = as_user(personas.fatima)
    url = reverse("moderation:report", args=[personas.ede.slug, "member", personas.daan.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 403
    block_url = reverse("moderation:block", args=[personas.ede.slug, personas.daan.pk])
    assert client.post(block_url).status_code == 403


def test_other_neighbourhoods_are_not_touched(personas, report_about_fatima):
    from tests.factories import MembershipFactory

    MembershipFactory(user=personas.fatima, neighbourhood=personas.other)
    services.member_suspend(
        report=report_about_fatima,
        host=membership(personas.henk, personas.ede),
        reason="Grof",
        period="week",
    )
    assert not membership(personas.fatima, personas.other).is_suspended


def test_a_suspended_host_loses_the_hosts_pages(personas, as_user):
    # Only a staff member could suspend a host; the access layer holds for hosts too.
    member = membership(personas.henk, personas.ede)
    member.suspended_until = timezone.now() + timedelta(days=3)
    member.save(update_fields=["suspended_until"])
    client = as_user(personas.henk)
    assert client.get(reverse("moderation:queue", args=[personas.ede.slug])).status_code == 403
    assert client.get(reverse("neighbourhoods:host", args=[personas.ede.slug])).status_code == 403


def test_the_host_sees_the_member_is_suspended(personas, report_about_fatima, as_user):
    services.member_suspend(
        report=report_about_fatima,
        host=membership(personas.henk, personas.ede),
        reason="Grof",
        period="week",
    )
    html = text(as_user(personas.henk).get(detail_url(personas, report_about_fatima)))
    assert "(suspended)" in html
    assert "Grof" in html
