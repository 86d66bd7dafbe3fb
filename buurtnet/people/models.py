from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from buurtnet.core.images import CleanImageField
from buurtnet.core.models import TimeStamped, random_upload_path


class Language(models.Model):
    """A language people in the neighbourhood speak (ISO 639-1 code)."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    english_name = models.CharField(_("name in English"), max_length=60)
    native_name = models.CharField(_("name in the language itself"), max_length=60, blank=True)

    class Meta:
        ordering = ["english_name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The language's name in the reader's language (our catalog first, then Django's)."""
        translated = gettext(self.english_name)
        if translated != self.english_name:
            return translated
        try:
            return str(get_language_info(self.code)["name_translated"])
        except KeyError:
            return self.english_name


class Talent(models.Model):
    """A curated talent; `name` is an English msgid, translated on display."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("talent")
        verbose_name_plural = _("talents")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.name)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("display_name", "Admin")
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. What they show others is chosen per field (see the show_* flags)."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=60, help_text=_("The name neighbours see.")
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Buurtnet's pages and emails appear in this language."),
    )
    photo = CleanImageField(_("photo"), upload_to=random_upload_path("people"), blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages I speak"), blank=True, related_name="speakers"
    )
    talents = models.ManyToManyField(
        Talent, verbose_name=_("talents"), blank=True, related_name="people"
    )
    talents_other = models.CharField(
        _("other talents"),
        max_length=300,
        blank=True,
        help_text=_("What else can you do and like doing?"),
    )
    passions = models.TextField(
        _("what gives me energy"),
        max_length=1000,
        blank=True,
        help_text=_("Your drives and passions, in your own words."),
    )

    # Who may see what: each is visible to members of the same neighbourhood when True.
    listed_in_directory = models.BooleanField(_("list me in the member directory"), default=True)
    show_photo = models.BooleanField(_("show my photo"), default=True)
    show_languages = models.BooleanField(_("show the languages I speak"), default=True)
    show_talents = models.BooleanField(_("show my talents"), default=True)
    show_passions = models.BooleanField(_("show what gives me energy"), default=True)
    show_building = models.BooleanField(_("show which flat I live in"), default=True)
    show_thanks = models.BooleanField(_("show the thanks neighbours gave me"), default=True)

    # Being asked: only members who say so are ever suggested to a neighbour with an ask.
    open_to_asks = models.BooleanField(
        _("neighbours may ask me for help"),
        default=False,
        help_text=_(
            "Buurtnet then suggests you to a neighbour whose ask fits your talents, languages "
            "or offers. You always decide yourself whether to help."
        ),
    )
    available_daytime = models.BooleanField(_("on weekdays, during the day"), default=False)
    available_evenings = models.BooleanField(_("on weekday evenings"), default=False)
    available_weekends = models.BooleanField(_("at weekends"), default=False)

    # The name as lists sort it, kept by the database itself (also for rows written in bulk):
    # the member directory reads its first page from this index instead of sorting everyone.
    sort_name = models.GeneratedField(
        expression=Lower("display_name"),
        output_field=models.CharField(max_length=60),
        db_persist=True,
        db_index=True,
    )

    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name


class Block(TimeStamped):
    """One member blocks another: no messages, suggestions or answers between them, both ways."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="unique_block"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"
