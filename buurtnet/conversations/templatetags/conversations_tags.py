"""The "Messages" link in the header of every member page, with how many conversations have
something new (counted once, then kept in the cache: see conversations/unread.py)."""

from django import template
from django.template.loader import render_to_string

from buurtnet.conversations.unread import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def messages_link(context: template.Context) -> str:
    neighbourhood = context.get("neighbourhood")
    membership = context.get("membership")
    if not neighbourhood or not membership:
        return ""
    return render_to_string(
        "conversations/_messages_link.html",
        {
            "neighbourhood": neighbourhood,
            "unread": unread_count(membership=membership),
            "current": context.get("nav") == "messages",
        },
    )
