from django import template

from buurtnet.moderation import selectors
from buurtnet.neighbourhoods.access import is_until_lifted

register = template.Library()


@register.simple_tag
def open_report_count(neighbourhood) -> int:
    """How many reports wait for a host (for the link on the hosts' page)."""
    return selectors.open_report_count(neighbourhood_id=neighbourhood.pk)


@register.filter
def until_lifted(suspended_until) -> bool:
    """Whether a suspension lasts until a host lifts it (it has no end date of its own)."""
    return is_until_lifted(suspended_until)
