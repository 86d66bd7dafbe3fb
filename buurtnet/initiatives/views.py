from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from buurtnet.core.forms import add_service_errors
from buurtnet.core.http import known_params
from buurtnet.initiatives import forms, permissions, selectors, services
from buurtnet.initiatives.models import (
    Initiative,
    Need,
    OfferStatus,
    Participation,
    ParticipationStatus,
    SupportOffer,
)
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.access import member_required
from buurtnet.neighbourhoods.models import Membership, Organisation
from buurtnet.translations.selectors import attach as attach_translations

PAGE_SIZE = 12
START_SESSION_KEY = "initiative_start:%s"
# The initiative the last start made, so that sending the last step again leads to it.
START_STARTED_KEY = "initiative_started:%s"


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    """The initiative in the member's own neighbourhood; anything else does not exist."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("neighbourhood"),
        pk=pk,
        neighbourhood=request.neighbourhood,
    )
    if not permissions.can_view(request.membership, initiative):
        raise PermissionDenied
    return initiative


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _has_code(exc: ValidationError, code: str) -> bool:
    return any(error.code == code for error in getattr(exc, "error_list", []))


def _invalid(request: HttpRequest) -> None:
    messages.error(request, _("Please check what you filled in: some of it needs a change."))


# --- The list ---------------------------------------------------------------------------------


LIST_PARAMS = ("q", "status", "theme", "need", "mine", "page")


def _filter_form(query: QueryDict) -> str:
    form = forms.FilterForm(query)
    form.is_valid()
    return render_to_string("initiatives/_filters.html", {"form": form})


def _results(request: HttpRequest, query: QueryDict, filters: dict) -> str:
    queryset = selectors.initiative_list(
        neighbourhood=request.neighbourhood, membership=request.membership, **filters
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(query.get("page"))
    context = {
        "neighbourhood": request.neighbourhood,
        "query": query,
        "page_obj": page,
        "initiatives": page.object_list,
        "filtered": any(filters.values()),
    }
    return render_to_string("initiatives/_results.html", context)


@member_required
@require_GET
@vary_on_headers("HX-Request")
def initiative_list(request: HttpRequest) -> HttpResponse:
    query = known_params(request.GET, LIST_PARAMS)
    filters = forms.FilterForm(query).filters()
    neighbourhood_id = request.neighbourhood.pk
    if filters["needs_my_talents"]:
        # "Needs what I can do" depends on the reader's own talents: never shared.
        results = _results(request, query, filters)
    else:
        results = shared_cache.shared(
            neighbourhood_id,
            "initiatives",
            query.urlencode(),
            build=lambda: _results(request, query, filters),
        )
    if request.htmx and not request.htmx.boosted:
        return HttpResponse(results)
    without_page = known_params(query, LIST_PARAMS[:-1])
    context = {
        "nav": "initiatives",
        "filters": shared_cache.shared(
            neighbourhood_id,
            "initiative-filters",
            without_page.urlencode(),
            build=lambda: _filter_form(without_page),
        ),
        "results": results,
        "can_start": permissions.can_start(request.membership),
    }
    return render(request, "initiatives/list.html", context)


# --- One initiative ---------------------------------------------------------------------------


DETAIL_PARTS = ("head", "people", "needs", "more", "updates", "learnings")


def _detail_parts(neighbourhood, pk: int) -> dict[str, str]:
    """What every member sees of one initiative, rendered once per version and language."""
    initiative = selectors.initiative_for_detail(neighbourhood=neighbourhood, pk=pk)
    needs = initiative.needs.all()
    updates, learnings = list(initiative.updates.all()), list(initiative.learnings.all())
    # Neighbours' translations into the reader's language, for every text at once.
    attach_translations([initiative, *updates, *learnings], language=get_language())
    context = {
        "neighbourhood": neighbourhood,
        "initiative": initiative,
        "initiators": selectors.initiators(initiative),
        "participants": selectors.participants(initiative),
        "open_needs": [n for n in needs if not n.is_met],
        "met_needs": [n for n in needs if n.is_met],
        "supporters": selectors.supporters(initiative),
        "updates": updates,
        "learnings": learnings,
    }
    parts = {
        part: render_to_string(f"initiatives/_detail_{part}.html", context) for part in DETAIL_PARTS
    }
    # Those who may join read an invitation where nobody is on board yet.
    parts["people_inviting"] = (
        parts["people"]
        if context["participants"]
        else render_to_string("initiatives/_detail_people.html", {**context, "inviting": True})
    )
    return parts


def _join_form(user) -> tuple[str, bool]:
    form = forms.JoinForm(user=user)
    return str(form), form.fields["talents"].queryset.exists()


def _detail_forms(request: HttpRequest, initiative: Initiative, perms, bound: dict) -> dict:
    """The page's forms: a form sent back with errors as it is; an empty one from the cache,
    rendered once (a member's join form lists their own talents, so it is kept for them alone)."""
    neighbourhood_id = request.neighbourhood.pk
    forms_: dict = {
        "join_form": bound.get("join_form"),
        "join_has_talents": True,
        "offer_form": bound.get("offer_form"),
        "update_form": bound.get("update_form"),
        "learning_form": bound.get("learning_form"),
        # Forms sent back with errors are shown open.
        "sent_back": {name for name, form in bound.items() if form is not None},
    }
    if forms_["join_form"] is None and perms.join:
        forms_["join_form"], forms_["join_has_talents"] = shared_cache.personal(
            neighbourhood_id, request.user.pk, "join-form", build=lambda: _join_form(request.user)
        )
    elif forms_["join_form"] is not None:
        forms_["join_has_talents"] = forms_["join_form"].fields["talents"].queryset.exists()
    if forms_["offer_form"] is None and perms.offer_support:
        forms_["offer_form"] = shared_cache.shared(
            neighbourhood_id,
            "offer-form",
            initiative.pk,
            audience="professionals",
            build=lambda: str(forms.SupportOfferForm(initiative=initiative)),
        )
    for name, form_class in (
        ("update_form", forms.UpdateForm),
        ("learning_form", forms.LearningForm),
    ):
        if forms_[name] is None:
            forms_[name] = shared_cache.shared(
                shared_cache.GLOBAL, name, build=lambda form_class=form_class: str(form_class())
            )
    return forms_


def _render_detail(
    request: HttpRequest, initiative: Initiative, *, status: int = 200, **bound
) -> HttpResponse:
    neighbourhood = request.neighbourhood
    parts = shared_cache.shared(
        neighbourhood.pk,
        "initiative",
        initiative.pk,
        build=lambda: _detail_parts(neighbourhood, initiative.pk),
    )
    # What this member may do, and what belongs to them, is worked out on every request.
    membership = request.membership
    perms = shared_cache.personal(
        request.neighbourhood.pk,
        request.user.pk,
        "initiative-permissions",
        initiative.pk,
        build=lambda: permissions.permissions_for(membership, initiative),
    )
    my_offers = []
    if membership.is_professional:
        for support_offer in selectors.offers_of_organisation(
            initiative, organisation_id=membership.organisation_id
        ):
            support_offer.can_withdraw = permissions.can_withdraw_offer(membership, support_offer)
            my_offers.append(support_offer)
    offer_waiting = any(o.status == OfferStatus.PENDING for o in my_offers)
    pending_count = selectors.waiting_count(initiative) if perms.manage else 0
    context = {
        "nav": "initiatives",
        "initiative": initiative,
        "parts": parts,
        "perms": perms,
        "pending_count": pending_count,
        "my_offers": my_offers,
        "offer_waiting": offer_waiting,
        **_detail_forms(request, initiative, perms, bound),
    }
    return render(request, "initiatives/detail.html", context, status=status)


@member_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    neighbourhood = request.neighbourhood
    initiative = shared_cache.shared(
        neighbourhood.pk,
        "initiative-row",
        pk,
        build=lambda: (
            Initiative.objects.select_related("neighbourhood")
            .filter(pk=pk, neighbourhood=neighbourhood)
            .first()
        ),
    )
    if initiative is None:
        raise Http404
    _require(permissions.can_view(request.membership, initiative))
    return _render_detail(request, initiative)


@member_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_edit(request.membership, initiative))
    # A separate copy: the form writes what was typed onto its instance, valid or not.
    instance = Initiative.objects.get(pk=initiative.pk)
    form = forms.InitiativeForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.initiative_update(
                    membership=request.membership,
                    initiative=initiative,
                    title=form.cleaned_data["title"],
                    wish=form.cleaned_data["wish"],
                    description=form.cleaned_data["description"],
                    themes=form.cleaned_data["themes"],
                    visibility=form.cleaned_data["visibility"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(initiative.get_absolute_url())
        _invalid(request)
        status = 400
    else:
        status = 200
    context = {"nav": "initiatives", "initiative": initiative, "form": form}
    return render(request, "initiatives/edit.html", context, status=status)


@member_required
@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    participation = permissions.participation_of(request.membership, initiative)
    if participation is not None and participation.status == ParticipationStatus.PENDING:
        return _already_asked(request, initiative)
    _require(permissions.can_join(request.membership, initiative))
    form = forms.JoinForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.initiative_join(
                membership=request.membership,
                initiative=initiative,
                talents=form.cleaned_data["talents"],
                brings=form.cleaned_data["brings"],
            )
        except ValidationError as exc:
            if _has_code(exc, services.ALREADY_ASKED):
                return _already_asked(request, initiative)
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Thank you! The initiators will let you know when you are on board.")
            )
            return redirect(initiative.get_absolute_url())
    _invalid(request)
    return _render_detail(request, initiative, status=400, join_form=form)


def _already_asked(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """A second click on "Ask to join" answers kindly instead of refusing."""
    messages.info(request, _("You already asked to join; the initiators will answer soon."))
    return redirect(initiative.get_absolute_url())


@member_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    try:
        services.participation_leave(membership=request.membership, initiative=initiative)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_detail(request, initiative, status=400)
    messages.success(request, _("You are no longer part of this initiative."))
    return redirect(initiative.get_absolute_url())


@member_required
@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_offer_support(request.membership, initiative))
    form = forms.SupportOfferForm(request.POST, initiative=initiative)
    if form.is_valid():
        try:
            services.support_offer_make(
                membership=request.membership,
                initiative=initiative,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                need=form.cleaned_data["need"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your offer is sent. The initiators decide whether it fits.")
            )
            return redirect(initiative.get_absolute_url())
    _invalid(request)
    return _render_detail(request, initiative, status=400, offer_form=form)


@member_required
@require_POST
def offer_withdraw(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    support_offer = get_object_or_404(SupportOffer, pk=offer_pk, initiative=initiative)
    _require(support_offer.offered_by_id == request.user.pk)
    try:
        services.support_offer_withdraw(membership=request.membership, offer=support_offer)
    except ValidationError as exc:
        # A second click on "Withdraw": the offer is already where it was meant to go.
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your offer is withdrawn."))
    return redirect(initiative.get_absolute_url())


@member_required
@require_POST
def update_post(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_post_update(request.membership, initiative))
    form = forms.UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.update_post(
                membership=request.membership,
                initiative=initiative,
                body=form.cleaned_data["body"],
                photo=form.cleaned_data["photo"] or None,
                photo_description=form.cleaned_data["photo_description"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your update is posted."))
            return redirect(initiative.get_absolute_url())
    _invalid(request)
    return _render_detail(request, initiative, status=400, update_form=form)


@member_required
@require_POST
def learning_post(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_post_learning(request.membership, initiative))
    form = forms.LearningForm(request.POST)
    if form.is_valid():
        try:
            services.learning_post(
                membership=request.membership,
                initiative=initiative,
                what_worked=form.cleaned_data["what_worked"],
                what_did_not=form.cleaned_data["what_did_not"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you for sharing what you learned."))
            return redirect(initiative.get_absolute_url())
    _invalid(request)
    return _render_detail(request, initiative, status=400, learning_form=form)


# --- The initiators' page ---------------------------------------------------------------------


def _render_manage(
    request: HttpRequest, initiative: Initiative, *, status: int = 200, **bound
) -> HttpResponse:
    initiative = selectors.initiative_for_detail(
        neighbourhood=request.neighbourhood, pk=initiative.pk
    )
    on_board = [
        p.user for p in initiative.participations.all() if p.status == ParticipationStatus.ACCEPTED
    ]
    organisations = list(Organisation.objects.filter(neighbourhood_id=initiative.neighbourhood_id))
    need_met_forms = []
    for need in initiative.needs.all():
        if need.is_met:
            continue
        prefix = f"need-{need.pk}"
        form = bound.get(prefix) or forms.NeedMetForm(
            prefix=prefix, people=on_board, organisations=organisations
        )
        need_met_forms.append((need, form))
    context = {
        "nav": "initiatives",
        "initiative": initiative,
        "perms": permissions.permissions_for(request.membership, initiative),
        "initiators": selectors.initiators(initiative),
        "pending_participations": selectors.pending_participations(initiative),
        "pending_offers": selectors.pending_offers(initiative),
        "need_met_forms": need_met_forms,
        "met_needs": [n for n in initiative.needs.all() if n.is_met],
        "status_form": bound.get("status_form") or forms.StatusForm(initiative=initiative),
        "initiator_form": bound.get("initiator_form")
        or forms.AddInitiatorForm(initiative=initiative),
        "need_form": bound.get("need_form") or forms.NeedForm(),
    }
    return render(request, "initiatives/manage.html", context, status=status)


def _manage_url(initiative: Initiative) -> str:
    return reverse("initiatives:manage", args=[initiative.neighbourhood.slug, initiative.pk])


@member_required
@require_GET
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.is_initiator(request.membership, initiative))
    return _render_manage(request, initiative)


@member_required
@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_change_status(request.membership, initiative))
    form = forms.StatusForm(request.POST, initiative=initiative)
    if form.is_valid():
        try:
            changed = services.initiative_set_status(
                membership=request.membership,
                initiative=initiative,
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The status is now “%(status)s”.") % {"status": changed.get_status_display()},
            )
            return redirect(_manage_url(initiative))
    _invalid(request)
    return _render_manage(request, initiative, status=400, status_form=form)


@member_required
@require_POST
def initiator_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_add_initiator(request.membership, initiative))
    form = forms.AddInitiatorForm(request.POST, initiative=initiative)
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.initiator_add(membership=request.membership, initiative=initiative, user=user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now leads this initiative with you.") % {"name": user.display_name},
            )
            return redirect(_manage_url(initiative))
    _invalid(request)
    return _render_manage(request, initiative, status=400, initiator_form=form)


def _decision(request: HttpRequest, initiative: Initiative, decide, accepted: str, declined: str):
    """Shared by the initiators' accept/decline buttons: validate, decide, say what happened."""
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        _invalid(request)
        return _render_manage(request, initiative, status=400)
    try:
        decide(accept=form.accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_manage(request, initiative, status=400)
    messages.success(request, accepted if form.accept else declined)
    return redirect(_manage_url(initiative))


@member_required
@require_POST
def participation_decide(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_decide_participants(request.membership, initiative))
    participation = get_object_or_404(
        Participation.objects.select_related("user"), pk=participation_pk, initiative=initiative
    )
    name = {"name": participation.user.display_name}
    return _decision(
        request,
        initiative,
        partial(
            services.participation_decide,
            membership=request.membership,
            participation=participation,
        ),
        accepted=_("%(name)s is on board.") % name,
        declined=_("You declined the request of %(name)s.") % name,
    )


@member_required
@require_POST
def offer_decide(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_decide_offers(request.membership, initiative))
    support_offer = get_object_or_404(
        SupportOffer.objects.select_related("organisation"), pk=offer_pk, initiative=initiative
    )
    name = {"name": support_offer.organisation.name}
    return _decision(
        request,
        initiative,
        partial(services.support_offer_decide, membership=request.membership, offer=support_offer),
        accepted=_("%(name)s now supports your initiative.") % name,
        declined=_("You declined the offer of %(name)s.") % name,
    )


@member_required
@require_POST
def need_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_add_need(request.membership, initiative))
    form = forms.NeedForm(request.POST)
    if form.is_valid():
        try:
            services.need_add(
                membership=request.membership,
                initiative=initiative,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                talent=form.cleaned_data["talent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The need is added. Neighbours and partners can see it."))
            return redirect(_manage_url(initiative))
    _invalid(request)
    return _render_manage(request, initiative, status=400, need_form=form)


@member_required
@require_POST
def need_met(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    _require(permissions.can_mark_need_met(request.membership, initiative))
    need = get_object_or_404(Need, pk=need_pk, initiative=initiative)
    prefix = f"need-{need.pk}"
    on_board = [
        p.user
        for p in Participation.objects.filter(
            initiative=initiative, status=ParticipationStatus.ACCEPTED
        ).select_related("user")
    ]
    organisations = list(Organisation.objects.filter(neighbourhood_id=initiative.neighbourhood_id))
    form = forms.NeedMetForm(
        request.POST, prefix=prefix, people=on_board, organisations=organisations
    )
    if form.is_valid():
        met_by, met_by_organisation = form.cleaned_data["who"]
        try:
            services.need_mark_met(
                membership=request.membership,
                need=need,
                met_by=met_by,
                met_by_organisation=met_by_organisation,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Marked as met. Thank you to whoever helped!"))
            return redirect(_manage_url(initiative))
    _invalid(request)
    return _render_manage(request, initiative, status=400, **{prefix: form})


# --- Starting an initiative in three short steps ----------------------------------------------


def _start_data(request: HttpRequest) -> dict:
    return request.session.get(START_SESSION_KEY % request.neighbourhood.pk, {})


def _start_save(request: HttpRequest, step: int, post: MultiValueDict) -> None:
    """Keep what was typed in one step, also when it is not valid yet (going back keeps it)."""
    form_class = forms.START_STEPS[step - 1]
    data = _start_data(request)
    data[str(step)] = {name: post.getlist(name) for name in form_class.base_fields}
    request.session[START_SESSION_KEY % request.neighbourhood.pk] = data
    request.session.pop(START_STARTED_KEY % request.neighbourhood.pk, None)


def _start_form(request: HttpRequest, step: int, *, bound: bool) -> BaseForm:
    """The form of a step, filled with what was kept: bound to validate, as initial to show."""
    form_class = forms.START_STEPS[step - 1]
    kept = _start_data(request).get(str(step))
    if bound:
        return form_class(MultiValueDict(kept or {}))
    if not kept:
        return form_class()
    initial = {}
    for name, field in form_class.base_fields.items():
        values = kept.get(name, [])
        if getattr(field.widget, "allow_multiple_selected", False):
            initial[name] = values
        elif values:
            initial[name] = values[0]
    return form_class(initial=initial)


def _start_first_invalid(request: HttpRequest, before: int) -> tuple[int, BaseForm] | None:
    for step in range(1, before):
        form = _start_form(request, step, bound=True)
        if not form.is_valid():
            return step, form
    return None


def _render_start(
    request: HttpRequest, step: int, form: BaseForm, *, status: int = 200
) -> HttpResponse:
    summary = {
        "wish": "",
        "title": "",
        "description": "",
        "themes": [],
        "need_description": "",
        "need_talent": None,
    }
    if step == 3:
        for earlier in (1, 2):
            earlier_form = _start_form(request, earlier, bound=True)
            earlier_form.is_valid()
            summary.update(getattr(earlier_form, "cleaned_data", {}))
    steps = [(1, _("Your wish")), (2, _("Themes and needs")), (3, _("Who can see it"))]
    context = {
        "nav": "initiatives",
        "step": step,
        "steps": steps,
        "step_label": dict(steps)[step],
        "form": form,
        "summary": summary,
    }
    return render(request, "initiatives/start.html", context, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if not permissions.can_start(request.membership):
        raise PermissionDenied(_("Residents start initiatives; partners join in on them."))
    source = request.POST if request.method == "POST" else request.GET
    try:
        step = min(max(int(source.get("step", 1)), 1), len(forms.START_STEPS))
    except (TypeError, ValueError):
        step = 1

    if request.method == "GET":
        missing = _start_first_invalid(request, step)
        if missing is not None:
            step = missing[0]
        return _render_start(request, step, _start_form(request, step, bound=False))

    action = request.POST.get("action", "next")
    if step == len(forms.START_STEPS) and action != "back":
        return _start_confirm(request)
    _start_save(request, step, request.POST)
    if action == "back" and step > 1:
        return redirect(_start_url(request, step - 1))
    form = forms.START_STEPS[step - 1](request.POST)
    if not form.is_valid():
        _invalid(request)
        return _render_start(request, step, form, status=400)
    return redirect(_start_url(request, step + 1))


def _session_reload(request: HttpRequest) -> None:
    """Replace the request's copy of the session with what is stored now."""
    stored = type(request.session)(session_key=request.session.session_key).load()
    request.session.clear()
    request.session.update(stored)


def _start_confirm(request: HttpRequest) -> HttpResponse:
    """The last step starts the initiative once, however often it is sent."""
    neighbourhood = request.neighbourhood
    kept_key = START_SESSION_KEY % neighbourhood.pk
    started_key = START_STARTED_KEY % neighbourhood.pk
    step = len(forms.START_STEPS)
    with transaction.atomic():
        # A double click sends the confirmation twice at once: the second request waits here
        # for the first to finish, then reads the session as the first one left it.
        Membership.objects.select_for_update().get(pk=request.membership.pk)
        _session_reload(request)
        started = request.session.get(started_key)
        if started is not None and kept_key not in request.session:
            messages.info(request, _("Your initiative has already started."))
            return redirect(reverse("initiatives:detail", args=[neighbourhood.slug, started]))
        _start_save(request, step, request.POST)
        form = forms.START_STEPS[step - 1](request.POST)
        if not form.is_valid():
            _invalid(request)
            return _render_start(request, step, form, status=400)
        missing = _start_first_invalid(request, step)
        if missing is not None:
            _invalid(request)
            return _render_start(request, missing[0], missing[1], status=400)
        wish = _start_form(request, 1, bound=True)
        plan = _start_form(request, 2, bound=True)
        wish.is_valid()
        plan.is_valid()
        try:
            initiative = services.initiative_start(
                membership=request.membership,
                title=wish.cleaned_data["title"],
                wish=wish.cleaned_data["wish"],
                description=plan.cleaned_data["description"],
                themes=plan.cleaned_data["themes"],
                visibility=form.cleaned_data["visibility"],
                need_kind=plan.cleaned_data["need_kind"],
                need_description=plan.cleaned_data["need_description"],
                need_talent=plan.cleaned_data["need_talent"],
                language=wish.cleaned_data.get("language", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            _invalid(request)
            return _render_start(request, step, form, status=400)
        request.session.pop(kept_key, None)
        request.session[started_key] = initiative.pk
        # Stored before the lock is released, so a waiting second request finds it.
        request.session.save()
    messages.success(
        request,
        _("Your initiative has started. You keep the lead: invite neighbours to join in!"),
    )
    return redirect(initiative.get_absolute_url())


def _start_url(request: HttpRequest, step: int) -> str:
    return f"{reverse('initiatives:start', args=[request.neighbourhood.slug])}?step={step}"
