from django.db.models import QuerySet

from buurtnet.notifications.models import EmailOptOut, Kind, Notification


def notifications_for(*, user) -> QuerySet[Notification]:
    """A person's own notifications, newest first, with what their text needs."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def recent_notifications(*, user, limit: int) -> list[Notification]:
    """The newest few notifications of one person (for the member home page)."""
    return list(notifications_for(user=user)[:limit])


def notification_for_recipient(*, user, notification_id: int) -> Notification | None:
    """One notification, only if it is this person's own."""
    return Notification.objects.filter(pk=notification_id, recipient=user).first()


def email_kinds_wanted(*, user) -> list[str]:
    """The kinds of notification this person gets an email for (all but their opt-outs)."""
    opted_out = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [kind.value for kind in Kind if kind.value not in opted_out]
