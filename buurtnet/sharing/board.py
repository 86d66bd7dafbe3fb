"""A flat's notice board on paper: its live asks and offers on one A4 page, for the lift or the
entrance, so that neighbours without the app see them too.

Each post has a QR code that opens its page on Buurtnet, where members answer. The fixed words
(headings, labels, how to answer) are printed in Dutch and in up to MAX_EXTRA_LANGUAGES more
that the host picks; what neighbours wrote is printed as they wrote it. `board_sheet()` puts the
sheet together from selectors.board; the hosts' page shows it (sharing/board.html) and
`board_pdf()` renders the same body with WeasyPrint, styled by board.css, which the page also
carries for the browser's print.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, slugify
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from buurtnet.neighbourhoods.models import Building, Neighbourhood
from buurtnet.people.forms import CheckboxList
from buurtnet.sharing.models import Kind, Side
from buurtnet.sharing.selectors.board import BoardContent, BoardPost

# Dutch and three more: the explanation in four languages still leaves room for eight posts.
MAX_EXTRA_LANGUAGES = 3
# About three printed lines of a post's "more about it" beside its QR code.
BODY_CHARS = 130
# A title is up to 120 characters: on the board, at most about four lines of it.
TITLE_CHARS = 90
# A host's name under "No smartphone?" (display names run to 60 characters).
HOST_CHARS = 24

# In the static files, so that the page links it like any style sheet; WeasyPrint reads it here.
BOARD_CSS = Path(settings.BASE_DIR) / "static" / "css" / "board.css"
TEMPLATE = "sharing/board_print.html"


def board_languages(chosen: Iterable[str] = ()) -> list[str]:
    """The languages of the fixed words: Dutch first, then those chosen in the order of
    settings.LANGUAGES; unknown codes are left out."""
    wanted = set(chosen)
    return [settings.LANGUAGE_CODE] + [
        code
        for code, _name in settings.LANGUAGES
        if code in wanted and code != settings.LANGUAGE_CODE
    ]


def _direction(code: str) -> str:
    return "rtl" if get_language_info(code)["bidi"] else "ltr"


def _choice_label(code: str, name) -> str:
    """ "Arabic – العربيّة": the reader's word for it and the language's own, when they differ."""
    name, local = str(name), get_language_info(code)["name_local"]
    return name if name.casefold() == local.casefold() else f"{name} – {local}"


class BoardLanguagesForm(forms.Form):
    """The languages a host prints the board in, besides Dutch (`?lang=ar&lang=tr`)."""

    lang = forms.MultipleChoiceField(
        label=gettext_lazy("Also print the board in"), required=False, widget=CheckboxList
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "board_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["lang"]
        field.choices = [
            (code, _choice_label(code, name))
            for code, name in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE
        ]
        field.help_text = (
            _(
                "The board is always in %(language)s. Choose up to %(max)s more, for example the "
                "languages spoken most in this flat."
            )
            % self._limits()
        )

    @staticmethod
    def _limits() -> dict:
        return {
            "language": get_language_info(settings.LANGUAGE_CODE)["name_translated"],
            "max": MAX_EXTRA_LANGUAGES,
        }

    def clean_lang(self) -> list[str]:
        chosen = self.cleaned_data.get("lang") or []
        if len(set(chosen)) > MAX_EXTRA_LANGUAGES:
            raise forms.ValidationError(
                _(
                    "The board has room for %(language)s and at most %(max)s more languages. "
                    "Please choose fewer."
                )
                % self._limits(),
                code="too_many",
            )
        return chosen

    def languages(self) -> list[str]:
        """Dutch and what was chosen; only Dutch when nothing (valid) was."""
        if self.is_bound and self.is_valid():
            return board_languages(self.cleaned_data["lang"])
        return board_languages()


# Drawing a code takes segno some milliseconds; printing the same board again (in other
# languages, say) gets them from here.
@functools.lru_cache(maxsize=1024)
def qr_svg(url: str) -> SafeString:
    """The address as a QR code in inline SVG, black on the paper's white (the white of the card
    around it widens the quiet zone to what a scanner needs). Decorative for screen readers:
    the title beside it is the link. Its size comes from board.css."""
    svg = segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=2, omitsize=True, svgclass="board-qr", lineclass=None
    )
    # segno writes no other attributes on <svg>; its only content is a path drawn from the URL.
    return mark_safe(  # noqa: S308 - generated from the URL's bits, no text of it inside
        svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    )


@dataclass(frozen=True)
class Said:
    """A fixed text in one language, with the attributes its element needs."""

    lang: str
    dir: str
    text: str


@dataclass(frozen=True)
class HowToAnswer:
    """How to answer, in one language."""

    lang: str
    dir: str
    how: str
    no_phone: str


def _once(items: Iterable, key) -> list:
    """Each text once: a language whose catalog lacks a text falls back to the same English
    words as another, which the board need not print twice."""
    seen, kept = set(), []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


@dataclass(frozen=True)
class PrintedPost:
    post: BoardPost
    is_ask: bool
    title: str
    body: str
    qr: SafeString
    # "Ask · Help with a skill" and "Until 28 May", in each language.
    what: list[Said]
    until: list[Said]


@dataclass(frozen=True)
class BoardSheet:
    neighbourhood: str
    motto: str
    flat: str
    made_on: date
    made_on_text: str
    languages: list[str]
    headings: list[Said]
    how: list[HowToAnswer]
    empty: list[Said]
    posts: list[PrintedPost]
    more: int
    more_texts: list[Said]
    list_url: str
    list_qr: SafeString | None

    @property
    def filename(self) -> str:
        return f"prikbord-{slugify(self.flat) or 'flat'}.pdf"


@dataclass(frozen=True)
class _Words:
    lang: str
    dir: str
    heading: str
    how: str
    no_phone: str
    empty: str
    more: str


def _words(code: str, *, hosts: Sequence[str], more: int) -> _Words:
    with translation.override(code):
        if hosts:
            no_phone = _("No smartphone? Ask one of the hosts to answer for you: %(hosts)s") % {
                "hosts": ", ".join(Truncator(name).chars(HOST_CHARS) for name in hosts)
            }
        else:
            no_phone = _("No smartphone? Ask a neighbour who uses Buurtnet to answer for you.")
        return _Words(
            lang=code,
            dir=_direction(code),
            heading=_("Asks and offers from your neighbours"),
            how=_(
                "Can you help, or would you like what is offered? Scan the code with your "
                "phone's camera and answer on Buurtnet."
            ),
            no_phone=no_phone,
            empty=_(
                "Nobody in this flat is asking or offering anything right now. Ask or offer "
                "something yourself on Buurtnet."
            ),
            more=ngettext(
                "And %(count)s more ask or offer on Buurtnet: scan this code to see it.",
                "And %(count)s more asks and offers on Buurtnet: scan this code to see them all.",
                more,
            )
            % {"count": more}
            if more
            else "",
        )


def _said(words: Sequence[_Words], field: str) -> list[Said]:
    return _once(
        (Said(lang=w.lang, dir=w.dir, text=getattr(w, field)) for w in words), lambda s: s.text
    )


def _labels(
    posts: Sequence[BoardPost], languages: Sequence[str], zone
) -> list[tuple[list[Said], list[Said]]]:
    """Per post, what it is and until when, in each language (each language switched to once)."""
    what: list[list[Said]] = [[] for _post in posts]
    until: list[list[Said]] = [[] for _post in posts]
    for code in languages:
        direction = _direction(code)
        with translation.override(code):
            until_date = _("Until %(date)s")
            sides = {value: str(label) for value, label in Side.choices}
            kinds = {value: str(label) for value, label in Kind.choices}
            for n, post in enumerate(posts):
                day = timezone.localtime(post.expires_at, zone).date()
                side, kind = sides.get(post.side, post.side), kinds.get(post.kind, post.kind)
                what[n].append(Said(lang=code, dir=direction, text=f"{side} · {kind}"))
                until[n].append(
                    Said(
                        lang=code,
                        dir=direction,
                        text=until_date % {"date": formats.date_format(day, "j E")},
                    )
                )
    return [
        (_once(w, lambda s: s.text), _once(u, lambda s: s.text))
        for w, u in zip(what, until, strict=True)
    ]


def _body(text: str) -> str:
    """A few lines: line breaks folded, cut at a word."""
    return Truncator(" ".join(text.split())).chars(BODY_CHARS)


def board_sheet(
    *,
    neighbourhood: Neighbourhood,
    building: Building,
    content: BoardContent,
    languages: Sequence[str],
) -> BoardSheet:
    """The sheet to print: content from selectors.board_content, words in `languages` (see
    `board_languages`)."""
    try:
        zone = ZoneInfo(neighbourhood.timezone)
    except (ValueError, KeyError):
        zone = timezone.get_default_timezone()
    today = timezone.localtime(timezone.now(), zone).date()
    words = [_words(code, hosts=content.hosts, more=content.more) for code in languages]
    labels = _labels(content.posts, languages, zone)
    return BoardSheet(
        neighbourhood=neighbourhood.name,
        motto=neighbourhood.motto,
        flat=building.name,
        made_on=today,
        made_on_text=today.strftime("%d-%m-%Y"),
        languages=list(languages),
        headings=_said(words, "heading"),
        how=_once(
            (HowToAnswer(lang=w.lang, dir=w.dir, how=w.how, no_phone=w.no_phone) for w in words),
            lambda h: (h.how, h.no_phone),
        ),
        empty=_said(words, "empty"),
        posts=[
            PrintedPost(
                post=post,
                is_ask=post.side == Side.ASK,
                title=Truncator(post.title).chars(TITLE_CHARS),
                body=_body(post.body),
                qr=qr_svg(post.url),
                what=what,
                until=until,
            )
            for post, (what, until) in zip(content.posts, labels, strict=True)
        ],
        more=content.more,
        more_texts=_said(words, "more") if content.more else [],
        list_url=content.list_url,
        list_qr=qr_svg(content.list_url) if content.more else None,
    )


def board_html(sheet: BoardSheet, *, document: bool = False) -> str:
    """The A4 body; with `document`, a whole HTML document for WeasyPrint."""
    return render_to_string(TEMPLATE, {"sheet": sheet, "document": document})


# board.css ends with rules for the hosts' page only (screen columns, `:has()`), after this line.
PAGE_ONLY = "/* WeasyPrint reads no further"


@functools.cache
def board_css(*, for_pdf: bool = False) -> str:
    """board.css: all of it for the page, the part before PAGE_ONLY for WeasyPrint (which would
    only warn about what it cannot read)."""
    css = BOARD_CSS.read_text(encoding="utf-8")
    return css.split(PAGE_ONLY, 1)[0] if for_pdf else css


def _no_fetching(url: str, *args, **kwargs):
    """The board carries everything it shows: WeasyPrint fetches nothing."""
    raise ValueError(f"the notice board fetches no resources: {url}")


def board_document(sheet: BoardSheet):
    """The sheet laid out by WeasyPrint (its `pages` tell whether it fits on one)."""
    from weasyprint import CSS, HTML

    return HTML(
        string=board_html(sheet, document=True), base_url=None, url_fetcher=_no_fetching
    ).render(stylesheets=[CSS(string=board_css(for_pdf=True))])


def board_pdf(sheet: BoardSheet) -> bytes:
    """The sheet as PDF bytes."""
    return board_document(sheet).write_pdf()
