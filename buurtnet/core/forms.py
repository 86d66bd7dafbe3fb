from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Every form renders its fields as `.field` blocks with errors next to the input."""

    form_template_name = "core/forms/div.html"


class DateInput(forms.DateInput):
    """The phone's own date picker; it reads and writes dates as ISO 8601 (2026-11-26)."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(
    form: BaseForm, exc: ValidationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: each message next to the field it is about
    (`fields` renames the service's names to the form's), the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.error_dict.items():
        name = (fields or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)
