"""The page of one occurrence of an activity, and what members do there (RSVP).

Tasks, dishes and how many came are changed through views_helping; this page shows them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from buurtnet.activities import permissions
from buurtnet.activities.forms import helping as helping_forms
from buurtnet.activities.forms.organise import repeat_in_words
from buurtnet.activities.forms.rsvps import RsvpForm
from buurtnet.activities.links import euros, occurrence_from_key, occurrence_key, occurrence_url
from buurtnet.activities.models import Activity, RsvpStatus
from buurtnet.activities.recurrence import Occurrence
from buurtnet.activities.selectors import helping as helping_selectors
from buurtnet.activities.selectors import rsvps as rsvp_selectors
from buurtnet.activities.services import rsvps as services
from buurtnet.core.forms import add_service_errors
from buurtnet.initiatives.models import Visibility
from buurtnet.neighbourhoods.access import member_required


def occurrence_or_404(request: HttpRequest, activity_pk: int, when: str) -> Occurrence:
    """The occurrence of an activity of the member's own neighbourhood; anything else is 404."""
    activity = get_object_or_404(
        Activity.objects.select_related("neighbourhood", "place", "initiative"),
        pk=activity_pk,
        neighbourhood=request.neighbourhood,
    )
    occurrence = occurrence_from_key(activity, when)
    if occurrence is None:
        raise Http404
    return occurrence


def _task_edit_form(row: helping_selectors.TaskRow) -> helping_forms.TaskEditForm:
    task = row.task
    return helping_forms.TaskEditForm(
        prefix=f"task-{task.pk}",
        initial={"hands_needed": task.hands_needed, "description": task.description},
    )


def tasks_context(
    request: HttpRequest,
    occurrence: Occurrence,
    *,
    is_organiser: bool,
    task_form: helping_forms.TaskForm | None = None,
    task_edit_form: helping_forms.TaskEditForm | None = None,
    task_edit_pk: int | None = None,
    tasks_error: str = "",
    tasks_notice: str = "",
) -> dict:
    """What the tasks section shows: the same for the whole page and for its htmx swap."""
    activity = occurrence.activity
    rows = helping_selectors.tasks_on(activity, occurrence.original_start, request.user)
    is_open = not occurrence.cancelled and occurrence.start > timezone.now()
    if not is_open:
        # Afterwards only who helped matters, not the hands nobody can give any more.
        rows = [row for row in rows if row.helpers]
    if is_organiser:
        for row in rows:
            if task_edit_form is not None and row.task.pk == task_edit_pk:
                row.edit_form = task_edit_form
            else:
                row.edit_form = _task_edit_form(row)
    return {
        "activity": activity,
        "occurrence": occurrence,
        "neighbourhood": request.neighbourhood,
        "key": occurrence_key(occurrence),
        "is_organiser": is_organiser,
        "tasks": rows,
        "tasks_open": is_open,
        "can_help": is_open and permissions.can_rsvp(request.membership, activity),
        "still_needed": helping_selectors.still_needed(rows) if is_organiser and is_open else [],
        "task_form": task_form
        or helping_forms.TaskForm(repeats=bool(activity.rrule), prefix="new-task"),
        "tasks_error": tasks_error,
        "tasks_notice": tasks_notice,
    }


def render_occurrence(
    request: HttpRequest,
    occurrence: Occurrence,
    *,
    form: RsvpForm | None = None,
    error: str = "",
    status: int = 200,
    task_form: helping_forms.TaskForm | None = None,
    task_edit_form: helping_forms.TaskEditForm | None = None,
    task_edit_pk: int | None = None,
    tasks_error: str = "",
    dish_form: helping_forms.DishForm | None = None,
    dish_error: str = "",
    attendance_form: helping_forms.AttendanceForm | None = None,
    photo_form: helping_forms.AttendancePhotoForm | None = None,
    attendance_error: str = "",
) -> HttpResponse:
    """The occurrence page; a form given here (bound, with its errors) replaces the fresh one."""
    activity = occurrence.activity
    start = occurrence.original_start
    membership = request.membership
    my_rsvp = rsvp_selectors.rsvp_of(request.user, activity, start)
    if form is None:
        initial = {"status": RsvpStatus.GOING, "guests": 0}
        if my_rsvp is not None:
            initial = {
                field: getattr(my_rsvp, field)
                for field in ("status", "guests", "halal", "vegetarian", "vegan", "no_pork")
            } | {"allergies": my_rsvp.allergies}
        form = RsvpForm(initial=initial)
    is_organiser = permissions.can_organise(membership, activity)
    initiative = activity.initiative
    in_public_feed = activity.is_public and (
        initiative is None or initiative.visibility == Visibility.PUBLIC
    )
    is_past = occurrence.start <= timezone.now()
    going = rsvp_selectors.seats_going(activity, start)
    people = rsvp_selectors.attendees(activity, start) if is_organiser else None
    helping = tasks_context(
        request,
        occurrence,
        is_organiser=is_organiser,
        task_form=task_form,
        task_edit_form=task_edit_form,
        task_edit_pk=task_edit_pk,
        tasks_error=tasks_error,
    )
    helpers = helping_selectors.helpers_of(helping["tasks"]) if is_organiser else []
    if people is not None:
        answered = {rsvp.user_id for rsvp in people["going"] + people["waiting"]}
        for helper in helpers:
            helper.is_going = helper.user.pk in answered

    dishes: list = []
    my_dish = None
    if activity.bring_a_dish:
        dishes = helping_selectors.dishes_on(activity, start)
        my_dish = next((dish for dish in dishes if dish.user_id == request.user.pk), None)
        if dish_form is None:
            initial = {}
            if my_dish is not None:
                initial = {
                    name: getattr(my_dish, name)
                    for name in ("dish", "halal", "vegetarian", "vegan")
                }
            dish_form = helping_forms.DishForm(initial=initial, prefix="dish")
    sees_dishes = (
        is_organiser
        or my_dish is not None
        or (my_rsvp is not None and my_rsvp.status == RsvpStatus.GOING)
    )

    attendance = helping_selectors.attendance_of(activity, start) if is_past else None
    if is_organiser and is_past and not occurrence.cancelled:
        if attendance_form is None:
            initial = (
                {"came": attendance.came, "note": attendance.note}
                if attendance is not None
                else {"came": going}
            )
            attendance_form = helping_forms.AttendanceForm(initial=initial, prefix="attendance")
        if photo_form is None and attendance is not None:
            photo_form = helping_forms.AttendancePhotoForm(prefix="photo")

    return render(
        request,
        "activities/occurrence.html",
        helping
        | {
            "nav": "agenda",
            "languages": list(activity.languages.all()),
            "cost": euros(activity.cost_cents),
            "tz": activity.neighbourhood.timezone,
            "going": going,
            "my_rsvp": my_rsvp,
            "waiting_position": rsvp_selectors.waiting_position(my_rsvp) if my_rsvp else None,
            "form": form,
            "error": error,
            "is_past": is_past,
            "repeats": repeat_in_words(activity),
            "summary": rsvp_selectors.dietary_summary(activity, start) if is_organiser else None,
            "people": people,
            "helpers": helpers,
            "helpers_not_going": sum(1 for helper in helpers if not helper.is_going),
            "in_public_feed": in_public_feed,
            "dishes": dishes,
            "dish_counts": helping_selectors.dish_counts(dishes),
            "my_dish": my_dish,
            "sees_dishes": sees_dishes,
            "dish_form": dish_form,
            "dish_error": dish_error,
            "attendance": attendance,
            "attendance_form": attendance_form,
            "photo_form": photo_form,
            "attendance_error": attendance_error,
        },
        status=status,
    )


@require_safe
@member_required
def occurrence(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    return render_occurrence(request, occurrence_or_404(request, activity_pk, when))


@require_POST
@member_required
def rsvp(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    found = occurrence_or_404(request, activity_pk, when)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        return render_occurrence(request, found, form=form, status=400)
    try:
        answer = services.rsvp_set(
            user=request.user,
            activity=found.activity,
            occurrence_start=found.original_start,
            **form.cleaned_data,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render_occurrence(request, found, form=form, status=400)
    if answer.waitlisted:
        text = _("You're on the waiting list (number %(position)s).") % {
            "position": rsvp_selectors.waiting_position(answer)
        }
    elif answer.status == RsvpStatus.GOING:
        text = _("You're going.")
    elif answer.status == RsvpStatus.MAYBE:
        text = _("You answered maybe.")
    else:
        text = _("You're not going.")
    messages.success(request, text)
    return redirect(occurrence_url(request.neighbourhood.slug, found))


@require_POST
@member_required
def rsvp_cancel(request: HttpRequest, activity_pk: int, when: str) -> HttpResponse:
    found = occurrence_or_404(request, activity_pk, when)
    try:
        services.rsvp_cancel(
            user=request.user, activity=found.activity, occurrence_start=found.original_start
        )
    except ValidationError as exc:
        return render_occurrence(request, found, error=" ".join(exc.messages), status=400)
    messages.success(request, _("You're no longer going; your place goes to the next in line."))
    return redirect(occurrence_url(request.neighbourhood.slug, found))
