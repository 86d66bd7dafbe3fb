from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from buurtnet.translations.models import TEXT_MAX_LENGTH


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Into"))
    text = forms.CharField(
        label=_("Translation"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )

    def __init__(self, *args, languages: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code in languages
        ]

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()
