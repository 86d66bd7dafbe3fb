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
        # The kept row of a signed-in person goes whenever the person changes (signed_in.py).
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from buurtnet.people import signed_in

        user = self.get_model("User")
        post_save.connect(signed_in.forget_on_change, sender=user, dispatch_uid="signed_in_save")
        post_delete.connect(signed_in.forget_on_change, sender=user, dispatch_uid="signed_in_del")
        user_logged_in.connect(signed_in.keep_on_login, dispatch_uid="signed_in_login")
