"""Addresses of occurrences: an occurrence is named by its activity and original local start."""

from datetime import datetime
from decimal import Decimal

from django.urls import reverse

from buurtnet.activities.models import Activity, localize
from buurtnet.activities.recurrence import Occurrence, occurrence_at

OCCURRENCE_FORMAT = "%Y%m%dT%H%M"


def occurrence_key(occurrence: Occurrence) -> str:
    """The occurrence's original local start as it appears in its address."""
    return occurrence.original_start.astimezone(occurrence.activity.tz).strftime(OCCURRENCE_FORMAT)


def occurrence_url(slug: str, occurrence: Occurrence) -> str:
    return reverse(
        "activities:occurrence", args=[slug, occurrence.activity.pk, occurrence_key(occurrence)]
    )


def occurrence_from_key(activity: Activity, when: str) -> Occurrence | None:
    """The occurrence a key names, or None when the activity has no such date."""
    try:
        naive = datetime.strptime(when, OCCURRENCE_FORMAT)  # noqa: DTZ007 - wall-clock, zoned next
    except ValueError:
        return None
    try:
        occurrence = occurrence_at(activity, localize(naive, activity.tz))
    except (OverflowError, ValueError):  # a wall-clock time at the very ends of the calendar
        return None
    if occurrence is None or occurrence_key(occurrence) != when:
        return None
    return occurrence


def euros(cents: int) -> Decimal:
    return Decimal(cents) / 100
