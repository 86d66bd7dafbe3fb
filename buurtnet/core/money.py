"""Euro amounts: typed by people as text, kept as integer cents, shown in the reader's format."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# The largest amount anyone types here: a million euros.
MAX_CENTS = 100_000_000

_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_euros(text: str) -> int:
    """ "250", "250,50", "€ 1.250,00", "1,250.00", "12.5" → cents. ValueError when it is not
    an amount of money with at most two decimals.

    The last "," or "." followed by one or two digits is the decimal mark; other marks group
    thousands.
    """
    cleaned = _SPACES.sub("", str(text)).replace("€", "").replace("EUR", "").strip()
    if not cleaned or cleaned.startswith("-") or cleaned.startswith("+"):
        raise ValueError(text)
    match = re.fullmatch(r"(?P<whole>[0-9.,]*?)(?:[.,](?P<cents>[0-9]{1,2}))?", cleaned)
    if match is None or not match["whole"] and not match["cents"]:
        raise ValueError(text)
    whole = match["whole"] or "0"
    # Thousands are grouped only after a first group without a leading zero ("1.250", not
    # "0.500", which is half a euro written with three decimals).
    if whole and not re.fullmatch(r"[1-9][0-9]{0,2}([.,][0-9]{3})+|[0-9]+", whole):
        raise ValueError(text)
    digits = re.sub(r"[.,]", "", whole)
    cents = (match["cents"] or "0").ljust(2, "0")
    try:
        value = int(digits) * 100 + int(cents)
    except ValueError:
        raise ValueError(text) from None
    if value > MAX_CENTS:
        raise ValueError(text)
    return value


def euros(cents: int | None) -> str:
    """Cents in the active language's number format, with the euro sign: "€ 1.250,00"."""
    if cents is None:
        return ""
    amount = Decimal(int(cents)) / 100
    sign = "-" if amount < 0 else ""
    return f"{sign}€\u00a0{number_format(abs(amount), 2, use_l10n=True, force_grouping=True)}"


def cents_to_input(cents: int | None) -> str:
    """How an amount is put back in a form field: "250,00" or "250.00" as the language writes."""
    if cents is None:
        return ""
    return number_format(Decimal(int(cents)) / 100, 2, use_l10n=True)


class EuroField(forms.CharField):
    """A form field for an amount in euros; cleans to integer cents."""

    default_error_messages = {
        "invalid": _("Write an amount in euros, such as 250 or 250,50."),
        "min_value": _("The amount must be more than zero."),
    }

    def __init__(self, *, min_cents: int = 1, **kwargs) -> None:
        self.min_cents = min_cents
        # The length is the typed text's (checked by the browser); the cleaned value is cents.
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "20")
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        return cents_to_input(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            cents = parse_euros(value)
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if cents < self.min_cents:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")
        return cents
