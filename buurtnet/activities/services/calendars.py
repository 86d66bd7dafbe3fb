"""A member's own calendar feed address."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.activities.models import (
    CalendarToken,
    new_calendar_token,
)
from buurtnet.people.models import User


@transaction.atomic
def calendar_token_renew(*, user: User) -> CalendarToken:
    """Give the person a new secret calendar address; the old one stops working."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to get your own calendar address."))
    # Lock the person, so two renewals at once wait for each other instead of colliding.
    User.objects.select_for_update().only("pk").get(pk=user.pk)
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": new_calendar_token(), "created_at": timezone.now()}
    )
    return token
