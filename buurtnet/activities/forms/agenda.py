"""The agenda's filter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtnet.activities.models import Activity, Audience, Place
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.people.models import Language


class AgendaFilterForm(forms.Form):
    """The agenda's filters; every one optional, sent by GET so they work without JavaScript."""

    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False, empty_label=_("All")
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    language = forms.ModelChoiceField(
        label=_("Language"),
        queryset=Language.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    audience = forms.ChoiceField(
        label=_("For whom"),
        choices=[("", _("All")), *Audience.choices],
        required=False,
    )

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(neighbourhood=neighbourhood)
        self.fields["initiative"].queryset = Initiative.objects.filter(
            neighbourhood=neighbourhood, activities__isnull=False
        ).distinct()
        spoken = Activity.languages.through.objects.filter(
            activity__neighbourhood=neighbourhood
        ).values("language_id")
        self.fields["language"].queryset = Language.objects.filter(pk__in=spoken)
