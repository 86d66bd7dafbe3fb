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
        _register_translatable()
        _register_topic()


def _register_translatable() -> None:
    """Neighbours may translate an initiative's wish and plan, its updates and its learnings."""
    from buurtnet.initiatives import permissions
    from buurtnet.initiatives.models import Initiative, Learning, Update
    from buurtnet.translations.registry import register

    def by_author_or_initiator(membership, post) -> bool:
        return post.author_id == membership.user_id or permissions.is_initiator(
            membership, post.initiative
        )

    register(
        "initiative",
        Initiative,
        fields=("wish", "description"),
        can_read=permissions.can_view,
        is_writer=permissions.is_initiator,
        neighbourhood_id=lambda initiative: initiative.neighbourhood_id,
        url=lambda initiative: initiative.get_absolute_url(),
        select_related=("neighbourhood",),
    )
    for kind, model, fields in (
        ("update", Update, ("body",)),
        ("learning", Learning, ("what_worked", "what_did_not")),
    ):
        register(
            kind,
            model,
            fields=fields,
            can_read=lambda membership, post: permissions.can_view(membership, post.initiative),
            is_writer=by_author_or_initiator,
            neighbourhood_id=lambda post: post.initiative.neighbourhood_id,
            url=lambda post: post.initiative.get_absolute_url(),
            select_related=("initiative__neighbourhood",),
        )


def _register_topic() -> None:
    """Members may start a conversation about an initiative they can see."""
    from buurtnet.conversations.topics import register
    from buurtnet.initiatives import permissions
    from buurtnet.initiatives.models import Initiative

    register(
        Initiative,
        can_view=permissions.can_view,
        title=lambda initiative: initiative.title,
        url=lambda initiative: initiative.get_absolute_url(),
    )
