"""Pieces of every member page that come from the neighbourhood, shared through its cache."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from buurtnet.neighbourhoods import cache as shared_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def member_nav(context: template.Context) -> str:
    """The neighbourhood's menu: the same for every member with the same role on the same page,
    so it is rendered once per page, role and language."""
    neighbourhood = context["neighbourhood"]
    nav = context.get("nav", "")
    is_host = context["membership"].is_host

    def build() -> str:
        return render_to_string(
            "neighbourhoods/_member_nav.html",
            {"neighbourhood": neighbourhood, "nav": nav, "is_host": is_host},
        )

    html = shared_cache.shared(neighbourhood.pk, "nav", nav, is_host, build=build)
    return mark_safe(html)  # noqa: S308 - rendered from our own template above
