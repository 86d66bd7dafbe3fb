"""Helping hands on a date: tasks and sign-ups, dishes for a shared dinner, attendance."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models.activities import Activity
from buurtnet.core.images import CleanImageField
from buurtnet.core.models import TimeStamped, random_upload_path


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
