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
def send_password_reset_email(*, email: str) -> int:
    """Mail whoever has an account with `email` a link to choose a new password, in their own
    language; returns how many were mailed (0 for an address without an account).

    The link's token is made here, not in the request, so the queue never holds it: queued tasks
    show in the admin and end up in backups. A link made a little later works just as well (for
    PASSWORD_RESET_TIMEOUT from now), and every link stops working once the password changes.
    Sent at least once: a worker that dies after the mail server took the message but before the
    task finished sends a second, equally good link on the retry, rather than none.
    """
    # The same people Django's reset form picks: active, with a password they can log in with.
    people = [
        user
        for user in User.objects.filter(email__iexact=email, is_active=True)
        if user.email and user.has_usable_password()
    ]
    for user in people:
        _reset_email(user).send()
    return len(people)


def _reset_email(user: User) -> EmailMultiAlternatives:
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
    return message
