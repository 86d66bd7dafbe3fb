"""A place reserved for a time slot, asked for by a member and decided by the keepers."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models.activities import Activity
from buurtnet.activities.models.places import Place
from buurtnet.core.models import TimeStamped
from buurtnet.initiatives.models import Initiative


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# A requested or approved booking holds its slot; declined and cancelled ones free it.
ACTIVE_BOOKING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.APPROVED)

# Activities at a place hold its coming dates this far ahead; a daily job moves the horizon along
# (services.organise.reservations_extend). A series' clashes with other bookings are looked for,
# and reported, within the same window.
RESERVE_AHEAD = timedelta(days=365)


class Booking(TimeStamped):
    """A place reserved for a time slot, [starts_at, ends_at), asked for by a member and decided
    by the place's keepers.

    Two active bookings of one place never overlap. The database holds that rule (see migration
    0002): an exclusion constraint on PostgreSQL, triggers on SQLite.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="bookings")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("for the initiative"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("for the activity"),
    )
    # Set when the booking holds one occurrence of a repeating activity (its original start).
    occurrence_start = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    purpose = models.CharField(_("what for"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=["place", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["activity", "occurrence_start"],
                condition=Q(activity__isnull=False, occurrence_start__isnull=False)
                & Q(status__in=["requested", "approved"]),
                name="one_booking_per_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BOOKING_STATUSES


class SeriesBooking(TimeStamped):
    """An organiser's request to hold a place on every date of an activity (a series, or one
    date), decided once by the place's keepers.

    While it waits, the activity's coming dates hold the place as requested bookings (so nobody
    else takes them meanwhile); approving turns them all into approved bookings in one step, and
    the daily job books the dates that come into reach with the series' status. Declining frees
    them all. An activity planned by a keeper of its place, or at a place nobody keeps, needs no
    request: its dates are approved at once, and it has no SeriesBooking.
    """

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="place_request"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="series_bookings")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("booking of a series")
        verbose_name_plural = _("bookings of series")
        indexes = [models.Index(fields=["place", "status"])]

    def __str__(self) -> str:
        return f"{self.place}: {self.activity}"

    @property
    def is_waiting(self) -> bool:
        return self.status == BookingStatus.REQUESTED
