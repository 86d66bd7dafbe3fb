"""Who comes to one occurrence, with guests and dietary wishes, or waits for a seat."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models.activities import Activity
from buurtnet.core.models import TimeStamped


class RsvpStatus(models.TextChoices):
    GOING = "going", _("Going")
    MAYBE = "maybe", _("Maybe")
    NOT_GOING = "not_going", _("Not going")


class Rsvp(TimeStamped):
    """One person's answer for one occurrence, for themselves and the guests they bring.

    Dietary needs hold for the whole party. Past capacity a "going" answer waits in line
    (`waitlisted`, since `waiting_since`) and moves up in that order when places free up;
    `promoted_at` records when it did.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="rsvps")
    occurrence_start = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(_("are you coming?"), max_length=20, choices=RsvpStatus.choices)
    guests = models.PositiveSmallIntegerField(_("guests I bring"), default=0)
    halal = models.BooleanField(_("halal"), default=False)
    vegetarian = models.BooleanField(_("vegetarian"), default=False)
    vegan = models.BooleanField(_("vegan"), default=False)
    no_pork = models.BooleanField(_("no pork"), default=False)
    allergies = models.CharField(_("allergies"), max_length=200, blank=True)
    waitlisted = models.BooleanField(_("on the waiting list"), default=False)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        indexes = [models.Index(fields=["activity", "occurrence_start", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "occurrence_start", "user"], name="unique_rsvp"
            ),
            models.CheckConstraint(condition=Q(guests__gte=0), name="rsvp_guests_not_negative"),
            models.CheckConstraint(
                condition=Q(waitlisted=False) | Q(status="going"),
                name="rsvp_only_going_waits",
            ),
        ]

    @property
    def seats(self) -> int:
        return 1 + self.guests
