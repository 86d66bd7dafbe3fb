from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "buurtnet.neighbourhoods"
    verbose_name = _("Neighbourhoods")

    def ready(self) -> None:
        from buurtnet.neighbourhoods import cache

        cache.connect()
