"""Reads for lending a hand on one occurrence: a fixed number of queries, however many rows."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from buurtnet.activities.models import (
    Activity,
    Attendance,
    AttendancePhoto,
    Dish,
    Task,
    TaskKind,
    TaskSignup,
)
from buurtnet.people.models import User


@dataclass
class TaskRow:
    """One task on one date: who helps, and how many hands are still free."""

    task: Task
    helpers: list[User]
    mine: bool
    edit_form: object = None

    @property
    def taken(self) -> int:
        return len(self.helpers)

    @property
    def open(self) -> int:
        return max(self.task.hands_needed - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.open == 0

    @property
    def every_date(self) -> bool:
        return self.task.occurrence_start is None


@dataclass(frozen=True)
class StillNeeded:
    """Hands still free for one kind of task ("2 cooks"); `what` names a task of another kind."""

    kind: str
    count: int
    what: str = ""


@dataclass
class Helper:
    """Someone who lends a hand on this date, with the tasks they took."""

    user: User
    tasks: list[Task] = field(default_factory=list)
    # Whether they answered "going" (or wait in line): helpers who did not may still come.
    is_going: bool = False


@dataclass(frozen=True)
class DishCounts:
    dishes: int
    vegetarian: int
    vegan: int
    halal: int

    @property
    def marks(self) -> list[tuple[str, int]]:
        """The marks that some dish has, with how many: [("vegetarian", 2), ("halal", 1)]."""
        counted = [("vegetarian", self.vegetarian), ("vegan", self.vegan), ("halal", self.halal)]
        return [(mark, n) for mark, n in counted if n]


# Tasks in the order an evening goes: shopping, cooking, setting up, welcoming, cleaning up.
_KIND_ORDER = Case(
    *(When(kind=kind, then=Value(number)) for number, kind in enumerate(TaskKind.values)),
    default=Value(len(TaskKind.values)),
    output_field=IntegerField(),
)


def tasks_on(activity: Activity, occurrence_start: datetime, user: User) -> list[TaskRow]:
    """The tasks of this date (its own and those of every date), with their helpers: 2 queries."""
    signups = (
        TaskSignup.objects.filter(occurrence_start=occurrence_start)
        .select_related("user")
        .order_by("created_at", "id")
    )
    tasks = (
        Task.objects.filter(activity=activity)
        .filter(Q(occurrence_start__isnull=True) | Q(occurrence_start=occurrence_start))
        .prefetch_related(Prefetch("signups", queryset=signups))
        .order_by(_KIND_ORDER, "id")
    )
    rows = []
    for task in tasks:
        helpers = [signup.user for signup in task.signups.all()]
        rows.append(TaskRow(task, helpers, mine=any(h.pk == user.pk for h in helpers)))
    return rows


def still_needed(rows: list[TaskRow]) -> list[StillNeeded]:
    """Free hands per kind of task, in the order of the list; tasks of another kind one by one."""
    by_kind: dict[str, int] = {}
    others: list[StillNeeded] = []
    for row in rows:
        if not row.open:
            continue
        if row.task.kind == TaskKind.OTHER:
            others.append(StillNeeded(TaskKind.OTHER, row.open, row.task.description))
        else:
            by_kind[row.task.kind] = by_kind.get(row.task.kind, 0) + row.open
    return [StillNeeded(kind, count) for kind, count in by_kind.items()] + others


def helpers_of(rows: list[TaskRow]) -> list[Helper]:
    """Everyone who helps on this date, once each, in the order they signed up for a first task."""
    helpers: dict[int, Helper] = {}
    for row in rows:
        for user in row.helpers:
            helpers.setdefault(user.pk, Helper(user)).tasks.append(row.task)
    return list(helpers.values())


def dishes_on(activity: Activity, occurrence_start: datetime) -> list[Dish]:
    """What people bring to a potluck on this date, in the order they said it: 1 query."""
    return list(
        Dish.objects.filter(activity=activity, occurrence_start=occurrence_start)
        .select_related("user")
        .order_by("created_at", "id")
    )


def dish_counts(dishes: list[Dish]) -> DishCounts:
    return DishCounts(
        dishes=len(dishes),
        vegetarian=sum(1 for dish in dishes if dish.vegetarian),
        vegan=sum(1 for dish in dishes if dish.vegan),
        halal=sum(1 for dish in dishes if dish.halal),
    )


def attendance_of(activity: Activity, occurrence_start: datetime) -> Attendance | None:
    """How many came to this date, with its photos: at most 2 queries."""
    return (
        Attendance.objects.filter(activity=activity, occurrence_start=occurrence_start)
        .prefetch_related(
            Prefetch("photos", queryset=AttendancePhoto.objects.order_by("created_at", "id"))
        )
        .first()
    )
