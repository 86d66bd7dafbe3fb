"""Writes for neighbourhoods: joining, invite codes, join requests and setting one up."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from buurtnet.core.ratelimit import RateLimit
from buurtnet.neighbourhoods.models import (
    Building,
    Home,
    InviteCode,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Neighbourhood,
    Role,
    new_invite_code,
)
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify

MAX_USES_LIMIT = 20
MAX_HOMES_PER_BUILDING = 2000
CODE_ATTEMPTS = 5
# Everything but letters and digits: spaces, and whatever dash was typed or pasted from the letter.
NOT_CODE_CHARACTERS = re.compile(r"[^0-9A-Z]")


def _error(field: str | None, message: str, code: str) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def normalise_invite_code(raw: str) -> str:
    """`abcd efgh`, `ABCDEFGH` and `abcd-efgh` all become `ABCD-EFGH`."""
    compact = NOT_CODE_CHARACTERS.sub("", (raw or "").upper())
    if len(compact) == 8:
        return f"{compact[:4]}-{compact[4:]}"
    return compact


def _is_host(*, user, neighbourhood: Neighbourhood) -> bool:
    return Membership.objects.filter(
        user=user, neighbourhood=neighbourhood, role=Role.HOST
    ).exists()


# Accounts ---------------------------------------------------------------------------------------
#
# Signing up takes two steps, so that the page answers the same for every email address and
# nobody can find out through it who has an account. The form checks everything but the address
# and mails a signed link (`signup_*_start`); on the link's page the owner of the mailbox chooses
# the password, and the account is made (`signup_confirm`). The password is never asked before:
# whoever fills in the form with somebody else's address cannot choose the password of the
# account that address gets. When the address has an account already, the email tells its owner
# how to log in instead.
#
# The link is signed, not encrypted: it carries what the form said (no secret) and proves this
# site wrote it. It is signed by the worker that mails it, so the queue of tasks never holds a
# working link.

SIGNUP_SALT = "buurtnet.neighbourhoods.signup"
SIGNUP_LINK_DAYS = 3
# Sign-up emails per address per hour: enough to try again, too few to flood someone's inbox.
SIGNUP_EMAILS_PER_ADDRESS = RateLimit(scope="signup-email", limit=5, window=60 * 60)


@dataclass(frozen=True)
class SignupLink:
    """What a sign-up link carries: the new account, and the code or the request to join."""

    email: str
    display_name: str
    preferred_language: str
    code: str
    neighbourhood: Neighbourhood | None
    building: Building | None
    message: str
    expired: bool

    @property
    def with_code(self) -> bool:
        return bool(self.code)


def _normal_email(email: str) -> str:
    return (email or "").strip().lower()


def _account_errors(
    *, display_name: str, email: str, preferred_language: str
) -> dict[str, list[ValidationError]]:
    """What is wrong with the account details; whether the address has an account is not one."""
    errors: dict[str, list[ValidationError]] = {}
    name = (display_name or "").strip()
    if not name:
        errors["display_name"] = [
            ValidationError(_("Please fill in the name neighbours will see."), code="required")
        ]
    elif len(name) > 60:
        errors["display_name"] = [
            ValidationError(_("Please use at most 60 characters."), code="max_length")
        ]
    email = _normal_email(email)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [
            ValidationError(_("Please enter a valid email address."), code="invalid")
        ]
    if preferred_language not in dict(settings.LANGUAGES):
        errors["preferred_language"] = [
            ValidationError(_("Please choose one of the languages."), code="invalid")
        ]
    return errors


@sensitive_variables("password")
def _password_errors(
    *, password: str, email: str, display_name: str
) -> dict[str, list[ValidationError]]:
    """What the password rules say about a new account's password."""
    user = get_user_model()(email=email, display_name=display_name)
    try:
        password_validation.validate_password(password or "", user=user)
    except ValidationError as exc:
        return {"password": exc.error_list}
    return {}


def _signup_mail(*, display_name: str, email: str, preferred_language: str, **target) -> str:
    """Mail the sign-up link (the worker decides which email it becomes); returns the address."""
    from buurtnet.neighbourhoods.tasks import send_signup_email

    email = _normal_email(email)
    SIGNUP_EMAILS_PER_ADDRESS.check(email)
    details = {"email": email, "name": display_name.strip(), "lang": preferred_language, **target}
    send_signup_email.enqueue(details=details)
    return email


def signup_link_sign(details: dict) -> str:
    """The token of a sign-up link: what the form said, with the moment of signing."""
    return signing.dumps(details, salt=SIGNUP_SALT, compress=True)


def signup_link_read(token: str) -> SignupLink:
    """What a sign-up link says, if this site signed it; an old link says so in `expired`."""
    invalid = _error(
        None,
        _(
            "This link is not complete or not valid. Please copy the whole link from the email, "
            "or fill in the form again."
        ),
        "link_invalid",
    )
    expired = False
    try:
        payload = signing.loads(token, salt=SIGNUP_SALT, max_age=timedelta(days=SIGNUP_LINK_DAYS))
    except signing.SignatureExpired:
        expired = True
        payload = signing.loads(token, salt=SIGNUP_SALT)
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(payload, dict):
        raise invalid
    try:
        code = str(payload.get("code") or "")
        neighbourhood = building = None
        if code:
            invite = InviteCode.objects.select_related("neighbourhood").filter(code=code).first()
            neighbourhood = invite.neighbourhood if invite else None
        else:
            neighbourhood = Neighbourhood.objects.filter(pk=int(payload["neighbourhood"])).first()
            if neighbourhood is None:
                raise invalid
            if payload.get("building") is not None:
                building = Building.objects.filter(
                    pk=int(payload["building"]), neighbourhood=neighbourhood
                ).first()
        return SignupLink(
            email=str(payload["email"]),
            display_name=str(payload["name"]),
            preferred_language=str(payload["lang"]),
            code=code,
            neighbourhood=neighbourhood,
            building=building,
            message=str(payload.get("message") or ""),
            expired=expired,
        )
    except (KeyError, TypeError, ValueError):
        raise invalid from None


def signup_link_used(link: SignupLink) -> bool:
    """Whether the address of a sign-up link has an account (the link was used, or it existed)."""
    return get_user_model().objects.filter(email__iexact=link.email).exists()


def signup_link_check(link: SignupLink, *, lock: bool = False) -> InviteCode | None:
    """Raise what stands in the way of a sign-up link; return its invite code, if it has one.

    With `lock`, the code's row stays locked until the end of the transaction, which also makes
    a second use of the same link wait for the first.
    """
    if link.expired:
        raise _error(
            None,
            ngettext(
                "This link has expired: it works for %(days)s day. "
                "Please fill in the form again; it only takes a minute.",
                "This link has expired: it works for %(days)s days. "
                "Please fill in the form again; it only takes a minute.",
                SIGNUP_LINK_DAYS,
            )
            % {"days": SIGNUP_LINK_DAYS},
            "link_expired",
        )
    invite = _invite_row(link.code, lock=lock) if link.with_code else None
    if signup_link_used(link):
        raise _link_used_error()
    return _invite_check(invite) if link.with_code else None


def _link_used_error() -> ValidationError:
    return _error(
        None,
        _(
            "This link has been used already, so your account exists. "
            "Log in with your email address and password."
        ),
        "link_used",
    )


def _account_from_link(link: SignupLink, *, password_hash: str):
    User = get_user_model()
    user = User(
        email=link.email,
        display_name=link.display_name,
        preferred_language=link.preferred_language,
        password=password_hash,
    )
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # The same link was followed twice at the same moment; the other one made the account.
        raise _link_used_error() from None
    return user


# Invite codes -----------------------------------------------------------------------------------


def _invite_row(code: str, *, lock: bool) -> InviteCode | None:
    """The invite code row; locked until the end of the transaction when `lock`."""
    invites = InviteCode.objects.select_related("neighbourhood", "home__building")
    if lock:
        invites = invites.select_for_update(of=("self",))
    return invites.filter(code=normalise_invite_code(code)).first()


def _invite_check(invite: InviteCode | None) -> InviteCode:
    """The invite code, if it may still be used."""
    if invite is None:
        raise _error(
            "code",
            _("We do not know this code. Check the letter; a code looks like ABCD-EFGH."),
            "invite_unknown",
        )
    if invite.is_revoked:
        raise _error(
            "code",
            _(
                "This code is no longer valid. "
                "Please ask a host of the neighbourhood for a new one."
            ),
            "invite_revoked",
        )
    used = Membership.objects.filter(invite=invite).count()
    if used >= invite.max_uses:
        raise _error(
            "code",
            ngettext(
                "This code has been used by %(count)s person already, as many as it allows. "
                "Please ask a host of the neighbourhood for help.",
                "This code has been used by %(count)s people already, as many as it allows. "
                "Please ask a host of the neighbourhood for help.",
                used,
            )
            % {"count": used},
            "invite_used_up",
        )
    return invite


def _invite_lock(code: str) -> InviteCode:
    """The invite code row, locked until the end of the transaction, if it may still be used."""
    return _invite_check(_invite_row(code, lock=True))


def _membership_from_invite(*, invite: InviteCode, user) -> Membership:
    neighbourhood = invite.neighbourhood
    already = _error(
        "code",
        _("You are already a member of %(neighbourhood)s.") % {"neighbourhood": neighbourhood.name},
        "already_member",
    )
    if Membership.objects.filter(user=user, neighbourhood=neighbourhood).exists():
        raise already
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                neighbourhood=neighbourhood,
                role=Role.RESIDENT,
                home=invite.home,
                building=invite.home.building,
                invite=invite,
            )
    except IntegrityError:
        raise already from None
    # A request to join that was still waiting is settled by the code.
    JoinRequest.objects.filter(
        neighbourhood=neighbourhood, user=user, status=JoinRequestStatus.PENDING
    ).update(status=JoinRequestStatus.APPROVED, decided_at=timezone.now())
    return membership


@transaction.atomic
def invite_redeem(*, code: str, user) -> Membership:
    """Make a signed-in person a resident of the code's neighbourhood, if the household has room."""
    invite = _invite_lock(code)
    return _membership_from_invite(invite=invite, user=user)


def invite_code_check(*, code: str) -> None:
    """Raise what stands in the way of joining with this code: unknown, revoked or used up.

    Changes nothing; the sign-up form asks it also when other fields are wrong, so that every
    problem is reported at once.
    """
    _invite_check(_invite_row(code, lock=False))


def signup_with_code_start(
    *, code: str, display_name: str, email: str, preferred_language: str
) -> str:
    """Check a sign-up with an invite code and mail its link to the address; returns the address.

    Raises RateLimited when the address had many sign-up emails lately.
    """
    errors: dict[str, list[ValidationError]] = {}
    try:
        invite_code_check(code=code)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    errors.update(
        _account_errors(
            display_name=display_name, email=email, preferred_language=preferred_language
        )
    )
    if errors:
        raise ValidationError(errors)
    return _signup_mail(
        display_name=display_name,
        email=email,
        preferred_language=preferred_language,
        code=normalise_invite_code(code),
    )


def _parse_numbers(numbers: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for number in numbers:
        cleaned = str(number).strip()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def _codes_taken(codes: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        taken.update(InviteCode.objects.filter(code__in=chunk).values_list("code", flat=True))
    return taken


def _fresh_codes(count: int) -> list[str]:
    """`count` distinct codes that no invite code uses yet."""
    codes: dict[str, None] = {}
    for _attempt in range(CODE_ATTEMPTS * 10):
        wanted = count - len(codes)
        drawn = dict.fromkeys(new_invite_code() for _i in range(wanted))
        candidates = [c for c in drawn if c not in codes]
        taken = _codes_taken(candidates)
        codes.update((c, None) for c in candidates if c not in taken)
        if len(codes) == count:
            return list(codes)
    raise RuntimeError("could not generate unused invite codes")


@transaction.atomic
def invite_codes_issue(
    *,
    neighbourhood: Neighbourhood,
    building: Building,
    numbers: Iterable[str] | None = None,
    max_uses: int,
    issued_by=None,
) -> list[InviteCode]:
    """Issue a code per home of a flat that has none, or for chosen numbers (replacing theirs)."""
    if building.neighbourhood_id != neighbourhood.pk:
        raise _error("building", _("This flat is not part of the neighbourhood."), "wrong_building")
    if not 1 <= max_uses <= MAX_USES_LIMIT:
        raise _error(
            "max_uses",
            _("A code may be used by 1 to %(limit)s people.") % {"limit": MAX_USES_LIMIT},
            "max_uses",
        )
    if issued_by is not None and not _is_host(user=issued_by, neighbourhood=neighbourhood):
        raise PermissionDenied(_("Only hosts of the neighbourhood can issue invite codes."))

    # One issuer at a time per flat, so no home ends up with two fresh codes.
    Building.objects.select_for_update().filter(pk=building.pk).first()
    active = InviteCode.objects.filter(home=OuterRef("pk"), revoked_at__isnull=True)
    if numbers is None:
        homes = list(Home.objects.filter(building=building).filter(~Exists(active)))
    else:
        wanted = _parse_numbers(numbers)
        if not wanted:
            raise _error("numbers", _("Please give at least one house number."), "required")
        by_number = {h.number: h for h in Home.objects.filter(building=building, number__in=wanted)}
        unknown = [n for n in wanted if n not in by_number]
        if unknown:
            raise _error(
                "numbers",
                _("These house numbers are not known in %(flat)s: %(numbers)s.")
                % {"flat": building.name, "numbers": ", ".join(unknown)},
                "unknown_numbers",
            )
        homes = [by_number[n] for n in wanted]
        # The new slip replaces whatever the household had; members who joined stay members.
        InviteCode.objects.filter(home__in=homes, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    if not homes:
        return []

    invites = [
        InviteCode(
            neighbourhood=neighbourhood,
            home=home,
            code=code,
            max_uses=max_uses,
            created_by=issued_by,
        )
        for home, code in zip(homes, _fresh_codes(len(homes)), strict=True)
    ]
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return InviteCode.objects.bulk_create(invites)
        except IntegrityError:
            # Another transaction took one of these codes between our check and the insert.
            if attempt == CODE_ATTEMPTS - 1:
                raise
            for invite, code in zip(invites, _fresh_codes(len(invites)), strict=True):
                invite.code = code
    return invites


@transaction.atomic
def invite_revoke(*, code_id: int, host) -> InviteCode:
    """Stop an invite code from being used again; members who joined with it stay members."""
    invite = InviteCode.objects.select_for_update().get(pk=code_id)
    if not _is_host(user=host, neighbourhood=invite.neighbourhood):
        raise PermissionDenied(_("Only hosts of the neighbourhood can revoke invite codes."))
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
    return invite


# Asking to join ---------------------------------------------------------------------------------


def _join_request_errors(
    *, neighbourhood: Neighbourhood, building: Building | None, message: str
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if building is not None and building.neighbourhood_id != neighbourhood.pk:
        errors["building"] = [
            ValidationError(_("This flat is not part of the neighbourhood."), code="wrong_building")
        ]
    if len(message or "") > 1000:
        errors["message"] = [
            ValidationError(_("Please use at most 1000 characters."), code="max_length")
        ]
    return errors


def _join_request_add(
    *, neighbourhood: Neighbourhood, user, building: Building | None, message: str
) -> JoinRequest:
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                neighbourhood=neighbourhood,
                user=user,
                building=building,
                message=(message or "").strip(),
            )
    except IntegrityError:
        raise _error(
            None,
            _("You already asked to join; a host will look at your request."),
            "already_asked",
        ) from None
    hosts = get_user_model().objects.filter(
        memberships__neighbourhood=neighbourhood, memberships__role=Role.HOST, is_active=True
    )
    notify(
        recipients=hosts,
        kind=Kind.JOIN_REQUESTED,
        actor=user,
        params={"neighbourhood": neighbourhood.name},
        url=reverse("neighbourhoods:host", args=[neighbourhood.slug]),
    )
    return join_request


@transaction.atomic
def join_request_create(
    *, neighbourhood: Neighbourhood, user, building: Building | None = None, message: str = ""
) -> JoinRequest:
    """A signed-in person without a code asks the hosts to let them in."""
    if Membership.objects.filter(user=user, neighbourhood=neighbourhood).exists():
        raise _error(
            None,
            _("You are already a member of %(neighbourhood)s.")
            % {"neighbourhood": neighbourhood.name},
            "already_member",
        )
    errors = _join_request_errors(neighbourhood=neighbourhood, building=building, message=message)
    if errors:
        raise ValidationError(errors)
    return _join_request_add(
        neighbourhood=neighbourhood, user=user, building=building, message=message
    )


def signup_with_request_start(
    *,
    neighbourhood: Neighbourhood,
    display_name: str,
    email: str,
    preferred_language: str,
    building: Building | None = None,
    message: str = "",
) -> str:
    """Check a sign-up that asks the hosts to let the person in, and mail its link.

    Returns the address. Raises RateLimited when the address had many sign-up emails lately.
    """
    errors = _account_errors(
        display_name=display_name, email=email, preferred_language=preferred_language
    )
    errors.update(
        _join_request_errors(neighbourhood=neighbourhood, building=building, message=message)
    )
    if errors:
        raise ValidationError(errors)
    return _signup_mail(
        display_name=display_name,
        email=email,
        preferred_language=preferred_language,
        neighbourhood=neighbourhood.pk,
        building=building.pk if building else None,
        message=(message or "").strip(),
    )


@sensitive_variables("password")
def signup_password_check(*, link: SignupLink, password: str) -> None:
    """Raise what the password rules say about the password for a sign-up link's account.

    Changes nothing; the link's page asks it also when the two passwords differ, so that every
    problem is reported at once.
    """
    errors = _password_errors(password=password, email=link.email, display_name=link.display_name)
    if errors:
        raise ValidationError(errors)


@sensitive_variables("password")
def signup_confirm(*, token: str, password: str) -> Membership | JoinRequest:
    """Finish a sign-up from its emailed link, once, with the password chosen on the link's page:
    create the account, then use the code (the person becomes a resident of its home's flat) or
    ask the hosts to let them in."""
    link = signup_link_read(token)
    # A link that can no longer work says so first: choosing a password would not help.
    signup_link_check(link)
    signup_password_check(link=link, password=password)
    # Hashed before the code is locked: the hasher is slow on purpose, the household need not wait.
    return _signup_finish(link=link, password_hash=make_password(password))


@transaction.atomic
def _signup_finish(*, link: SignupLink, password_hash: str) -> Membership | JoinRequest:
    # Everything is checked again with the code locked: the same link may be used in two places
    # at once, and the household may have filled up since the page was opened.
    invite = signup_link_check(link, lock=True)
    if invite is not None:
        user = _account_from_link(link, password_hash=password_hash)
        return _membership_from_invite(invite=invite, user=user)
    errors = _join_request_errors(
        neighbourhood=link.neighbourhood, building=link.building, message=link.message
    )
    if errors:
        raise ValidationError(errors)
    user = _account_from_link(link, password_hash=password_hash)
    return _join_request_add(
        neighbourhood=link.neighbourhood, user=user, building=link.building, message=link.message
    )


@transaction.atomic
def join_request_decide(*, request_id: int, host, approve: bool) -> JoinRequest:
    """A host lets a person in (they become a resident and hear so) or declines; decided once."""
    join_request = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "user")
        .get(pk=request_id)
    )
    neighbourhood = join_request.neighbourhood
    if not _is_host(user=host, neighbourhood=neighbourhood):
        raise PermissionDenied(_("Only hosts of the neighbourhood can decide on requests."))
    if join_request.status != JoinRequestStatus.PENDING:
        raise _error(None, _("This request has already been decided."), "already_decided")
    join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    join_request.decided_by = host
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        _membership, created = Membership.objects.get_or_create(
            user=join_request.user,
            neighbourhood=neighbourhood,
            defaults={"role": Role.RESIDENT, "building": join_request.building},
        )
        if created:
            notify(
                recipients=[join_request.user],
                kind=Kind.JOIN_APPROVED,
                actor=host,
                params={"neighbourhood": neighbourhood.name},
                url=reverse("front:member_home", args=[neighbourhood.slug]),
            )
    return join_request


@transaction.atomic
def membership_building_set(*, membership: Membership, building: Building | None) -> Membership:
    """A member says which flat they live in (or none); the house number is never asked."""
    if building is not None and building.neighbourhood_id != membership.neighbourhood_id:
        raise _error("building", _("This flat is not part of the neighbourhood."), "wrong_building")
    membership.building = building
    membership.save(update_fields=["building"])
    return membership


# Setting up a neighbourhood ---------------------------------------------------------------------


@transaction.atomic
def neighbourhood_create(
    *,
    slug: str,
    name: str,
    municipality: str,
    description: str = "",
    buildings: Iterable[tuple[str, int]] = (),
    host=None,
) -> Neighbourhood:
    """Set up a neighbourhood with its flats (homes numbered 1..N) and optionally its first host."""
    slug = (slug or "").strip()
    try:
        validate_slug(slug)
    except ValidationError:
        raise _error(
            "slug",
            _("Use only letters, digits, hyphens and underscores for the short name."),
            "invalid",
        ) from None
    if Neighbourhood.objects.filter(slug=slug).exists():
        raise _error(
            "slug",
            _("A neighbourhood with the short name %(slug)s already exists.") % {"slug": slug},
            "slug_taken",
        )
    if not (name or "").strip() or not (municipality or "").strip():
        raise _error(None, _("A neighbourhood needs a name and a municipality."), "required")
    buildings = list(buildings)
    names = [b_name.strip() for b_name, _homes in buildings]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise _error("buildings", _("Every flat needs a name of its own."), "building_names")
    for b_name, homes in buildings:
        if not 1 <= homes <= MAX_HOMES_PER_BUILDING:
            raise _error(
                "buildings",
                _("%(flat)s: the number of homes must be between 1 and %(max)s.")
                % {"flat": b_name.strip(), "max": MAX_HOMES_PER_BUILDING},
                "homes",
            )
    neighbourhood = Neighbourhood.objects.create(
        slug=slug,
        name=name.strip(),
        municipality=municipality.strip(),
        description=(description or "").strip(),
    )
    for b_name, homes in buildings:
        building = Building.objects.create(neighbourhood=neighbourhood, name=b_name.strip())
        Home.objects.bulk_create(
            [Home(building=building, number=str(n)) for n in range(1, homes + 1)]
        )
    if host is not None:
        Membership.objects.create(user=host, neighbourhood=neighbourhood, role=Role.HOST)
    return neighbourhood
