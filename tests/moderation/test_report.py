"""Members report an ask or offer, a message or a member; the hosts hear of it."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from buurtnet.moderation.models import Report, ReportStatus
from buurtnet.notifications.models import Kind, Notification
from buurtnet.people.models import Block
from tests.factories import PostFactory

from .conftest import report_url, text

pytestmark = pytest.mark.django_db


def test_the_form_shows_what_is_reported(personas, post, as_user):
    response = as_user(personas.daan).get(report_url(personas, "post", post.pk))
    assert response.status_code == 200
    html = text(response)
    assert 'lang="nl" dir="auto">Wie leent mij een boormachine?' in html
    assert 'name="reason"' in html
    assert 'name="details"' in html


def test_a_member_reports_an_ask_and_the_hosts_hear_of_it(personas, post, as_user):
    response = as_user(personas.daan).post(
        report_url(personas, "post", post.pk), {"reason": "unkind", "details": "Erg onaardig"}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter == personas.daan
    assert report.about == personas.fatima
    assert report.target == post
    assert report.details == "Erg onaardig"
    assert report.status == ReportStatus.OPEN
    notification = Notification.objects.get(kind=Kind.REPORT_RECEIVED)
    assert notification.recipient == personas.henk
    assert notification.params == {"neighbourhood": "Ede-Zuid"}
    assert str(report.pk) in notification.url
    # Coming back to the form, Daan reads that the hosts have it already.
    page = as_user(personas.daan).get(report_url(personas, "post", post.pk))
    assert "You reported this already" in text(page)
    assert 'name="reason"' not in text(page)


def test_a_participant_reports_a_private_message(personas, private_message, as_user):
    response = as_user(personas.daan).post(
        report_url(personas, "message", private_message.pk), {"reason": "unkind"}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.about == personas.fatima
    assert report.target_type == ContentType.objects.get_for_model(type(private_message))


def test_only_participants_may_report_a_private_message(personas, private_message, as_user):
    for user in (personas.priya, personas.henk, personas.anna):
        response = as_user(user).get(report_url(personas, "message", private_message.pk))
        assert response.status_code == 404, user


def test_a_question_message_is_reported_by_its_starter(personas, question_message, as_user):
    response = as_user(personas.daan).post(
        report_url(personas, "message", question_message.pk), {"reason": "privacy"}
    )
    assert response.status_code == 302
    assert Report.objects.get().about == personas.anna


def test_a_professional_of_the_organisation_may_report_in_a_question(
    personas, question_message, as_user
):
    mine = question_message.conversation.messages.get(author=personas.daan)
    response = as_user(personas.anna).get(report_url(personas, "message", mine.pk))
    assert response.status_code == 200
    # Sem works for another organisation and cannot see the question.
    response = as_user(personas.sem).get(report_url(personas, "message", mine.pk))
    assert response.status_code == 404


def test_a_member_is_reported(personas, as_user):
    response = as_user(personas.daan).post(
        report_url(personas, "member", personas.priya.pk), {"reason": "unsafe"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/members/{personas.priya.pk}/")
    report = Report.objects.get()
    assert report.about == report.target == personas.priya


def test_a_member_of_another_neighbourhood_cannot_be_reported_here(personas, as_user):
    response = as_user(personas.daan).get(report_url(personas, "member", personas.olga.pk))
    assert response.status_code == 404


def test_what_a_member_cannot_see_cannot_be_reported(personas, post, as_user):
    flat_post = PostFactory(
        neighbourhood=personas.ede, author=personas.fatima, audience="suggested"
    )
    assert as_user(personas.daan).get(report_url(personas, "post", flat_post.pk)).status_code == (
        404
    )
    Block.objects.create(blocker=personas.fatima, blocked=personas.daan)
    assert as_user(personas.daan).get(report_url(personas, "post", post.pk)).status_code == 404


def test_unknown_kinds_and_numbers_are_not_found(personas, as_user):
    client = as_user(personas.daan)
    assert client.get(report_url(personas, "initiative", 1)).status_code == 404
    assert client.get(report_url(personas, "post", 10**30)).status_code == 404
    assert client.get(report_url(personas, "member", 10**30)).status_code == 404


def test_visitors_log_in_and_other_neighbourhoods_see_nothing(personas, post, as_user):
    response = as_user(None).get(report_url(personas, "post", post.pk))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    response = as_user(personas.olga).get(report_url(personas, "post", post.pk))
    assert response.status_code == 404
    # Olga's own neighbourhood does not hold Fatima's ask either.
    url = report_url(personas, "post", post.pk, neighbourhood=personas.other)
    assert as_user(personas.olga).get(url).status_code == 404


def test_nobody_reports_themselves(personas, post, as_user):
    response = as_user(personas.fatima).post(
        report_url(personas, "post", post.pk), {"reason": "spam"}
    )
    assert response.status_code == 400
    assert "You cannot report yourself" in text(response)
    response = as_user(personas.daan).get(report_url(personas, "member", personas.daan.pk))
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_reporting_twice_while_open_makes_one_report(personas, post, as_user):
    client = as_user(personas.daan)
    client.post(report_url(personas, "post", post.pk), {"reason": "unkind"})
    response = client.post(report_url(personas, "post", post.pk), {"reason": "spam"})
    assert response.status_code == 409
    assert "You reported this already" in text(response)
    assert Report.objects.count() == 1


def test_a_handled_report_may_be_made_again(personas, post, as_user):
    client = as_user(personas.daan)
    client.post(report_url(personas, "post", post.pk), {"reason": "unkind"})
    Report.objects.update(status=ReportStatus.DISMISSED)
    response = client.post(report_url(personas, "post", post.pk), {"reason": "unkind"})
    assert response.status_code == 302
    assert Report.objects.count() == 2


def test_without_a_reason_the_form_comes_back_with_the_text(personas, post, as_user):
    response = as_user(personas.daan).post(
        report_url(personas, "post", post.pk), {"details": "Zie de foto <b>hier</b>"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose what is wrong." in html
    assert "Zie de foto &lt;b&gt;hier&lt;/b&gt;" in html
    assert not Report.objects.exists()


def test_odd_input_is_refused_kindly(personas, post, as_user):
    client = as_user(personas.daan)
    url = report_url(personas, "post", post.pk)
    assert client.post(url, {"reason": "bogus"}).status_code == 400
    assert client.post(url, {"reason": "spam", "details": "x" * 2001}).status_code == 400
    assert client.post(url, {"reason": "spam", "details": "a\x00b"}).status_code == 400
    assert not Report.objects.exists()


def test_at_most_ten_reports_an_hour(personas, as_user):
    posts = [PostFactory(neighbourhood=personas.ede, author=personas.fatima) for _ in range(11)]
    client = as_user(personas.daan)
    for post in posts[:10]:
        assert client.post(
            report_url(personas, "post", post.pk), {"reason": "spam"}
        ).status_code == (302)
    response = client.post(
        report_url(personas, "post", posts[10].pk), {"reason": "spam", "details": "Nog een"}
    )
    assert response.status_code == 429
    assert "many reports in the last hour" in text(response)
    assert "Nog een" in text(response)
    assert Report.objects.count() == 10
    # An hour later there is room again.
    Report.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    response = client.post(report_url(personas, "post", posts[10].pk), {"reason": "spam"})
    assert response.status_code == 302


def test_a_report_about_a_host_is_not_sent_to_that_host(personas, as_user):
    as_user(personas.daan).post(
        report_url(personas, "member", personas.henk.pk), {"reason": "unkind"}
    )
    assert not Notification.objects.filter(recipient=personas.henk).exists()
