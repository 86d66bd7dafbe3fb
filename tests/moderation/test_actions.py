"""What a host does about a report: each is a new Action row, closes the report, and tells the
member why (in their own language)."""

import pytest
from django.core import mail
from django.utils import timezone, translation

from buurtnet.moderation import services
from buurtnet.moderation.models import Action, ActionKind, Report, ReportStatus
from buurtnet.neighbourhoods.models import Role
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Kind, Notification

from .conftest import detail_url, membership, text

pytestmark = pytest.mark.django_db


def act(client, personas, report, **data):
    return client.post(detail_url(personas, report), data)


def moderation_notice(user) -> Notification:
    return Notification.objects.get(recipient=user, kind=Kind.MODERATION)


def test_the_page_offers_what_fits_the_report(personas, report_about_fatima, as_user):
    html = text(as_user(personas.henk).get(detail_url(personas, report_about_fatima)))
    for kind in ("hide", "warn", "suspend", "dismiss"):
        assert f'value="{kind}"' in html
    assert 'value="lift"' not in html
    assert "Wie leent mij een boormachine?" in html
    assert "Reported by" in html


def test_hide_an_ask(personas, post, report_about_fatima, as_user):
    response = act(
        as_user(personas.henk), personas, report_about_fatima, action="hide", reason="Te grof"
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_at is not None
    action = Action.objects.get()
    assert (action.kind, action.host, action.member, action.reason) == (
        ActionKind.HIDE,
        personas.henk,
        personas.fatima,
        "Te grof",
    )
    report_about_fatima.refresh_from_db()
    assert report_about_fatima.status == ReportStatus.HANDLED
    assert report_about_fatima.handled_at is not None
    notice = moderation_notice(personas.fatima)
    assert notice.params == {
        "neighbourhood": "Ede-Zuid",
        "moderation_code": "hide",
        "reason": "Te grof",
        "title": "Wie leent mij een boormachine?",
    }
    with translation.override("en"):
        assert "is hidden, because: Te grof" in notification_text(notice)


def test_hide_a_message(personas, private_message, as_user):
    report = services.report_make(
        neighbourhood=personas.ede, reporter=personas.daan, target=private_message, reason="unkind"
    )
    response = act(as_user(personas.henk), personas, report, action="hide", reason="Grof")
    assert response.status_code == 302
    private_message.refresh_from_db()
    assert private_message.hidden_at is not None
    assert moderation_notice(personas.fatima).params["moderation_code"] == "hide"


def test_a_member_cannot_be_hidden(personas, as_user):
    report = services.report_make(
        neighbourhood=personas.ede, reporter=personas.daan, target=personas.priya, reason="unkind"
    )
    client = as_user(personas.henk)
    assert 'value="hide"' not in text(client.get(detail_url(personas, report)))
    response = act(client, personas, report, action="hide", reason="Weg ermee")
    assert response.status_code == 400
    assert "Weg ermee" in text(response)
    assert not Action.objects.exists()


def test_warn(personas, report_about_fatima, as_user):
    response = act(
        as_user(personas.henk), personas, report_about_fatima, action="warn", reason="Let op"
    )
    assert response.status_code == 302
    assert Action.objects.get().kind == ActionKind.WARN
    notice = moderation_notice(personas.fatima)
    assert notice.params["moderation_code"] == "warn"
    assert notice.params["reason"] == "Let op"


def test_the_member_is_mailed_in_their_own_language(
    personas, report_about_fatima, as_user, django_capture_on_commit_callbacks
):
    personas.fatima.preferred_language = "nl"
    personas.fatima.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        act(as_user(personas.henk), personas, report_about_fatima, action="warn", reason="Let op")
    sent = [message for message in mail.outbox if message.to == ["fatima@example.org"]]
    assert len(sent) == 1
    assert "Let op" in sent[0].body
    # The words around the reason are the member's language's (notify() builds them so).
    notice = moderation_notice(personas.fatima)
    with translation.override("nl"):
        assert notification_text(notice) in sent[0].body


@pytest.mark.parametrize("period", ["week", "month", "lifted"])
def test_suspend(personas, report_about_fatima, as_user, period):
    response = act(
        as_user(personas.henk),
        personas,
        report_about_fatima,
        action="suspend",
        period=period,
        reason="Herhaaldelijk grof",
    )
    assert response.status_code == 302
    member = membership(personas.fatima, personas.ede)
    assert member.is_suspended
    days = (member.suspended_until - timezone.now()).days
    assert {"week": 6, "month": 29, "lifted": 36499}[period] <= days
    assert days <= {"week": 7, "month": 30, "lifted": 36500}[period]
    action = Action.objects.get()
    assert action.suspended_until == member.suspended_until
    assert moderation_notice(personas.fatima).params["moderation_code"] == "suspend"


def test_suspend_needs_a_period(personas, report_about_fatima, as_user):
    response = act(
        as_user(personas.henk), personas, report_about_fatima, action="suspend", reason="Grof"
    )
    assert response.status_code == 400
    assert "Please choose for how long." in text(response)
    assert not membership(personas.fatima, personas.ede).is_suspended


def test_lift(personas, report_about_fatima, as_user):
    client = as_user(personas.henk)
    act(client, personas, report_about_fatima, action="suspend", period="week", reason="Grof")
    html = text(client.get(detail_url(personas, report_about_fatima)))
    assert 'value="lift"' in html
    assert 'value="suspend"' not in html
    response = act(client, personas, report_about_fatima, action="lift", reason="Gesproken")
    assert response.status_code == 302
    assert not membership(personas.fatima, personas.ede).is_suspended
    assert list(Action.objects.order_by("pk").values_list("kind", flat=True)) == [
        "suspend",
        "lift",
    ]
    lift = Notification.objects.filter(recipient=personas.fatima).order_by("-pk").first()
    assert lift.params["moderation_code"] == "lift"


def test_lifting_when_not_suspended_is_refused(personas, report_about_fatima, as_user):
    response = act(
        as_user(personas.henk), personas, report_about_fatima, action="lift", reason="Klaar"
    )
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_dismiss_tells_nobody(personas, report_about_fatima, as_user):
    response = act(
        as_user(personas.henk), personas, report_about_fatima, action="dismiss", reason="Niks"
    )
    assert response.status_code == 302
    report_about_fatima.refresh_from_db()
    assert report_about_fatima.status == ReportStatus.DISMISSED
    assert Action.objects.get().kind == ActionKind.DISMISS
    assert not Notification.objects.filter(kind=Kind.MODERATION).exists()


def test_dismissing_twice_is_refused(personas, report_about_fatima):
    host = membership(personas.henk, personas.ede)
    services.report_dismiss(report=report_about_fatima, host=host, reason="Niks")
    with pytest.raises(services.ValidationError):
        services.report_dismiss(report=report_about_fatima, host=host, reason="Niks")
    assert Action.objects.count() == 1


def test_every_action_needs_a_reason_and_keeps_what_was_chosen(
    personas, report_about_fatima, as_user
):
    response = act(as_user(personas.henk), personas, report_about_fatima, action="warn", reason=" ")
    assert response.status_code == 400
    html = text(response)
    assert "Please write why: the member reads it." in html
    assert 'value="warn" id="id_action_1" checked' in html or 'value="warn"' in html
    assert not Action.objects.exists()
    response = act(as_user(personas.henk), personas, report_about_fatima, reason="Alleen een reden")
    assert response.status_code == 400
    assert "Alleen een reden" in text(response)
    assert "Please choose what you do." in text(response)


def test_a_host_does_not_act_on_a_report_about_themselves(personas, as_user):
    report = services.report_make(
        neighbourhood=personas.ede, reporter=personas.daan, target=personas.henk, reason="unkind"
    )
    response = act(as_user(personas.henk), personas, report, action="dismiss", reason="Onzin")
    assert response.status_code == 403
    assert "another host decides" in text(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert not Action.objects.exists()


def test_a_host_does_not_suspend_another_host(personas, as_user):
    second = membership(personas.priya, personas.ede)
    second.role = Role.HOST
    second.save(update_fields=["role"])
    report = services.report_make(
        neighbourhood=personas.ede, reporter=personas.daan, target=personas.priya, reason="unkind"
    )
    client = as_user(personas.henk)
    assert 'value="suspend"' not in text(client.get(detail_url(personas, report)))
    response = act(client, personas, report, action="suspend", period="week", reason="Grof")
    assert response.status_code == 403
    assert "A host cannot suspend another host." in text(response)
    assert "Grof" in text(response)
    assert not membership(personas.priya, personas.ede).is_suspended
    with pytest.raises(services.PermissionDenied):
        services.member_suspend(
            report=report, host=membership(personas.henk, personas.ede), reason="x", period="week"
        )
    # A warning is fine.
    response = act(client, personas, report, action="warn", reason="Let op")
    assert response.status_code == 302


def test_actions_are_listed_and_never_changed(personas, report_about_fatima, as_user):
    client = as_user(personas.henk)
    act(client, personas, report_about_fatima, action="warn", reason="Eerste waarschuwing")
    act(client, personas, report_about_fatima, action="warn", reason="Tweede waarschuwing")
    html = text(client.get(f"/n/{personas.ede.slug}/hosts/reports/actions/"))
    assert html.index("Tweede waarschuwing") < html.index("Eerste waarschuwing")
    assert Action.objects.count() == 2
    assert Report.objects.get().status == ReportStatus.HANDLED


def test_a_resident_cannot_act(personas, report_about_fatima, as_user):
    response = act(
        as_user(personas.daan), personas, report_about_fatima, action="dismiss", reason="Niks"
    )
    assert response.status_code == 403
    assert not Action.objects.exists()
