from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.notifications.models import EmailOptOut, Kind, Notification
from buurtnet.notifications.unread import unread_count_forget


def notify(
    *,
    recipients: Iterable,
    kind: Kind | str,
    actor=None,
    params: dict[str, str] | None = None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Record a notification for each recipient (never the actor) and mail it after commit.

    With email=False the notification is in-app only: whoever calls sends its email another
    way (conversations batch theirs, one per conversation per hour)."""
    from buurtnet.notifications.tasks import send_notification_email

    kind = Kind(kind)
    seen: set[int] = set()
    created: list[Notification] = []
    with transaction.atomic():
        for user in recipients:
            if user.pk in seen or (actor is not None and user.pk == actor.pk):
                continue
            seen.add(user.pk)
            created.append(
                Notification.objects.create(
                    recipient=user, kind=kind, actor=actor, params=params or {}, url=url
                )
            )
        for notification in created if email else ():
            transaction.on_commit(
                lambda pk=notification.pk: send_notification_email.enqueue(notification_id=pk)
            )
        unread_count_forget(user_ids=seen)
    return created


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of a person's notifications read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    with transaction.atomic():
        changed = qs.update(read_at=timezone.now())
        unread_count_forget(user_ids=[user.pk])
    return changed


def email_preferences_set(*, user, opted_out: Iterable[str]) -> None:
    """Replace the kinds a person gets no email for."""
    wanted = {Kind(k) for k in opted_out}
    with transaction.atomic():
        EmailOptOut.objects.filter(user=user).exclude(kind__in=wanted).delete()
        existing = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        # A simultaneous save may have inserted the same rows: the constraint keeps one of each.
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=user, kind=k) for k in wanted - existing], ignore_conflicts=True
        )


def notification_open(*, user, notification: Notification) -> Notification:
    """A person follows one of their notifications: from now on it counts as read."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied(_("This notification is for someone else."))
    if notification.read_at is None:
        with transaction.atomic():
            now = timezone.now()
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=now
            )
            unread_count_forget(user_ids=[user.pk])
            notification.read_at = now
    return notification
