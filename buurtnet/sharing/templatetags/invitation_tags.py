"""Small links to the right neighbour for each ask, for pages of other apps.

- `{% asked_to_me membership %}`: "Asked to you (2 waiting)", a link to the member's asks to
  answer; nothing for a member nobody asked yet. For the sharing list and the member home.
- `{% find_neighbours_for_needs initiative %}`: for the initiators, next to the initiative's open
  needs, a link per need to the neighbours Buurtnet suggests for it.

Each costs one query. They render their few elements in Python (format_html), so no template
of their own is needed.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtnet.initiatives.permissions import OPEN_STATUSES
from buurtnet.sharing.asked import asked_counts
from buurtnet.sharing.selectors import invitations as selectors

register = template.Library()


@register.simple_tag
def asked_to_me(membership) -> SafeString:
    if not membership or membership.is_suspended:
        return SafeString("")
    waiting, total = asked_counts(membership=membership)
    if not total:
        return SafeString("")
    url = reverse("sharing:inbox", args=[membership.neighbourhood.slug])
    if not waiting:
        return format_html('<a class="asked-to-me" href="{}">{}</a>', url, _("Asked to you"))
    text = ngettext(
        "Asked to you (%(count)s waiting)", "Asked to you (%(count)s waiting)", waiting
    ) % {"count": waiting}
    return format_html('<a class="asked-to-me" href="{}"><strong>{}</strong></a>', url, text)


@register.simple_tag
def find_neighbours_for_needs(initiative) -> SafeString:
    """The open needs, each with its link (the page shows this to initiators only)."""
    if initiative.status not in OPEN_STATUSES:
        return SafeString("")
    needs = selectors.open_needs(initiative)
    if not needs:
        return SafeString("")
    slug = initiative.neighbourhood.slug
    items = format_html_join(
        "",
        '<li><span dir="auto">{}</span> · <a href="{}">{}</a></li>',
        (
            (
                need.description,
                reverse("sharing:need_suggestions", args=[slug, need.pk]),
                _("Find neighbours who can help"),
            )
            for need in needs
        ),
    )
    return format_html(
        '<h3>{}</h3><ul class="plain-list find-neighbours">{}</ul>',
        _("Ask neighbours who fit"),
        items,
    )
