from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    """Pages composed from several domains (a neighbourhood's landing page, a member's home)."""

    name = "buurtnet.front"
    verbose_name = _("Front pages")
