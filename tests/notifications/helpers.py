from datetime import timedelta

from django.utils import timezone

from buurtnet.notifications.models import Kind, Notification

PARAMS = {
    "initiative": "Samen eten",
    "organisation": "Wijkteam Ede-Zuid",
    "subject": "Can we use the hall?",
    "neighbourhood": "Ede-Zuid",
    "activity": "Eten op vrijdag",
    "place": "Huiskamer de Elskamp",
    "purpose": "Birthday",
    "when_iso": "2027-04-30T18:00:00+02:00",
    "tz": "Europe/Amsterdam",
    "where": "Elskamp 1",
    "decision_code": "declined",
    "reason": "the floor is being painted",
    "open_tasks": [["Cooking", 2], ["Cleaning up", 1]],
    "my_tasks": [["Shopping", 0]],
    "foundation": "Vrienden van de Hoogbouw",
    "amount_cents": 25000,
    "excerpt": "Which rice cooker?",
    "outcome_code": "declined",
    "receipt": "Three pans",
    "title": "Ladder to borrow",
    "from_iso": "2027-05-01",
    "until_iso": "2027-05-03",
    "moderation_code": "warn",
}


def make_notification(
    recipient,
    *,
    kind: Kind = Kind.INITIATIVE_JOINED,
    actor=None,
    params: dict | None = None,
    url: str = "/me/profile/",
    read: bool = False,
    age: timedelta | None = None,
) -> Notification:
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        params=PARAMS if params is None else params,
        url=url,
        read_at=timezone.now() if read else None,
    )
    if age is not None:
        Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - age)
        notification.refresh_from_db()
    return notification
