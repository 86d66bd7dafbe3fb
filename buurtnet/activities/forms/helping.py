"""Forms of the occurrence page for tasks, dishes and how many came."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models import MAX_ATTENDANCE, MAX_HANDS, TaskKind
from buurtnet.people.forms import PhotoField

EVERY_DATE = "every"
THIS_DATE = "this"


def _hands_between() -> str:
    return gettext("Ask for between 1 and %(max)s hands.") % {"max": MAX_HANDS}


def _came_between() -> str:
    return gettext("Give a number between 0 and %(max)s.") % {"max": MAX_ATTENDANCE}


# Translated when shown, in the reader's language.
HANDS_BETWEEN = lazy(_hands_between, str)()
CAME_BETWEEN = lazy(_came_between, str)()

_HANDS_MESSAGES = {
    "min_value": HANDS_BETWEEN,
    "max_value": HANDS_BETWEEN,
    "invalid": _("Give a whole number."),
    "required": _("Say how many hands are needed."),
}


def _hands_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Hands needed"),
        min_value=1,
        max_value=MAX_HANDS,
        initial=1,
        error_messages=_HANDS_MESSAGES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _description_field() -> forms.CharField:
    return forms.CharField(
        label=_("What exactly"),
        max_length=200,
        required=False,
        help_text=_("For example: buy rice and vegetables for 40 people."),
    )


class TaskForm(forms.Form):
    """The organisers ask for hands with a task."""

    kind = forms.ChoiceField(label=_("Task"), choices=TaskKind.choices)
    description = _description_field()
    hands_needed = _hands_field()
    applies_to = forms.ChoiceField(
        label=_("For which dates"),
        choices=[(EVERY_DATE, _("Every date of the series")), (THIS_DATE, _("Only this date"))],
        initial=EVERY_DATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, repeats: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not repeats:
            del self.fields["applies_to"]

    @property
    def every_date(self) -> bool:
        return self.cleaned_data.get("applies_to") == EVERY_DATE


class TaskEditForm(forms.Form):
    """The organisers change the hands a task needs, or what it is about."""

    hands_needed = _hands_field()
    description = _description_field()


class DishForm(forms.Form):
    """Which dish I bring to a potluck."""

    dish = forms.CharField(
        label=_("The dish I bring"),
        max_length=120,
        help_text=_("For example: rice with lentils, a salad, baklava."),
        error_messages={"required": _("Say which dish you bring.")},
    )
    halal = forms.BooleanField(label=_("Halal"), required=False)
    vegetarian = forms.BooleanField(label=_("Vegetarian"), required=False)
    vegan = forms.BooleanField(label=_("Vegan"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        # Checkboxes read "Halal", not "Halal:", with the box before the word (see app.css).
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AttendanceForm(forms.Form):
    """How many came, walk-ins included, and a line about how it went."""

    came = forms.IntegerField(
        label=_("How many came"),
        min_value=0,
        max_value=MAX_ATTENDANCE,
        help_text=_("Everyone who came, also people without an account."),
        error_messages={
            "min_value": CAME_BETWEEN,
            "max_value": CAME_BETWEEN,
            "invalid": _("Give a whole number."),
            "required": _("Say how many came."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("One line about how it went"),
        max_length=200,
        required=False,
        help_text=_("For example: a full room, and the soup ran out."),
    )


class AttendancePhotoForm(forms.Form):
    """A photo of how it went, with what it shows."""

    image = PhotoField(
        label=_("Photo"),
        help_text=_("JPEG, PNG, GIF or WebP, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    alt = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        help_text=_("A short description for people who cannot see the photo."),
        error_messages={
            "required": _("Describe what the photo shows, for people who cannot see it.")
        },
    )
