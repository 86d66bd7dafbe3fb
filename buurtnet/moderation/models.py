"""Reports of what should not be here, and what hosts did about them (never edited afterwards)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtnet.core.models import TimeStamped
from buurtnet.neighbourhoods.models import Neighbourhood


class Reason(models.TextChoices):
    UNKIND = "unkind", _("Unkind, threatening or discriminating")
    SPAM = "spam", _("Advertising or spam")
    PRIVACY = "privacy", _("It shares someone's private details")
    UNSAFE = "unsafe", _("It does not feel safe")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a host")
    HANDLED = "handled", _("Handled")
    DISMISSED = "dismissed", _("Nothing to do")


class Report(TimeStamped):
    """A member reports an ask, an offer, a message or a member to the neighbourhood's hosts."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    # What is reported: a sharing.Post, a conversations.Message or a people.User.
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    # Whose content it is (the member reported, or the author of what is reported).
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_about"
    )
    reason = models.CharField(_("what is wrong"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("anything the hosts should know"), max_length=2000, blank=True)
    status = models.CharField(
        max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["neighbourhood", "status"], name="report_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=models.Q(status="open"),
                name="one_open_report_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason}: {self.target_type_id}/{self.target_id}"


class ActionKind(models.TextChoices):
    HIDE = "hide", _("Hide it")
    WARN = "warn", _("Warn the member")
    SUSPEND = "suspend", _("Suspend the member")
    LIFT = "lift", _("Lift a suspension")
    DISMISS = "dismiss", _("Nothing to do")


class Action(TimeStamped):
    """What a host did, why, and about whom. A correction is a new row."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("action"), max_length=10, choices=ActionKind.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_received"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    suspended_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")

    def __str__(self) -> str:
        return f"{self.kind} {self.member_id}"
