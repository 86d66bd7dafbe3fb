from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "buurtnet.sharing"
    verbose_name = _("Sharing with neighbours")

    def ready(self) -> None:
        _register_topic()
        _register_translatable()


def _register_topic() -> None:
    """A conversation can be about an ask or offer: shown with its title, linked to its page,
    and only to whoever may see the post."""
    from buurtnet.conversations import topics
    from buurtnet.sharing import permissions
    from buurtnet.sharing.models import Post

    topics.register(
        Post,
        can_view=lambda membership, post: permissions.can_view(membership, post),
        title=lambda post: post.title,
        url=lambda post: post.get_absolute_url(),
    )


def _register_translatable() -> None:
    """Neighbours may translate what an ask or offer says."""
    from buurtnet.sharing import permissions
    from buurtnet.sharing.models import Post
    from buurtnet.translations.registry import register

    register(
        "post",
        Post,
        fields=("body",),
        can_read=permissions.can_view,
        is_writer=permissions.is_author,
        neighbourhood_id=lambda post: post.neighbourhood_id,
        url=lambda post: post.get_absolute_url(),
        select_related=("neighbourhood",),
    )
