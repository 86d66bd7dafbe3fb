from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "buurtnet.conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        _register_profiles()
        user_logged_in.connect(_count_at_login, dispatch_uid="conversations.unread_at_login")


def _count_at_login(sender, request, user, **kwargs) -> None:
    """A new session starts from the exact numbers, and its pages all find them kept."""
    from buurtnet.conversations.unread import unread_count_refresh

    unread_count_refresh(user=user)


def _register_profiles() -> None:
    """A conversation may start from a member's profile: one listed in this neighbourhood."""
    from buurtnet.conversations.topics import register
    from buurtnet.neighbourhoods.models import Membership
    from buurtnet.people.models import User

    def can_view(membership, user) -> bool:
        if membership is None or not user.is_active:
            return False
        if user.pk != membership.user_id and not user.listed_in_directory:
            return False
        return Membership.objects.filter(
            user=user, neighbourhood_id=membership.neighbourhood_id
        ).exists()

    # A person has a profile page in each of their neighbourhoods, so the object alone names no
    # single address: the conversation page links the other person's profile itself.
    register(User, can_view=can_view, title=lambda user: user.display_name, url=lambda user: "")
