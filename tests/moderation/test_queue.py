"""The hosts' queue: only hosts of the neighbourhood see it, open reports first."""

import pytest
from django.urls import reverse

from buurtnet.moderation import services
from buurtnet.moderation.models import Report, ReportStatus

from .conftest import detail_url, text

pytestmark = pytest.mark.django_db


def queue_url(personas, neighbourhood=None) -> str:
    return reverse("moderation:queue", args=[(neighbourhood or personas.ede).slug])


def test_hosts_see_the_queue_and_other_roles_do_not(personas, report_about_fatima, as_user):
    assert as_user(personas.henk).get(queue_url(personas)).status_code == 200
    for user in (personas.daan, personas.fatima, personas.anna):
        assert as_user(user).get(queue_url(personas)).status_code == 403, user
    assert as_user(personas.olga).get(queue_url(personas)).status_code == 404
    response = as_user(None).get(queue_url(personas))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_same_holds_for_a_report_and_the_actions(personas, report_about_fatima, as_user):
    urls = [
        detail_url(personas, report_about_fatima),
        reverse("moderation:actions", args=[personas.ede.slug]),
    ]
    for url in urls:
        assert as_user(personas.henk).get(url).status_code == 200
        assert as_user(personas.daan).get(url).status_code == 403
        assert as_user(personas.anna).get(url).status_code == 403
        assert as_user(personas.olga).get(url).status_code == 404


def test_a_report_of_another_neighbourhood_is_not_found(personas, report_about_fatima, as_user):
    url = reverse("moderation:report_detail", args=[personas.ede.slug, 10**6])
    assert as_user(personas.henk).get(url).status_code == 404


def test_open_reports_come_first_with_what_who_and_why(personas, post, private_message, as_user):
    old = services.report_make(
        neighbourhood=personas.ede, reporter=personas.priya, target=post, reason="spam"
    )
    Report.objects.filter(pk=old.pk).update(status=ReportStatus.DISMISSED)
    services.report_make(
        neighbourhood=personas.ede,
        reporter=personas.daan,
        target=private_message,
        reason="unkind",
    )
    html = text(as_user(personas.henk).get(queue_url(personas)))
    assert "1 report waits for a host" in html or "One report waits for a host" in html
    waiting = html.index("Je bent een sukkel")
    dismissed = html.index("Wie leent mij een boormachine?")
    assert waiting < dismissed
    assert '<blockquote dir="auto">Je bent een sukkel, buurman.</blockquote>' in html
    assert "Reported by Daan" in html
    assert "Unkind, threatening or discriminating" in html
    assert "Advertising or spam" in html


def test_the_queue_costs_the_same_few_queries_for_many_reports(
    personas, post, private_message, as_user, django_assert_max_num_queries
):
    client = as_user(personas.henk)
    for reporter in (personas.daan, personas.priya, personas.anna):
        services.report_make(
            neighbourhood=personas.ede, reporter=reporter, target=post, reason="spam"
        )
    services.report_make(
        neighbourhood=personas.ede, reporter=personas.daan, target=private_message, reason="spam"
    )
    services.report_make(
        neighbourhood=personas.ede, reporter=personas.daan, target=personas.priya, reason="spam"
    )
    client.get(queue_url(personas))
    with django_assert_max_num_queries(12):
        client.get(queue_url(personas))


def test_the_hosts_page_links_the_queue_with_the_open_count(personas, report_about_fatima, as_user):
    html = text(as_user(personas.henk).get(reverse("neighbourhoods:host", args=["ede-zuid"])))
    assert queue_url(personas) in html
    assert "Reports: 1 waits for a host" in html


def test_a_host_reported_sees_no_reporter_and_cannot_act(personas, as_user):
    report = services.report_make(
        neighbourhood=personas.ede, reporter=personas.daan, target=personas.henk, reason="unkind"
    )
    html = text(as_user(personas.henk).get(detail_url(personas, report)))
    assert "another host decides" in html
    assert "Daan" not in html
    assert 'name="action"' not in html
