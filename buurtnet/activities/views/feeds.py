"""iCalendar feeds (neighbourhood, place, initiative, personal) and one date as an .ics file."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from buurtnet.activities.ical import (
    calendar_for,
    occurrence_calendar,
    personal_calendar,
    url_for,
)
from buurtnet.activities.links import occurrence_from_key, occurrence_key, occurrence_url
from buurtnet.activities.recurrence import Occurrence
from buurtnet.activities.selectors.agenda import activity_in
from buurtnet.activities.selectors.feeds import (
    calendar_owner,
    calendar_token_of,
    feed_activities,
    personal_dates,
    public_activities,
    public_activity_in,
    public_initiative_in,
)
from buurtnet.activities.selectors.places import place_in
from buurtnet.activities.services import calendars as services
from buurtnet.core.cache_control import public_for_visitors
from buurtnet.neighbourhoods.access import membership_of
from buurtnet.neighbourhoods.models import Neighbourhood

# How long browsers and shared caches may keep a visitor's copy of a public calendar, as long
# as the public pages (front.views.PUBLIC_MAX_AGE).
PUBLIC_MAX_AGE = 60


def _ics(calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_for_visitors(PUBLIC_MAX_AGE)
@require_safe
def feed_neighbourhood(request: HttpRequest, slug: str) -> HttpResponse:
    """The neighbourhood's open calendar: its public activities only, whoever asks."""
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    activities = feed_activities(public_activities(neighbourhood))
    name = _("Agenda of %(neighbourhood)s") % {"neighbourhood": neighbourhood.name}
    return _ics(calendar_for(activities, name=name), f"{neighbourhood.slug}.ics")


@public_for_visitors(PUBLIC_MAX_AGE)
@require_safe
def feed_place(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    place = place_in(neighbourhood, pk)
    activities = feed_activities(public_activities(neighbourhood).filter(place=place))
    name = _("%(place)s in %(neighbourhood)s") % {
        "place": place.name,
        "neighbourhood": neighbourhood.name,
    }
    return _ics(calendar_for(activities, name=name), f"{neighbourhood.slug}-place-{place.pk}.ics")


@public_for_visitors(PUBLIC_MAX_AGE)
@require_safe
def feed_initiative(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    initiative = public_initiative_in(neighbourhood, pk)
    activities = feed_activities(public_activities(neighbourhood).filter(initiative=initiative))
    name = _("%(initiative)s in %(neighbourhood)s") % {
        "initiative": initiative.title,
        "neighbourhood": neighbourhood.name,
    }
    filename = f"{neighbourhood.slug}-initiative-{initiative.pk}.ics"
    return _ics(calendar_for(activities, name=name), filename)


def _member_url(occurrence: Occurrence) -> str:
    slug = occurrence.activity.neighbourhood.slug
    return f"{settings.SITE_URL}{occurrence_url(slug, occurrence)}"


@require_safe
def feed_personal(request: HttpRequest, token: str) -> HttpResponse:
    """The dates the person signed up for (a place or a task), one event each, in their language."""
    user = calendar_owner(token)
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        calendar = personal_calendar(
            personal_dates(user), name=_("My activities"), url_for_date=_member_url
        )
    response = _ics(calendar, "my-activities.ics")
    # The address is the key: keep it out of shared caches and away from search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    token = calendar_token_of(request.user)
    feed_url = (
        request.build_absolute_uri(reverse("activities:feed_personal", args=[token.token]))
        if token is not None
        else ""
    )
    return render(request, "activities/my_calendar.html", {"feed_url": feed_url})


@require_POST
@login_required
def my_calendar_renew(request: HttpRequest) -> HttpResponse:
    had_address = calendar_token_of(request.user) is not None
    services.calendar_token_renew(user=request.user)
    if had_address:
        messages.success(request, _("Your calendar has a new address. The old one stops working."))
    else:
        messages.success(request, _("Your calendar address is ready."))
    return redirect("activities:my_calendar")


@public_for_visitors(PUBLIC_MAX_AGE)
@require_safe
def occurrence_ics(request: HttpRequest, slug: str, activity_pk: int, when: str) -> HttpResponse:
    """One date of an activity as a calendar file, to add to one's own calendar.

    Members of the neighbourhood get any of its dates, with a link to the date's page. Anyone
    else (a visitor, or someone signed in elsewhere) gets a date of a public activity only, the
    same activities the public feed holds, with a link to a public page; everything else is
    not found, so the address tells nothing about members-only activities.
    """
    membership = membership_of(request.user, slug) if request.user.is_authenticated else None
    if membership is not None:
        neighbourhood = membership.neighbourhood
        activity = activity_in(neighbourhood, activity_pk)
    else:
        neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
        activity = public_activity_in(neighbourhood, activity_pk)
    occurrence = occurrence_from_key(activity, when)
    if occurrence is None:
        raise Http404
    filename = f"{neighbourhood.slug}-{activity.pk}-{occurrence_key(occurrence)}.ics"
    if membership is None:
        return _ics(
            occurrence_calendar(occurrence, url=url_for(activity), with_note=False), filename
        )
    url = f"{settings.SITE_URL}{occurrence_url(neighbourhood.slug, occurrence)}"
    response = _ics(occurrence_calendar(occurrence, url=url), filename)
    # Members-only: keep it out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
