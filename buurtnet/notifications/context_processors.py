from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from buurtnet.notifications.unread import unread_count


def unread(request: HttpRequest) -> dict:
    """How many unread notifications the person has; looked up only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
