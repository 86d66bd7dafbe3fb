"""Places of the neighbourhood (a room, a kitchen, a courtyard), their keepers, photos and keys."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from buurtnet.core.images import CleanImageField
from buurtnet.core.models import TimeStamped, random_upload_path
from buurtnet.neighbourhoods.models import Neighbourhood


class Place(TimeStamped):
    """A room, a kitchen or a courtyard of the neighbourhood, run by residents (its keepers)."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="places"
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("how many people fit"), null=True, blank=True)
    accessibility = models.TextField(
        _("accessibility"),
        max_length=2000,
        blank=True,
        help_text=_("For example: step-free entrance, lift, accessible toilet, hearing loop."),
    )
    opening_hours = models.TextField(_("opening hours"), max_length=1000, blank=True)
    house_rules = models.TextField(_("house rules"), max_length=4000, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="unique_place_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def location(self) -> str:
        return f"{self.name}, {self.address}" if self.address else self.name


class PlaceKeeper(TimeStamped):
    """A resident who looks after a place: bookings, the key list, opening and closing."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="keepers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="places_kept"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("keeper")
        verbose_name_plural = _("keepers")
        constraints = [
            models.UniqueConstraint(fields=["place", "user"], name="unique_place_keeper")
        ]


class PlaceOpening(TimeStamped):
    """One stretch of a weekday in which the place is open, in the neighbourhood's local time.

    A place without any is open as the day goes (see services.bookings.BOOKING_DAY_OPENS); a place
    with some is closed on the weekdays that have none. A day may have several stretches (morning
    and evening); they do not overlap, and none runs past midnight.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="openings")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=sorted(WEEKDAYS.items()), validators=[MaxValueValidator(6)]
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens", "id"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opening_closes_after_it_opens"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_weekday_known"),
            models.UniqueConstraint(
                fields=["place", "weekday", "opens"], name="one_opening_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.weekday} {self.opens:%H:%M}–{self.closes:%H:%M}"


class PlacePhoto(TimeStamped):
    """A picture of a place, with a description for people who cannot see it."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="photos")
    image = CleanImageField(_("photo"), upload_to=random_upload_path("places"))
    alt = models.CharField(
        _("what the photo shows"),
        max_length=200,
        help_text=_("A short description for people who cannot see the photo."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo of a place")
        verbose_name_plural = _("photos of places")

    def __str__(self) -> str:
        return self.alt


class PlaceKey(TimeStamped):
    """Who holds a key of the place: the keepers' key list, seen only by keepers and hosts."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="keys")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="place_keys"
    )
    note = models.CharField(
        _("which key"),
        max_length=120,
        blank=True,
        help_text=_("For example: front door and kitchen cupboard."),
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("key holder")
        verbose_name_plural = _("key list")
        constraints = [
            models.UniqueConstraint(fields=["place", "holder"], name="one_key_entry_per_holder")
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.holder}"
