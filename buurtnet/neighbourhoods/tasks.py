from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from buurtnet.neighbourhoods.services import (
    SIGNUP_LINK_DAYS,
    SignupLink,
    signup_link_read,
    signup_link_sign,
)


def _after_login(link: SignupLink) -> str:
    """Where the owner of an existing account carries on once logged in."""
    if link.with_code:
        return f"{reverse('neighbourhoods:signup')}?{urlencode({'code': link.code})}"
    if link.neighbourhood is not None:
        return reverse("neighbourhoods:ask_to_join", args=[link.neighbourhood.slug])
    return reverse("home")


@task()
def send_signup_email(*, details: dict) -> bool:
    """Mail the link that finishes a sign-up; or, when the address has an account already, tell
    its owner that someone tried to sign up with it and how to log in. In the form's language.

    The link is signed here, as it is mailed, so a queued task holds no link that works, and the
    link's days count from the moment it is sent.
    """
    token = signup_link_sign(details)
    try:
        link = signup_link_read(token)
    except ValidationError:
        return False
    owner = get_user_model().objects.filter(email__iexact=link.email).first()
    site = settings.SITE_URL
    with translation.override(link.preferred_language):
        context = {
            "neighbourhood": link.neighbourhood.name if link.neighbourhood else "",
            "site_url": site,
        }
        if owner is None:
            template = "emails/signup_confirm"
            context |= {
                "url": f"{site}{reverse('neighbourhoods:signup_confirm', args=[token])}",
                "valid_days": SIGNUP_LINK_DAYS,
            }
        else:
            template = "emails/signup_account_exists"
            login = f"{site}{reverse('login')}?{urlencode({'next': _after_login(link)})}"
            context |= {
                "name": owner.display_name,
                "login_url": login,
                "reset_url": f"{site}{reverse('password_reset')}",
            }
        # A header must be one line.
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, body, to=[link.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
