"""Forms for a place's details, opening hours, photos, keepers and keys."""

import re
from datetime import time

from django import forms
from django.db.models import QuerySet
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models import Place
from buurtnet.activities.models.places import PlaceOpening
from buurtnet.activities.services.places import MAX_PLACE_CAPACITY, capacity_message
from buurtnet.core.images import CleanImageFormField
from buurtnet.initiatives.services import PHOTO_MAX_BYTES
from buurtnet.neighbourhoods import names
from buurtnet.neighbourhoods.models import Membership

PLACE_FIELDS = ["name", "address", "capacity", "accessibility", "opening_hours", "house_rules"]
HOURS_FIELDS = [f"hours_{weekday}" for weekday in range(7)]

# "9", "9:00", "09.30", "9u30": an hour and maybe its minutes.
_TIME = r"(\d{1,2})(?:[:.u](\d{2}))?"
_PERIOD = re.compile(rf"^{_TIME}\s*(?:-|–|—|to|tot)\s*{_TIME}$", re.IGNORECASE)


def _hours_error() -> forms.ValidationError:
    return forms.ValidationError(
        _(
            "Write the hours as 09:00–17:00, and two stretches as 09:00–12:00, 14:00–17:00. "
            "Leave it empty when the place is closed that day."
        ),
        code="hours",
    )


def parse_hours(text: str) -> list[tuple[time, time]]:
    """ "09:00–12:00, 14:00–17:00" as [(09:00, 12:00), (14:00, 17:00)]; [] for an empty day.

    A stretch ends the same day after it begins; stretches of one day do not overlap."""
    periods = []
    for part in re.split(r"[,;&]|\ben\b|\band\b", text or ""):
        part = part.strip()
        if not part:
            continue
        found = _PERIOD.match(part)
        if found is None:
            raise _hours_error()
        hours, minutes = found.group(1, 3), found.group(2, 4)
        if any(int(h) > 23 for h in hours) or any(m and int(m) > 59 for m in minutes):
            if (hours[1], minutes[1]) in (("24", None), ("24", "00")):
                raise forms.ValidationError(
                    _("The place closes by midnight: write 23:59."), code="hours_midnight"
                )
            raise _hours_error()
        opens = time(int(hours[0]), int(minutes[0] or 0))
        closes = time(int(hours[1]), int(minutes[1] or 0))
        if closes <= opens:
            raise forms.ValidationError(
                _("A stretch closes after it opens, on the same day: %(opens)s–%(closes)s.")
                % {"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"},
                code="hours_order",
            )
        periods.append((opens, closes))
    periods.sort()
    for (_o, earlier_close), (later_open, _c) in zip(periods, periods[1:], strict=False):
        if later_open < earlier_close:
            raise forms.ValidationError(
                _("Two stretches of the same day overlap."), code="hours_overlap"
            )
    return periods


def hours_text(periods: list[tuple[time, time]]) -> str:
    return ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in periods)


def hours_initial(openings: list[PlaceOpening]) -> dict[str, str]:
    """The hours fields as the place has them."""
    return {
        f"hours_{weekday}": hours_text(
            [(o.opens, o.closes) for o in openings if o.weekday == weekday]
        )
        for weekday in range(7)
    }


class PlaceForm(forms.Form):
    """What people need to know about a place; the fields are the model's own, and the opening
    hours per weekday, from which free times are suggested to people who book."""

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
        self.fields["opening_hours"].label = _("About the opening hours")
        self.fields["opening_hours"].help_text = _(
            "Anything the hours per day below do not say. For example: on Sunday by "
            "arrangement with one of the key holders."
        )
        for weekday in range(7):
            self.fields[f"hours_{weekday}"] = forms.CharField(
                label=WEEKDAYS[weekday],
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"placeholder": "09:00–17:00"}),
            )

    def details_fields(self) -> list:
        return [self[name] for name in PLACE_FIELDS]

    def hours_fields(self) -> list:
        return [self[name] for name in HOURS_FIELDS]

    def clean(self) -> dict:
        data = super().clean()
        openings = []
        for weekday in range(7):
            name = f"hours_{weekday}"
            if name in self.errors:
                continue
            try:
                periods = parse_hours(data.get(name, ""))
            except forms.ValidationError as exc:
                self.add_error(name, exc)
                continue
            openings += [(weekday, opens, closes) for opens, closes in periods]
        data["openings"] = openings
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in PLACE_FIELDS} | {"openings": data["openings"]}

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
