"""A member's secret calendar-feed address, and the reminders already sent."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models.activities import Activity


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in the address of one person's own calendar feed; a new one replaces the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return str(self.user)


class ReminderKind(models.TextChoices):
    GOING = "going", _("The day before, to who is going or helps")
    OPEN_TASKS = "open_tasks", _("Two days before, open tasks to the team")


class SentReminder(models.Model):
    """A reminder that went out, so the worker sends each one once."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    occurrence_start = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "activity", "occurrence_start", "user"], name="one_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurrence_start:%Y-%m-%d} → {self.user_id}"
