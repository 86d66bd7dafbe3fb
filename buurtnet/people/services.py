from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from buurtnet.core.images import PHOTO_MAX_BYTES
from buurtnet.people.models import Block, Language, Talent, User
from buurtnet.people.selectors import is_known_language
from buurtnet.people.vocabulary import LANGUAGES, TALENTS

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
PRIVACY_FIELDS = (
    "listed_in_directory",
    "show_photo",
    "show_languages",
    "show_talents",
    "show_passions",
    "show_building",
    "show_thanks",
)
# Whether neighbours may ask this person for help, and when they usually can.
HELPING_FIELDS = (
    "open_to_asks",
    "available_daytime",
    "available_evenings",
    "available_weekends",
)


def vocabulary_sync() -> None:
    """Make the curated talents and languages in the database match people/vocabulary.py."""
    for slug, name in TALENTS:
        Talent.objects.update_or_create(slug=slug, defaults={"name": name})
    for code, english, native in LANGUAGES:
        Language.objects.update_or_create(
            code=code, defaults={"english_name": english, "native_name": native}
        )


def photo_size_check(photo: File) -> None:
    """Refuse a photo above the size limit before anything tries to read it as an image."""
    if photo.size is not None and photo.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("This photo is %(size)s MB; photos can be at most 5 MB. Please choose a smaller one.")
            % {"size": f"{photo.size / (1024 * 1024):.1f}"},
            code="photo_too_large",
        )


def photo_format_check(photo: File) -> None:
    """Accept only the image types every browser shows: JPEG, PNG, WebP and GIF."""
    photo_size_check(photo)
    image = getattr(photo, "image", None)
    image_format = getattr(image, "format", None)
    if image_format is None:
        try:
            photo.seek(0)
            with Image.open(photo) as opened:
                opened.verify()
                image_format = opened.format
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
            raise ValidationError(_invalid_photo_message(), code="photo_type") from error
        finally:
            photo.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(_invalid_photo_message(), code="photo_type")


def _invalid_photo_message() -> str:
    return _("This file is not a photo we can use. Please choose a JPEG, PNG, WebP or GIF image.")


def _text_check(
    value: str, *, field: str, max_length: int, required_message: str | None = None
) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ValidationError({field: required_message})
    if "\x00" in value:
        raise ValidationError({field: _("Null characters are not allowed.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("Please keep this to %(max)s characters (it has %(length)s).")
                % {"max": max_length, "length": len(value)}
            }
        )
    return value


def profile_update(
    *,
    user: User,
    display_name: str,
    preferred_language: str,
    languages: Iterable[Language] = (),
    talents: Iterable[Talent] = (),
    talents_other: str = "",
    passions: str = "",
    privacy: Mapping[str, bool] | None = None,
    helping: Mapping[str, bool] | None = None,
    photo: File | None = None,
    remove_photo: bool = False,
) -> User:
    """Save what a person tells about themselves, in which language, and who may see it."""
    display_name = _text_check(
        display_name,
        field="display_name",
        max_length=60,
        required_message=_("Please fill in the name your neighbours will see."),
    )
    talents_other = _text_check(talents_other, field="talents_other", max_length=300)
    passions = _text_check(passions, field="passions", max_length=1000)
    if preferred_language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"preferred_language": _("Please choose one of the languages Buurtnet speaks.")}
        )
    privacy = dict(privacy or {})
    unknown = set(privacy) - set(PRIVACY_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown privacy setting: %(names)s.") % {"names": ", ".join(unknown)}
        )
    helping = dict(helping or {})
    unknown = set(helping) - set(HELPING_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown setting: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if photo is not None:
        photo_format_check(photo)
    languages = list(languages)
    talents = list(talents)

    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=user.pk)
        old_photo_name = person.photo.name if person.photo else ""
        person.display_name = display_name
        person.preferred_language = preferred_language
        person.talents_other = talents_other
        person.passions = passions
        for name, visible in privacy.items():
            setattr(person, name, bool(visible))
        for name, value in helping.items():
            setattr(person, name, bool(value))
        if photo is not None:
            person.photo = photo
        elif remove_photo:
            person.photo = ""
        person.save(
            update_fields=[
                "display_name",
                "preferred_language",
                "talents_other",
                "passions",
                "photo",
                *privacy,
                *helping,
            ]
        )
        person.languages.set(languages)
        person.talents.set(talents)
        new_photo_name = person.photo.name if person.photo else ""
        if old_photo_name and old_photo_name != new_photo_name:
            storage = person.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo_name))
    return person


def preferred_language_set(*, user, language: str) -> None:
    """Remember the language a member picked in the switcher for pages and emails."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not available."), code="invalid")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def written_in(user: User, language: str) -> str:
    """The language a post is written in: the writer's choice, else their preferred language."""
    if not language:
        return user.preferred_language
    if not is_known_language(language):
        raise ValidationError({"language": _("Choose a language from the list.")})
    return language


# Blocks -----------------------------------------------------------------------------------------


def block_add(*, blocker: User, blocked: User) -> Block:
    """One member blocks another: from now on they never meet on Buurtnet, both ways."""
    if blocker.pk == blocked.pk:
        raise ValidationError(_("You cannot block yourself."), code="self")
    with transaction.atomic():
        existing = Block.objects.filter(blocker=blocker, blocked=blocked).first()
        if existing is not None:
            return existing
        try:
            # A savepoint: the same block sent twice at once keeps one row and no error.
            with transaction.atomic():
                return Block.objects.create(blocker=blocker, blocked=blocked)
        except IntegrityError:
            return Block.objects.get(blocker=blocker, blocked=blocked)


def block_remove(*, blocker: User, blocked: User) -> bool:
    """Lift one's own block (a block the other made stays); True when there was one."""
    with transaction.atomic():
        deleted, _rows = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return deleted > 0
