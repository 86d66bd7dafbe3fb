"""The form for saying you come (guests, dietary wishes)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models import RsvpStatus


class RsvpForm(forms.Form):
    """Whether I come to one occurrence, with my guests and what we eat."""

    status = forms.ChoiceField(
        label=_("Are you coming?"), choices=RsvpStatus.choices, widget=forms.RadioSelect
    )
    guests = forms.IntegerField(
        label=_("Guests I bring"),
        min_value=0,
        initial=0,
        error_messages={"min_value": _("The number of guests cannot be negative.")},
    )
    halal = forms.BooleanField(label=_("Halal"), required=False)
    vegetarian = forms.BooleanField(label=_("Vegetarian"), required=False)
    vegan = forms.BooleanField(label=_("Vegan"), required=False)
    no_pork = forms.BooleanField(label=_("No pork"), required=False)
    allergies = forms.CharField(
        label=_("Allergies"),
        max_length=200,
        required=False,
        help_text=_("For you and your guests, for example: nuts, gluten."),
    )

    def __init__(self, *args, **kwargs) -> None:
        # Checkboxes read "Halal", not "Halal:", with the box before the word (see app.css).
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
