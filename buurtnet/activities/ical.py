"""iCalendar (RFC 5545) for activities.

The public feeds hold one VEVENT per series, with its rule and exceptions: cancelled occurrences
become EXDATEs; a moved occurrence becomes a VEVENT of its own with the series' UID and a
RECURRENCE-ID. Nothing personal goes in a public feed. Times carry the neighbourhood's TZID and a
VTIMEZONE, so calendar programs keep 18:00 at 18:00 across DST changes.

One date can also be taken on its own into a calendar (`occurrence_calendar`), and a person's own
feed holds only the dates they signed up for, each an event of its own (`personal_calendar`).
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from buurtnet.activities.links import occurrence_key
from buurtnet.activities.models import Activity, Audience, localize
from buurtnet.activities.recurrence import Occurrence
from buurtnet.activities.selectors.feeds import PersonalDate
from buurtnet.initiatives.models import Visibility

PRODID = "-//Buurtnet//Buurtnet agenda//EN"


def uid_for(activity: Activity) -> str:
    return f"activity-{activity.pk}@buurtnet"


def url_for(activity: Activity) -> str:
    """The public page that tells more: the initiative's page, or the neighbourhood's."""
    if activity.initiative_id is not None and activity.initiative.visibility == Visibility.PUBLIC:
        path = reverse(
            "initiatives:detail", args=[activity.neighbourhood.slug, activity.initiative_id]
        )
    else:
        path = reverse("front:landing", args=[activity.neighbourhood.slug])
    return f"{settings.SITE_URL}{path}"


def euros(cents: int) -> str:
    amount = formats.number_format(Decimal(cents) / 100, decimal_pos=2, use_l10n=True)
    return f"€ {amount}"


def description_for(activity: Activity) -> str:
    lines = [activity.description] if activity.description else []
    details = []
    if activity.cost_cents:
        details.append(_("Contribution: %(amount)s") % {"amount": euros(activity.cost_cents)})
    languages = [language.name for language in activity.languages.all()]
    if languages:
        details.append(_("Languages: %(languages)s") % {"languages": ", ".join(languages)})
    if activity.audience != Audience.EVERYONE:
        details.append(_("For: %(audience)s") % {"audience": activity.get_audience_display()})
    if activity.initiative_id is not None:
        details.append(
            _("Organised by: %(initiative)s") % {"initiative": activity.initiative.title}
        )
    if details:
        lines.append("\n".join(details))
    return "\n\n".join(lines)


def _event(activity: Activity, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid_for(activity))
    event.add("dtstamp", stamp)
    event.add("summary", activity.title)
    if activity.where:
        event.add("location", activity.where)
    description = description_for(activity)
    if description:
        event.add("description", description)
    event.add("url", url_for(activity))
    return event


def _live_changes(activity: Activity) -> list:
    """Changes to occurrences the series still has (a split series keeps its old ones)."""
    return [
        change
        for change in activity.changes.all()
        if activity.until is None or change.original_start <= activity.until
    ]


def events_for(activity: Activity, *, stamp: datetime) -> list[Event]:
    tz = activity.tz
    start = activity.first_start
    end = localize(start.replace(tzinfo=None) + activity.duration, tz)
    changes = _live_changes(activity)
    main = _event(activity, stamp)
    events = [main]
    if not activity.rrule:
        change = changes[0] if changes else None
        if change is not None and change.cancelled:
            main.add("status", "CANCELLED")
        elif change is not None:
            start, end = change.new_start.astimezone(tz), change.new_end.astimezone(tz)
        main.add("dtstart", start)
        main.add("dtend", end)
        return events
    main.add("dtstart", start)
    main.add("dtend", end)
    rule = vRecur.from_ical(activity.rrule)
    if activity.until is not None:
        rule["UNTIL"] = activity.until.astimezone(UTC)
    main.add("rrule", rule)
    cancelled = [c.original_start.astimezone(tz) for c in changes if c.cancelled]
    if cancelled:
        main.add("exdate", cancelled)
    for change in changes:
        if change.cancelled:
            continue
        moved = _event(activity, stamp)
        moved.add("recurrence-id", change.original_start.astimezone(tz))
        moved.add("dtstart", change.new_start.astimezone(tz))
        moved.add("dtend", change.new_end.astimezone(tz))
        events.append(moved)
    return events


def _calendar(name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    return cal


def _stamp() -> datetime:
    return timezone.now().astimezone(UTC).replace(microsecond=0)


def calendar_for(activities: Iterable[Activity], *, name: str) -> Calendar:
    """A calendar of the activities (with changes, languages, place and initiative loaded)."""
    cal = _calendar(name)
    stamp = _stamp()
    for activity in activities:
        for event in events_for(activity, stamp=stamp):
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def occurrence_uid(occurrence: Occurrence) -> str:
    """One date of a series on its own: a UID of its own, so it never replaces the series."""
    return f"activity-{occurrence.activity.pk}-{occurrence_key(occurrence)}@buurtnet"


def _date_event(
    occurrence: Occurrence,
    *,
    url: str,
    stamp: datetime,
    with_note: bool = True,
    extra: Iterable[str] = (),
) -> Event:
    """One date as an event of its own: its time as it stands (moved or not), and when it is
    cancelled it keeps its time and says STATUS:CANCELLED, so a calendar that already holds it
    crosses it out. `extra` are lines about the reader's own part, after the note."""
    activity = occurrence.activity
    tz = activity.tz
    event = Event()
    event.add("uid", occurrence_uid(occurrence))
    event.add("dtstamp", stamp)
    event.add("summary", activity.title)
    event.add("dtstart", occurrence.start.astimezone(tz))
    event.add("dtend", occurrence.end.astimezone(tz))
    event.add("status", "CANCELLED" if occurrence.cancelled else "CONFIRMED")
    if activity.where:
        event.add("location", activity.where)
    lines = []
    if occurrence.cancelled:
        lines.append(_("This date is cancelled."))
    if with_note and occurrence.note:
        lines.append(occurrence.note)
    lines.extend(extra)
    description = description_for(activity)
    if description:
        lines.append(description)
    if lines:
        event.add("description", "\n\n".join(lines))
    event.add("url", url)
    return event


def occurrence_calendar(occurrence: Occurrence, *, url: str, with_note: bool = True) -> Calendar:
    """A calendar holding one date of an activity, as someone adds it to their own calendar.

    `url` is the page to read more: the occurrence's page for members, a public page for
    visitors. Visitors' files leave out the organisers' note (`with_note=False`), as the
    public feeds do.
    """
    cal = _calendar()
    cal.add_component(_date_event(occurrence, url=url, stamp=_stamp(), with_note=with_note))
    cal.add_missing_timezones()
    return cal


def personal_calendar(
    dates: Iterable[PersonalDate], *, name: str, url_for_date: Callable[[Occurrence], str]
) -> Calendar:
    """A person's own calendar: one event per date they signed up for, no rules or series.

    Render it in the person's language: the lines about the date and their tasks are translated
    as it is built.
    """
    cal = _calendar(name)
    stamp = _stamp()
    for entry in dates:
        extra = []
        if entry.tasks:
            tasks = ", ".join(str(task) for task in entry.tasks)
            extra.append(_("You help with: %(tasks)s") % {"tasks": tasks})
        event = _date_event(
            entry.occurrence, url=url_for_date(entry.occurrence), stamp=stamp, extra=extra
        )
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal
