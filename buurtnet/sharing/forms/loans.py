"""Asking to borrow an item, and the owner's reason for saying no."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy

from buurtnet.core.forms import DateInput
from buurtnet.sharing.services.loans import MESSAGE_MAX, REASON_MAX, dates_errors


class LoanRequestForm(forms.Form):
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=gettext_lazy("Until"),
        widget=DateInput(),
        help_text=gettext_lazy("The day you bring it back."),
    )
    message = forms.CharField(
        label=gettext_lazy("A word for the owner"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=gettext_lazy("For example what you need it for, or when you can pick it up."),
    )

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("starts_on", "ends_on"):
            self.fields[name].widget.attrs["min"] = today.isoformat()

    def clean(self) -> dict:
        cleaned = super().clean()
        errors = dates_errors(
            starts_on=cleaned.get("starts_on"), ends_on=cleaned.get("ends_on"), today=self.today
        )
        for name, error in errors.items():
            self.add_error(name, error)
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (if you like)"),
        required=False,
        max_length=REASON_MAX,
    )
