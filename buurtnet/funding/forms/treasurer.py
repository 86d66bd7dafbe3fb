"""Forms of the treasurer's pages. The services check the rules again; these read the input."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtnet.core.forms import DateInput
from buurtnet.core.money import EuroField, euros
from buurtnet.funding.bankfiles import MAX_STATEMENT_BYTES
from buurtnet.funding.models import Foundation, SourceKind
from buurtnet.funding.selectors import treasurer as selectors


class _NameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class _TitleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class _GrantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(title)s (request %(number)s)") % {
            "title": obj.initiative.title,
            "number": obj.pk,
        }


class _PaymentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(amount)s to %(title)s (%(reference)s)") % {
            "amount": euros(obj.amount_cents),
            "title": obj.grant.initiative.title,
            "reference": obj.end_to_end_id,
        }


class DonationForm(forms.Form):
    """Money received. Field names are those of services.money.donation_record."""

    fund = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Fund"), empty_label=None)
    amount = EuroField(label=gettext_lazy("Amount in euros"))
    received_on = forms.DateField(label=gettext_lazy("Received on"), widget=DateInput())
    source_kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=SourceKind.choices, initial=SourceKind.DONATION
    )
    public_name = forms.CharField(
        label=gettext_lazy("Name shown in public"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Only with the giver's consent. Leave empty to show no name."),
    )
    name_consent = forms.BooleanField(
        label=gettext_lazy("The giver agrees to be named"), required=False
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference"),
        max_length=140,
        required=False,
        help_text=gettext_lazy("For example the description on the bank statement."),
    )
    donor = _NameChoiceField(
        queryset=None,
        label=gettext_lazy("Given by a member (optional)"),
        required=False,
        empty_label=gettext_lazy("Nobody in particular"),
        help_text=gettext_lazy(
            "Never shown. Together with an initiative below, it keeps this member from voting "
            "on that initiative's requests."
        ),
    )
    earmarked_initiative = _TitleChoiceField(
        queryset=None,
        label=gettext_lazy("Given for the initiative (optional)"),
        required=False,
        empty_label=gettext_lazy("No initiative in particular"),
        help_text=gettext_lazy(
            "The member who gave does not vote on this initiative's requests, so that nobody "
            "decides on money they gave themselves."
        ),
    )

    def __init__(self, *args, foundation: Foundation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = foundation.funds.order_by("name")
        self.fields["donor"].queryset = selectors.neighbours(foundation)
        self.fields["earmarked_initiative"].queryset = selectors.initiatives(foundation)
        self.fields["reference"].widget.attrs["dir"] = "auto"
        self.fields["public_name"].widget.attrs["dir"] = "auto"


class StatementForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bank statement (CAMT.053, an XML file)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
        help_text=gettext_lazy("At most 5 MB. Your bank offers it as a download."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(
                _(
                    "This file is larger than %(limit)s MB. Download a statement over a shorter "
                    "period."
                )
                % {"limit": MAX_STATEMENT_BYTES // (1024 * 1024)},
                code="file_too_large",
            )
        return upload


class RefundForm(forms.Form):
    """Incoming money an initiative returned from its grant."""

    grant = _GrantChoiceField(
        queryset=None, label=gettext_lazy("Returned for the grant"), empty_label=None
    )

    def __init__(self, *args, foundation: Foundation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = selectors.granted_requests(foundation)


class MatchPaymentForm(forms.Form):
    """An outgoing line the bank returned without our reference."""

    payment = _PaymentChoiceField(
        queryset=None, label=gettext_lazy("The payment"), empty_label=None
    )

    def __init__(self, *args, foundation: Foundation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payment"].queryset = selectors.pending_payments(foundation)


class PaymentMarkForm(forms.Form):
    amount = EuroField(label=gettext_lazy("Amount to pay in euros"))


class PaymentsFileForm(forms.Form):
    execution_date = forms.DateField(
        label=gettext_lazy("Pay on"),
        widget=DateInput(),
        help_text=gettext_lazy("The day the bank carries out the transfers: today or later."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"execution_date": timezone.localdate() + timedelta(days=1)})
        super().__init__(*args, **kwargs)
        self.fields["execution_date"].widget.attrs["min"] = timezone.localdate().isoformat()


class ReceiptCheckForm(forms.Form):
    """Posted to funding:receipt_check: decision "accept" or "reject", and a note."""

    ACCEPT, REJECT = "accept", "reject"

    decision = forms.ChoiceField(
        label=gettext_lazy("Your check"),
        choices=[(ACCEPT, gettext_lazy("Accept")), (REJECT, gettext_lazy("Do not accept"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the initiators"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=gettext_lazy("Needed when you do not accept the receipt."),
    )

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=250,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
