from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Every form renders its fields as `.field` blocks with errors next to the input."""

    form_template_name = "core/forms/div.html"
