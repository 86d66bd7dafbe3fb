"""The neighbourhood's places: what they are like, who keeps them and what happens there.

Every member sees them. Hosts choose the keepers; hosts and keepers change the details and photos.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from buurtnet.activities import permissions
from buurtnet.activities.forms import places as forms
from buurtnet.activities.links import occurrence_url
from buurtnet.activities.models import Place, PlaceKeeper, PlaceKey
from buurtnet.activities.selectors.agenda import agenda, agenda_activities
from buurtnet.activities.selectors.places import (
    awaiting_approval,
    keeper_candidates,
    key_candidates,
    opening_week,
    place_detail,
    place_keys,
    place_photo_in,
    places_of,
)
from buurtnet.activities.services import places as services
from buurtnet.core.forms import add_service_errors
from buurtnet.neighbourhoods.access import member_required

# The place's page shows what comes in these weeks, at most this many dates.
COMING_WEEKS = 8
COMING_MAX = 10


def _place_url(place: Place, anchor: str = "") -> str:
    url = reverse("activities:place", args=[place.neighbourhood.slug, place.pk])
    return f"{url}#{anchor}" if anchor else url


def _edit_url(place: Place, anchor: str = "") -> str:
    url = reverse("activities:place_edit", args=[place.neighbourhood.slug, place.pk])
    return f"{url}#{anchor}" if anchor else url


def _check_input(request: HttpRequest) -> None:
    messages.error(request, _("Please check what you filled in: some of it needs a change."))


def _deny_unless_editor(request: HttpRequest, place: Place) -> None:
    if not services.can_edit_place(request.membership, place):
        raise PermissionDenied


def _keeper_form(request: HttpRequest, place: Place, data=None) -> forms.KeeperForm:
    candidates = keeper_candidates(place, viewer=request.user)
    return forms.KeeperForm(data, candidates=candidates)


def _key_form(request: HttpRequest, place: Place, data=None) -> forms.KeyForm:
    return forms.KeyForm(data, candidates=key_candidates(place, viewer=request.user))


@require_safe
@member_required
def places(request: HttpRequest) -> HttpResponse:
    found = list(places_of(request.neighbourhood))
    for each in found:
        each.keeper_names = ", ".join(keeper.user.display_name for keeper in each.keepers.all())
    return render(request, "activities/places/list.html", {"nav": "agenda", "places": found})


def _render_place(
    request: HttpRequest,
    place: Place,
    *,
    keeper_form: forms.KeeperForm | None = None,
    key_form: forms.KeyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    neighbourhood = request.neighbourhood
    now = timezone.now()
    entries = agenda(
        neighbourhood,
        now,
        now + timedelta(weeks=COMING_WEEKS),
        activities=agenda_activities(neighbourhood, place=place),
    )[:COMING_MAX]
    is_host = permissions.can_manage_places(request.membership)
    if is_host and keeper_form is None:
        keeper_form = _keeper_form(request, place)
    can_edit = services.can_edit_place(request.membership, place)
    if can_edit and key_form is None:
        key_form = _key_form(request, place)
    waiting = awaiting_approval(place)
    return render(
        request,
        "activities/places/detail.html",
        {
            "nav": "agenda",
            "place": place,
            "tz": neighbourhood.timezone,
            "coming": [
                {
                    "occurrence": entry.occurrence,
                    "url": occurrence_url(neighbourhood.slug, entry.occurrence),
                    "awaiting_approval": entry.occurrence.activity.pk in waiting,
                }
                for entry in entries
            ],
            "opening_week": opening_week(place),
            "keepers": [keeper.user for keeper in place.keepers.all()],
            "photos": list(place.photos.all()),
            "is_host": is_host,
            "can_edit": can_edit,
            "keeper_form": keeper_form,
            "keys": place_keys(place) if can_edit else [],
            "key_form": key_form,
        },
        status=status,
    )


@require_safe
@member_required
def place(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_place(request, place_detail(request.neighbourhood, pk))


def _render_edit(
    request: HttpRequest,
    place: Place,
    *,
    form: forms.PlaceForm | None = None,
    photo_form: forms.PlacePhotoForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = forms.PlaceForm(
            initial={field: getattr(place, field) for field in forms.PLACE_FIELDS}
            | forms.hours_initial(list(place.openings.all()))
        )
    return render(
        request,
        "activities/places/edit.html",
        {
            "nav": "agenda",
            "place": place,
            "form": form,
            "photo_form": photo_form or forms.PlacePhotoForm(),
            "photos": list(place.photos.all()),
            "max_photos": services.MAX_PHOTOS_PER_PLACE,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@member_required
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = place_detail(request.neighbourhood, pk)
    _deny_unless_editor(request, place)
    if request.method != "POST":
        return _render_edit(request, place)
    form = forms.PlaceForm(request.POST)
    if form.is_valid():
        try:
            services.place_update(user=request.user, place=place, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The details of the place are saved."))
            return redirect(_place_url(place))
    _check_input(request)
    return _render_edit(request, place, form=form, status=400)


@require_POST
@member_required
def place_keeper_add(request: HttpRequest, pk: int) -> HttpResponse:
    place = place_detail(request.neighbourhood, pk)
    if not permissions.can_manage_places(request.membership):
        raise PermissionDenied
    form = _keeper_form(request, place, request.POST)
    if form.is_valid():
        keeper = form.cleaned_data["keeper"].user
        try:
            services.place_keeper_assign(user=request.user, place=place, keeper=keeper)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s now keeps this place.") % {"name": keeper.display_name}
            )
            return redirect(_place_url(place, "keepers"))
    _check_input(request)
    return _render_place(request, place, keeper_form=form, status=400)


@require_POST
@member_required
def place_keeper_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    place = place_detail(request.neighbourhood, pk)
    if not permissions.can_manage_places(request.membership):
        raise PermissionDenied
    keeper = get_object_or_404(
        PlaceKeeper.objects.select_related("user"), place=place, user_id=user_pk
    )
    try:
        services.place_keeper_remove(user=request.user, place=place, keeper=keeper.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_place(request, place_detail(request.neighbourhood, pk), status=400)
    messages.success(
        request, _("%(name)s no longer keeps this place.") % {"name": keeper.user.display_name}
    )
    return redirect(_place_url(place, "keepers"))


@require_POST
@member_required
def place_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    place = place_detail(request.neighbourhood, pk)
    _deny_unless_editor(request, place)
    photo_form = forms.PlacePhotoForm(request.POST, request.FILES)
    if photo_form.is_valid():
        try:
            services.place_photo_add(
                user=request.user,
                place=place,
                image=photo_form.cleaned_data["image"],
                alt=photo_form.cleaned_data["alt"],
            )
        except ValidationError as exc:
            add_service_errors(photo_form, exc)
        else:
            messages.success(request, _("The photo is added."))
            return redirect(_edit_url(place, "photos"))
    _check_input(request)
    return _render_edit(request, place, photo_form=photo_form, status=400)


@require_POST
@member_required
def place_photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    place = place_detail(request.neighbourhood, pk)
    _deny_unless_editor(request, place)
    photo = place_photo_in(place, photo_pk)
    services.place_photo_remove(user=request.user, photo=photo)
    messages.success(request, _("The photo is removed."))
    return redirect(_edit_url(place, "photos"))


@require_POST
@member_required
def place_key_add(request: HttpRequest, pk: int) -> HttpResponse:
    place = place_detail(request.neighbourhood, pk)
    _deny_unless_editor(request, place)
    form = _key_form(request, place, request.POST)
    if form.is_valid():
        holder = form.cleaned_data["holder"].user
        try:
            services.place_key_give(
                user=request.user, place=place, holder=holder, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is on the key list.") % {"name": holder.display_name}
            )
            return redirect(_place_url(place, "keys"))
    _check_input(request)
    return _render_place(request, place, key_form=form, status=400)


@require_POST
@member_required
def place_key_remove(request: HttpRequest, pk: int, key_pk: int) -> HttpResponse:
    place = place_detail(request.neighbourhood, pk)
    _deny_unless_editor(request, place)
    key = get_object_or_404(
        PlaceKey.objects.select_related("holder", "place"), place=place, pk=key_pk
    )
    services.place_key_return(user=request.user, key=key)
    messages.success(
        request, _("%(name)s has handed the key back.") % {"name": key.holder.display_name}
    )
    return redirect(_place_url(place, "keys"))
