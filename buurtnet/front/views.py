"""Pages composed from several domains: the start page, a neighbourhood's public face (its
landing page, what's on, one public date, one public initiative) and a member's home.

The public pages show what the neighbourhood chose to show everyone, and nothing personal: no
resident's name, no address but a place's name. A visitor without cookies gets each of them
whole from the shared cache (audience "public"): the page holds no form token and nothing of the
reader, so every visitor's copy is the same, and browsers and shared caches may keep it for
PUBLIC_MAX_AGE seconds. A member who follows a public address lands on their own full page.
"""

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import compress_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_safe

from buurtnet.activities.forms.organise import repeat_in_words
from buurtnet.activities.links import OCCURRENCE_FORMAT, euros, occurrence_key, occurrence_url
from buurtnet.activities.selectors import agenda as agenda_selectors
from buurtnet.activities.selectors import rsvps as rsvp_selectors
from buurtnet.activities.views.agenda import (
    AGENDA_LIST_DAYS,
    AGENDA_LIST_MAX,
    public_where,
    visitor_entry,
)
from buurtnet.core.cache_control import cookie_less, public_for_visitors
from buurtnet.front import selectors
from buurtnet.initiatives import permissions
from buurtnet.initiatives import selectors as initiative_selectors
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.access import (
    get_membership,
    member_required,
    membership_of,
    neighbourhood_id_or_404,
)
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.neighbourhoods.selectors import neighbourhoods_for_index
from buurtnet.notifications import unread
from buurtnet.translations.selectors import attach as attach_translations

# How long browsers and shared caches may keep a visitor's copy of a public page.
PUBLIC_MAX_AGE = 60
# The landing page names the next few dates a visitor can walk into.
LANDING_DATES = 4
# An initiative's public page lists its dates of the coming half year, the first few of them.
INITIATIVE_DAYS = 183
INITIATIVE_DATES = 5


@public_for_visitors(PUBLIC_MAX_AGE)
def home(request: HttpRequest) -> HttpResponse:
    """Members go straight to their neighbourhood; visitors see which neighbourhoods are here."""
    neighbourhoods, mine = neighbourhoods_for_index(user=request.user)
    if len(mine) == 1:
        return redirect("front:member_home", mine[0].slug)
    return render(request, "front/index.html", {"neighbourhoods": neighbourhoods, "mine": mine})


# --- The public face of a neighbourhood --------------------------------------------------------


def _member_goes_to(request: HttpRequest, slug: str, member_url: Callable[[], str]):
    """A member of this neighbourhood who follows a public address gets their own full page."""
    if request.user.is_authenticated and membership_of(request.user, slug) is not None:
        return redirect(member_url())
    return None


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _public_dates(neighbourhood_id: int, slug: str, now: datetime) -> dict | None:
    """The public dates of the coming two weeks as visitors see them (at most AGENDA_LIST_MAX),
    and the neighbourhood's time zone: shared per hour, with what ended since left out."""
    hour = _hour(now)

    def build() -> dict | None:
        neighbourhood = Neighbourhood.objects.filter(pk=neighbourhood_id, slug=slug).first()
        if neighbourhood is None:
            return None
        tz = ZoneInfo(neighbourhood.timezone)
        found = agenda_selectors.public_agenda(
            neighbourhood, hour, hour + timedelta(days=AGENDA_LIST_DAYS, hours=1)
        )
        entries = [
            visitor_entry(
                o,
                tz,
                reverse("front:public_occurrence", args=[slug, o.activity.pk, occurrence_key(o)]),
            )
            for o in found[: AGENDA_LIST_MAX * 2]
        ]
        return {"tz": neighbourhood.timezone, "entries": entries}

    dates = shared_cache.shared(
        neighbourhood_id, "public-dates", slug, hour, audience="public", build=build
    )
    if dates is None:
        return None
    until = now + timedelta(days=AGENDA_LIST_DAYS)
    shown = [e for e in dates["entries"] if e["ends_at"] > now and e["starts_at"] < until]
    return {"tz": dates["tz"], "entries": shown[:AGENDA_LIST_MAX]}


def _landing_dates(neighbourhood_id: int, slug: str, now: datetime) -> list[dict] | None:
    """The landing page's next walk-in dates: a few more than shown, kept per hour apart from
    the whole fortnight, so a visitor's request reads a small list, not the agenda."""
    hour = _hour(now)

    def build() -> list[dict] | None:
        dates = _public_dates(neighbourhood_id, slug, hour)
        if dates is None:
            return None
        return [e for e in dates["entries"] if not e["cancelled"]][: LANDING_DATES * 3]

    entries = shared_cache.shared(
        neighbourhood_id, "landing-dates", slug, hour, audience="public", build=build
    )
    if entries is None:
        return None
    return [e for e in entries if e["ends_at"] > now][:LANDING_DATES]


def _walk_in(entries: list[dict]) -> list[dict]:
    """The next few dates a visitor can still walk into: not cancelled."""
    return [e for e in entries if not e["cancelled"]][:LANDING_DATES]


def _names(entries: list[dict]) -> tuple:
    """Which dates a page shows: part of its key, so it follows the clock."""
    return tuple((e["activity_pk"], e["key"], e["starts_at"]) for e in entries)


def _landing(
    request: HttpRequest, neighbourhood: Neighbourhood, membership, coming: list[dict]
) -> str:
    context = {
        "nav": "home",
        "neighbourhood": neighbourhood,
        "membership": membership,
        "coming": coming,
        "numbers": selectors.neighbourhood_numbers(neighbourhood=neighbourhood),
        "initiatives": selectors.public_initiatives(neighbourhood=neighbourhood),
        "partners": selectors.partners(neighbourhood=neighbourhood),
    }
    return render_to_string("front/landing.html", context, request=request)


@public_for_visitors(PUBLIC_MAX_AGE)
@require_GET
def landing(request: HttpRequest, slug: str) -> HttpResponse:
    """The public face of a neighbourhood: what it is and how to join, without personal data.

    A visitor without cookies gets the whole page from the cache (per language): it holds no
    form token and nothing personal, so every visitor's copy is the same.
    """
    now = timezone.now()
    if cookie_less(request):
        neighbourhood_id = neighbourhood_id_or_404(slug)
        hour = _hour(now)
        # One read per visit: the page of this hour, with the moment its first date ends. Past
        # that moment the page is built again without that date (its key names the moment).
        variant: tuple = (hour,)
        for _rebuilds in range(LANDING_DATES + 1):
            entry = shared_cache.shared(
                neighbourhood_id,
                "landing",
                slug,
                *variant,
                audience="public",
                build=lambda: _landing_entry(request, neighbourhood_id, slug, now),
            )
            if entry is None:
                raise Http404
            if entry["until"] > now:
                break
            variant = (hour, entry["until"].isoformat())
        return _visitors_page(request, entry)
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.prefetch_related("languages"), slug=slug
    )
    membership = get_membership(user=request.user, neighbourhood=neighbourhood)
    dates = _public_dates(neighbourhood.pk, slug, now)
    coming = _walk_in(dates["entries"]) if dates else []
    return HttpResponse(_landing(request, neighbourhood, membership, coming))


def _landing_entry(request: HttpRequest, neighbourhood_id: int, slug: str, now: datetime):
    """The visitors' landing page, compressed too, and until when it is right (the end of its
    first date)."""
    coming = _landing_dates(neighbourhood_id, slug, now)
    neighbourhood = Neighbourhood.objects.prefetch_related("languages").filter(slug=slug).first()
    if coming is None or neighbourhood is None:
        return None  # the slug is free again: the full path answers 404
    until = min([e["ends_at"] for e in coming] + [_hour(now) + timedelta(hours=1)])
    page = _landing(request, neighbourhood, None, coming)
    return {"page": page, "gzip": compress_string(page.encode()), "until": until}


_GZIP = re.compile(r"\bgzip\b")


def _visitors_page(request: HttpRequest, entry: dict) -> HttpResponse:
    """The cached visitors' page, sent compressed as it was stored when the browser takes gzip.

    It holds no secret (no form token, nothing personal), so compressing it once for everyone
    gives nothing away; every other page is compressed per response (core.middleware).
    """
    if "gzip" in entry and _GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(entry["gzip"])
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(entry["page"])
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _public_page(
    request: HttpRequest,
    slug: str,
    neighbourhood_id: int,
    part: str,
    *variant,
    template: str,
    context: dict,
) -> HttpResponse:
    """A public page: whole from the shared cache for a cookie-less visitor; rendered for anyone
    else (a person signed in elsewhere sees their own header). `variant` names everything the
    page shows that is not in the neighbourhood's version: the dates it lists, the clock."""

    def build() -> str | None:
        neighbourhood = Neighbourhood.objects.filter(pk=neighbourhood_id, slug=slug).first()
        if neighbourhood is None:
            return None
        page_context = {"neighbourhood": neighbourhood, "membership": None, **context}
        return render_to_string(template, page_context, request=request)

    if cookie_less(request):
        page = shared_cache.shared(
            neighbourhood_id, part, slug, *variant, audience="public", build=build
        )
    else:
        page = build()
    if page is None:
        raise Http404
    return HttpResponse(page)


def _days(entries: list[dict], today) -> list[dict]:
    return [
        {"day": day, "entries": list(group), "is_today": day == today}
        for day, group in groupby(entries, key=lambda e: e["day"])
    ]


@public_for_visitors(PUBLIC_MAX_AGE)
@require_safe
def public_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """What's on: the coming two weeks of the activities open to everyone, read-only."""
    member = _member_goes_to(request, slug, lambda: reverse("activities:agenda", args=[slug]))
    if member is not None:
        return member
    neighbourhood_id = neighbourhood_id_or_404(slug)
    now = timezone.now()
    dates = _public_dates(neighbourhood_id, slug, now)
    if dates is None:
        raise Http404
    today = now.astimezone(ZoneInfo(dates["tz"])).date()
    entries = dates["entries"]
    context = {
        "days": _days(entries, today),
        "first_day": today,
        "last_day": today + timedelta(days=AGENDA_LIST_DAYS - 1),
        "full": len(entries) >= AGENDA_LIST_MAX,
        "days_max": AGENDA_LIST_MAX,
        # The agenda list's paging is the members' own.
        "previous_from": "",
        "next_from": "",
    }
    return _public_page(
        request,
        slug,
        neighbourhood_id,
        "public-agenda",
        today,
        _names(entries),
        template="front/public_agenda.html",
        context=context,
    )


def _public_date(neighbourhood_id: int, slug: str, activity_pk: int, when: str) -> dict | None:
    """One public date as visitors read it, in plain values (kept in the shared cache)."""
    neighbourhood = Neighbourhood.objects.filter(pk=neighbourhood_id, slug=slug).first()
    if neighbourhood is None:
        return None
    occurrence = agenda_selectors.public_occurrence(neighbourhood, activity_pk, when)
    if occurrence is None:
        return None
    activity = occurrence.activity
    tz = ZoneInfo(neighbourhood.timezone)
    start, end = occurrence.start.astimezone(tz), occurrence.end.astimezone(tz)
    initiative = activity.initiative
    return {
        "activity_pk": activity.pk,
        "key": occurrence_key(occurrence),
        "title": activity.title,
        "description": activity.description,
        "starts_at": start,
        "ends_at": end,
        "start_iso": start.isoformat(timespec="seconds"),
        "end_iso": end.isoformat(timespec="seconds"),
        "cancelled": occurrence.cancelled,
        "moved": occurrence.moved,
        "planned_for": date_format(occurrence.original_start.astimezone(tz), "l j F, H:i")
        if occurrence.moved
        else "",
        "repeats": repeat_in_words(activity),
        "place": public_where(activity),
        "initiative": (initiative.pk, initiative.title) if initiative is not None else None,
        "audience": activity.get_audience_display(),
        "languages": [(language.code, language.name) for language in activity.languages.all()],
        "cost": euros(activity.cost_cents) if activity.cost_cents else None,
        "member_url": occurrence_url(slug, occurrence),
    }


@public_for_visitors(PUBLIC_MAX_AGE)
@require_safe
def public_occurrence(request: HttpRequest, slug: str, activity_pk: int, when: str) -> HttpResponse:
    """One date of a public activity, read-only: what, when, where, for whom, in which language,
    what it costs; how to take it into a calendar, and how to join to sign up."""
    member = _member_goes_to(
        request, slug, lambda: reverse("activities:occurrence", args=[slug, activity_pk, when])
    )
    if member is not None:
        return member
    try:
        datetime.strptime(when, OCCURRENCE_FORMAT)  # noqa: DTZ007 - only its shape is checked
    except ValueError:
        raise Http404 from None
    neighbourhood_id = neighbourhood_id_or_404(slug)
    date = shared_cache.shared(
        neighbourhood_id,
        "public-date",
        slug,
        activity_pk,
        when,
        audience="public",
        build=lambda: _public_date(neighbourhood_id, slug, activity_pk, when),
    )
    if date is None:
        raise Http404
    now = timezone.now()
    is_past = date["starts_at"] <= now
    is_over = date["ends_at"] <= now
    return _public_page(
        request,
        slug,
        neighbourhood_id,
        "public-date-page",
        activity_pk,
        when,
        is_past,
        is_over,
        template="front/public_occurrence.html",
        context={"date": date, "is_past": is_past, "is_over": is_over},
    )


def _public_initiative(neighbourhood_id: int, slug: str, pk: int, hour: datetime) -> dict | None:
    """A public initiative as visitors read it, with its public dates of the coming half year
    (plain values, kept in the shared cache per hour)."""
    neighbourhood = Neighbourhood.objects.filter(pk=neighbourhood_id, slug=slug).first()
    if neighbourhood is None:
        return None
    initiative = initiative_selectors.public_initiative(neighbourhood=neighbourhood, pk=pk)
    if initiative is None:
        return None
    tz = ZoneInfo(neighbourhood.timezone)
    found = agenda_selectors.public_agenda(
        neighbourhood, hour, hour + timedelta(days=INITIATIVE_DAYS), initiative=initiative
    )
    return {
        "initiative": {
            "pk": initiative.pk,
            "title": initiative.title,
            "wish": initiative.wish,
            "status": initiative.status,
            "status_label": initiative.get_status_display(),
            "themes": [theme.label for theme in initiative.themes.all()],
            "on_board": initiative.participant_count,
            "open_needs": initiative.open_need_count,
            "partners": [o.name for o in initiative_selectors.supporters(initiative)],
        },
        "dates": [
            visitor_entry(
                o,
                tz,
                reverse("front:public_occurrence", args=[slug, o.activity.pk, occurrence_key(o)]),
            )
            for o in found[: INITIATIVE_DATES * 2]
        ],
    }


@public_for_visitors(PUBLIC_MAX_AGE)
@require_safe
def public_initiative(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An initiative its initiators show everyone: the wish, how it stands, how many are on
    board (never who), and its public dates."""
    member = _member_goes_to(request, slug, lambda: reverse("initiatives:detail", args=[slug, pk]))
    if member is not None:
        return member
    neighbourhood_id = neighbourhood_id_or_404(slug)
    now = timezone.now()
    hour = _hour(now)
    found = shared_cache.shared(
        neighbourhood_id,
        "public-initiative",
        slug,
        pk,
        hour,
        audience="public",
        build=lambda: _public_initiative(neighbourhood_id, slug, pk, hour),
    )
    if found is None:
        raise Http404
    dates = [e for e in found["dates"] if e["ends_at"] > now][:INITIATIVE_DATES]
    return _public_page(
        request,
        slug,
        neighbourhood_id,
        "public-initiative-page",
        pk,
        _names(dates),
        template="front/public_initiative.html",
        context={"initiative": found["initiative"], "dates": dates},
    )


def _fragment(template: str, context: dict) -> str:
    """A part of a page, rendered without the request (so without anything of the reader's
    that was not passed in); an empty part is an empty string."""
    return mark_safe(render_to_string(template, context).strip())  # noqa: S308 - our template


def _with_translations(posts) -> list:
    """The posts, each with neighbours' translations into the reader's language (one query)."""
    posts = list(posts)
    attach_translations(posts, language=get_language())
    return posts


def _home_shared(neighbourhood) -> dict:
    """What every member's start page shows alike: recent updates, who joined an initiative,
    and the newest neighbours (one more than shown, so the reader can be left out)."""
    newest = selectors.new_neighbours(neighbourhood=neighbourhood, limit=NEW_NEIGHBOURS + 1)
    return {
        "updates": _fragment(
            "front/_home_updates.html",
            {
                "neighbourhood": neighbourhood,
                "updates": _with_translations(
                    initiative_selectors.recent_updates(neighbourhood=neighbourhood)
                ),
            },
        ),
        "new_neighbours": [(m.user_id, m.user.display_name) for m in newest],
        "participants": _fragment(
            "front/_home_joined.html",
            {
                "new_participants": initiative_selectors.recent_participants(
                    neighbourhood=neighbourhood
                )
            },
        ),
    }


def _home_own(request: HttpRequest) -> dict:
    """Needs that fit this member's talents, and their own initiatives: theirs alone."""
    neighbourhood, membership = request.neighbourhood, request.membership
    context = {
        "neighbourhood": neighbourhood,
        "membership": membership,
        "matching_needs": initiative_selectors.matching_needs(membership=membership),
        "my_participations": initiative_selectors.initiatives_of(
            user=request.user, neighbourhood=neighbourhood
        ),
    }
    return {
        "needs": _fragment("front/_home_needs.html", context),
        "mine": _fragment("front/_home_mine.html", context),
    }


NEW_NEIGHBOURS = 8
# The member's own coming dates on their home.
MY_DATES = 5


def _my_dates(request: HttpRequest, now: datetime) -> list[dict]:
    """The member's own coming dates (going, waiting, helping), theirs alone: kept for them per
    hour under the neighbourhood's version (an answer or a task taken bumps it), with what
    ended since left out."""
    neighbourhood = request.neighbourhood
    hour = _hour(now)

    def build() -> list[dict]:
        tz = ZoneInfo(neighbourhood.timezone)
        found = rsvp_selectors.coming_dates_of(
            request.user, neighbourhood, since=hour, limit=MY_DATES * 2
        )
        entries = []
        for mine in found:
            occurrence = mine.occurrence
            start = occurrence.start.astimezone(tz)
            entries.append(
                {
                    "ends_at": occurrence.end,
                    "url": occurrence_url(neighbourhood.slug, occurrence),
                    "title": occurrence.activity.title,
                    "start_iso": start.isoformat(timespec="seconds"),
                    "when": f"{date_format(start, 'l j F')}, {start:%H:%M}",
                    "cancelled": occurrence.cancelled,
                    "moved": occurrence.moved,
                    "going": mine.going,
                    "waiting": mine.waiting,
                    "tasks": mine.tasks,
                }
            )
        return entries

    entries = shared_cache.personal(
        neighbourhood.pk, request.user.pk, "my-dates", hour, build=build
    )
    return [entry for entry in entries if entry["ends_at"] > now][:MY_DATES]


@member_required
@require_GET
def member_home(request: HttpRequest) -> HttpResponse:
    """A member's start page: where they are needed, what happened, who is new."""
    neighbourhood = request.neighbourhood
    user_id = request.user.pk
    shared = shared_cache.shared(
        neighbourhood.pk, "home", build=lambda: _home_shared(neighbourhood)
    )
    own = shared_cache.personal(neighbourhood.pk, user_id, "home", build=lambda: _home_own(request))
    context = {
        "nav": "home",
        "needs_html": own["needs"],
        "mine_html": own["mine"],
        "updates_html": shared["updates"],
        "participants_html": shared["participants"],
        "new_neighbours": [name for pk, name in shared["new_neighbours"] if pk != user_id][
            :NEW_NEIGHBOURS
        ],
        "my_dates": _my_dates(request, timezone.now()),
        "notifications": unread.recent(user=request.user, limit=5),
        "can_start": permissions.can_start(request.membership),
    }
    return render(request, "front/member_home.html", context)
