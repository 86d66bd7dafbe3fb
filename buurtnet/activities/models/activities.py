"""Activities and their recurrence (an RFC 5545 rule), and changes to single dates."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models.places import Place
from buurtnet.core.models import TimeStamped, written_in_field
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.people.models import Language


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz` as an aware datetime; a time skipped by DST moves forward."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    YOUTH = "youth", _("Young people")
    CHILDREN = "children", _("Children")
    FAMILIES = "families", _("Families")
    ELDERLY = "elderly", _("Older neighbours")


class Activity(TimeStamped):
    """One event or a series of them (an RFC 5545 rule), in the neighbourhood's local time.

    The start is kept as a wall-clock date and time, so "18:00" stays 18:00 through summer and
    winter time.
    """

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="activities"
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organised by the initiative"),
    )
    # RESTRICT, not PROTECT: a place with activities cannot be deleted on its own, but deleting
    # the whole neighbourhood takes both along.
    place = models.ForeignKey(
        Place,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("place"),
    )
    location = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        help_text=_("Where it is, when not at one of the neighbourhood's places."),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    start_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(
        _("duration in minutes"), validators=[MinValueValidator(1)]
    )
    language = written_in_field()
    rrule = models.CharField(
        _("repeats"),
        max_length=300,
        blank=True,
        help_text=_("A recurrence rule such as FREQ=WEEKLY;BYDAY=WE. Empty for a single event."),
    )
    until = models.DateTimeField(
        _("last start"),
        null=True,
        blank=True,
        help_text=_("No occurrence of the series starts after this moment."),
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages spoken"), blank=True, related_name="+"
    )
    cost_cents = models.PositiveIntegerField(_("contribution in cents"), default=0)
    audience = models.CharField(
        _("for whom"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    bring_a_dish = models.BooleanField(
        _("bring a dish"),
        default=False,
        help_text=_("A potluck: everyone who comes can say which dish they bring."),
    )
    is_public = models.BooleanField(
        _("shown to visitors"),
        default=True,
        help_text=_("Public activities appear in the neighbourhood's open calendar."),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("continues the series"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["start_date", "start_time", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="activity_duration_positive"
            ),
            models.CheckConstraint(condition=Q(cost_cents__gte=0), name="activity_cost_positive"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="activity_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(initiative__isnull=False) | Q(place__isnull=False),
                name="activity_has_organiser",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.neighbourhood.timezone)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def first_start(self) -> datetime:
        """The first start as an aware datetime in the neighbourhood's time zone."""
        return localize(datetime.combine(self.start_date, self.start_time), self.tz)

    @property
    def where(self) -> str:
        return self.place.location if self.place_id else self.location


class OccurrenceChange(TimeStamped):
    """One occurrence of a series cancelled or moved, without touching the rest."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="changes")
    original_start = models.DateTimeField()
    cancelled = models.BooleanField(_("cancelled"), default=False)
    new_start = models.DateTimeField(_("new start"), null=True, blank=True)
    new_end = models.DateTimeField(_("new end"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["original_start", "id"]
        verbose_name = _("change to one occurrence")
        verbose_name_plural = _("changes to single occurrences")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "original_start"], name="unique_occurrence_change"
            ),
            models.CheckConstraint(
                condition=Q(cancelled=True)
                | Q(
                    new_start__isnull=False,
                    new_end__isnull=False,
                    new_end__gt=models.F("new_start"),
                ),
                name="occurrence_change_cancels_or_moves",
            ),
        ]
