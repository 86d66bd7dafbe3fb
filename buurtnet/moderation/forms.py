from django import forms
from django.utils.translation import gettext_lazy as _

from buurtnet.moderation.models import ActionKind, Reason
from buurtnet.moderation.services import DETAILS_MAX, REASON_MAX


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what is wrong.")},
    )
    details = forms.CharField(
        label=_("Anything the hosts should know (optional)"),
        required=False,
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Only the hosts of the neighbourhood read this."),
    )


SUSPEND_PERIODS = [
    ("week", _("For a week")),
    ("month", _("For a month")),
    ("lifted", _("Until a host lifts it")),
]


class ActionForm(forms.Form):
    """What a host does about a report, and why (the member reads the reason)."""

    action = forms.ChoiceField(
        label=_("What do you do?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what you do.")},
    )
    period = forms.ChoiceField(
        label=_("How long is the suspension?"),
        choices=SUSPEND_PERIODS,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Only when you suspend the member."),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("The member reads this (unless you decide there is nothing to do)."),
        error_messages={"required": _("Please write why: the member reads it.")},
    )

    def __init__(self, *args, kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ActionKind.choices)
        self.fields["action"].choices = [(kind, labels[kind]) for kind in kinds]
        if ActionKind.SUSPEND not in kinds:
            del self.fields["period"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == ActionKind.SUSPEND and not data.get("period"):
            self.add_error("period", _("Please choose for how long."))
        return data
