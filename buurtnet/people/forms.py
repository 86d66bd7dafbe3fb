import re

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from buurtnet.core.images import CleanImageFormField
from buurtnet.people.models import Language, Talent, User
from buurtnet.people.services import (
    HELPING_FIELDS,
    PRIVACY_FIELDS,
    photo_format_check,
    photo_size_check,
)
from buurtnet.people.tasks import send_password_reset_email


class EmailAuthenticationForm(auth_forms.AuthenticationForm):
    """Log in with email address and password."""

    username = auth_forms.UsernameField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email address and password do not match. Please check both and try again."
        ),
    }

    def clean_username(self) -> str:
        # Addresses are stored in lower case; people type them however they like.
        return (self.cleaned_data.get("username") or "").strip().lower()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Has the worker send the reset link, in the language the recipient chose."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def save(self, **kwargs) -> None:
        # Every address is queued, known or not, and only the worker looks it up: the request
        # does the same work and answers as quickly whether or not the address has an account.
        # The worker makes the link, so no token ever sits in the queue.
        send_password_reset_email.enqueue(email=self.cleaned_data["email"].strip().lower())


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes laid out in columns (the .checkbox-list class sits on the group, not each box)."""

    def __init__(self, attrs: dict | None = None, choices=()) -> None:
        super().__init__({"class": "checkbox-list", **(attrs or {})}, choices)

    def create_option(self, *args, **kwargs) -> dict:
        option = super().create_option(*args, **kwargs)
        option["attrs"].pop("class", None)
        return option


class PhotoField(CleanImageFormField):
    """An image upload that checks the size first, then that it really is a usable photo.

    Its value is the photo as it is stored: upright, scaled down, without metadata.
    """

    default_error_messages = {
        "invalid_image": _(
            "This file is not a photo we can use. Please choose a JPEG, PNG, WebP or GIF image."
        ),
        "image_format": _(
            "This file is not a photo we can use. Please choose a JPEG, PNG, WebP or GIF image."
        ),
    }

    def to_python(self, data):
        if data not in self.empty_values:
            photo_size_check(data)
        return super().to_python(data)

    def validate(self, value) -> None:
        super().validate(value)
        if value not in self.empty_values:
            photo_format_check(value)


class LanguageChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Language) -> str:
        name = obj.name
        if obj.native_name and obj.native_name != name:
            return format_html('{} <span lang="{}">({})</span>', name, obj.code, obj.native_name)
        return name


class TalentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Talent) -> str:
        return obj.label

    def _check_values(self, value):
        # A number too large for the database column must fail as a wrong choice, not a crash.
        for pk in value if isinstance(value, list | tuple) else ():
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def site_language_choices() -> list[tuple[str, str]]:
    """Each language by its own name, so everyone finds theirs whatever the page's language."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class ProfileForm(forms.ModelForm):
    """What a person tells about themselves and who may see it. Saved by profile_update."""

    photo = PhotoField(
        label=_("New photo"),
        required=False,
        help_text=_("A JPEG, PNG, WebP or GIF image of at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    languages = LanguageChoiceField(
        queryset=Language.objects.all(),
        required=False,
        label=_("Languages I speak"),
        widget=CheckboxList,
    )
    talents = TalentChoiceField(
        queryset=Talent.objects.all(),
        required=False,
        label=_("My talents"),
        help_text=_("Tick what you can do and like doing. Neighbours may ask you to join in."),
        widget=CheckboxList,
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of Buurtnet's pages and emails"),
        choices=site_language_choices,
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "languages",
            "talents",
            "talents_other",
            "passions",
            "preferred_language",
            *PRIVACY_FIELDS,
            *HELPING_FIELDS,
        ]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "passions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Sorted by the name the reader sees, which depends on the language of the page.
        for name in ("languages", "talents"):
            field = self.fields[name]
            field.choices = sorted(field.choices, key=lambda choice: str(choice[1]).casefold())

    @property
    def privacy_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PRIVACY_FIELDS]

    @property
    def availability_fields(self) -> list[forms.BoundField]:
        """When the person usually can help (open_to_asks is shown on its own, above these)."""
        return [self[name] for name in HELPING_FIELDS if name != "open_to_asks"]

    def profile_changes(self) -> dict:
        """The cleaned data shaped as profile_update's keyword arguments."""
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "preferred_language": data["preferred_language"],
            "languages": data["languages"],
            "talents": data["talents"],
            "talents_other": data["talents_other"],
            "passions": data["passions"],
            "privacy": {name: data[name] for name in PRIVACY_FIELDS},
            "helping": {name: data[name] for name in HELPING_FIELDS},
            "photo": data["photo"] or None,
            "remove_photo": data["remove_photo"],
        }
