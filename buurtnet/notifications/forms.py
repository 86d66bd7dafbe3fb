from django import forms
from django.utils.translation import gettext_lazy as _

from buurtnet.notifications.models import Kind
from buurtnet.people.forms import CheckboxList


class EmailSettingsForm(forms.Form):
    """Which kinds of notification also arrive by email."""

    kinds = forms.MultipleChoiceField(
        label=_("Send me an email when"),
        choices=Kind.choices,
        required=False,
        help_text=_("You always find every notification on Buurtnet itself."),
        widget=CheckboxList,
    )

    def opted_out(self) -> list[str]:
        wanted = set(self.cleaned_data["kinds"])
        return [kind.value for kind in Kind if kind.value not in wanted]
