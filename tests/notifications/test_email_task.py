import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import EmailOptOut, Kind, Notification
from buurtnet.notifications.services import notify
from buurtnet.notifications.tasks import send_notification_email
from tests.notifications.helpers import PARAMS


def _html(message) -> str:
    return next(body for body, mime in message.alternatives if mime == "text/html")


def _notify(capture, recipients, *, kind=Kind.INITIATIVE_JOINED, actor=None, params=None):
    with capture(execute=True):
        return notify(
            recipients=recipients,
            kind=kind,
            actor=actor,
            params=PARAMS if params is None else params,
            url="/n/ede-zuid/initiatives/1/",
        )


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_is_mailed_in_the_recipients_language(
    personas, django_capture_on_commit_callbacks, kind, language
):
    recipient = personas.fatima
    recipient.preferred_language = language
    recipient.save()
    # The request around it speaks the other language: the email must not follow it.
    with translation.override("en" if language == "nl" else "nl"):
        [notification] = _notify(
            django_capture_on_commit_callbacks, [recipient], kind=kind, actor=personas.priya
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [recipient.email]
    with translation.override(language):
        text = notification_text(notification)
    assert text in message.body
    assert text in _html(message).replace("&quot;", '"')
    assert f'<html lang="{language}">' in _html(message)
    assert "\n" not in message.subject and message.subject.startswith("[Buurtnet]")
    assert f"{settings.SITE_URL}/me/notifications/{notification.pk}/" in message.body
    assert f"{settings.SITE_URL}/me/profile/#email" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_an_opt_out_stops_the_email_but_keeps_the_notification(
    personas, django_capture_on_commit_callbacks
):
    EmailOptOut.objects.create(user=personas.fatima, kind=Kind.INITIATIVE_JOINED)
    _notify(
        django_capture_on_commit_callbacks, [personas.fatima, personas.henk], actor=personas.priya
    )
    assert [message.to for message in mail.outbox] == [[personas.henk.email]]
    notification = Notification.objects.get(recipient=personas.fatima)
    assert notification.emailed_at is None
    assert notification.read_at is None


def test_an_opt_out_for_another_kind_changes_nothing(personas, django_capture_on_commit_callbacks):
    EmailOptOut.objects.create(user=personas.fatima, kind=Kind.SUPPORT_OFFERED)
    _notify(django_capture_on_commit_callbacks, [personas.fatima], actor=personas.priya)
    assert len(mail.outbox) == 1


def test_the_actor_is_never_notified_of_their_own_action(
    personas, django_capture_on_commit_callbacks
):
    created = _notify(
        django_capture_on_commit_callbacks,
        [personas.fatima, personas.priya, personas.fatima],
        actor=personas.fatima,
    )
    assert [n.recipient for n in created] == [personas.priya]
    assert not Notification.objects.filter(recipient=personas.fatima).exists()
    assert [message.to for message in mail.outbox] == [[personas.priya.email]]


def test_an_inactive_person_gets_no_mail(personas, django_capture_on_commit_callbacks):
    personas.daan.is_active = False
    personas.daan.save()
    _notify(django_capture_on_commit_callbacks, [personas.daan], kind=Kind.JOIN_APPROVED)
    assert mail.outbox == []
    assert Notification.objects.get(recipient=personas.daan).emailed_at is None


def test_nothing_is_mailed_before_the_transaction_commits(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[personas.fatima], kind=Kind.INITIATIVE_JOINED, params=PARAMS)
    assert mail.outbox == []
    for callback in callbacks:  # the commit
        callback()
    assert len(mail.outbox) == 1


def test_a_notification_is_mailed_only_once(personas, django_capture_on_commit_callbacks):
    [notification] = _notify(django_capture_on_commit_callbacks, [personas.fatima])
    assert send_notification_email.call(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_line_breaks_in_names_do_not_break_the_subject(
    personas, django_capture_on_commit_callbacks
):
    _notify(
        django_capture_on_commit_callbacks,
        [personas.anna],
        kind=Kind.QUESTION_ASKED,
        actor=personas.daan,
        params={**PARAMS, "subject": "Can we\nuse the hall?"},
    )
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
