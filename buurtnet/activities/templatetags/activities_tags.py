"""Pieces of the agenda shown on other apps' pages (which do not import activities)."""

from django import template
from django.utils import timezone

from buurtnet.activities.links import occurrence_url
from buurtnet.activities.recurrence import Occurrence
from buurtnet.activities.selectors.organise import coming_occurrences_of_initiative
from buurtnet.initiatives.models import Initiative
from buurtnet.initiatives.permissions import is_initiator

register = template.Library()


@register.inclusion_tag("activities/organise/_initiative_activities.html", takes_context=True)
def initiative_activities(context: template.Context, initiative: Initiative) -> dict:
    """The initiative's coming dates, and for its initiators a link to plan one."""
    neighbourhood = context["neighbourhood"]
    coming = coming_occurrences_of_initiative(initiative)
    return {
        "neighbourhood": neighbourhood,
        "initiative": initiative,
        "tz": neighbourhood.timezone,
        "coming": [{"occurrence": o, "url": occurrence_url(neighbourhood.slug, o)} for o in coming],
        "can_plan": is_initiator(context["membership"], initiative),
    }


@register.filter
def has_begun(occurrence: Occurrence) -> bool:
    """Whether the date has begun or passed (and so can no longer be changed)."""
    return occurrence.start <= timezone.now()
