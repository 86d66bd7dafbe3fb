from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models import Activity, Audience, Place, RsvpStatus
from buurtnet.activities.services_places import MAX_PLACE_CAPACITY, capacity_message
from buurtnet.core.images import CleanImageFormField
from buurtnet.initiatives.models import Initiative
from buurtnet.initiatives.services import PHOTO_MAX_BYTES
from buurtnet.neighbourhoods import names
from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import Language


class AgendaFilterForm(forms.Form):
    """The agenda's filters; every one optional, sent by GET so they work without JavaScript."""

    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False, empty_label=_("All")
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    language = forms.ModelChoiceField(
        label=_("Language"),
        queryset=Language.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    audience = forms.ChoiceField(
        label=_("For whom"),
        choices=[("", _("All")), *Audience.choices],
        required=False,
    )

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(neighbourhood=neighbourhood)
        self.fields["initiative"].queryset = Initiative.objects.filter(
            neighbourhood=neighbourhood, activities__isnull=False
        ).distinct()
        spoken = Activity.languages.through.objects.filter(
            activity__neighbourhood=neighbourhood
        ).values("language_id")
        self.fields["language"].queryset = Language.objects.filter(pk__in=spoken)


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


PLACE_FIELDS = ["name", "address", "capacity", "accessibility", "opening_hours", "house_rules"]


class PlaceForm(forms.Form):
    """What people need to know about a place; the fields are the model's own."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Place,
                fields=PLACE_FIELDS,
                widgets={
                    "accessibility": forms.Textarea(attrs={"rows": 3}),
                    "opening_hours": forms.Textarea(attrs={"rows": 3}),
                    "house_rules": forms.Textarea(attrs={"rows": 5}),
                },
            )
        )
        capacity = self.fields["capacity"]
        capacity.validators = []
        capacity.widget.attrs.update(min=1, max=MAX_PLACE_CAPACITY)

    def clean_capacity(self) -> int | None:
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and not 1 <= capacity <= MAX_PLACE_CAPACITY:
            raise forms.ValidationError(capacity_message())
        return capacity


class PlacePhotoForm(forms.Form):
    image = CleanImageFormField(
        label=_("Photo"),
        help_text=_("JPEG, PNG, GIF or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
        error_messages={
            "invalid_image": _("This file is not a photo we can show."),
            "required": _("Choose a photo to upload."),
        },
    )
    alt = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        help_text=_("A short description for people who cannot see the photo."),
        error_messages={
            "required": _("Describe what the photo shows, for people who cannot see it.")
        },
    )

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image is not None and image.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is too large: at most 5 MB, please."))
        return image


class KeeperForm(forms.Form):
    """A host picks a resident to keep the place."""

    keeper = forms.ModelChoiceField(
        label=_("Resident"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a resident"),
        error_messages={
            "required": _("Choose a resident from the list."),
            "invalid_choice": _("Choose a resident from the list."),
        },
    )

    def __init__(self, *args, candidates: QuerySet[Membership], **kwargs) -> None:
        # Candidates come from selectors that load them through names.with_shown_flat.
        super().__init__(*args, **kwargs)
        field = self.fields["keeper"]
        field.queryset = candidates
        field.label_from_instance = names.membership_label


class KeyForm(forms.Form):
    """A keeper writes down who got a key."""

    holder = forms.ModelChoiceField(
        label=_("Who has the key"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a member"),
        error_messages={
            "required": _("Choose a member from the list."),
            "invalid_choice": _("Choose a member from the list."),
        },
    )
    note = forms.CharField(
        label=_("Which key"),
        max_length=120,
        required=False,
        help_text=_("For example: front door and kitchen cupboard."),
    )

    def __init__(self, *args, candidates: QuerySet[Membership], **kwargs) -> None:
        # Candidates come from selectors that load them through names.with_shown_flat.
        super().__init__(*args, **kwargs)
        field = self.fields["holder"]
        field.queryset = candidates
        field.label_from_instance = names.membership_label
