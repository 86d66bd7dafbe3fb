import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtnet.core.images import CleanImageField
from buurtnet.core.models import TimeStamped, random_upload_path
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.people.models import Language


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz` as an aware datetime; a time skipped by DST moves forward."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


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


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# A requested or approved booking holds its slot; declined and cancelled ones free it.
ACTIVE_BOOKING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.APPROVED)


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


class TaskKind(models.TextChoices):
    SHOPPING = "shopping", _("Shopping")
    COOKING = "cooking", _("Cooking")
    SETTING_UP = "setting_up", _("Setting up")
    WELCOMING = "welcoming", _("Welcoming")
    CLEANING_UP = "cleaning_up", _("Cleaning up")
    OTHER = "other", _("Something else")


MAX_HANDS = 50


class Task(TimeStamped):
    """A job that needs hands: for every date of a series (occurrence_start empty) or for one."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="tasks")
    occurrence_start = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty: the task comes back on every date.")
    )
    kind = models.CharField(_("task"), max_length=20, choices=TaskKind.choices)
    description = models.CharField(
        _("what exactly"),
        max_length=200,
        blank=True,
        help_text=_("For example: buy rice and vegetables for 40 people."),
    )
    hands_needed = models.PositiveSmallIntegerField(
        _("hands needed"), default=1, validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["activity", "occurrence_start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hands_needed__gte=1) & Q(hands_needed__lte=MAX_HANDS),
                name="task_hands_between_1_and_50",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label}: {self.description}" if self.description else str(label)


class TaskSignup(TimeStamped):
    """A resident lends a hand with a task on one date."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="signups")
    occurrence_start = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_signups"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("helping hand")
        verbose_name_plural = _("helping hands")
        indexes = [models.Index(fields=["occurrence_start", "task"])]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "occurrence_start", "user"], name="one_signup_per_task_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.occurrence_start:%Y-%m-%d}"


class Dish(TimeStamped):
    """What someone brings to a potluck (an activity with bring_a_dish) on one date."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="dishes")
    occurrence_start = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dishes"
    )
    dish = models.CharField(_("the dish I bring"), max_length=120)
    halal = models.BooleanField(_("halal"), default=False)
    vegetarian = models.BooleanField(_("vegetarian"), default=False)
    vegan = models.BooleanField(_("vegan"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("dish")
        verbose_name_plural = _("dishes")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "occurrence_start", "user"], name="one_dish_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.dish


MAX_ATTENDANCE = 5000


class Attendance(TimeStamped):
    """After the event the organisers write down how many came, walk-ins included."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    occurrence_start = models.DateTimeField()
    came = models.PositiveIntegerField(
        _("how many came"), help_text=_("Everyone who came, also people without an account.")
    )
    note = models.CharField(_("one line about how it went"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurrence_start", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "occurrence_start"], name="one_attendance_per_occurrence"
            ),
            models.CheckConstraint(
                condition=Q(came__lte=MAX_ATTENDANCE), name="attendance_came_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.occurrence_start:%Y-%m-%d}: {self.came}"


class AttendancePhoto(TimeStamped):
    """A photo of how it went."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="photos")
    image = CleanImageField(_("photo"), upload_to=random_upload_path("attendance"))
    alt = models.CharField(
        _("what the photo shows"),
        max_length=200,
        help_text=_("A short description for people who cannot see the photo."),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo of an activity")
        verbose_name_plural = _("photos of activities")

    def __str__(self) -> str:
        return self.alt


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
