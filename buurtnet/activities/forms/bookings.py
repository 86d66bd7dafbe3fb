"""The form for asking to book a place."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy

from buurtnet.activities.models import (
    localize,
)
from buurtnet.core.forms import DateInput


class BookingForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    start = forms.TimeField(
        label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=gettext_lazy("Until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    purpose = forms.CharField(
        label=gettext_lazy("What for"),
        max_length=300,
        help_text=gettext_lazy(
            "For example: homework club, a birthday, a meeting of the initiative."
        ),
    )

    def moments(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        day = self.cleaned_data["date"]
        return (
            localize(datetime.combine(day, self.cleaned_data["start"]), tz),
            localize(datetime.combine(day, self.cleaned_data["end"]), tz),
        )
