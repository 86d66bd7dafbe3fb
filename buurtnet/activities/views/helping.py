"""Lending a hand on the occurrence page: tasks, the dishes of a potluck, and how many came.

Every form posts here and comes back to the occurrence page with a message; without JavaScript
that is a redirect. With htmx, the task buttons swap only the tasks section.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from buurtnet.activities import permissions
from buurtnet.activities.forms import helping as helping_forms
from buurtnet.activities.links import occurrence_url
from buurtnet.activities.models import Attendance, AttendancePhoto, Task, TaskKind
from buurtnet.activities.recurrence import Occurrence
from buurtnet.activities.services import helping as services
from buurtnet.activities.views.occurrence import occurrence_or_404, render_occurrence, tasks_context
from buurtnet.core.forms import add_service_errors
from buurtnet.neighbourhoods.access import member_required


def _back(request: HttpRequest, found: Occurrence, anchor: str) -> HttpResponse:
    return redirect(f"{occurrence_url(request.neighbourhood.slug, found)}#{anchor}")


def _refusal(form: forms.Form, exc: ValidationError) -> str:
    """A complaint about a field goes on the form; one about the date or the whole is returned,
    to be shown on its own (the form may not be on the page then)."""
    if hasattr(exc, "error_dict"):
        add_service_errors(form, exc)
        return ""
    return " ".join(exc.messages)


def _deny_unless_organiser(request: HttpRequest, found: Occurrence) -> None:
    if not permissions.can_organise(request.membership, found.activity):
        raise PermissionDenied


def _task(found: Occurrence, task_pk: int) -> Task:
    """A task of this date: its own, or one of every date of the series."""
    task = get_object_or_404(Task, pk=task_pk, activity=found.activity)
    if task.occurrence_start is not None and task.occurrence_start != found.original_start:
        raise Http404
    return task


def _task_name(task: Task) -> str:
    if task.kind == TaskKind.OTHER and task.description:
        return task.description
    return str(task.get_kind_display())


def _tasks_done(request: HttpRequest, found: Occurrence, text: str) -> HttpResponse:
    if request.htmx:
        context = tasks_context(
            request,
            found,
            is_organiser=permissions.can_organise(request.membership, found.activity),
            tasks_notice=text,
        )
        return render(request, "activities/helping/_tasks.html", context)
    messages.success(request, text)
    return _back(request, found, "tasks")


def _tasks_failed(
    request: HttpRequest,
    found: Occurrence,
    *,
    error: str = "",
    task_form: helping_forms.TaskForm | None = None,
    task_edit_form: helping_forms.TaskEditForm | None = None,
    task_edit_pk: int | None = None,
) -> HttpResponse:
    """The tasks section again with what went wrong (status 400), what was typed kept."""
    if request.htmx:
        context = tasks_context(
            request,
            found,
            is_organiser=permissions.can_organise(request.membership, found.activity),
            task_form=task_form,
            task_edit_form=task_edit_form,
            task_edit_pk=task_edit_pk,
            tasks_error=error,
        )
        return render(request, "activities/helping/_tasks.html", context, status=400)
    return render_occurrence(
        request,
        found,
        task_form=task_form,
        task_edit_form=task_edit_form,
        task_edit_pk=task_edit_pk,
        tasks_error=error,
        status=400,
    )


@require_POST
@member_required
def task_add(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    found = occurrence_or_404(request, activity_pk, when)
    _deny_unless_organiser(request, found)
    form = helping_forms.TaskForm(
        request.POST, repeats=bool(found.activity.rrule), prefix="new-task"
    )
    if form.is_valid():
        try:
            services.task_add(
                user=request.user,
                activity=found.activity,
                occurrence_start=found.original_start,
                kind=form.cleaned_data["kind"],
                hands_needed=form.cleaned_data["hands_needed"],
                description=form.cleaned_data["description"],
                every_date=form.every_date,
            )
        except ValidationError as exc:
            return _tasks_failed(request, found, task_form=form, error=_refusal(form, exc))
        return _tasks_done(request, found, _("The task is on the list."))
    return _tasks_failed(request, found, task_form=form)


@require_POST
@member_required
def task_update(request: HttpRequest, activity_pk: int, when: str, task_pk: int) -> HttpResponse:
    found = occurrence_or_404(request, activity_pk, when)
    _deny_unless_organiser(request, found)
    task = _task(found, task_pk)
    form = helping_forms.TaskEditForm(request.POST, prefix=f"task-{task.pk}")
    if form.is_valid():
        try:
            services.task_update(
                user=request.user,
                task=task,
                occurrence_start=found.original_start,
                hands_needed=form.cleaned_data["hands_needed"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            error = _refusal(form, exc)
            return _tasks_failed(
                request, found, task_edit_form=form, task_edit_pk=task.pk, error=error
            )
        return _tasks_done(request, found, _("Saved: %(task)s.") % {"task": _task_name(task)})
    return _tasks_failed(request, found, task_edit_form=form, task_edit_pk=task.pk)


def _task_action(
    request: HttpRequest,
    activity_pk: int,
    when: str,
    task_pk: int,
    *,
    action: Callable[..., object],
    done: str,
    organisers_only: bool = False,
) -> HttpResponse:
    """One button on a task: call the service for this date, then show the tasks again."""
    found = occurrence_or_404(request, activity_pk, when)
    if organisers_only:
        _deny_unless_organiser(request, found)
    task = _task(found, task_pk)
    try:
        action(user=request.user, task=task, occurrence_start=found.original_start)
    except ValidationError as exc:
        return _tasks_failed(request, found, error=" ".join(exc.messages))
    return _tasks_done(request, found, done % {"task": _task_name(task)})


@require_POST
@member_required
def task_remove(request: HttpRequest, activity_pk: int, when: str, task_pk: int) -> HttpResponse:
    return _task_action(
        request,
        activity_pk,
        when,
        task_pk,
        action=services.task_remove,
        done=_("Removed from the list: %(task)s."),
        organisers_only=True,
    )


@require_POST
@member_required
def task_signup(request: HttpRequest, activity_pk: int, when: str, task_pk: int) -> HttpResponse:
    return _task_action(
        request,
        activity_pk,
        when,
        task_pk,
        action=services.task_signup,
        done=_("Thank you! You help with: %(task)s."),
    )


@require_POST
@member_required
def task_withdraw(request: HttpRequest, activity_pk: int, when: str, task_pk: int) -> HttpResponse:
    return _task_action(
        request,
        activity_pk,
        when,
        task_pk,
        action=services.task_withdraw,
        done=_("You no longer help with: %(task)s. Your place is free for someone else."),
    )


@require_POST
@member_required
def dish_set(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    found = occurrence_or_404(request, activity_pk, when)
    if not found.activity.bring_a_dish:
        raise Http404
    form = helping_forms.DishForm(request.POST, prefix="dish")
    if form.is_valid():
        try:
            services.dish_set(
                user=request.user,
                activity=found.activity,
                occurrence_start=found.original_start,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            error = _refusal(form, exc)
            return render_occurrence(request, found, dish_form=form, dish_error=error, status=400)
        messages.success(request, _("Thank you! Your dish is on the list."))
        return _back(request, found, "dishes")
    return render_occurrence(request, found, dish_form=form, status=400)


@require_POST
@member_required
def dish_remove(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    found = occurrence_or_404(request, activity_pk, when)
    if not found.activity.bring_a_dish:
        raise Http404
    try:
        services.dish_remove(
            user=request.user, activity=found.activity, occurrence_start=found.original_start
        )
    except ValidationError as exc:
        return render_occurrence(request, found, dish_error=" ".join(exc.messages), status=400)
    messages.success(request, _("Your dish is off the list."))
    return _back(request, found, "dishes")


@require_POST
@member_required
def attendance_record(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    found = occurrence_or_404(request, activity_pk, when)
    _deny_unless_organiser(request, found)
    form = helping_forms.AttendanceForm(request.POST, prefix="attendance")
    if form.is_valid():
        try:
            attendance = services.attendance_record(
                user=request.user,
                activity=found.activity,
                occurrence_start=found.original_start,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            error = _refusal(form, exc)
            return render_occurrence(
                request, found, attendance_form=form, attendance_error=error, status=400
            )
        else:
            messages.success(
                request,
                ngettext(
                    "Saved: %(count)s person came.",
                    "Saved: %(count)s people came.",
                    attendance.came,
                )
                % {"count": attendance.came},
            )
            return _back(request, found, "how-it-went")
    return render_occurrence(request, found, attendance_form=form, status=400)


@require_POST
@member_required
def attendance_photo_add(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    found = occurrence_or_404(request, activity_pk, when)
    _deny_unless_organiser(request, found)
    attendance = Attendance.objects.filter(
        activity=found.activity, occurrence_start=found.original_start
    ).first()
    if attendance is None:
        return render_occurrence(
            request,
            found,
            attendance_error=_("Write down how many came first; then you can add photos."),
            status=400,
        )
    form = helping_forms.AttendancePhotoForm(request.POST, request.FILES, prefix="photo")
    if form.is_valid():
        try:
            services.attendance_photo_add(
                user=request.user,
                attendance=attendance,
                image=form.cleaned_data["image"],
                alt=form.cleaned_data["alt"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The photo is added."))
            return _back(request, found, "how-it-went")
    return render_occurrence(request, found, photo_form=form, status=400)


@require_POST
@member_required
def attendance_photo_remove(
    request: HttpRequest, activity_pk: int, when: str, photo_pk: int
) -> HttpResponse:
    found = occurrence_or_404(request, activity_pk, when)
    _deny_unless_organiser(request, found)
    photo = get_object_or_404(
        AttendancePhoto,
        pk=photo_pk,
        attendance__activity=found.activity,
        attendance__occurrence_start=found.original_start,
    )
    services.attendance_photo_remove(user=request.user, photo=photo)
    messages.success(request, _("The photo is removed."))
    return _back(request, found, "how-it-went")
