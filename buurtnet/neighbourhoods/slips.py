"""The printed invite slips: eight to an A4 page, each with a QR code of its sign-up address and
a few words in Dutch and in the languages the host picked for that print run.

Both the hosts' print page and the `invites` command lay out their sheet here; slips.css gives
it its shape on screen and on paper.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import segno
from django.conf import settings
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtnet.neighbourhoods.selectors import InviteSlip

# Two columns of four rows: what slips.css lays out on an A4 page.
SLIPS_PER_PAGE = 8
# A slip is an eighth of a page: beside the QR code, the code and the address, there is room for
# the few words in three languages, Dutch included.
MAX_SLIP_LANGUAGES = 3


def slip_languages(chosen: Iterable[str] = ()) -> list[str]:
    """The languages of a print run: the site's own (Dutch) first, then those chosen, in the
    order of settings.LANGUAGES; unknown codes are left out."""
    wanted = {settings.LANGUAGE_CODE, *chosen}
    return [settings.LANGUAGE_CODE] + [
        code
        for code, _name in settings.LANGUAGES
        if code in wanted and code != settings.LANGUAGE_CODE
    ]


@dataclass(frozen=True)
class SlipText:
    """What a slip says in one language, with the attributes its paragraph needs."""

    lang: str
    dir: str
    text: str


def slip_text(*, language: str, neighbourhood: str, max_uses: int) -> SlipText:
    """The few words on a slip in `language`: how to sign up, and for how many people."""
    with translation.override(language):
        how = _(
            "Join %(neighbourhood)s on Buurtnet: scan the QR code or go to the address, "
            "and sign up with your code."
        ) % {"neighbourhood": neighbourhood}
        # The same words the slips had before, so the catalogs already know them.
        who = ngettext(
            "This code is for your household: %(counter)s person can use it.",
            "This code is for your household: up to %(counter)s people can use it.",
            max_uses,
        ) % {"counter": max_uses}
        bidi = translation.get_language_bidi()
    return SlipText(lang=language, dir="rtl" if bidi else "ltr", text=f"{how} {who}")


# Drawing a code takes segno some milliseconds, most of them spent choosing the mask that scans
# best; a host who prints the same run again (in other languages, say) gets them from here.
@functools.lru_cache(maxsize=4096)
def qr_svg(url: str) -> SafeString:
    """The address as a QR code in inline SVG. Decorative: the code and the address are printed
    beside it, so screen readers skip it. Its size comes from slips.css."""
    svg = segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="slip-qr", lineclass=None
    )
    # segno writes no other attributes on <svg>; its only content is a path drawn from the URL.
    return mark_safe(  # noqa: S308 - generated from the URL's bits, no text of it inside
        svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    )


@dataclass(frozen=True)
class PrintedSlip:
    slip: InviteSlip
    qr: SafeString
    texts: list[SlipText]


def slip_pages(
    *, neighbourhood: str, slips: Sequence[InviteSlip], languages: Sequence[str]
) -> list[list[PrintedSlip]]:
    """The slips to print, SLIPS_PER_PAGE to a page, each with its QR code and its words in
    `languages` (see `slip_languages`)."""
    texts: dict[int, list[SlipText]] = {}
    printed = []
    for slip in slips:
        if slip.max_uses not in texts:
            texts[slip.max_uses] = [
                slip_text(language=code, neighbourhood=neighbourhood, max_uses=slip.max_uses)
                for code in languages
            ]
        printed.append(
            PrintedSlip(slip=slip, qr=qr_svg(slip.signup_url), texts=texts[slip.max_uses])
        )
    return [printed[i : i + SLIPS_PER_PAGE] for i in range(0, len(printed), SLIPS_PER_PAGE)]
