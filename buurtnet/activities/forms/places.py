"""Forms for a place's details, photos, keepers and keys."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models import Place
from buurtnet.activities.services.places import MAX_PLACE_CAPACITY, capacity_message
from buurtnet.core.images import CleanImageFormField
from buurtnet.initiatives.services import PHOTO_MAX_BYTES
from buurtnet.neighbourhoods import names
from buurtnet.neighbourhoods.models import Membership

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
