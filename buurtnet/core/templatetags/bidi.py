"""{{ name|bdi }}: a name or title members wrote, isolated from the sentence around it.

An Arabic name in a Dutch sentence (or a Dutch one in an Arabic sentence) otherwise takes the
sentence's punctuation with it ("door .Semhar G"). Loaded for every template (TEMPLATES
builtins), so `{% blocktranslate with name=person.display_name|bdi %}` works anywhere; the
translators' msgids stay as they are.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value) -> str:
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)
