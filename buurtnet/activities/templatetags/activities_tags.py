"""Pieces of the agenda shown on other apps' pages (which do not import activities)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from buurtnet.activities.links import occurrence_url
from buurtnet.activities.recurrence import Occurrence
from buurtnet.activities.selectors.organise import coming_occurrences_of_initiative
from buurtnet.initiatives.models import Initiative
from buurtnet.initiatives.permissions import is_initiator
from buurtnet.neighbourhoods import cache as shared_cache

register = template.Library()


COMING_SHOWN = 5


def _coming(neighbourhood, initiative: Initiative, since: datetime) -> list[dict]:
    tz = ZoneInfo(neighbourhood.timezone)
    entries = []
    for o in coming_occurrences_of_initiative(initiative, now=since, limit=COMING_SHOWN * 2):
        start = o.start.astimezone(tz)
        entries.append(
            {
                "end": o.end,
                "url": occurrence_url(neighbourhood.slug, o),
                "title": o.activity.title,
                "cancelled": o.cancelled,
                "moved": o.moved,
                "start_iso": start.isoformat(timespec="seconds"),
                "when": f"{date_format(start, 'l j F')}, {start:%H:%M}",
            }
        )
    return entries


@register.inclusion_tag("activities/organise/_initiative_activities.html", takes_context=True)
def initiative_activities(context: template.Context, initiative: Initiative) -> dict:
    """The initiative's coming dates, and for its initiators a link to plan one.

    The dates are shared by every member and kept per hour; a date that ended since is left out
    here, so the list follows the clock as well as every change.
    """
    neighbourhood = context["neighbourhood"]
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    dates = shared_cache.shared(
        neighbourhood.pk,
        "initiative-dates",
        initiative.pk,
        hour,
        build=lambda: _coming(neighbourhood, initiative, hour),
    )
    return {
        "neighbourhood": neighbourhood,
        "initiative": initiative,
        "coming": [entry for entry in dates if entry["end"] > now][:COMING_SHOWN],
        # The page worked out the reader's permissions already (see initiatives.views).
        "can_plan": context["perms"].is_initiator
        if "perms" in context
        else is_initiator(context["membership"], initiative),
    }


@register.filter
def has_begun(occurrence: Occurrence) -> bool:
    """Whether the date has begun or passed (and so can no longer be changed)."""
    return occurrence.start <= timezone.now()
