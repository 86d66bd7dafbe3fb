"""{% written post "field" %}: text a member wrote, in the reader's language when a neighbour
translated it, always with dir="auto" and the language it is in."""

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr, truncatewords
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from buurtnet.translations import machine
from buurtnet.translations.registry import entry_for
from buurtnet.translations.selectors import language_name, translation_shown

register = template.Library()

STYLES = {
    "lines": lambda text: linebreaksbr(text, autoescape=True),
    "paragraphs": lambda text: linebreaks_filter(text, autoescape=True),
    "short": lambda text: linebreaksbr(truncatewords(text, 25), autoescape=True),
}


@register.inclusion_tag("translations/_written.html", takes_context=True)
def written(context, post, field: str, public: bool = False, style: str = "lines", back: str = ""):
    """`public`: a visitor's page (no names, no links for members only)."""
    reader = get_language()
    original = getattr(post, field) or ""
    source = getattr(post, "language", "") or ""
    entry = entry_for(post)
    shown = translation_shown(post, field, language=reader) if entry else None
    neighbourhood = context.get("neighbourhood")
    links = entry is not None and not public and neighbourhood is not None and bool(original)
    args = [neighbourhood.slug, entry.kind, post.pk, field] if links else None
    query = f"?{urlencode({'next': back})}" if back else ""
    render = STYLES.get(style, STYLES["lines"])
    return {
        "text": render(shown.text if shown else original),
        "lang": shown.language if shown else source,
        "translation": shown,
        "outdated": shown is not None and shown.is_outdated(original),
        "original": render(original) if shown else "",
        "source": source,
        "source_name": language_name(source) if source else "",
        "public": public,
        "translate_url": reverse("translations:translate", args=args) + query if links else "",
        "machine_url": (
            reverse("translations:machine", args=args)
            if links and shown is None and source != reader and machine.enabled()
            else ""
        ),
    }
