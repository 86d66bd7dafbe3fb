from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from buurtnet.core.images import CleanImageField
from buurtnet.core.models import TimeStamped, random_upload_path, written_in_field
from buurtnet.neighbourhoods.models import Neighbourhood, Organisation
from buurtnet.people.models import Talent


class Theme(models.Model):
    """Curated vocabulary; `name` is an English msgid translated on display."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.name)


class Status(models.TextChoices):
    IDEA = "idea", _("Idea")
    STARTING = "starting", _("Starting")
    ACTIVE = "active", _("Active")
    STRUCTURAL = "structural", _("Structural")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone, also visitors of the neighbourhood page")
    MEMBERS = "members", _("Only members of the neighbourhood")


class Initiative(TimeStamped):
    """A resident-led initiative. Its initiators keep the lead."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="initiatives"
    )
    title = models.CharField(_("title"), max_length=120)
    wish = models.TextField(
        _("your wish"),
        max_length=2000,
        help_text=_("What do you wish for your neighbourhood? In your own words."),
    )
    description = models.TextField(
        _("how you want to do it"),
        max_length=4000,
        blank=True,
        help_text=_("Plans, first steps, when and where."),
    )
    language = written_in_field()
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="initiatives"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDEA
    )
    visibility = models.CharField(
        _("who can see it"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", args=[self.neighbourhood.slug, self.pk])


class ParticipantRole(models.TextChoices):
    INITIATOR = "initiator", _("Initiator")
    PARTICIPANT = "participant", _("Participant")


class ParticipationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the initiators")
    ACCEPTED = "accepted", _("On board")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class Participation(TimeStamped):
    """A neighbour takes part from their own talents; initiators are participants who lead."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(
        max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    status = models.CharField(
        max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.PENDING
    )
    talents = models.ManyToManyField(
        Talent, verbose_name=_("talents I bring"), blank=True, related_name="+"
    )
    brings = models.CharField(
        _("what I bring"),
        max_length=500,
        blank=True,
        help_text=_("For example: I can cook for twenty, I have a car on Saturdays."),
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="unique_participation"),
            models.CheckConstraint(
                condition=~Q(role="initiator") | Q(status="accepted"),
                name="initiator_is_accepted",
            ),
        ]


class NeedKind(models.TextChoices):
    HANDS = "hands", _("Hands and time")
    TALENT = "talent", _("A talent")
    MATERIALS = "materials", _("Materials")
    SPACE = "space", _("Space")
    MONEY = "money", _("Money")
    KNOWLEDGE = "knowledge", _("Knowledge")
    PERMIT = "permit", _("A permit or contact")


class Need(TimeStamped):
    """What the initiative is looking for; open until someone meets it."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("kind"), max_length=20, choices=NeedKind.choices)
    description = models.CharField(_("what exactly"), max_length=300)
    talent = models.ForeignKey(
        Talent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("talent"),
    )
    is_met = models.BooleanField(_("met"), default=False)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("met by"),
    )
    met_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("met by organisation"),
    )
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["is_met", "created_at", "id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")


class SupportKind(models.TextChoices):
    FACILITATION = "facilitation", _("Facilitation")
    HELP = "help", _("Help")
    KNOWLEDGE = "knowledge", _("Knowledge")
    RESOURCES = "resources", _("Resources")
    CONTACT = "contact", _("A contact")


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the initiators")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SupportOffer(TimeStamped):
    """A partner offers to join in. Only the initiators decide."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="support_offers"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="support_offers"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_offers"
    )
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    message = models.TextField(
        _("what you offer"),
        max_length=2000,
        help_text=_("Concretely: what, when, and how the initiators can reach you."),
    )
    need = models.ForeignKey(
        Need,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("for this need"),
    )
    status = models.CharField(
        max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support offer")
        verbose_name_plural = _("support offers")


class Update(TimeStamped):
    """A short post about how it goes."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("update"), max_length=2000)
    language = written_in_field()
    photo = CleanImageField(_("photo"), upload_to=random_upload_path("updates"), blank=True)
    photo_description = models.CharField(
        _("what the photo shows"),
        max_length=200,
        blank=True,
        help_text=_("A few words for neighbours who cannot see the photo."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")


class Learning(TimeStamped):
    """What worked and what didn't: so others (and other neighbourhoods) can learn."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="learnings")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    what_worked = models.TextField(_("what worked"), max_length=2000, blank=True)
    what_did_not = models.TextField(_("what didn't work"), max_length=2000, blank=True)
    language = written_in_field()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("learning")
        verbose_name_plural = _("learnings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(what_worked="") | ~Q(what_did_not=""),
                name="learning_not_empty",
            )
        ]
