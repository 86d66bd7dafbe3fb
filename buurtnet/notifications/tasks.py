from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import EmailOptOut, Notification


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """Mail one notification in the recipient's own language, unless they opted out."""
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
    # Claim the notification in the database first, so two workers never mail it twice.
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
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
    try:
        message.send()
    except Exception:
        # Release the claim so a retry can send it; the error itself is reported by the worker.
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return True
