from django.conf import settings
from django.utils.translation import get_language_info, gettext

from buurtnet.people.models import Language, User


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
