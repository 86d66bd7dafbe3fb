"""Neighbours translate for neighbours; optionally a machine translates on request."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtnet.core.forms import add_service_errors
from buurtnet.core.http import safe_next
from buurtnet.core.ratelimit import RateLimit
from buurtnet.neighbourhoods.access import member_required
from buurtnet.translations import machine, registry, selectors, services
from buurtnet.translations.forms import TranslationForm
from buurtnet.translations.models import Translation

# Each machine translation may cost the LibreTranslate server a second of work.
MACHINE_PER_MEMBER = RateLimit("machine-translation", limit=60, window=60 * 60)


def _readable(request: HttpRequest, kind: str, pk: int, field: str):
    entry, obj = registry.find(kind, pk, field, neighbourhood_id=request.neighbourhood.pk)
    if not entry.can_read(request.membership, obj):
        raise Http404
    return entry, obj


@member_required
@require_http_methods(["GET", "POST"])
def translate(request: HttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    entry, obj = _readable(request, kind, pk, field)
    back = safe_next(request, request.POST.get("next") or request.GET.get("next")) or entry.url(obj)
    source = getattr(obj, "language", "")
    spoken = selectors.languages_spoken(request.user)
    targets = selectors.target_languages(spoken=spoken, source=source)
    wanted = request.GET.get("to") if request.GET.get("to") in targets else None
    form = TranslationForm(
        request.POST if request.method == "POST" else None,
        languages=targets,
        initial={"language": wanted},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.translation_add(
                    membership=request.membership,
                    entry=entry,
                    obj=obj,
                    field=field,
                    language=form.cleaned_data["language"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Thank you! Your translation is shown to neighbours."))
                return redirect(back)
        status = 400
    translations = selectors.translations_of(obj, field)
    rows = [(row, services.can_remove(request.membership, entry, obj, row)) for row in translations]
    context = {
        "neighbourhood": request.neighbourhood,
        "membership": request.membership,
        "entry": entry,
        "obj": obj,
        "field": field,
        "original": getattr(obj, field) or "",
        "source": source,
        "source_name": selectors.language_name(source) if source else "",
        "speaks_source": source in spoken,
        "targets": targets,
        "form": form,
        "rows": rows,
        "back": back,
    }
    return render(request, "translations/translate.html", context, status=status)


@member_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    translation = get_object_or_404(
        Translation.objects.select_related("content_type"),
        pk=pk,
        neighbourhood=request.neighbourhood,
    )
    model = translation.content_type.model_class()
    entry = registry.entry_for_kind_of_model(model)
    obj = entry.model.objects.select_related(*entry.select_related).get(pk=translation.object_id)
    if not entry.can_read(request.membership, obj):
        raise Http404
    services.translation_remove(
        membership=request.membership, entry=entry, obj=obj, translation=translation
    )
    messages.success(request, _("The translation has been removed."))
    back = reverse(
        "translations:translate",
        args=[request.neighbourhood.slug, entry.kind, obj.pk, translation.field],
    )
    return redirect(safe_next(request, request.POST.get("next")) or back)


@member_required
@require_GET
def machine_translation(request: HttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    if not machine.enabled():
        raise Http404
    entry, obj = _readable(request, kind, pk, field)
    target = get_language()
    source = getattr(obj, "language", "")
    original = getattr(obj, field) or ""
    context = {
        "neighbourhood": request.neighbourhood,
        "membership": request.membership,
        "entry": entry,
        "obj": obj,
        "field": field,
        "original": original,
        "source": source,
        "source_name": selectors.language_name(source) if source else "",
        "target": target,
        "back": entry.url(obj),
    }
    status = 200
    if source == target or not original.strip():
        context["translated"] = original
    elif not MACHINE_PER_MEMBER.hit(str(request.user.pk)):
        context["problem"] = _(
            "That was a lot of translations in a short time. Please try again in an hour."
        )
        status = 429
    else:
        try:
            context["translated"] = machine.translate(original, source=source, target=target)
        except machine.MachineTranslationError:
            context["problem"] = _(
                "Machine translation is not available for this text right "
                "now. A neighbour may translate it."
            )
            status = 503
    if request.htmx:  # htmx swaps only 2xx answers: the fragment says what went wrong itself
        response = render(request, "translations/_machine.html", context)
    else:
        response = render(request, "translations/machine.html", context, status=status)
    response["Cache-Control"] = "private, max-age=3600"
    return response
