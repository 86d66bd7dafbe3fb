"""The words of each notification kind, built in the reader's language when shown or mailed."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtnet.notifications.models import Kind, Notification

# Each text fills in the actor (who did it) and the names kept in Notification.params.
TEXTS = {
    Kind.INITIATIVE_JOINED: gettext_lazy(
        "%(actor)s would like to join “%(initiative)s”. Have a look and welcome them!"
    ),
    Kind.SUPPORT_OFFERED: gettext_lazy(
        "%(organisation)s offers to help “%(initiative)s”. You decide whether to accept."
    ),
    Kind.OFFER_ACCEPTED: gettext_lazy(
        "Good news: the initiators of “%(initiative)s” accepted your offer to help."
    ),
    Kind.QUESTION_ANSWERED: gettext_lazy("%(organisation)s answered your question “%(subject)s”."),
    Kind.JOIN_APPROVED: gettext_lazy(
        "Welcome to %(neighbourhood)s! Your request to join is approved."
    ),
    Kind.PARTICIPATION_ACCEPTED: gettext_lazy(
        "You are on board of “%(initiative)s”. The initiators are glad you joined!"
    ),
    Kind.QUESTION_ASKED: gettext_lazy("%(actor)s asks %(organisation)s: “%(subject)s”"),
    Kind.WAITLIST_PROMOTED: gettext_lazy(
        "A place came free: you are now going to “%(activity)s”. See you there!"
    ),
    Kind.JOIN_REQUESTED: gettext_lazy(
        "%(actor)s asks to join %(neighbourhood)s. Have a look on the page for hosts."
    ),
}


class _Params(dict):
    """Names kept with a notification; one that was never recorded reads as an ellipsis."""

    def __missing__(self, key: str) -> str:
        return "…"


def notification_text(notification: Notification) -> str:
    """The notification in words, in the active language."""
    text = TEXTS.get(notification.kind)
    if text is None:
        return _("Something happened on Buurtnet that concerns you.")
    params = _Params(notification.params or {})
    params["actor"] = str(notification.actor) if notification.actor else _("A neighbour")
    return str(text) % params
