"""Password rules with messages in every language Buurtnet speaks."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule, with its message in our catalogs: Django's own translations of the
    "too short" message no longer match its source text, so it would show in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: please use at least %(min_length)d character.",
            "This password is too short: please use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
