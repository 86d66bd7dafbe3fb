"""Background jobs of people, run by the task worker."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from buurtnet.people.models import User

RESET_SUBJECT = "emails/password_reset_subject.txt"
RESET_TEXT = "emails/password_reset.txt"
RESET_HTML = "emails/password_reset.html"


@task()
def send_password_reset_email(*, user_id: int) -> bool:
    """Mail a person a link to choose a new password, in their own language.

    The link's token is made here, not in the request, so the queue never holds it: queued tasks
    show in the admin and end up in backups. A link made a little later works just as well (for
    PASSWORD_RESET_TIMEOUT from now), and every link stops working once the password changes.
    Sent at least once: a worker that dies after the mail server took the message but before the
    task finished sends a second, equally good link on the retry, rather than none.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    # The same people Django's reset form picks; one may have changed since the request.
    if user is None or not user.email or not user.has_usable_password():
        return False
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": settings.SITE_URL,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        # A header must be one line.
        subject = " ".join(render_to_string(RESET_SUBJECT, context).split())
        body = render_to_string(RESET_TEXT, context)
        html = render_to_string(RESET_HTML, context)
    message = EmailMultiAlternatives(subject, body, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
