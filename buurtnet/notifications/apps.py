from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "buurtnet.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_count_at_login, dispatch_uid="notifications.unread_at_login")


def _count_at_login(sender, request, user, **kwargs) -> None:
    from buurtnet.notifications.unread import unread_count_refresh

    unread_count_refresh(user=user)
