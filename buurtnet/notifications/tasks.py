from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from buurtnet.core.stale_tasks import stale_after
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import EmailOptOut, Notification


def email_lease() -> timedelta:
    """How long one attempt's claim on sending a notification's email holds.

    Half the time after which a task counts as abandoned by a dead worker: by the time such a task
    is queued again, its claim has expired and the retry sends. And far longer than sending takes
    (EMAIL_TIMEOUT bounds each exchange with the mail server), so no live attempt is overtaken.
    """
    return stale_after() / 2


def _message(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        text = notification_text(notification)
        context = {
            "recipient": recipient,
            "text": text,
            "url": f"{settings.SITE_URL}{reverse('notifications:open', args=[notification.pk])}"
            if notification.url
            else "",
            "settings_url": f"{settings.SITE_URL}{reverse('profile')}#email",
        }
        # A header must be one line, whatever names the text contains.
        subject = " ".join(render_to_string("emails/notification_subject.txt", context).split())
        body = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)
    message = EmailMultiAlternatives(subject, body, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """Mail one notification in the recipient's own language, unless they opted out.

    Sent at most once, and not lost when a worker dies halfway: see Notification.email_claimed_at.
    """
    notification = (
        Notification.objects.select_related("recipient", "actor")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return False
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return False
    if EmailOptOut.objects.filter(user=recipient, kind=notification.kind).exists():
        return False
    message = _message(notification)
    # Claim the sending in one conditional UPDATE, so of two attempts at once only one sends.
    # A claim older than the lease belongs to an attempt whose worker died before it finished.
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=claimed_at - email_lease()),
        pk=notification.pk,
        emailed_at__isnull=True,
    ).update(email_claimed_at=claimed_at)
    if not claimed:
        return False
    try:
        message.send()
    except Exception:
        # Give the claim back so a retry need not wait for it to expire; the worker reports the
        # error. Only this attempt's own claim: a later one may have taken over meanwhile.
        Notification.objects.filter(pk=notification.pk, email_claimed_at=claimed_at).update(
            email_claimed_at=None
        )
        raise
    # Only now that the mail server has accepted the message does it count as sent.
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True
