"""Reminders: the day before, to who is going or helps; two days before, open tasks to the team.

`reminders_send` is run by the background worker every few minutes (see tasks.py and the
`schedule` command). Each reminder is claimed by a SentReminder row, committed together with its
notification, so running it twice, or on two machines at once, sends nothing twice, and a worker
that dies halfway leaves nothing half done.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation

from buurtnet.activities.links import occurrence_url
from buurtnet.activities.models import (
    Activity,
    PlaceKeeper,
    ReminderKind,
    Rsvp,
    RsvpStatus,
    SentReminder,
    Task,
    TaskKind,
    TaskSignup,
)
from buurtnet.activities.recurrence import Occurrence, activities_between, occurrences
from buurtnet.initiatives.models import Participation, ParticipationStatus
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import User

GOING_AHEAD = timedelta(days=1)
# Tasks are named in the order an evening goes: shopping first, cleaning up last.
EVENING = list(TaskKind.values)
TASKS_AHEAD = timedelta(days=2)


def _coming(now: datetime, ahead: timedelta) -> list[Occurrence]:
    """Occurrences (not cancelled) that start in (now, now + ahead], in every neighbourhood."""
    end = now + ahead
    activities = activities_between(
        Activity.objects.select_related("neighbourhood", "place", "initiative").prefetch_related(
            "changes"
        ),
        now,
        end,
    )
    return [
        o
        for activity in activities
        for o in occurrences(activity, now, end)
        if not o.cancelled and now < o.start <= end
    ]


def _task_label(task: Task) -> str:
    """The task's name as its English source text, translated when the reminder is read."""
    if task.kind == TaskKind.OTHER and task.description:
        return task.description
    with translation.override(None):
        return str(task.get_kind_display())


def _claim(kind: str, occurrence: Occurrence, user: User) -> bool:
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                kind=kind,
                activity=occurrence.activity,
                occurrence_start=occurrence.original_start,
                user=user,
            )
    except IntegrityError:
        return False
    return True


def _claim_and_notify(
    reminder: str, occurrence: Occurrence, user: User, kind: Kind, params: dict
) -> int:
    """Claim one reminder and record its notification in one transaction; returns 0 or 1.

    Together or not at all: a worker that dies after the claim but before the notification would
    otherwise leave a claim that stops every later round, and the reminder would never be sent.
    The notification's email goes out after the commit.
    """
    with transaction.atomic():
        if not _claim(reminder, occurrence, user):
            return 0
        return len(notify(recipients=[user], kind=kind, params=params, url=_url(occurrence)))


def _params(occurrence: Occurrence) -> dict:
    activity = occurrence.activity
    return {
        "activity": activity.title,
        "when_iso": occurrence.start.isoformat(),
        "tz": activity.neighbourhood.timezone,
        "where": activity.where,
    }


def _url(occurrence: Occurrence) -> str:
    return occurrence_url(occurrence.activity.neighbourhood.slug, occurrence)


@dataclass(frozen=True)
class _Key:
    activity_id: int
    start: datetime


def _remind_going(now: datetime) -> int:
    coming = _coming(now, GOING_AHEAD)
    if not coming:
        return 0
    keys = {_Key(o.activity.pk, o.original_start): o for o in coming}
    by_activity = Q()
    for key in keys:
        by_activity |= Q(activity_id=key.activity_id, occurrence_start=key.start)
    people: dict[_Key, dict[int, User]] = defaultdict(dict)
    for rsvp in Rsvp.objects.filter(
        by_activity,
        status=RsvpStatus.GOING,
        waitlisted=False,
        user__memberships__neighbourhood_id=F("activity__neighbourhood_id"),
    ).select_related("user"):
        people[_Key(rsvp.activity_id, rsvp.occurrence_start)][rsvp.user_id] = rsvp.user
    helping: dict[tuple[_Key, int], list[str]] = defaultdict(list)
    signup_filter = Q()
    for key in keys:
        signup_filter |= Q(task__activity_id=key.activity_id, occurrence_start=key.start)
    for signup in TaskSignup.objects.filter(
        signup_filter,
        user__memberships__neighbourhood_id=F("task__activity__neighbourhood_id"),
    ).select_related("task", "user"):
        key = _Key(signup.task.activity_id, signup.occurrence_start)
        people[key][signup.user_id] = signup.user
        helping[(key, signup.user_id)].append(_task_label(signup.task))
    sent = 0
    for key, occurrence in keys.items():
        for user in people[key].values():
            if not user.is_active:
                continue
            params = _params(occurrence) | {
                "my_tasks": [[label, 0] for label in helping[(key, user.pk)]]
            }
            sent += _claim_and_notify(
                ReminderKind.GOING, occurrence, user, Kind.ACTIVITY_REMINDER, params
            )
    return sent


def open_tasks(occurrence: Occurrence) -> list[tuple[Task, int]]:
    """The tasks of this date that still need hands, with how many."""
    activity = occurrence.activity
    tasks = (
        Task.objects.filter(activity=activity)
        .filter(Q(occurrence_start__isnull=True) | Q(occurrence_start=occurrence.original_start))
        .annotate(
            taken=Count("signups", filter=Q(signups__occurrence_start=occurrence.original_start))
        )
    )
    in_evening_order = sorted(tasks, key=lambda task: (EVENING.index(task.kind), task.pk))
    return [
        (task, task.hands_needed - task.taken)
        for task in in_evening_order
        if task.taken < task.hands_needed
    ]


def _team(activity: Activity) -> list[User]:
    """Who organises it together: the initiative's accepted participants, or the place's keepers."""
    if activity.initiative_id is not None:
        return [
            p.user
            for p in Participation.objects.filter(
                initiative_id=activity.initiative_id,
                status=ParticipationStatus.ACCEPTED,
                user__is_active=True,
            ).select_related("user")
        ]
    return [
        k.user
        for k in PlaceKeeper.objects.filter(
            place_id=activity.place_id, user__is_active=True
        ).select_related("user")
    ]


def _remind_open_tasks(now: datetime) -> int:
    sent = 0
    for occurrence in _coming(now, TASKS_AHEAD):
        still_open = open_tasks(occurrence)
        if not still_open:
            continue
        params = _params(occurrence) | {
            "open_tasks": [[_task_label(task), count] for task, count in still_open]
        }
        for user in _team(occurrence.activity):
            sent += _claim_and_notify(
                ReminderKind.OPEN_TASKS, occurrence, user, Kind.TASKS_OPEN, params
            )
    return sent


def reminders_send(*, now: datetime | None = None) -> int:
    """Send the reminders that are due; returns how many notifications went out."""
    now = now or timezone.now()
    return _remind_going(now) + _remind_open_tasks(now)
