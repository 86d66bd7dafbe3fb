"""A service's ValidationError lands on the form where the user sees it."""

from django import forms
from django.core.exceptions import ValidationError

from buurtnet.core.forms import add_service_errors


class Booking(forms.Form):
    start = forms.CharField()
    purpose = forms.CharField()


def bound() -> Booking:
    form = Booking({"start": "18:00", "purpose": "Birthday"})
    assert form.is_valid()
    return form


def test_a_fields_complaint_goes_next_to_that_field():
    form = bound()
    add_service_errors(form, ValidationError({"purpose": "Say what for."}))
    assert form.errors == {"purpose": ["Say what for."]}


def test_the_services_name_for_a_field_is_translated_to_the_forms():
    form = bound()
    add_service_errors(
        form, ValidationError({"starts_at": "Too early."}), fields={"starts_at": "start"}
    )
    assert form.errors == {"start": ["Too early."]}


def test_a_complaint_without_a_field_on_the_form_goes_above_it():
    form = bound()
    add_service_errors(form, ValidationError({"place": "Elsewhere."}))
    add_service_errors(form, ValidationError("Already booked."))
    assert form.non_field_errors() == ["Elsewhere.", "Already booked."]
