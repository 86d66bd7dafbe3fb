from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_themes(sender, **kwargs) -> None:
    from buurtnet.initiatives.models import Theme
    from buurtnet.people.vocabulary import THEMES

    for slug, name in THEMES:
        Theme.objects.update_or_create(slug=slug, defaults={"name": name})


class InitiativesConfig(AppConfig):
    name = "buurtnet.initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        post_migrate.connect(_sync_themes, sender=self, dispatch_uid="initiatives_themes")
