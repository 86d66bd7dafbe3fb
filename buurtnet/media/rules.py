"""Who may see an uploaded file: the people who see the object it belongs to.

Every kind of upload (a model's file field) has one rule here, which answers PUBLIC (anyone,
visitors too), PRIVATE (only some signed-in people, so no shared cache may keep it) or None (not
for this person). The media view answers None exactly as it answers a file that does not exist:
404. A file field without a rule is never served, and a system check says so.

Staff who may view the row in the admin may also open its file, as the admin links to it.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from buurtnet.activities.models import AttendancePhoto, PlacePhoto
from buurtnet.activities.selectors.feeds import public_activities
from buurtnet.core.models import RandomUploadPath
from buurtnet.funding import permissions as funding_permissions
from buurtnet.funding.models import GrantAttachment, Receipt
from buurtnet.initiatives import permissions as initiative_permissions
from buurtnet.initiatives.models import Participation, ParticipationStatus, Update, Visibility
from buurtnet.neighbourhoods.access import get_membership
from buurtnet.neighbourhoods.models import Membership
from buurtnet.people.models import User
from buurtnet.sharing import permissions as sharing_permissions
from buurtnet.sharing.models import Post


class Audience(enum.Enum):
    PUBLIC = "public"
    PRIVATE = "private"


def profile_photo(viewer, person: User) -> Audience | None:
    """As on the member's page, the directory and an initiative's page.

    The owner always sees their photo (on their profile page). Others see it only while the
    owner shows it (show_photo), and only when a page shows them the person: in a neighbourhood
    both belong to, the directory and member page list people who chose to be listed; an
    initiative's page shows the people on board to every member, listed or not.
    """
    if not viewer.is_authenticated:
        return None
    if viewer.pk == person.pk:
        return Audience.PRIVATE
    if not (person.show_photo and person.is_active):
        return None
    shared = Membership.objects.filter(user=viewer).values("neighbourhood_id")
    listed_together = person.listed_in_directory and (
        Membership.objects.filter(user=person, neighbourhood_id__in=shared).exists()
    )
    if listed_together:
        return Audience.PRIVATE
    on_board_nearby = Participation.objects.filter(
        user=person, status=ParticipationStatus.ACCEPTED, initiative__neighbourhood_id__in=shared
    ).exists()
    return Audience.PRIVATE if on_board_nearby else None


def update_photo(viewer, update: Update) -> Audience | None:
    """A public initiative is for everyone; a members-only one for its neighbourhood."""
    initiative = update.initiative
    if initiative.visibility == Visibility.PUBLIC:
        return Audience.PUBLIC
    membership = get_membership(user=viewer, neighbourhood=initiative.neighbourhood)
    return Audience.PRIVATE if initiative_permissions.can_view(membership, initiative) else None


def place_photo(viewer, photo: PlacePhoto) -> Audience | None:
    """A place's page is for the members of its neighbourhood."""
    membership = get_membership(user=viewer, neighbourhood=photo.place.neighbourhood)
    return Audience.PRIVATE if membership is not None else None


def attendance_photo(viewer, photo: AttendancePhoto) -> Audience | None:
    """How an activity went: for everyone when the activity is in the open calendar (public,
    and not of a members-only initiative), else for the members of its neighbourhood."""
    activity = photo.attendance.activity
    if public_activities(activity.neighbourhood).filter(pk=activity.pk).exists():
        return Audience.PUBLIC
    membership = get_membership(user=viewer, neighbourhood=activity.neighbourhood)
    return Audience.PRIVATE if membership is not None else None


def grant_file(viewer, upload: GrantAttachment | Receipt) -> Audience | None:
    """Quotes, photos and receipts of a grant request: its initiators and the board only."""
    grant = upload.request if isinstance(upload, GrantAttachment) else upload.grant
    membership = get_membership(user=viewer, neighbourhood=grant.foundation.neighbourhood)
    return Audience.PRIVATE if funding_permissions.can_see_files(membership, grant) else None


def post_photo(viewer, post: Post) -> Audience | None:
    """An ask's or offer's photo: whoever may see the ask or offer."""
    membership = get_membership(user=viewer, neighbourhood=post.neighbourhood)
    return Audience.PRIVATE if sharing_permissions.can_view(membership, post) else None


@dataclass(frozen=True)
class Kind:
    """One kind of upload: the model and file field that hold it, and who may see it."""

    model: type[Model]
    field_name: str
    rule: Callable[..., Audience | None]
    related: tuple[str, ...] = ()

    @property
    def field(self):
        return self.model._meta.get_field(self.field_name)

    @property
    def folder(self) -> str | None:
        """The first part of every stored name of this kind (RandomUploadPath's folder)."""
        upload_to = self.field.upload_to
        return upload_to.folder if isinstance(upload_to, RandomUploadPath) else None

    def audience(self, viewer, obj: Model) -> Audience | None:
        audience = self.rule(viewer, obj)
        if audience is None and _in_admin(viewer, self.model):
            return Audience.PRIVATE
        return audience


def _in_admin(viewer, model: type[Model]) -> bool:
    if not (viewer.is_authenticated and viewer.is_active and viewer.is_staff):
        return False
    return viewer.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


KINDS: tuple[Kind, ...] = (
    Kind(User, "photo", profile_photo),
    Kind(Update, "photo", update_photo, ("initiative__neighbourhood",)),
    Kind(PlacePhoto, "image", place_photo, ("place__neighbourhood",)),
    Kind(
        AttendancePhoto,
        "image",
        attendance_photo,
        ("attendance__activity__neighbourhood", "attendance__activity__initiative"),
    ),
    Kind(
        GrantAttachment,
        "file",
        grant_file,
        ("request__foundation__neighbourhood", "request__initiative"),
    ),
    Kind(Receipt, "file", grant_file, ("grant__foundation__neighbourhood", "grant__initiative")),
    Kind(Post, "photo", post_photo, ("neighbourhood",)),
)
