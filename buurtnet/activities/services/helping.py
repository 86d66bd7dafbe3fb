"""Lending a hand: tasks and who does them, dishes for a potluck, and how many came afterwards.

Every write is one function here. Tasks queue on their own row (a sign-up for the last free hand
waits for the one before it); an attendance queues on its activity's row.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtnet.activities import permissions
from buurtnet.activities.models import (
    MAX_ATTENDANCE,
    MAX_HANDS,
    Activity,
    Attendance,
    AttendancePhoto,
    Dish,
    Task,
    TaskKind,
    TaskSignup,
)
from buurtnet.activities.recurrence import Occurrence, occurrence_at
from buurtnet.activities.services.common import clean_text, deny_unless_organiser
from buurtnet.neighbourhoods.access import get_membership
from buurtnet.people.models import User
from buurtnet.people.services import photo_format_check

# An attendance keeps a handful of photos: enough to show how it went, not an album.
MAX_PHOTOS = 12


def _deny_unless_member(user: User, activity: Activity) -> None:
    membership = get_membership(user=user, neighbourhood=activity.neighbourhood)
    if not permissions.can_rsvp(membership, activity):
        raise PermissionDenied(_("Only members of the neighbourhood can sign up."))


def _occurrence(activity: Activity, occurrence_start: datetime) -> Occurrence:
    if not isinstance(occurrence_start, datetime) or timezone.is_naive(occurrence_start):
        raise ValidationError(_("This activity does not take place at that time."), code="none")
    occurrence = occurrence_at(activity, occurrence_start)
    if occurrence is None:
        raise ValidationError(_("This activity does not take place at that time."), code="none")
    return occurrence


def _coming(activity: Activity, occurrence_start: datetime) -> Occurrence:
    """An occurrence that has not begun and is not cancelled: the only kind one can help with."""
    occurrence = _occurrence(activity, occurrence_start)
    if occurrence.cancelled:
        raise ValidationError(_("This time is cancelled."), code="cancelled")
    if occurrence.start <= timezone.now():
        raise ValidationError(
            _("This time has already begun or passed; it can no longer be changed."), code="past"
        )
    return occurrence


def _hands(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_HANDS:
        raise ValidationError(
            {
                "hands_needed": _("Ask for between 1 and %(max)s hands.") % {"max": MAX_HANDS},
            },
            code="hands",
        )
    return value


def _description(value: str) -> str:
    value = clean_text(value)
    if len(value) > 200:
        raise ValidationError({"description": _("Keep the description under 200 characters.")})
    return value


def _locked_task(task: Task) -> Task:
    """Sign-ups and changes to one task queue on its row, so its hands are never overbooked."""
    try:
        return (
            Task.objects.select_for_update(of=("self",))
            .select_related("activity", "activity__neighbourhood", "activity__initiative")
            .select_related("activity__place")
            .get(pk=task.pk)
        )
    except Task.DoesNotExist as exc:
        raise ValidationError(_("This task has just been removed."), code="gone") from exc


def _applies_to(task: Task, occurrence: Occurrence) -> None:
    if task.occurrence_start is not None and task.occurrence_start != occurrence.original_start:
        raise ValidationError(_("This task is for another date."), code="other_date")


def _hands_taken(task: Task, occurrence_start: datetime) -> int:
    return TaskSignup.objects.filter(task=task, occurrence_start=occurrence_start).count()


def _names(users: list[User]) -> str:
    return ", ".join(user.display_name for user in users)


@transaction.atomic
def task_add(
    *,
    user: User,
    activity: Activity,
    occurrence_start: datetime,
    kind: str,
    hands_needed: int,
    description: str = "",
    every_date: bool = False,
) -> Task:
    """The organisers ask for hands: for this date only, or for every date of the series."""
    deny_unless_organiser(user, activity)
    if kind not in TaskKind.values:
        raise ValidationError({"kind": _("Choose a task from the list.")})
    hands_needed = _hands(hands_needed)
    description = _description(description)
    if kind == TaskKind.OTHER and not description:
        raise ValidationError({"description": _("Say what needs doing.")})
    occurrence = _coming(activity, occurrence_start)
    start = occurrence.original_start
    every_date = bool(every_date) and bool(activity.rrule)
    same = Task.objects.filter(activity=activity, kind=kind, description__iexact=description)
    if same.filter(Q(occurrence_start__isnull=True) | Q(occurrence_start=start)).exists():
        raise ValidationError(
            {
                "kind": _(
                    "This task is already on the list for this date. Change the hands it needs "
                    "instead."
                )
            },
            code="duplicate",
        )
    task = Task(
        activity=activity,
        occurrence_start=None if every_date else start,
        kind=kind,
        description=description,
        hands_needed=hands_needed,
        created_by=user,
    )
    task.save()
    return task


@transaction.atomic
def task_update(
    *,
    user: User,
    task: Task,
    occurrence_start: datetime,
    hands_needed: int,
    description: str = "",
) -> Task:
    """The organisers change how many hands a task needs (never fewer than already help)."""
    task = _locked_task(task)
    activity = task.activity
    deny_unless_organiser(user, activity)
    hands_needed = _hands(hands_needed)
    description = _description(description)
    if task.kind == TaskKind.OTHER and not description:
        raise ValidationError({"description": _("Say what needs doing.")})
    _applies_to(task, _coming(activity, occurrence_start))
    busiest = (
        TaskSignup.objects.filter(task=task, occurrence_start__gte=timezone.now())
        .values("occurrence_start")
        .annotate(helpers=Count("id"))
        .order_by("-helpers", "occurrence_start")
        .first()
    )
    if busiest and busiest["helpers"] > hands_needed:
        day = busiest["occurrence_start"].astimezone(activity.tz).date()
        raise ValidationError(
            {
                "hands_needed": ngettext(
                    "%(count)s person already helps on %(date)s; ask for at least that many hands.",
                    "%(count)s people already help on %(date)s; ask for at least that many hands.",
                    busiest["helpers"],
                )
                % {"count": busiest["helpers"], "date": date_format(day, "DATE_FORMAT")}
            },
            code="below_helpers",
        )
    task.hands_needed = hands_needed
    task.description = description
    task.save(update_fields=["hands_needed", "description"])
    return task


@transaction.atomic
def task_remove(*, user: User, task: Task, occurrence_start: datetime) -> None:
    """The organisers take a task off the list; refused while neighbours still signed up for it.

    Removing a task of every date removes it from all of them, with its past sign-ups.
    """
    task = _locked_task(task)
    activity = task.activity
    deny_unless_organiser(user, activity)
    _applies_to(task, _coming(activity, occurrence_start))
    coming = (
        TaskSignup.objects.filter(task=task, occurrence_start__gte=timezone.now())
        .select_related("user")
        .order_by("occurrence_start", "created_at", "id")
    )
    helpers = list({signup.user_id: signup.user for signup in coming}.values())
    if helpers:
        raise ValidationError(
            _(
                "%(names)s signed up for this task, so it stays on the list. It can be removed "
                "once nobody is signed up for it any more."
            )
            % {"names": _names(helpers)},
            code="has_helpers",
        )
    task.delete()


@transaction.atomic
def task_signup(*, user: User, task: Task, occurrence_start: datetime) -> TaskSignup:
    """A neighbour lends a hand with a task on one date, while it still needs hands."""
    task = _locked_task(task)
    activity = task.activity
    _deny_unless_member(user, activity)
    occurrence = _coming(activity, occurrence_start)
    _applies_to(task, occurrence)
    start = occurrence.original_start
    if TaskSignup.objects.filter(task=task, occurrence_start=start, user=user).exists():
        raise ValidationError(_("You already help with this task."), code="already")
    if _hands_taken(task, start) >= task.hands_needed:
        raise ValidationError(
            _("This task already has all the hands it needs. Thank you! Perhaps another task?"),
            code="full",
        )
    try:
        with transaction.atomic():
            return TaskSignup.objects.create(task=task, occurrence_start=start, user=user)
    except IntegrityError as exc:
        raise ValidationError(_("You already help with this task."), code="already") from exc


@transaction.atomic
def task_withdraw(*, user: User, task: Task, occurrence_start: datetime) -> None:
    """A neighbour can't help after all; their hand is free for someone else."""
    task = _locked_task(task)
    activity = task.activity
    occurrence = _coming(activity, occurrence_start)
    deleted, _counts = TaskSignup.objects.filter(
        task=task, occurrence_start=occurrence.original_start, user=user
    ).delete()
    if not deleted:
        raise ValidationError(_("You were not signed up for this task."), code="not_signed_up")


@transaction.atomic
def dish_set(
    *,
    user: User,
    activity: Activity,
    occurrence_start: datetime,
    dish: str,
    halal: bool = False,
    vegetarian: bool = False,
    vegan: bool = False,
) -> Dish:
    """A neighbour says which dish they bring to a potluck (one per person; saying again
    changes it). A vegan dish counts as vegetarian too."""
    _deny_unless_member(user, activity)
    if not activity.bring_a_dish:
        raise ValidationError(_("At this activity nobody needs to bring a dish."), code="no_dish")
    dish = clean_text(dish)
    if not dish:
        raise ValidationError({"dish": _("Say which dish you bring.")})
    if len(dish) > 120:
        raise ValidationError({"dish": _("Keep the name of the dish under 120 characters.")})
    occurrence = _coming(activity, occurrence_start)
    brought, _created = Dish.objects.update_or_create(
        activity=activity,
        occurrence_start=occurrence.original_start,
        user=user,
        defaults={
            "dish": dish,
            "halal": bool(halal),
            "vegetarian": bool(vegetarian) or bool(vegan),
            "vegan": bool(vegan),
        },
    )
    return brought


@transaction.atomic
def dish_remove(*, user: User, activity: Activity, occurrence_start: datetime) -> None:
    """A neighbour no longer brings a dish on this date."""
    occurrence = _coming(activity, occurrence_start)
    deleted, _counts = Dish.objects.filter(
        activity=activity, occurrence_start=occurrence.original_start, user=user
    ).delete()
    if not deleted:
        raise ValidationError(_("You had not said you bring a dish."), code="no_dish")


def _locked_activity(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "place", "initiative")
        .get(pk=activity.pk)
    )


@transaction.atomic
def attendance_record(
    *, user: User, activity: Activity, occurrence_start: datetime, came: int, note: str = ""
) -> Attendance:
    """After it has begun, the organisers write down how many came (walk-ins too) and how it
    went; recording again corrects it."""
    activity = _locked_activity(activity)
    deny_unless_organiser(user, activity)
    if not isinstance(came, int) or isinstance(came, bool) or not 0 <= came <= MAX_ATTENDANCE:
        raise ValidationError(
            {"came": _("Give a number between 0 and %(max)s.") % {"max": MAX_ATTENDANCE}}
        )
    note = clean_text(note)
    if len(note) > 200:
        raise ValidationError({"note": _("Keep the note to one line of at most 200 characters.")})
    occurrence = _occurrence(activity, occurrence_start)
    if occurrence.cancelled:
        raise ValidationError(
            _("This time was cancelled; there is nobody to count."), code="cancelled"
        )
    if occurrence.start > timezone.now():
        raise ValidationError(
            _("You can write down how many came once it has begun."), code="not_begun"
        )
    attendance, _created = Attendance.objects.update_or_create(
        activity=activity,
        occurrence_start=occurrence.original_start,
        defaults={"came": came, "note": note, "recorded_by": user},
    )
    return attendance


@transaction.atomic
def attendance_photo_add(
    *, user: User, attendance: Attendance, image: UploadedFile, alt: str
) -> AttendancePhoto:
    """The organisers add a photo of how it went, with a description for who cannot see it."""
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("activity", "activity__neighbourhood", "activity__initiative")
        .select_related("activity__place")
        .get(pk=attendance.pk)
    )
    deny_unless_organiser(user, attendance.activity)
    alt = clean_text(alt)
    if not alt:
        raise ValidationError(
            {"alt": _("Describe what the photo shows, for people who cannot see it.")}
        )
    if len(alt) > 200:
        raise ValidationError({"alt": _("Keep the description under 200 characters.")})
    if image is None:
        raise ValidationError({"image": _("Choose a photo.")})
    try:
        photo_format_check(image)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    if attendance.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            _("This date has %(max)s photos already; remove one to add another.")
            % {"max": MAX_PHOTOS},
            code="too_many",
        )
    photo = AttendancePhoto(attendance=attendance, image=image, alt=alt)
    photo.save()
    return photo


@transaction.atomic
def attendance_photo_remove(*, user: User, photo: AttendancePhoto) -> None:
    """The organisers take a photo away; the file goes once the change is saved."""
    photo = (
        AttendancePhoto.objects.select_for_update(of=("self",))
        .select_related(
            "attendance__activity__neighbourhood",
            "attendance__activity__initiative",
            "attendance__activity__place",
        )
        .get(pk=photo.pk)
    )
    deny_unless_organiser(user, photo.attendance.activity)
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
