from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language_info, gettext

from buurtnet.people.models import Block, Language, User


def profile_for_edit(*, user: User) -> User:
    """A fresh copy of the person's own profile, so an edit form never alters request.user."""
    return User.objects.prefetch_related("languages", "talents").get(pk=user.pk)


def written_in_choices() -> list[tuple[str, str]]:
    """What a post can be written in: Buurtnet's own languages first, each in its own script,
    then the other languages the neighbourhoods speak. "" means "my preferred language"."""
    interface = [
        (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
    ]
    known = {code for code, _label in interface}
    others = sorted(
        ((language.code, language.name) for language in Language.objects.exclude(code__in=known)),
        key=lambda choice: choice[1].lower(),
    )
    return [("", gettext("My preferred language")), *interface, *others]


def is_known_language(code: str) -> bool:
    return code in dict(settings.LANGUAGES) or Language.objects.filter(code=code).exists()


def blocked_between(a_id: int, b_id: int) -> bool:
    """Whether either of two people blocked the other (a block works both ways)."""
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def blocked_ids(user_id: int) -> set[int]:
    """Everyone this person blocked or was blocked by: they never meet on Buurtnet."""
    made = Block.objects.filter(blocker_id=user_id).values_list("blocked_id", flat=True)
    received = Block.objects.filter(blocked_id=user_id).values_list("blocker_id", flat=True)
    return set(made) | set(received)
