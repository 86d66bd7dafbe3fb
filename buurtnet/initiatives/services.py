"""Every change to an initiative goes through one of these functions."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from buurtnet.core.images import PHOTO_MAX_BYTES
from buurtnet.initiatives import permissions
from buurtnet.initiatives.models import (
    Initiative,
    Learning,
    Need,
    NeedKind,
    OfferStatus,
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Status,
    SupportKind,
    SupportOffer,
    Theme,
    Update,
    Visibility,
)
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.models import Membership, Organisation
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import Talent, User
from buurtnet.people.services import written_in

# The error code of a request to join that is already waiting (views answer it kindly).
ALREADY_ASKED = "already_asked"

PHOTO_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP"})

# The usual path of an initiative; "paused" can be entered from any step before the end.
STATUS_PATH = [Status.IDEA, Status.STARTING, Status.ACTIVE, Status.STRUCTURAL, Status.ENDED]


def next_statuses(current: str) -> list[str]:
    """Where an initiative can go next: ahead on its path, into a pause, or out of one."""
    if current == Status.PAUSED:
        return list(STATUS_PATH)
    if current not in STATUS_PATH or current == Status.ENDED:
        return []
    return [*STATUS_PATH[STATUS_PATH.index(current) + 1 :], Status.PAUSED]


def _deny(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Only the initiators of this initiative can do that."))


def _locked(initiative: Initiative) -> Initiative:
    """Serialise changes to one initiative (and see its current state, not the request's copy)."""
    return (
        Initiative.objects.select_for_update().select_related("neighbourhood").get(pk=initiative.pk)
    )


def _initiators(initiative: Initiative) -> list[User]:
    return list(
        User.objects.filter(
            participations__initiative=initiative,
            participations__role=ParticipantRole.INITIATOR,
            participations__status=ParticipationStatus.ACCEPTED,
        )
    )


def _manage_url(initiative: Initiative) -> str:
    return reverse("initiatives:manage", args=[initiative.neighbourhood.slug, initiative.pk])


def _clean_text(value: str) -> str:
    return (value or "").strip()


def _touch(initiative: Initiative) -> None:
    """Recent activity brings an initiative to the top of the list."""
    Initiative.objects.filter(pk=initiative.pk).update(updated_at=timezone.now())
    shared_cache.bump(initiative.neighbourhood_id)


def _validate_themes(themes: Iterable[Theme]) -> list[Theme]:
    themes = list(themes)
    if any(not isinstance(t, Theme) or t.pk is None for t in themes):
        raise ValidationError({"themes": _("Choose themes from the list.")})
    return themes


def _validated_need(
    *, initiative: Initiative, kind: str, description: str, talent: Talent | None
) -> Need:
    need = Need(
        initiative=initiative,
        kind=kind,
        description=_clean_text(description),
        talent=talent if kind == NeedKind.TALENT else None,
    )
    if kind == NeedKind.TALENT and talent is None:
        raise ValidationError({"talent": _("Choose which talent you are looking for.")})
    need.full_clean(exclude=["initiative"])
    return need


@transaction.atomic
def initiative_start(
    *,
    membership: Membership,
    title: str,
    wish: str,
    description: str = "",
    themes: Iterable[Theme] = (),
    visibility: str = Visibility.PUBLIC,
    need_kind: str = "",
    need_description: str = "",
    need_talent: Talent | None = None,
    language: str = "",
) -> Initiative:
    """A resident starts an initiative from their wish and leads it as its first initiator."""
    if not permissions.can_start(membership):
        raise PermissionDenied(_("Residents start initiatives; partners join in on them."))
    initiative = Initiative(
        neighbourhood=membership.neighbourhood,
        title=_clean_text(title),
        wish=_clean_text(wish),
        description=_clean_text(description),
        visibility=visibility,
        status=Status.IDEA,
        created_by=membership.user,
        language=written_in(membership.user, language),
    )
    initiative.full_clean(exclude=["neighbourhood", "created_by"])
    themes = _validate_themes(themes)
    need = None
    if need_kind or _clean_text(need_description):
        need = _validated_need(
            initiative=initiative,
            kind=need_kind,
            description=need_description,
            talent=need_talent,
        )
    initiative.save()
    initiative.themes.set(themes)
    Participation.objects.create(
        initiative=initiative,
        user=membership.user,
        role=ParticipantRole.INITIATOR,
        status=ParticipationStatus.ACCEPTED,
        decided_at=timezone.now(),
    )
    if need is not None:
        need.initiative = initiative
        need.save()
    return initiative


@transaction.atomic
def initiative_update(
    *,
    membership: Membership,
    initiative: Initiative,
    title: str,
    wish: str,
    description: str,
    themes: Iterable[Theme],
    visibility: str,
    language: str | None = None,
) -> Initiative:
    """The initiators change how their initiative is described and who can see it."""
    initiative = _locked(initiative)
    _deny(permissions.can_edit(membership, initiative))
    if language is not None:
        initiative.language = written_in(membership.user, language)
    initiative.title = _clean_text(title)
    initiative.wish = _clean_text(wish)
    initiative.description = _clean_text(description)
    initiative.visibility = visibility
    initiative.full_clean(exclude=["neighbourhood", "created_by"])
    themes = _validate_themes(themes)
    initiative.save()
    initiative.themes.set(themes)
    return initiative


@transaction.atomic
def initiative_set_status(
    *, membership: Membership, initiative: Initiative, status: str
) -> Initiative:
    """The initiators move their initiative along (idea → … → ended), pause it or resume it."""
    initiative = _locked(initiative)
    _deny(permissions.can_change_status(membership, initiative))
    if status not in next_statuses(initiative.status):
        raise ValidationError(
            {
                "status": _("An initiative cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": initiative.get_status_display(),
                    "to": dict(Status.choices).get(status, status),
                }
            }
        )
    initiative.status = status
    initiative.save(update_fields=["status", "updated_at"])
    return initiative


@transaction.atomic
def initiator_add(*, membership: Membership, initiative: Initiative, user: User) -> Participation:
    """An initiator shares the lead with a resident who is listed or already on board."""
    initiative = _locked(initiative)
    _deny(permissions.can_add_initiator(membership, initiative))
    target = Membership.objects.filter(
        user=user, neighbourhood_id=initiative.neighbourhood_id
    ).first()
    if target is None or not target.is_resident:
        raise ValidationError(
            {"user": _("Only residents of the neighbourhood can become initiators.")}
        )
    participation = (
        Participation.objects.select_for_update().filter(initiative=initiative, user=user).first()
    )
    if participation is None:
        participation = Participation(initiative=initiative, user=user)
    elif participation.role == ParticipantRole.INITIATOR:
        raise ValidationError({"user": _("%(name)s is already an initiator.") % {"name": user}})
    on_board = participation.status == ParticipationStatus.ACCEPTED
    # Residents who chose not to be listed are not picked out of the neighbourhood by others.
    if not user.listed_in_directory and not on_board:
        raise ValidationError(
            {"user": _("Choose a neighbour who is listed in the member directory or on board.")}
        )
    participation.role = ParticipantRole.INITIATOR
    participation.status = ParticipationStatus.ACCEPTED
    participation.decided_at = timezone.now()
    participation.save()
    return participation


@transaction.atomic
def initiative_join(
    *,
    membership: Membership,
    initiative: Initiative,
    talents: Iterable[Talent] = (),
    brings: str = "",
) -> Participation:
    """A neighbour asks to join from their own talents; the initiators decide."""
    initiative = _locked(initiative)
    if not permissions.can_join(membership, initiative):
        if membership.is_professional:
            raise PermissionDenied(_("Partners offer support instead of joining as participants."))
        waiting = permissions.participation_of(membership, initiative)
        if waiting is not None and waiting.status == ParticipationStatus.PENDING:
            raise ValidationError(
                _("You already asked to join; the initiators will answer soon."),
                code=ALREADY_ASKED,
            )
        raise PermissionDenied(_("You are already part of this initiative or it has ended."))
    user = membership.user
    talents = list(talents)
    own = set(user.talents.values_list("pk", flat=True))
    if any(t.pk not in own for t in talents):
        raise ValidationError({"talents": _("Choose talents from your own profile.")})
    participation = (
        Participation.objects.select_for_update().filter(initiative=initiative, user=user).first()
    )
    if participation is None:
        participation = Participation(initiative=initiative, user=user)
    elif participation.status != ParticipationStatus.LEFT:
        raise ValidationError(
            _("You already asked to join; the initiators will answer soon."), code=ALREADY_ASKED
        )
    participation.role = ParticipantRole.PARTICIPANT
    participation.status = ParticipationStatus.PENDING
    participation.brings = _clean_text(brings)
    participation.decided_at = None
    participation.full_clean(exclude=["initiative", "user"], validate_unique=False)
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("You already asked to join; the initiators will answer soon."), code=ALREADY_ASKED
        ) from exc
    participation.talents.set(talents)
    notify(
        recipients=_initiators(initiative),
        kind=Kind.INITIATIVE_JOINED,
        actor=user,
        params={"initiative": initiative.title},
        url=_manage_url(initiative),
    )
    return participation


@transaction.atomic
def participation_decide(
    *, membership: Membership, participation: Participation, accept: bool
) -> Participation:
    """The initiators welcome a neighbour on board, or decline."""
    initiative = _locked(participation.initiative)
    _deny(permissions.can_decide_participants(membership, initiative))
    participation = (
        Participation.objects.select_for_update()
        .select_related("user")
        .get(pk=participation.pk, initiative=initiative)
    )
    if participation.status != ParticipationStatus.PENDING:
        raise ValidationError(_("This request to join was already answered."))
    participation.status = ParticipationStatus.ACCEPTED if accept else ParticipationStatus.DECLINED
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "decided_at"])
    if accept:
        notify(
            recipients=[participation.user],
            kind=Kind.PARTICIPATION_ACCEPTED,
            actor=membership.user,
            params={"initiative": initiative.title},
            url=initiative.get_absolute_url(),
        )
    return participation


@transaction.atomic
def participation_leave(*, membership: Membership, initiative: Initiative) -> Participation:
    """A participant steps out (or withdraws a request); the last initiator cannot leave."""
    initiative = _locked(initiative)
    if not permissions.can_leave(membership, initiative):
        participation = permissions.participation_of(membership, initiative)
        if (
            participation is not None
            and participation.role == ParticipantRole.INITIATOR
            and participation.status == ParticipationStatus.ACCEPTED
        ):
            raise ValidationError(
                _("You are the only initiator. Add a co-initiator before you leave.")
            )
        raise PermissionDenied(_("You are not part of this initiative."))
    participation = Participation.objects.select_for_update().get(
        initiative=initiative, user=membership.user
    )
    participation.role = ParticipantRole.PARTICIPANT
    participation.status = ParticipationStatus.LEFT
    participation.decided_at = timezone.now()
    participation.save(update_fields=["role", "status", "decided_at"])
    return participation


@transaction.atomic
def need_add(
    *,
    membership: Membership,
    initiative: Initiative,
    kind: str,
    description: str,
    talent: Talent | None = None,
) -> Need:
    """The initiators say what their initiative is looking for."""
    initiative = _locked(initiative)
    _deny(permissions.can_add_need(membership, initiative))
    need = _validated_need(initiative=initiative, kind=kind, description=description, talent=talent)
    need.save()
    _touch(initiative)
    return need


@transaction.atomic
def need_mark_met(
    *,
    membership: Membership,
    need: Need,
    met_by: User | None = None,
    met_by_organisation: Organisation | None = None,
) -> Need:
    """The initiators record that a need is met, and by which neighbour or partner."""
    initiative = _locked(need.initiative)
    _deny(permissions.can_mark_need_met(membership, initiative))
    need = Need.objects.select_for_update().get(pk=need.pk, initiative=initiative)
    if need.is_met:
        raise ValidationError(_("This need was already met."))
    if met_by is not None and met_by_organisation is not None:
        raise ValidationError(_("Choose either a neighbour or an organisation."))
    neighbourhood_id = initiative.neighbourhood_id
    if (
        met_by is not None
        and not Membership.objects.filter(user=met_by, neighbourhood_id=neighbourhood_id).exists()
    ):
        raise ValidationError(_("Choose someone from this neighbourhood."))
    if met_by_organisation is not None and met_by_organisation.neighbourhood_id != neighbourhood_id:
        raise ValidationError(_("Choose an organisation of this neighbourhood."))
    need.is_met = True
    need.met_by = met_by
    need.met_by_organisation = met_by_organisation
    need.met_at = timezone.now()
    need.save(update_fields=["is_met", "met_by", "met_by_organisation", "met_at"])
    _touch(initiative)
    return need


@transaction.atomic
def support_offer_make(
    *,
    membership: Membership,
    initiative: Initiative,
    kind: str,
    message: str,
    need: Need | None = None,
) -> SupportOffer:
    """A professional offers support on behalf of their organisation; the initiators decide."""
    initiative = _locked(initiative)
    if not permissions.can_offer_support(membership, initiative):
        raise PermissionDenied(_("Only partners of the neighbourhood can offer support."))
    if kind not in SupportKind.values:
        raise ValidationError({"kind": _("Choose a kind of support.")})
    if need is not None and (need.initiative_id != initiative.pk or need.is_met):
        raise ValidationError({"need": _("Choose one of the open needs of this initiative.")})
    # The initiative is locked: a second offer cannot slip in between this check and the save.
    waiting = SupportOffer.objects.filter(
        initiative=initiative,
        organisation_id=membership.organisation_id,
        need=need,
        status=OfferStatus.PENDING,
    )
    if waiting.exists():
        if need is None:
            message = _(
                "Your organisation already has an offer waiting for the initiators' answer."
                " Choose a need if this offer is about something else."
            )
        else:
            message = _(
                "Your organisation already offered support for this need."
                " The initiators have not answered yet."
            )
        raise ValidationError({"need": message})
    offer = SupportOffer(
        initiative=initiative,
        organisation=membership.organisation,
        offered_by=membership.user,
        kind=kind,
        message=_clean_text(message),
        need=need,
    )
    offer.full_clean(exclude=["initiative", "organisation", "offered_by", "need"])
    offer.save()
    notify(
        recipients=_initiators(initiative),
        kind=Kind.SUPPORT_OFFERED,
        actor=membership.user,
        params={"initiative": initiative.title, "organisation": membership.organisation.name},
        url=_manage_url(initiative),
    )
    return offer


@transaction.atomic
def support_offer_decide(
    *, membership: Membership, offer: SupportOffer, accept: bool
) -> SupportOffer:
    """The initiators accept a partner's offer (the partner then shows as supporter) or decline."""
    initiative = _locked(offer.initiative)
    _deny(permissions.can_decide_offers(membership, initiative))
    offer = (
        SupportOffer.objects.select_for_update()
        .select_related("offered_by")
        .get(pk=offer.pk, initiative=initiative)
    )
    if offer.status != OfferStatus.PENDING:
        raise ValidationError(_("This offer was already answered or withdrawn."))
    offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    offer.decided_by = membership.user
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        notify(
            recipients=[offer.offered_by],
            kind=Kind.OFFER_ACCEPTED,
            actor=membership.user,
            params={"initiative": initiative.title},
            url=initiative.get_absolute_url(),
        )
        _touch(initiative)
    return offer


@transaction.atomic
def support_offer_withdraw(*, membership: Membership, offer: SupportOffer) -> SupportOffer:
    """The professional who made an offer takes it back."""
    offer = SupportOffer.objects.select_for_update().select_related("initiative").get(pk=offer.pk)
    if offer.status == OfferStatus.WITHDRAWN and offer.offered_by_id == membership.user_id:
        raise ValidationError(_("This offer was already withdrawn."))
    if not permissions.can_withdraw_offer(membership, offer):
        raise PermissionDenied(_("Only the person who made this offer can withdraw it."))
    offer.status = OfferStatus.WITHDRAWN
    offer.save(update_fields=["status"])
    return offer


def validate_photo(photo: UploadedFile) -> None:
    """A photo is a real JPEG, PNG, GIF or WebP image of at most 5 MB."""
    if photo.size is None or photo.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("The photo is too large: at most 5 MB, please.")})
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise ValidationError({"photo": _("This file is not a photo we can show.")}) from exc
    finally:
        photo.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError({"photo": _("Please upload a JPEG, PNG, GIF or WebP photo.")})


@transaction.atomic
def update_post(
    *,
    membership: Membership,
    initiative: Initiative,
    body: str,
    photo: UploadedFile | None = None,
    photo_description: str = "",
    language: str = "",
) -> Update:
    """Someone on board shares how it goes, optionally with a photo."""
    initiative = _locked(initiative)
    if not permissions.can_post_update(membership, initiative):
        raise PermissionDenied(_("Only people on board of this initiative can post updates."))
    update = Update(
        initiative=initiative,
        author=membership.user,
        body=_clean_text(body),
        photo_description=_clean_text(photo_description) if photo else "",
        language=written_in(membership.user, language),
    )
    update.full_clean(exclude=["initiative", "author", "photo"])
    if photo:
        validate_photo(photo)
        update.photo = photo
    update.save()
    _touch(initiative)
    return update


@transaction.atomic
def learning_post(
    *,
    membership: Membership,
    initiative: Initiative,
    what_worked: str = "",
    what_did_not: str = "",
    language: str = "",
) -> Learning:
    """Someone on board writes down what worked and what didn't, so others can learn."""
    initiative = _locked(initiative)
    if not permissions.can_post_learning(membership, initiative):
        raise PermissionDenied(_("Only people on board of this initiative can share learnings."))
    learning = Learning(
        initiative=initiative,
        author=membership.user,
        what_worked=_clean_text(what_worked),
        what_did_not=_clean_text(what_did_not),
        language=written_in(membership.user, language),
    )
    if not learning.what_worked and not learning.what_did_not:
        raise ValidationError(_("Write what worked, what didn't, or both."))
    learning.full_clean(exclude=["initiative", "author"])
    learning.save()
    _touch(initiative)
    return learning
