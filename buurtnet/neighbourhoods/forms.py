import re

from django import forms
from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from buurtnet.neighbourhoods.models import Building, Neighbourhood
from buurtnet.neighbourhoods.selectors import InviteStatus
from buurtnet.neighbourhoods.services import MAX_HOMES_PER_BUILDING, MAX_USES_LIMIT
from buurtnet.neighbourhoods.slips import MAX_SLIP_LANGUAGES, slip_languages
from buurtnet.people.forms import CheckboxList, site_language_choices
from buurtnet.people.models import Language, Talent


def _flat_field(neighbourhood: Neighbourhood, *, label, help_text="") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Building.objects.filter(neighbourhood=neighbourhood),
        required=False,
        label=label,
        help_text=help_text,
        empty_label=_("I'd rather not say"),
    )


class AccountFieldsMixin(forms.Form):
    """What a new account needs, and nothing more. The password is chosen later, on the page of
    the emailed link: only whoever holds the mailbox may choose it."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=60,
        help_text=_("The name neighbours will see. A first name is fine."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_(
            "To log in. We first send a link to this address; there you choose your password. "
            "Neighbours do not see it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for pages and emails"), choices=site_language_choices
    )


ACCOUNT_FIELDS = ("display_name", "email", "preferred_language")


class SignupPasswordForm(forms.Form):
    """The password of a new account, on the page of the link from the sign-up email."""

    # The link's token travels in the form, not in the address the form posts to: Django logs
    # the address of every refused request.
    token = forms.CharField(widget=forms.HiddenInput)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits and not a common password."),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        password = cleaned.get("password")
        confirm = cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords are not the same."))
        return cleaned


class SignupForm(AccountFieldsMixin):
    """Joining with the code from the letter. A signed-in person only needs the code."""

    code = forms.CharField(
        label=_("Invite code"),
        max_length=40,
        help_text=_("The code from the letter in your letterbox, for example ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    field_order = ["code", *ACCOUNT_FIELDS]

    def __init__(self, *args, signed_in: bool = False, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("preferred_language", get_language())
        super().__init__(*args, **kwargs)
        if signed_in:
            for name in ACCOUNT_FIELDS:
                del self.fields[name]


class AskToJoinForm(AccountFieldsMixin):
    """Asking the hosts to let you in when you have no code."""

    building = forms.ModelChoiceField(queryset=Building.objects.none(), required=False)
    message = forms.CharField(
        label=_("A few words for the host"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example how you heard of us. Please do not write your house number."),
    )

    field_order = [*ACCOUNT_FIELDS, "building", "message"]

    def __init__(self, *args, neighbourhood: Neighbourhood, signed_in: bool = False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("preferred_language", get_language())
        super().__init__(*args, **kwargs)
        self.fields["building"] = _flat_field(
            neighbourhood,
            label=_("Your flat"),
            help_text=_("Optional. Neighbours see the flat only if you want; never your door."),
        )
        if signed_in:
            for name in ACCOUNT_FIELDS:
                del self.fields[name]


class SearchInput(forms.TextInput):
    input_type = "search"


class DirectoryFilterForm(forms.Form):
    """Find neighbours by name, talent, language or flat. Every field is optional."""

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=60,
        widget=SearchInput(attrs={"autocomplete": "off"}),
    )
    talent = forms.ModelChoiceField(
        queryset=Talent.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Talent"),
        empty_label=_("Any talent"),
    )
    language = forms.ModelChoiceField(
        queryset=Language.objects.all(),
        required=False,
        label=_("Speaks"),
        empty_label=_("Any language"),
    )
    building = forms.ModelChoiceField(
        queryset=Building.objects.none(),
        required=False,
        label=_("Flat"),
        empty_label=_("Any flat"),
    )

    def __init__(self, *args, choices: dict[str, list], neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(neighbourhood=neighbourhood)
        # The choices are fetched once (see selectors.directory_choices) and sorted by the
        # reader's language; validation still checks against the querysets.
        self.fields["talent"].choices = [("", _("Any talent"))] + [
            (t.slug, t.label) for t in choices["talents"]
        ]
        self.fields["language"].choices = [("", _("Any language"))] + [
            (lang.code, lang.name) for lang in choices["languages"]
        ]
        self.fields["building"].choices = [("", _("Any flat"))] + [
            (b.pk, b.name) for b in choices["buildings"]
        ]

    def filters(self) -> dict:
        """The filters that are valid; an invalid one is left out (and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "talent": data.get("talent"),
            "language": data.get("language"),
            "building": data.get("building"),
        }


def parse_house_numbers(raw: str) -> list[str]:
    """`1, 2, 5-8 12A` becomes ["1", "2", "5", "6", "7", "8", "12A"]."""
    numbers: list[str] = []
    for token in re.split(r"[,;\s]+", raw.strip()):
        if not token:
            continue
        span = re.fullmatch(r"(\d{1,6})-(\d{1,6})", token)
        if span:
            first, last = int(span.group(1)), int(span.group(2))
            if first > last or last - first >= MAX_HOMES_PER_BUILDING:
                raise forms.ValidationError(
                    _("%(range)s is not a range of house numbers we can use.") % {"range": token},
                    code="range",
                )
            numbers += [str(n) for n in range(first, last + 1)]
        elif len(token) > 20:
            raise forms.ValidationError(
                _("%(number)s is too long for a house number.") % {"number": token[:25]},
                code="too_long",
            )
        else:
            numbers.append(token)
        if len(numbers) > MAX_HOMES_PER_BUILDING:
            raise forms.ValidationError(
                _("Please choose at most %(max)s homes at a time.")
                % {"max": MAX_HOMES_PER_BUILDING},
                code="too_many",
            )
    return numbers


class InviteIssueForm(forms.Form):
    building = forms.ModelChoiceField(queryset=Building.objects.none(), label=_("Flat"))
    numbers = forms.CharField(
        label=_("House numbers (optional)"),
        required=False,
        max_length=2000,
        help_text=_(
            "Leave empty for every home of the flat that has no code yet. Or list numbers, "
            "for example 1, 2, 10-14: each gets a new code that replaces its old one."
        ),
    )
    max_uses = forms.IntegerField(
        label=_("People per household who may use the code"),
        min_value=1,
        max_value=MAX_USES_LIMIT,
        initial=4,
    )

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs) -> None:
        kwargs.setdefault("auto_id", "issue_%s")
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(neighbourhood=neighbourhood)
        self.fields["building"].empty_label = _("Choose a flat")

    def clean_numbers(self) -> list[str] | None:
        raw = self.cleaned_data.get("numbers") or ""
        return parse_house_numbers(raw) or None


class InviteFilterForm(forms.Form):
    building = forms.ModelChoiceField(
        queryset=Building.objects.none(),
        required=False,
        label=_("Flat"),
        empty_label=_("All flats"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        initial=InviteStatus.ACTIVE,
        choices=[
            (InviteStatus.ACTIVE, _("Not revoked")),
            (InviteStatus.UNUSED, _("Not used yet")),
            (InviteStatus.USED_UP, _("Used up")),
            (InviteStatus.REVOKED, _("Revoked")),
            (InviteStatus.ALL, _("All codes")),
        ],
    )

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs) -> None:
        kwargs.setdefault("auto_id", "codes_%s")
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(neighbourhood=neighbourhood)

    def filters(self) -> dict:
        if not self.is_bound:
            return {"building": None, "status": InviteStatus.ACTIVE}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "building": data.get("building"),
            "status": data.get("status") or InviteStatus.ACTIVE,
        }


class SlipLanguagesForm(forms.Form):
    """The languages of a print run of slips, besides Dutch, which every slip speaks."""

    languages = forms.MultipleChoiceField(
        label=_("Languages on the slips"),
        required=False,
        choices=settings.LANGUAGES,
        widget=CheckboxList,
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "slips_%s")
        kwargs.setdefault("initial", {"languages": [settings.LANGUAGE_CODE]})
        super().__init__(*args, **kwargs)
        self.fields["languages"].help_text = (
            _(
                "The slips always speak %(language)s. A slip has room for %(max)s languages, "
                "so choose up to %(more)s more, for example those spoken most in this flat."
            )
            % self._limits()
        )

    @staticmethod
    def _limits() -> dict:
        return {
            "language": get_language_info(settings.LANGUAGE_CODE)["name_translated"],
            "max": MAX_SLIP_LANGUAGES,
            "more": MAX_SLIP_LANGUAGES - 1,
        }

    def clean_languages(self) -> list[str]:
        languages = slip_languages(self.cleaned_data.get("languages") or [])
        if len(languages) > MAX_SLIP_LANGUAGES:
            raise forms.ValidationError(
                _(
                    "A slip has room for %(max)s languages: %(language)s and at most %(more)s "
                    "more. Please choose fewer."
                )
                % self._limits(),
                code="too_many",
            )
        return languages

    def chosen_languages(self) -> list[str]:
        """The languages to print in: what was chosen, or only Dutch when nothing (valid) was."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["languages"]
        return slip_languages()


class MembershipForm(forms.Form):
    building = forms.ModelChoiceField(queryset=Building.objects.none(), required=False)

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"] = _flat_field(
            neighbourhood,
            label=_("The flat I live in"),
            help_text=_(
                "Optional. Neighbours see it only if your profile says so. "
                "We never ask for your house number."
            ),
        )
