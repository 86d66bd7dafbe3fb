"""When activities happen: RFC 5545 rules expanded over wall-clock times.

Rules are expanded over naive local datetimes and only then given the neighbourhood's time zone,
so a dinner at 18:00 stays at 18:00 in winter and in summer time.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from buurtnet.activities.models import Activity, OccurrenceChange, localize
from buurtnet.neighbourhoods.models import Neighbourhood

# An activity repeats at most daily; faster rules are not activities, and would flood calendars.
REFUSED_FREQUENCIES = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
# The end of a series and its time of day come from their own fields, never from the rule.
# "Every 100th week" is the most a neighbourhood plans ahead; 0 would never move on.
MAX_INTERVAL = 100
REFUSED_PARTS = frozenset({"DTSTART", "UNTIL", "COUNT", "BYHOUR", "BYMINUTE", "BYSECOND"})
KNOWN_PARTS = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    }
)
# A rule must happen within this many years of its first date.
PROBE_YEARS = 10
# Local wall-clock bounds are widened by this much before exact filtering (DST shifts an hour).
MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class Occurrence:
    activity: Activity
    original_start: datetime
    start: datetime
    end: datetime
    cancelled: bool = False
    moved: bool = False
    note: str = ""


def _invalid() -> ValidationError:
    return ValidationError(
        _(
            "This is not a repeat rule we understand. Examples: FREQ=WEEKLY;BYDAY=WE "
            "(every Wednesday) or FREQ=MONTHLY;BYDAY=-1FR (the last Friday of the month)."
        ),
        code="invalid_rrule",
    )


@lru_cache(maxsize=1024)
def _parse(text: str, first: datetime) -> rrule:
    return rrulestr(text, dtstart=first)


def validate_rrule(text: str, *, first: datetime | None = None) -> str:
    """The rule in its normal form ("" for a single event); ValidationError when unusable.

    `first` is the naive local start of the series; the rule must happen within ten years of it.
    """
    text = "".join((text or "").split()).upper().removeprefix("RRULE:")
    if not text:
        return ""
    parts: dict[str, str] = {}
    for part in text.strip(";").split(";"):
        name, sep, value = part.partition("=")
        if not sep or not value or name in parts:
            raise _invalid()
        parts[name] = value
    if parts.keys() & REFUSED_PARTS:
        raise ValidationError(
            _(
                "Leave the start, the end and the time of day out of the repeat rule: "
                "they have their own fields."
            ),
            code="rrule_refused_part",
        )
    if "FREQ" not in parts or not parts.keys() <= KNOWN_PARTS:
        raise _invalid()
    if parts["FREQ"] in REFUSED_FREQUENCIES:
        raise ValidationError(
            _("An activity repeats at most once a day."), code="rrule_too_frequent"
        )
    interval = parts.get("INTERVAL", "1")
    if not (interval.isdigit() and 1 <= int(interval) <= MAX_INTERVAL):
        raise ValidationError(
            _("The interval is a whole number from 1 to %(max)s.") % {"max": MAX_INTERVAL},
            code="rrule_interval",
        )
    text = ";".join(f"{name}={value}" for name, value in parts.items())
    first = first or datetime(2000, 1, 1, 12)  # noqa: DTZ001 - wall-clock time, no zone yet
    try:
        rule = _parse(text, first)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise _invalid() from exc
    # dateutil looks for a next date up to the year 9999 before it gives up. The calendar repeats
    # itself every 400 years, so the probe runs four centuries later, where that search is short.
    probe = first.replace(year=first.year + 400 * ((9988 - PROBE_YEARS - first.year) // 400))
    horizon = probe + timedelta(days=365 * PROBE_YEARS)
    try:
        happens = rule.replace(dtstart=probe, until=horizon).after(probe, inc=True)
    except (ValueError, IndexError, OverflowError) as exc:  # e.g. "the 99th Monday"
        raise _invalid() from exc
    if happens is None:
        raise ValidationError(
            _("This repeat rule never happens in the next ten years."), code="rrule_never"
        )
    return text


# --- Plain repeats ------------------------------------------------------------------------------
# What residents choose from ("every month on the first Wednesday"), each an RFC 5545 rule built
# from the series' first date. Any other rule is written by hand, by hosts and place keepers.

ONCE = "once"
WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY_NTH = "monthly_nth"
MONTHLY_LAST = "monthly_last"
MONTHLY_DATE = "monthly_date"
DAILY = "daily"
CUSTOM = "custom"
# In the order residents see them.
PLAIN_REPEATS = (ONCE, WEEKLY, FORTNIGHTLY, MONTHLY_NTH, MONTHLY_LAST, MONTHLY_DATE, DAILY)

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Two rules give the same dates when they agree on this many of them (or on all, within the
# years below): enough to tell "the 4th Wednesday" from "the last Wednesday", and quick.
_COMPARED_DATES = 60
_COMPARED_YEARS = 6


def nth_weekday(day: date) -> int:
    """Which of its kind the date is in its month: 2 for the second Wednesday."""
    return (day.day - 1) // 7 + 1


def is_last_weekday(day: date) -> bool:
    """Whether no later day of the same weekday follows in the same month."""
    return (day + timedelta(days=7)).month != day.month


def plain_rrule(repeat: str, first: date) -> str:
    """The rule of a plain repeat for a series whose first date is `first` ("" for once)."""
    day = BYDAY[first.weekday()]
    if repeat == ONCE:
        return ""
    if repeat == DAILY:
        return "FREQ=DAILY"
    if repeat == WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={day}"
    if repeat == FORTNIGHTLY:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    if repeat == MONTHLY_NTH:
        return f"FREQ=MONTHLY;BYDAY={nth_weekday(first)}{day}"
    if repeat == MONTHLY_LAST:
        return f"FREQ=MONTHLY;BYDAY=-1{day}"
    if repeat == MONTHLY_DATE:
        return f"FREQ=MONTHLY;BYMONTHDAY={first.day}"
    raise ValueError(repeat)


def _first_dates(text: str, first: date) -> list[datetime] | None:
    start = datetime.combine(first, time(12))
    try:
        rule = _parse(text, start).replace(until=start + timedelta(days=366 * _COMPARED_YEARS))
        return list(islice(rule, _COMPARED_DATES))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        return None


def plain_repeat(rrule: str, first: date) -> str | None:
    """The plain repeat that gives the same dates as `rrule` from `first`, or None when only a
    rule written by hand does. "FREQ=WEEKLY" from a Wednesday is every week on Wednesday."""
    text = "".join((rrule or "").split()).upper().removeprefix("RRULE:")
    if not text:
        return ONCE
    candidates = [(repeat, plain_rrule(repeat, first)) for repeat in PLAIN_REPEATS[1:]]
    for repeat, rule in candidates:
        if rule == text:
            return repeat
    dates = _first_dates(text, first)
    if not dates:
        return None
    for repeat, rule in candidates:
        if _first_dates(rule, first) == dates:
            return repeat
    return None


def last_of_count(rrule: str, first: datetime, count: int) -> datetime | None:
    """The naive start of the `count`-th date the rule gives from `first` (itself the first), or
    None when the rule gives fewer within ten years."""
    if not rrule or count < 1:
        return first
    try:
        rule = _parse(rrule, first).replace(until=first + timedelta(days=366 * PROBE_YEARS))
        found = list(islice(rule, count))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        return None
    return found[-1] if len(found) == count else None


def _naive(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def first_naive(activity: Activity) -> datetime:
    return datetime.combine(activity.start_date, activity.start_time)


def original_starts(activity: Activity, start: datetime, end: datetime) -> list[datetime]:
    """The starts the series' rule gives with start <= original start < end (aware, local)."""
    tz = activity.tz
    lo = _naive(start, tz) - MARGIN
    hi = _naive(end, tz) + MARGIN
    if activity.until is not None:
        hi = min(hi, _naive(activity.until, tz) + MARGIN)
    first = first_naive(activity)
    if hi < lo or hi < first:
        return []
    if activity.rrule:
        naive_starts = _parse(activity.rrule, first).replace(until=hi).between(lo, hi, inc=True)
    else:
        naive_starts = [first] if lo <= first <= hi else []
    starts = (localize(naive, tz) for naive in naive_starts)
    return [
        s for s in starts if start <= s < end and (activity.until is None or s <= activity.until)
    ]


def is_original_start(activity: Activity, moment: datetime) -> bool:
    return moment in original_starts(activity, moment, moment + timedelta(seconds=1))


def _end_of(activity: Activity, start: datetime) -> datetime:
    """The wall-clock end: 18:00 plus 150 minutes ends at 20:30 local, whatever DST does."""
    return localize(_naive(start, activity.tz) + activity.duration, activity.tz)


def _occurrence(
    activity: Activity, original: datetime, change: OccurrenceChange | None
) -> Occurrence:
    tz = activity.tz
    original = original.astimezone(tz)
    if change is None:
        return Occurrence(activity, original, original, _end_of(activity, original))
    if change.cancelled:
        return Occurrence(
            activity,
            original,
            original,
            _end_of(activity, original),
            cancelled=True,
            note=change.note,
        )
    return Occurrence(
        activity,
        original,
        change.new_start.astimezone(tz),
        change.new_end.astimezone(tz),
        moved=True,
        note=change.note,
    )


def occurrences(
    activity: Activity,
    start: datetime,
    end: datetime,
    *,
    changes: Iterable[OccurrenceChange] | None = None,
) -> list[Occurrence]:
    """Occurrences that overlap [start, end), cancelled ones included (flagged), by start.

    `changes` defaults to the activity's (prefetched) changes.
    """
    if changes is None:
        changes = activity.changes.all()
    by_original = {change.original_start: change for change in changes}
    found: dict[datetime, Occurrence] = {}
    # A series' own occurrence may start before the window and still overlap it.
    for original in original_starts(activity, start - activity.duration, end):
        found[original] = _occurrence(activity, original, by_original.get(original))
    # An occurrence may be moved into the window from anywhere.
    for original, change in by_original.items():
        if (
            original not in found
            and not change.cancelled
            and change.new_start < end
            and change.new_end > start
            and is_original_start(activity, original)
        ):
            found[original] = _occurrence(activity, original, change)
    return sorted(
        (o for o in found.values() if o.start < end and o.end > start),
        key=lambda o: (o.start, o.activity.pk),
    )


def occurrence_at(activity: Activity, original_start: datetime) -> Occurrence | None:
    """The occurrence the series gives at this original start (with its change), or None."""
    if not is_original_start(activity, original_start):
        return None
    change = OccurrenceChange.objects.filter(
        activity=activity, original_start=original_start
    ).first()
    return _occurrence(activity, original_start, change)


def activities_between(
    queryset: QuerySet[Activity], start: datetime, end: datetime
) -> QuerySet[Activity]:
    """Narrow `queryset` to activities that may have an occurrence in [start, end)."""
    start_day: date = (start - MARGIN).date()
    moved_here = OccurrenceChange.objects.filter(
        activity=OuterRef("pk"), cancelled=False, new_start__lt=end, new_end__gt=start
    )
    may_happen = (
        Q(start_date__lte=(end + MARGIN).date())
        & (Q(until__isnull=True) | Q(until__gte=start - MARGIN))
        & (~Q(rrule="") | Q(start_date__gte=start_day - timedelta(days=1)))
    )
    return queryset.filter(may_happen | Exists(moved_here))


def occurrences_for_neighbourhood(
    neighbourhood: Neighbourhood,
    start: datetime,
    end: datetime,
    *,
    queryset: QuerySet[Activity] | None = None,
) -> list[Occurrence]:
    """All occurrences in the neighbourhood in [start, end): one query for the activities and one
    for their changes, however many there are."""
    if queryset is None:
        queryset = Activity.objects.all()
    activities = activities_between(
        queryset.filter(neighbourhood=neighbourhood)
        .select_related("neighbourhood", "place", "initiative")
        .prefetch_related("changes"),
        start,
        end,
    )
    found = [o for activity in activities for o in occurrences(activity, start, end)]
    return sorted(found, key=lambda o: (o.start, o.activity.pk))
