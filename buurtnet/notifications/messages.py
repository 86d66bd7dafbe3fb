"""The words of each notification kind, built in the reader's language when shown or mailed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from buurtnet.core.money import euros as format_euros
from buurtnet.notifications.models import Kind, Notification


def euros(cents) -> str:
    try:
        return format_euros(int(cents))
    except (TypeError, ValueError):
        return "…"


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
        "A place came free: you are now going to “%(activity)s” on %(when)s. See you there!"
    ),
    Kind.BOOKING_REQUESTED: gettext_lazy(
        "%(actor)s asks to book %(place)s on %(when)s: “%(purpose)s”. Please approve or decline."
    ),
    Kind.BOOKING_DECIDED: gettext_lazy("Your booking of %(place)s on %(when)s is %(decision)s"),
    Kind.ACTIVITY_REMINDER: gettext_lazy(
        "Tomorrow: “%(activity)s” at %(time)s, %(where)s. %(helping)s"
    ),
    Kind.TASKS_OPEN: gettext_lazy("“%(activity)s” on %(when)s still needs hands: %(tasks)s"),
    Kind.GRANT_SUBMITTED: gettext_lazy(
        "%(actor)s asks %(foundation)s for %(amount)s for “%(initiative)s”. Please have a look."
    ),
    Kind.GRANT_MESSAGE: gettext_lazy(
        "%(actor)s wrote about the grant request for “%(initiative)s”: “%(excerpt)s”"
    ),
    Kind.GRANT_DECIDED: gettext_lazy(
        "%(foundation)s decided on your request for “%(initiative)s”: %(outcome)s"
    ),
    Kind.GRANT_PAID: gettext_lazy(
        "%(foundation)s paid %(amount)s to the account of “%(initiative)s”."
    ),
    Kind.RECEIPT_ADDED: gettext_lazy(
        "%(actor)s added a receipt of %(amount)s for “%(initiative)s”. Please check it."
    ),
    Kind.RECEIPT_CHECKED: gettext_lazy(
        "The treasurer of %(foundation)s checked your receipt “%(receipt)s”: %(outcome)s"
    ),
    Kind.JOIN_REQUESTED: gettext_lazy(
        "%(actor)s asks to join %(neighbourhood)s. Have a look on the page for hosts."
    ),
    Kind.MESSAGE_RECEIVED: gettext_lazy("%(actor)s wrote to you: “%(subject)s”"),
    Kind.ASKED_FOR_HELP: gettext_lazy(
        "%(actor)s wonders whether you can help: “%(title)s”. Answer with one tap."
    ),
    Kind.ASK_ANSWERED: gettext_lazy("%(actor)s can help with “%(title)s”."),
    Kind.THANKS_RECEIVED: gettext_lazy("%(actor)s thanks you for your help with “%(title)s”."),
    Kind.LOAN_REQUESTED: gettext_lazy(
        "%(actor)s would like to borrow “%(title)s” from %(from)s to %(until)s."
    ),
    Kind.LOAN_DECIDED: gettext_lazy("Your request to borrow “%(title)s” is %(decision)s"),
    Kind.LOAN_RETURN_DUE: gettext_lazy("Today “%(title)s” goes back to its owner."),
    Kind.REPORT_RECEIVED: gettext_lazy(
        "A member reported something in %(neighbourhood)s. Please have a look at the reports."
    ),
    Kind.MODERATION: gettext_lazy("A host of %(neighbourhood)s: %(moderation)s"),
}


# What a host did (moderation.Action.kind), in the words the member reads.
MODERATION_OUTCOMES = {
    "hide": gettext_lazy("“%(title)s” is hidden, because: %(reason)s"),
    "warn": gettext_lazy("a warning, because: %(reason)s"),
    "suspend": gettext_lazy("your membership is suspended for now, because: %(reason)s"),
    "lift": gettext_lazy("your membership is no longer suspended. Welcome back."),
}


class _Params(dict):
    """Names kept with a notification; one that was never recorded reads as an ellipsis."""

    def __missing__(self, key: str) -> str:
        return "…"


def _moment(params: dict) -> datetime | None:
    try:
        moment = datetime.fromisoformat(params["when_iso"])
        return moment.astimezone(ZoneInfo(params.get("tz") or settings.TIME_ZONE))
    except (KeyError, TypeError, ValueError, ZoneInfoNotFoundError):
        return None


def _hands(entries: list) -> str:
    """[["Cooking", 2], …] (English labels, translated now) → "Cooking: 2 hands, …"."""
    parts = []
    for label, count in entries:
        hands = ngettext("%(count)s hand", "%(count)s hands", count) % {"count": count}
        parts.append(f"{_(label)}: {hands}" if count else _(label))
    return ", ".join(parts)


def _render_params(params: _Params) -> _Params:
    """Dates, decisions and task names are kept as data and put in words for the reader."""
    moment = _moment(params)
    if moment is not None:
        params["when"] = date_format(moment, "l j F H:i")
        params["time"] = date_format(moment, "H:i")
    decision = params.get("decision_code")
    if decision == "approved":
        params["decision"] = _("approved.")
    elif decision == "declined" and not params.get("reason"):
        params["decision"] = _("declined.")
    elif decision == "declined":
        params["decision"] = _("declined, because: %(reason)s") % {
            "reason": params.get("reason", "…")
        }
    if "amount_cents" in params:
        params["amount"] = euros(params["amount_cents"])
    outcome = params.get("outcome_code")
    if outcome == "granted":
        params["outcome"] = _("granted, %(amount)s.") % {"amount": params.get("amount", "…")}
    elif outcome == "declined":
        params["outcome"] = _("declined, because: %(reason)s") % {
            "reason": params.get("reason", "…")
        }
    elif outcome == "accepted":
        params["outcome"] = _("accepted.")
    elif outcome == "rejected":
        params["outcome"] = _("not accepted, because: %(reason)s") % {
            "reason": params.get("reason", "…")
        }
    for key in ("from", "until"):
        if f"{key}_iso" in params:
            try:
                params[key] = date_format(date.fromisoformat(params[f"{key}_iso"]), "l j F")
            except (TypeError, ValueError):
                pass
    moderation = params.get("moderation_code")
    if moderation in MODERATION_OUTCOMES:
        params["moderation"] = str(MODERATION_OUTCOMES[moderation]) % {
            "reason": params.get("reason", "…"),
            "title": params.get("title", "…"),
        }
    if "open_tasks" in params:
        params["tasks"] = _hands(params["open_tasks"])
    if "my_tasks" in params:
        params["helping"] = (
            _("You help with: %(tasks)s.") % {"tasks": _hands(params["my_tasks"])}
            if params["my_tasks"]
            else ""
        )
    return params


def notification_text(notification: Notification) -> str:
    """The notification in words, in the active language."""
    text = TEXTS.get(notification.kind)
    if text is None:
        return _("Something happened on Buurtnet that concerns you.")
    params = _render_params(_Params(notification.params or {}))
    params["actor"] = str(notification.actor) if notification.actor else _("A neighbour")
    return (str(text) % params).strip()
