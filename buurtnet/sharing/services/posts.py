"""Every change to an ask or offer goes through one of these functions."""

import math
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.conversations.models import Conversation
from buurtnet.conversations.services import conversation_start
from buurtnet.core.ratelimit import RateLimited
from buurtnet.neighbourhoods.models import Building, Membership
from buurtnet.notifications.models import Kind as NotificationKind
from buurtnet.notifications.services import notify
from buurtnet.people.models import Talent, User
from buurtnet.people.selectors import blocked_between
from buurtnet.people.services import written_in
from buurtnet.sharing import permissions
from buurtnet.sharing.asked import asked_counts_forget_for_post
from buurtnet.sharing.models import (
    LIFETIME,
    Audience,
    Kind,
    PartOfDay,
    Post,
    PostStatus,
    Side,
    Thanks,
)
from buurtnet.sharing.selectors.posts import helper_ids

# At most this many new asks and offers per member per hour (a flood is rarely a neighbour).
MAX_NEW_PER_HOUR = 5
RATE_WINDOW = timedelta(hours=1)

# Error codes views answer with 409 (the post is no longer where the request expected it).
NOT_LIVE = "not_live"
ALREADY_CLOSED = "already_closed"
ALREADY_THANKED = "already_thanked"

TITLE_MAX = Post._meta.get_field("title").max_length
BODY_MAX = Post._meta.get_field("body").max_length
NOTE_MAX = Thanks._meta.get_field("note").max_length
MESSAGE_MAX = 2000

# "Use the author's own flat": the default of post_create's `building`.
AUTHOR_FLAT = object()


def _text(value: str, *, field: str, max_length: int, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: required})
    if "\x00" in value:
        raise ValidationError({field: _("Null characters are not allowed.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("Please keep this to %(max)s characters (it has %(length)s).")
                % {"max": max_length, "length": len(value)}
            }
        )
    return value


def _locked(post: Post) -> Post:
    """Serialise changes to one post, and see its current state rather than the request's."""
    return Post.objects.select_for_update().select_related("neighbourhood").get(pk=post.pk)


def _not_suspended(membership: Membership) -> None:
    if membership.is_suspended:
        raise PermissionDenied(_("Your membership is suspended for now."))


def _rate_check(membership: Membership) -> None:
    """At most MAX_NEW_PER_HOUR new posts per member per hour.

    Counted in the database under a lock of the member's row, so two requests at once (in
    two workers) wait for each other and cannot both slip under the limit.
    """
    Membership.objects.select_for_update().only("pk").get(pk=membership.pk)
    now = timezone.now()
    recent = list(
        Post.objects.filter(
            author_id=membership.user_id,
            neighbourhood_id=membership.neighbourhood_id,
            created_at__gt=now - RATE_WINDOW,
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:MAX_NEW_PER_HOUR]
    )
    if len(recent) >= MAX_NEW_PER_HOUR:
        # The next one is allowed once the oldest of the last few is an hour old.
        wait = (recent[-1] + RATE_WINDOW - now).total_seconds()
        raise RateLimited(max(1, math.ceil(wait)))


def _validated_fields(
    *,
    membership: Membership,
    side: str,
    kind: str,
    title: str,
    body: str,
    category: Talent | None,
    when: str,
    part_of_day: str,
    building: Building | None,
    audience: str,
    photo_description: str,
    on_behalf_of: str,
    on_behalf_contact: str,
    on_behalf_consent: bool,
) -> dict:
    """What every write checks, the same for a new post and an edit."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what kind of sharing this is.")})
    if part_of_day not in PartOfDay.values:
        raise ValidationError({"part_of_day": _("Choose a part of the week from the list.")})
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who may see this.")})
    if category is not None and (not isinstance(category, Talent) or category.pk is None):
        raise ValidationError({"category": _("Choose a category from the list.")})
    if building is not None and building.neighbourhood_id != membership.neighbourhood_id:
        raise ValidationError({"building": _("Choose a flat of this neighbourhood.")})
    if audience == Audience.FLAT and building is None:
        raise ValidationError({"building": _("Choose the flat whose neighbours should see this.")})
    fields = {
        "kind": kind,
        "title": _text(
            title,
            field="title",
            max_length=TITLE_MAX,
            required=_("Say in a few words what you ask.")
            if side == Side.ASK
            else _("Say in a few words what you offer."),
        ),
        "body": _text(body, field="body", max_length=BODY_MAX),
        "category": category,
        "when": _text(when, field="when", max_length=Post._meta.get_field("when").max_length),
        "part_of_day": part_of_day,
        "building": building,
        "audience": audience,
        "photo_description": _text(photo_description, field="photo_description", max_length=200),
    }
    name = _text(on_behalf_of, field="on_behalf_of", max_length=60)
    contact = _text(on_behalf_contact, field="on_behalf_contact", max_length=300)
    if name:
        if side != Side.ASK:
            raise ValidationError({"on_behalf_of": _("Only an ask can be made for a neighbour.")})
        if not membership.is_resident:
            raise PermissionDenied(_("Residents and hosts ask on behalf of a neighbour."))
        if not on_behalf_consent:
            raise ValidationError(
                {
                    "on_behalf_consent": _(
                        "Please tick that %(name)s agreed that you post this for them and pass "
                        "on the answers. Ask them first if you have not yet."
                    )
                    % {"name": name}
                }
            )
    fields["on_behalf_of"] = name
    fields["on_behalf_contact"] = contact if name else ""
    return fields


@transaction.atomic
def post_create(
    *,
    membership: Membership,
    side: str,
    kind: str,
    title: str,
    body: str = "",
    category: Talent | None = None,
    when: str = "",
    part_of_day: str = PartOfDay.ANY,
    language: str = "",
    building: Building | None | object = AUTHOR_FLAT,
    audience: str = Audience.NEIGHBOURHOOD,
    photo: UploadedFile | None = None,
    photo_description: str = "",
    on_behalf_of: str = "",
    on_behalf_consent: bool = False,
    on_behalf_contact: str = "",
) -> Post:
    """A member asks the neighbours for something, or offers something to them."""
    _not_suspended(membership)
    if side not in Side.values:
        raise ValidationError({"side": _("Choose whether you ask or offer.")})
    if building is AUTHOR_FLAT:
        building = membership.building
    fields = _validated_fields(
        membership=membership,
        side=side,
        kind=kind,
        title=title,
        body=body,
        category=category,
        when=when,
        part_of_day=part_of_day,
        building=building,
        audience=audience,
        photo_description=photo_description,
        on_behalf_of=on_behalf_of,
        on_behalf_contact=on_behalf_contact,
        on_behalf_consent=on_behalf_consent,
    )
    post = Post(
        neighbourhood_id=membership.neighbourhood_id,
        author_id=membership.user_id,
        side=side,
        language=written_in(membership.user, language),
        on_behalf_consent_at=timezone.now() if fields["on_behalf_of"] else None,
        **fields,
    )
    if photo:
        post.photo = photo
    else:
        post.photo_description = ""
    _rate_check(membership)
    post.save()
    return post


@transaction.atomic
def post_update(
    *,
    membership: Membership,
    post: Post,
    kind: str,
    title: str,
    body: str = "",
    category: Talent | None = None,
    when: str = "",
    part_of_day: str = PartOfDay.ANY,
    language: str = "",
    building: Building | None = None,
    audience: str = Audience.NEIGHBOURHOOD,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
    photo_description: str = "",
    on_behalf_of: str = "",
    on_behalf_consent: bool = False,
    on_behalf_contact: str = "",
) -> Post:
    """The author changes their ask or offer (also one made for a neighbour)."""
    post = _locked(post)
    if not permissions.can_edit(membership, post):
        raise PermissionDenied(_("Only the neighbour who posted this can change it."))
    fields = _validated_fields(
        membership=membership,
        side=post.side,
        kind=kind,
        title=title,
        body=body,
        category=category,
        when=when,
        part_of_day=part_of_day,
        building=building,
        audience=audience,
        photo_description=photo_description,
        on_behalf_of=on_behalf_of,
        on_behalf_contact=on_behalf_contact,
        on_behalf_consent=on_behalf_consent,
    )
    name = fields["on_behalf_of"]
    if not name:
        post.on_behalf_consent_at = None
    elif name != post.on_behalf_of or post.on_behalf_consent_at is None:
        post.on_behalf_consent_at = timezone.now()
    for field, value in fields.items():
        setattr(post, field, value)
    post.language = written_in(membership.user, language)
    old_photo = post.photo.name if post.photo else ""
    if photo:
        post.photo = photo
    elif remove_photo:
        post.photo = ""
    if not post.photo:
        post.photo_description = ""
    post.save()
    new_photo = post.photo.name if post.photo else ""
    if old_photo and old_photo != new_photo:
        storage = post.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return post


@transaction.atomic
def post_renew(*, membership: Membership, post: Post) -> Post:
    """One tap keeps an ask or offer up for another LIFETIME, from now."""
    post = _locked(post)
    if not permissions.can_edit(membership, post):
        raise PermissionDenied(_("Only the neighbour who posted this can renew it."))
    if post.hidden_at is not None:
        raise ValidationError(_("A host has hidden this, so it cannot be renewed."), code=NOT_LIVE)
    if post.status != PostStatus.OPEN:
        raise ValidationError(
            _("This is closed. Post it anew if you need it again."), code=NOT_LIVE
        )
    post.expires_at = timezone.now() + LIFETIME
    post.save(update_fields=["expires_at", "updated_at"])
    asked_counts_forget_for_post(post)
    return post


@transaction.atomic
def post_close(*, membership: Membership, post: Post, status: str) -> Post:
    """The author closes their ask or offer: it helped, or it is no longer needed."""
    if status not in (PostStatus.HELPED, PostStatus.NOT_NEEDED):
        raise ValidationError({"status": _("Choose why you close it.")})
    post = _locked(post)
    if not permissions.can_edit(membership, post):
        raise PermissionDenied(_("Only the neighbour who posted this can close it."))
    if post.status != PostStatus.OPEN:
        raise ValidationError(_("This was already closed."), code=ALREADY_CLOSED)
    post.status = status
    post.closed_at = timezone.now()
    post.save(update_fields=["status", "closed_at", "updated_at"])
    asked_counts_forget_for_post(post)
    return post


def _not_live_message(post: Post) -> str:
    if post.hidden_at is not None:
        return _("A host has hidden this, so it cannot be answered.")
    if post.status != PostStatus.OPEN:
        if post.is_ask:
            return _("This ask is closed: the neighbour no longer needs help with it.")
        return _("This offer is closed: it is no longer available.")
    if post.is_ask:
        return _("This ask has expired, so it can no longer be answered.")
    return _("This offer has expired, so it can no longer be taken up.")


def _default_message(post: Post) -> str:
    if post.is_ask:
        return _("Hello! I can help with “%(title)s”.") % {"title": post.title}
    return _("Hello! I am interested in “%(title)s”.") % {"title": post.title}


@transaction.atomic
def post_answer(*, membership: Membership, post: Post, message: str = "") -> Conversation:
    """A neighbour says "I can help" (or "I'm interested"): a private conversation with the
    author starts, about this post (conversations notifies the author). A second answer
    carries on in the same conversation while it is open."""
    post = _locked(post)
    user = membership.user
    if permissions.is_author(membership, post):
        raise PermissionDenied(_("This is your own. Your neighbours answer it."))
    if blocked_between(user.pk, post.author_id) or not permissions.can_view(membership, post):
        raise PermissionDenied(_("You cannot answer this."))
    if not post.is_live:
        raise ValidationError(_not_live_message(post), code=NOT_LIVE)
    message = _text(message, field="message", max_length=MESSAGE_MAX)
    # With an open conversation between the two about this post, the message goes there.
    return conversation_start(
        neighbourhood=post.neighbourhood,
        user=user,
        to_user=post.author,
        subject=post.title[: Conversation._meta.get_field("subject").max_length],
        body=message or _default_message(post),
        topic=post,
    )


@transaction.atomic
def thanks_give(
    *, membership: Membership, post: Post, receiver: User, note: str = "", language: str = ""
) -> Thanks:
    """The neighbour who asked thanks someone who answered their ask: once per person."""
    post = _locked(post)
    if not (permissions.is_author(membership, post) and post.is_ask):
        raise PermissionDenied(_("Only the neighbour who asked can thank for it."))
    if (
        receiver.pk == membership.user_id
        or receiver.pk not in helper_ids(post)
        or blocked_between(membership.user_id, receiver.pk)
    ):
        raise ValidationError(
            {"receiver": _("You can thank the neighbours who answered this ask.")}
        )
    note = _text(note, field="note", max_length=NOTE_MAX)
    thanks = Thanks(
        neighbourhood_id=post.neighbourhood_id,
        giver_id=membership.user_id,
        receiver=receiver,
        post=post,
        category_id=post.category_id,
        note=note,
        language=written_in(membership.user, language) if note else "",
    )
    already = _("You already thanked %(name)s for this.") % {"name": receiver.display_name}
    if Thanks.objects.filter(giver_id=membership.user_id, receiver=receiver, post=post).exists():
        raise ValidationError(already, code=ALREADY_THANKED)
    try:
        with transaction.atomic():
            thanks.save()
    except IntegrityError as exc:
        raise ValidationError(already, code=ALREADY_THANKED) from exc
    notify(
        recipients=[receiver],
        kind=NotificationKind.THANKS_RECEIVED,
        actor=membership.user,
        params={"title": post.title},
        url=post.get_absolute_url(),
    )
    return thanks
