"""Forms of a grant request: asking and revising, files, messages, receipts, votes, decisions."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtnet.core.forms import DateInput, add_service_errors
from buurtnet.core.money import EuroField
from buurtnet.funding.models import DecisionOutcome, Fund, VoteChoice
from buurtnet.funding.services.grants import MAX_BUDGET_LINES, Budget
from buurtnet.initiatives.forms import written_in_field

LINE_ROWS = 8
FILE_ACCEPT = ".pdf,image/*"
_ROW = re.compile(r"^(?:what|line_amount)_([0-9]{1,3})$")


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "dir": "auto"})


def _file_field(label) -> forms.FileField:
    return forms.FileField(
        label=label,
        widget=forms.FileInput(attrs={"accept": FILE_ACCEPT}),
        help_text=_("A PDF or a photo, at most 10 MB."),
        error_messages={"required": _("Please choose a file.")},
    )


class FundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fund) -> str:
        return obj.name


class BudgetRowFields:
    """One numbered budget line of the form: what, and how much."""

    def __init__(self, number: int, what: forms.BoundField, amount: forms.BoundField) -> None:
        self.number = number
        self.what = what
        self.amount = amount


class GrantRequestForm(forms.Form):
    """What initiators ask for. Budget lines are numbered fields (what_1, line_amount_1, …):
    without JavaScript the form shows a number of empty rows, and empty rows are left out.

    `funds`: the funds to choose from (no choice when None); `start`: the first version (the
    language it is written in); `revision`: a new version of a sent request (what changed).
    """

    fund = FundChoiceField(
        label=_("Fund"),
        queryset=Fund.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Please choose one of the foundation's funds.")},
    )
    amount = EuroField(
        label=_("Amount you ask for"),
        help_text=_("In euros, such as 250 or 250,50."),
        error_messages={"required": _("Please give the amount you ask for.")},
    )
    purpose = forms.CharField(
        label=_("What the money is for"),
        max_length=3000,
        widget=_text(6),
        help_text=_("In your own words: what you will do with it and for whom."),
        error_messages={"required": _("Please tell in your own words what the money is for.")},
    )
    own_contribution = EuroField(
        label=_("Own contribution"),
        min_cents=0,
        required=False,
        help_text=_("What the initiative pays itself, if anything."),
    )
    other_funding_amount = EuroField(
        label=_("Other funding"),
        min_cents=0,
        required=False,
        help_text=_("Money you get or asked for elsewhere, if any."),
    )
    other_funding = forms.CharField(
        label=_("Where other funding comes from"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    needed_by = forms.DateField(
        label=_("Money needed by"),
        widget=DateInput(),
        error_messages={"required": _("Please tell when you need the money.")},
    )
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=1000,
        required=False,
        widget=_text(3),
        help_text=_("So the board sees at once what is new in this version."),
    )
    account_holder = forms.CharField(
        label=_("Account holder"),
        max_length=70,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
        help_text=_("The name the initiative's bank account is in."),
        error_messages={"required": _("Please give the name the account is in.")},
    )
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Only the board and the initiators see it."),
        error_messages={"required": _("Please give the IBAN of the initiative's bank account.")},
    )

    def __init__(
        self,
        *args,
        funds=None,
        start: bool = False,
        revision: bool = False,
        rows: int = LINE_ROWS,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lines_errors = ErrorList()
        if funds is None:
            del self.fields["fund"]
        else:
            self.fields["fund"].queryset = funds
            only = list(funds[:2])
            if len(only) == 1 and not self.is_bound:
                self.initial.setdefault("fund", only[0].pk)
        if not revision:
            del self.fields["change_note"]
        if start:
            self.fields["language"] = written_in_field()
        elif "fund" in self.fields:
            self.fields["fund"].required = False  # a draft keeps its fund
        rows = max(rows, self._rows_sent())
        self.row_count = min(rows, MAX_BUDGET_LINES)
        for number in range(1, self.row_count + 1):
            self.fields[f"what_{number}"] = forms.CharField(
                label=_("What (line %(number)s)") % {"number": number},
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"dir": "auto"}),
            )
            self.fields[f"line_amount_{number}"] = EuroField(
                label=_("How much (line %(number)s)") % {"number": number}, required=False
            )

    def _rows_sent(self) -> int:
        """As many rows as were sent (a page may have shown more than the default)."""
        if not self.is_bound:
            return 0
        numbers = [int(m[1]) for key in self.data if (m := _ROW.match(key))]
        return max(numbers, default=0)

    @property
    def budget_rows(self) -> list[BudgetRowFields]:
        return [
            BudgetRowFields(n, self[f"what_{n}"], self[f"line_amount_{n}"])
            for n in range(1, self.row_count + 1)
        ]

    def lines(self) -> list[tuple[str, int]]:
        """The rows filled in (an amount left empty counts as zero, which the service refuses)."""
        lines = []
        for number in range(1, self.row_count + 1):
            what = (self.cleaned_data.get(f"what_{number}") or "").strip()
            cents = self.cleaned_data.get(f"line_amount_{number}") or 0
            if what or cents:
                lines.append((what, cents))
        return lines

    def budget(self) -> Budget:
        data = self.cleaned_data
        return Budget(
            amount_cents=data["amount"],
            purpose=data["purpose"],
            needed_by=data["needed_by"],
            lines=self.lines(),
            own_contribution_cents=data.get("own_contribution") or 0,
            other_funding_cents=data.get("other_funding_amount") or 0,
            other_funding=data.get("other_funding") or "",
            change_note=data.get("change_note") or "",
        )

    def clean_needed_by(self):
        value = self.cleaned_data["needed_by"]
        if value is not None and value < timezone.localdate():
            raise ValidationError(_("This date has passed."))
        return value

    def add_service_errors(self, exc: ValidationError) -> None:
        """The service's messages next to the fields they are about; the budget lines' above
        the lines."""
        if hasattr(exc, "error_dict") and "lines" in exc.error_dict:
            errors = dict(exc.error_dict)
            for error in errors.pop("lines"):
                self.lines_errors.extend(error.messages)
            exc = ValidationError(errors) if errors else None
        if exc is not None:
            add_service_errors(self, exc, fields={"other_funding_cents": "other_funding_amount"})

    @classmethod
    def initial_from(cls, grant, version) -> dict:
        initial = {
            "account_holder": grant.account_holder,
            "iban": grant.iban,
            "fund": grant.fund_id,
        }
        if version is not None:
            initial.update(
                amount=version.amount_cents,
                purpose=version.purpose,
                own_contribution=version.own_contribution_cents or None,
                other_funding_amount=version.other_funding_cents or None,
                other_funding=version.other_funding,
                needed_by=version.needed_by,
                change_note=version.change_note if version.is_draft else "",
            )
            for number, line in enumerate(version.lines.all(), start=1):
                initial[f"what_{number}"] = line.what
                initial[f"line_amount_{number}"] = line.amount_cents
        return initial


class AttachmentForm(forms.Form):
    file = _file_field(_("Quote or photo"))
    description = forms.CharField(
        label=_("What it is"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("For example: the quote from the kitchen shop."),
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        widget=_text(4),
        error_messages={"required": _("Please write a message.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"] = written_in_field()


OTHER_LINE = ""


class ReceiptForm(forms.Form):
    budget_line = forms.ChoiceField(label=_("Budget line"), required=False)
    description = forms.CharField(
        label=_("What was bought"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        error_messages={"required": _("Please say what was bought.")},
    )
    amount = EuroField(label=_("Amount"), error_messages={"required": _("Please give the amount.")})
    spent_on = forms.DateField(
        label=_("Date on the receipt"),
        widget=DateInput(),
        error_messages={"required": _("Please give the date on the receipt.")},
    )
    file = _file_field(_("Receipt"))

    def __init__(self, *args, lines: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        lines = list(dict.fromkeys(lines))
        self.fields["budget_line"].choices = [(what, what) for what in lines] + [
            (OTHER_LINE, _("Other"))
        ]
        if lines:
            self.fields["budget_line"].initial = lines[0]


class VoteForm(forms.Form):
    # The version the board member read: a vote never lands on one they did not see.
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=32767, required=False
    )
    choice = forms.ChoiceField(
        label=_("Your vote"),
        choices=VoteChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose your vote.")},
    )
    amount = EuroField(
        label=_("Lower amount"),
        required=False,
        help_text=_("Only when you approve a lower amount."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=_text(3),
        error_messages={"required": _("Please give a short reason.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("choice") == VoteChoice.APPROVE_LOWER and not data.get("amount"):
            self.add_error("amount", _("Please give the lower amount."))
        return data


class ChairDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a decision.")},
    )
    amount = EuroField(
        label=_("Amount granted"),
        required=False,
        help_text=_("Leave empty to grant the amount asked."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=_text(3),
        error_messages={"required": _("Please give the reason for the decision.")},
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the decision is reversed"),
        max_length=2000,
        widget=_text(3),
        error_messages={"required": _("Please give the reason for the reversal.")},
    )
    amount = EuroField(
        label=_("Amount granted"),
        required=False,
        help_text=_("Leave empty to grant the amount asked."),
    )

    def __init__(self, *args, grants: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not grants:
            del self.fields["amount"]
