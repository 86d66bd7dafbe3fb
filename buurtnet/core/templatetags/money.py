from django import template

from buurtnet.core.money import euros as format_euros

register = template.Library()


@register.filter
def euros(cents) -> str:
    """Integer cents as "€ 1.250,00" in the reader's language ("" for None)."""
    if cents is None or cents == "":
        return ""
    return format_euros(int(cents))
