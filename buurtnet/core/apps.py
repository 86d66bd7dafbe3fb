from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "buurtnet.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from buurtnet.core.signals import sqlite_files_private

        connection_created.connect(sqlite_files_private, dispatch_uid="sqlite_files_private")
