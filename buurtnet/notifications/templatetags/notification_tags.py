from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from buurtnet.notifications.forms import EmailSettingsForm
from buurtnet.notifications.messages import notification_text as _notification_text
from buurtnet.notifications.models import Notification
from buurtnet.notifications.selectors import email_kinds_wanted

register = template.Library()


@register.filter
def notification_text(notification: Notification) -> str:
    """The notification in words, in the language of the page."""
    return _notification_text(notification)


@register.filter
def ago(moment: datetime | None) -> str:
    """How long ago, roughly: 'just now', '5 minutes ago', '3 days ago'."""
    if moment is None:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, depth=1)}


@register.inclusion_tag("notifications/_email_settings.html", takes_context=True)
def email_settings(context: template.Context) -> dict:
    """The email settings form for the signed-in person (shown on their profile page)."""
    user = context["request"].user
    form = EmailSettingsForm(initial={"kinds": email_kinds_wanted(user=user)})
    return {"form": form, "saved": False}
