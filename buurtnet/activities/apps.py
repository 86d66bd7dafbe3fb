from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "buurtnet.activities"
    verbose_name = _("Activities and places")

    def ready(self) -> None:
        _register_translatable()


def _register_translatable() -> None:
    """Neighbours may translate an activity's description."""
    from buurtnet.activities.models import Activity
    from buurtnet.translations.registry import register

    def url(activity) -> str:
        # Its page is one date's page; the agenda lists them all.
        return reverse("activities:agenda", args=[activity.neighbourhood.slug])

    register(
        "activity",
        Activity,
        fields=("description",),
        can_read=lambda membership, activity: (
            membership.neighbourhood_id == activity.neighbourhood_id
        ),
        is_writer=lambda membership, activity: (
            activity.created_by_id == membership.user_id or can_organise(membership, activity)
        ),
        neighbourhood_id=lambda activity: activity.neighbourhood_id,
        url=url,
        select_related=("neighbourhood", "initiative", "place"),
    )


def can_organise(membership, activity) -> bool:
    from buurtnet.activities.permissions import can_organise as rule

    return rule(membership, activity)
