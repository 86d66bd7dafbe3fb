"""The board's forms: the rules, a seat, a fund."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtnet.core.forms import DateInput
from buurtnet.core.money import EuroField, euros
from buurtnet.funding.models import BoardRole, Foundation, Fund
from buurtnet.funding.selectors.board import seat_candidates
from buurtnet.neighbourhoods import names

MIN_MAX_GRANT_CENTS = 100
# ISO 9362: bank, country, location (its second character never O, the first never 0 or 1).
_BIC = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")


def _textarea(rows: int = 4) -> forms.Textarea:
    # What members write is shown in the direction of its own script.
    return forms.Textarea(attrs={"rows": rows, "dir": "auto"})


class RulesForm(forms.Form):
    max_grant = EuroField(label=_("Maximum grant per request"))
    funds_what = forms.CharField(
        label=_("What we fund"),
        max_length=2000,
        required=False,
        widget=_textarea(),
        help_text=_("Shown to everyone who asks."),
    )
    does_not_fund = forms.CharField(
        label=_("What we do not fund"), max_length=2000, required=False, widget=_textarea()
    )
    approvals_needed = forms.IntegerField(
        label=_("Board approvals a decision needs"), min_value=1, max_value=9
    )
    chair_decides_tie = forms.BooleanField(label=_("The chair decides a tie"), required=False)
    payment_term_days = forms.IntegerField(
        label=_("Payment term in days"), min_value=1, max_value=90
    )
    receipt_tolerance = EuroField(
        label=_("Receipts may exceed what was paid by"),
        min_cents=0,
        help_text=_("Small differences, such as rounding, that need no correction."),
    )
    account_holder = forms.CharField(label=_("Account holder"), max_length=70, required=False)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The foundation's own account: the payer of grants."),
    )
    bic = forms.CharField(
        label=_("BIC"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    # The service's names for the fields that are named otherwise here.
    SERVICE_FIELDS = {
        "max_grant_cents": "max_grant",
        "receipt_tolerance_cents": "receipt_tolerance",
    }

    @classmethod
    def initial_of(cls, foundation: Foundation) -> dict:
        return {
            "max_grant": foundation.max_grant_cents,
            "funds_what": foundation.funds_what,
            "does_not_fund": foundation.does_not_fund,
            "approvals_needed": foundation.approvals_needed,
            "chair_decides_tie": foundation.chair_decides_tie,
            "payment_term_days": foundation.payment_term_days,
            "receipt_tolerance": foundation.receipt_tolerance_cents,
            "account_holder": foundation.account_holder,
            "iban": foundation.iban,
            "bic": foundation.bic,
        }

    def clean_max_grant(self) -> int:
        cents = self.cleaned_data["max_grant"]
        if cents < MIN_MAX_GRANT_CENTS:
            raise forms.ValidationError(
                _("The maximum grant must be at least %(min)s.")
                % {"min": euros(MIN_MAX_GRANT_CENTS)},
                code="min_value",
            )
        return cents

    def clean_bic(self) -> str:
        bic = re.sub(r"\s", "", self.cleaned_data["bic"]).upper()
        if bic and not _BIC.fullmatch(bic):
            raise forms.ValidationError(
                _("A BIC has 8 or 11 letters and digits, such as ABNANL2A."), code="invalid_bic"
            )
        return bic

    def values(self) -> dict:
        """The rules as services.board.rules_update takes them."""
        data = self.cleaned_data
        return {
            "max_grant_cents": data["max_grant"],
            "funds_what": data["funds_what"],
            "does_not_fund": data["does_not_fund"],
            "approvals_needed": data["approvals_needed"],
            "chair_decides_tie": data["chair_decides_tie"],
            "payment_term_days": data["payment_term_days"],
            "receipt_tolerance_cents": data["receipt_tolerance"],
            "account_holder": data["account_holder"],
            "iban": data["iban"],
            "bic": data["bic"],
        }


class ResidentChoiceField(forms.ModelChoiceField):
    """Residents by name, with their flat when they show it (see neighbourhoods.names)."""

    default_error_messages = {
        "invalid_choice": _("Choose a resident of this neighbourhood from the list."),
    }

    def label_from_instance(self, obj) -> str:
        return names.membership_label(obj)


class SeatForm(forms.Form):
    member = ResidentChoiceField(
        label=_("Resident"),
        queryset=None,
        empty_label=_("Choose a resident"),
        help_text=_("Residents listed in the member directory, and everyone on the board."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=BoardRole.choices, initial=BoardRole.MEMBER)

    def __init__(self, *args, foundation: Foundation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = seat_candidates(foundation)


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=1000, required=False, widget=_textarea(3)
    )
    earmarked = forms.BooleanField(
        label=_("Earmarked"), required=False, help_text=_("Money given for this purpose only.")
    )
    ends_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("After this date, new requests can no longer choose this fund."),
    )
    may_go_below_zero = forms.BooleanField(
        label=_("May go below zero"),
        required=False,
        help_text=_("For example when promised money arrives after the grants."),
    )

    @classmethod
    def initial_of(cls, fund: Fund) -> dict:
        return {
            "name": fund.name,
            "purpose": fund.purpose,
            "earmarked": fund.earmarked,
            "ends_on": fund.ends_on,
            "may_go_below_zero": fund.may_go_below_zero,
        }

    def values(self) -> dict:
        """The fund as services.board.fund_save takes it."""
        return {name: self.cleaned_data[name] for name in self.fields}
