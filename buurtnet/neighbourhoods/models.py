import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtnet.core.models import TimeStamped
from buurtnet.people.models import Language

# Invite codes avoid letters and digits that are easy to confuse on a printed sheet.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_invite_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class Neighbourhood(TimeStamped):
    slug = models.SlugField(_("short name in web addresses"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    municipality = models.CharField(_("municipality"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    motto = models.CharField(_("motto"), max_length=200, blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages spoken"), blank=True, related_name="+"
    )
    timezone = models.CharField(_("time zone"), max_length=60, default="Europe/Amsterdam")

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("front:landing", args=[self.slug])


class Building(models.Model):
    """A flat or block in the neighbourhood."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="buildings"
    )
    name = models.CharField(_("name"), max_length=100)
    street = models.CharField(_("street"), max_length=150, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="unique_building_name")
        ]

    def __str__(self) -> str:
        return self.name


class Home(models.Model):
    """A front door. Its number is never shown to other residents."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="homes")
    number = models.CharField(_("house number"), max_length=20)

    class Meta:
        ordering = ["building", "number"]
        verbose_name = _("home")
        verbose_name_plural = _("homes")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unique_home_number")
        ]

    def __str__(self) -> str:
        return f"{self.building.name} {self.number}"


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Neighbourhood team")
    POLICE = "police", _("Police")
    HOUSING = "housing", _("Housing corporation")
    WELFARE = "welfare", _("Welfare organisation")
    FOUNDATION = "foundation", _("Foundation")
    SCHOOL = "school", _("School")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class Organisation(TimeStamped):
    """A partner that joins in: it facilitates, helps and shares knowledge; it never takes over."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="organisations"
    )
    slug = models.SlugField(_("short name in web addresses"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    description = models.TextField(_("description"), blank=True)
    goals = models.TextField(
        _("our goals in this neighbourhood"),
        blank=True,
        help_text=_("What the organisation hopes to see realised through residents' initiatives."),
    )
    website = models.URLField(_("website"), blank=True)
    is_first_point_of_contact = models.BooleanField(_("first point of contact"), default=False)

    class Meta:
        ordering = ["-is_first_point_of_contact", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "slug"], name="unique_organisation_slug"
            ),
            models.UniqueConstraint(
                fields=["neighbourhood"],
                condition=Q(is_first_point_of_contact=True),
                name="one_first_point_of_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("neighbourhoods:organisation", args=[self.neighbourhood.slug, self.slug])


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    HOST = "host", _("Host")
    PROFESSIONAL = "professional", _("Professional")


class Membership(TimeStamped):
    """A person belongs to a neighbourhood in one role. Hosts are residents who welcome others."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    building = models.ForeignKey(
        Building,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("flat"),
    )
    # Private: only hosts of the neighbourhood (and the person) know the door.
    home = models.ForeignKey(
        Home, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="professionals",
        verbose_name=_("organisation"),
    )
    invite = models.ForeignKey(
        "InviteCode", on_delete=models.SET_NULL, null=True, blank=True, related_name="uses"
    )
    # A host may suspend a member (see moderation): until then they cannot use the neighbourhood.
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)

    class Meta:
        ordering = ["neighbourhood", "user__display_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        # "New neighbours" reads the newest few of one neighbourhood and stops.
        indexes = [models.Index(fields=["neighbourhood", "-created_at"], name="membership_newest")]
        constraints = [
            models.UniqueConstraint(fields=["user", "neighbourhood"], name="unique_membership"),
            models.CheckConstraint(
                condition=~Q(role="professional") | Q(organisation__isnull=False),
                name="professional_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.neighbourhood} ({self.role})"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def is_host(self) -> bool:
        return self.role == Role.HOST

    @property
    def is_professional(self) -> bool:
        return self.role == Role.PROFESSIONAL

    @property
    def is_resident(self) -> bool:
        """Hosts are residents too."""
        return self.role in (Role.RESIDENT, Role.HOST)


class InviteCode(TimeStamped):
    """A code for one home, printed and put in its letterbox; one household may use it."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="invite_codes"
    )
    home = models.ForeignKey(Home, on_delete=models.CASCADE, related_name="invite_codes")
    code = models.CharField(_("code"), max_length=12, unique=True, default=new_invite_code)
    max_uses = models.PositiveSmallIntegerField(
        _("people in the household who may use it"), default=4
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invite code")
        verbose_name_plural = _("invite codes")
        constraints = [
            models.CheckConstraint(condition=Q(max_uses__gte=1), name="invite_max_uses_positive")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a host")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(TimeStamped):
    """Someone without a code asks to join; a host approves or declines."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("flat")
    )
    message = models.TextField(
        _("a few words for the host"),
        max_length=1000,
        blank=True,
        help_text=_("For example where you live and how you heard of us."),
    )
    status = models.CharField(
        max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]
