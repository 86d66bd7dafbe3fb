"""Sharing between neighbours: asks and offers, who was asked, loans and thanks."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from buurtnet.core.images import CleanImageField
from buurtnet.core.models import TimeStamped, random_upload_path, written_in_field
from buurtnet.initiatives.models import Need
from buurtnet.neighbourhoods.models import Building, Neighbourhood
from buurtnet.people.models import Talent

# An ask or offer stays up this long, and one tap renews it for as long again.
LIFETIME = timedelta(days=14)


def expires_default():
    return timezone.now() + LIFETIME


class Side(models.TextChoices):
    ASK = "ask", _("Ask")
    OFFER = "offer", _("Offer")


class Kind(models.TextChoices):
    BORROW = "borrow", _("Borrow or lend")
    GIVE = "give", _("Give away")
    SKILL = "skill", _("Help with a skill")
    SWAP = "swap", _("Swap")
    COMPANY = "company", _("Company")


class Audience(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("The whole neighbourhood")
    FLAT = "flat", _("My flat")
    SUGGESTED = "suggested", _("Only the neighbours Buurtnet suggests")


class PartOfDay(models.TextChoices):
    ANY = "", _("Any time")
    DAYTIME = "daytime", _("On a weekday, during the day")
    EVENING = "evening", _("On a weekday evening")
    WEEKEND = "weekend", _("At the weekend")


class PostStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HELPED = "helped", _("Helped")
    NOT_NEEDED = "not_needed", _("No longer needed")


class Post(TimeStamped):
    """An ask ("who can help me read a letter?") or an offer ("I lend my drill")."""

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    side = models.CharField(_("ask or offer"), max_length=10, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.ForeignKey(
        Talent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("category"),
    )
    title = models.CharField(_("in a few words"), max_length=120)
    body = models.TextField(_("more about it"), max_length=2000, blank=True)
    when = models.CharField(
        _("when"),
        max_length=120,
        blank=True,
        help_text=_("For example “Saturday morning” or “any evening this week”."),
    )
    part_of_day = models.CharField(
        _("part of the week"), max_length=10, choices=PartOfDay.choices, blank=True, default=""
    )
    language = written_in_field()
    building = models.ForeignKey(
        Building,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("flat"),
    )
    audience = models.CharField(
        _("who sees it"), max_length=20, choices=Audience.choices, default=Audience.NEIGHBOURHOOD
    )
    photo = CleanImageField(_("photo"), upload_to=random_upload_path("sharing"), blank=True)
    photo_description = models.CharField(_("what the photo shows"), max_length=200, blank=True)

    # Asked on behalf of a neighbour who is not online (taken down at the coffee morning):
    # answers go to the author, who passes them on. `on_behalf_contact` is for the author only.
    on_behalf_of = models.CharField(_("on behalf of"), max_length=60, blank=True)
    on_behalf_consent_at = models.DateTimeField(null=True, blank=True)
    on_behalf_contact = models.CharField(_("how you reach them"), max_length=300, blank=True)

    status = models.CharField(max_length=12, choices=PostStatus.choices, default=PostStatus.OPEN)
    expires_at = models.DateTimeField(_("open until"), default=expires_default)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Hidden by a host after a report: kept for the record, shown to no one but the author.
    hidden_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ask or offer")
        verbose_name_plural = _("asks and offers")
        indexes = [
            # The lists: one neighbourhood's open posts, newest first.
            models.Index(
                fields=["neighbourhood", "side", "-created_at"],
                condition=Q(status="open", hidden_at__isnull=True),
                name="post_open_newest",
            ),
            models.Index(fields=["author", "-created_at"], name="post_author_newest"),
            models.Index(fields=["building", "status"], name="post_building"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(on_behalf_of="") | Q(on_behalf_consent_at__isnull=False),
                name="post_on_behalf_has_consent",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="post_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sharing:post", args=[self.neighbourhood.slug, self.pk])

    @property
    def is_ask(self) -> bool:
        return self.side == Side.ASK

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        """Open, not past its date and not hidden: neighbours may still answer it."""
        return self.status == PostStatus.OPEN and not self.is_expired and self.hidden_at is None

    @property
    def is_lendable(self) -> bool:
        return self.side == Side.OFFER and self.kind == Kind.BORROW


class Answer(models.TextChoices):
    WAITING = "waiting", _("Not answered yet")
    YES = "yes", _("Can help")
    NO = "no", _("Cannot help this time")


class Invitation(TimeStamped):
    """An ask (or an initiative's need) sent to one suggested neighbour, who answers once.

    One row per neighbour and ask: nobody is asked twice for the same thing. `reasons` keeps the
    explanation as codes (see matching.explain), put into words in the reader's language.
    """

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reasons = models.JSONField(default=list, blank=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.WAITING)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ask sent to a neighbour")
        verbose_name_plural = _("asks sent to neighbours")
        indexes = [models.Index(fields=["user", "answer"], name="invitation_inbox")]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, need__isnull=True)
                | Q(post__isnull=True, need__isnull=False),
                name="invitation_post_or_need",
            ),
            models.UniqueConstraint(
                fields=["post", "user"], condition=Q(post__isnull=False), name="invite_once_post"
            ),
            models.UniqueConstraint(
                fields=["need", "user"], condition=Q(need__isnull=False), name="invite_once_need"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id or self.need_id} → {self.user_id}"


class LoanStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    HANDED_OVER = "handed_over", _("Handed over")
    RETURNED = "returned", pgettext_lazy("loan", "Returned")


# The loans that hold the item on their days: two of these may never overlap (the database
# refuses it, see migration 0002).
HOLDING = (LoanStatus.ACCEPTED, LoanStatus.HANDED_OVER)


class Loan(TimeStamped):
    """Borrowing an offered item: requested → accepted or declined → handed over → returned."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="loans")
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loans"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    message = models.CharField(_("a word for the owner"), max_length=500, blank=True)
    status = models.CharField(
        max_length=12, choices=LoanStatus.choices, default=LoanStatus.REQUESTED
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [
            models.Index(fields=["post", "status", "starts_on"], name="loan_item_days"),
            models.Index(fields=["status", "ends_on"], name="loan_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="loan_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.starts_on}–{self.ends_on}"


class Thanks(TimeStamped):
    """A neighbour thanks another for their help: appreciation, never a debt or a score."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="thanks"
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_given"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_received"
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="thanks"
    )
    category = models.ForeignKey(
        Talent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("a few words of thanks"), max_length=300, blank=True)
    language = written_in_field()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thanks")
        verbose_name_plural = _("thanks")
        indexes = [models.Index(fields=["receiver", "-created_at"], name="thanks_receiver")]
        constraints = [
            models.CheckConstraint(condition=~Q(giver=F("receiver")), name="thanks_not_self"),
            models.UniqueConstraint(
                fields=["giver", "receiver", "post"],
                condition=Q(post__isnull=False),
                name="thanks_once_per_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver_id} → {self.receiver_id}"
