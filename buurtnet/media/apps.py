from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    """Uploaded files, served only to whoever may see what they belong to."""

    name = "buurtnet.media"
    verbose_name = _("Uploaded files")

    def ready(self) -> None:
        from buurtnet.media import checks  # noqa: F401 - registers the system checks
