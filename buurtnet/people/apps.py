from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_vocabulary(sender, **kwargs) -> None:
    from buurtnet.people.services import vocabulary_sync

    vocabulary_sync()


class PeopleConfig(AppConfig):
    name = "buurtnet.people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Like contenttypes and permissions: curated rows follow the code after every migrate.
        post_migrate.connect(_sync_vocabulary, sender=self, dispatch_uid="people_vocabulary")
