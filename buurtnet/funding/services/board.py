"""The foundation, its board, rules and funds."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.funding import permissions
from buurtnet.funding.models import BoardRole, BoardSeat, Foundation, Fund
from buurtnet.neighbourhoods.models import Membership, Organisation, OrganisationKind

RULE_FIELDS = (
    "max_grant_cents",
    "funds_what",
    "does_not_fund",
    "approvals_needed",
    "chair_decides_tie",
    "payment_term_days",
    "receipt_tolerance_cents",
    "account_holder",
    "iban",
    "bic",
)


def iban_checked(value: str, *, field: str = "iban") -> str:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    value = (value or "").replace(" ", "").upper()
    if not value:
        return ""
    try:
        return str(IBAN(value).compact)
    except SchwiftyException:
        raise ValidationError(
            {field: _("This IBAN is not valid. Please check the letters and digits.")},
            code="invalid_iban",
        ) from None


def foundation_of(organisation: Organisation) -> Foundation:
    """The foundation's money side, made on first use for an organisation of kind foundation."""
    if organisation.kind != OrganisationKind.FOUNDATION:
        raise ValidationError(_("Only a foundation keeps funds."), code="not_a_foundation")
    foundation, _created = Foundation.objects.get_or_create(
        organisation=organisation,
        defaults={"neighbourhood_id": organisation.neighbourhood_id},
    )
    return foundation


def seat_grant(
    *, by: Membership, foundation: Foundation, member: Membership, role: str
) -> BoardSeat:
    """The chair or a host gives a member of the neighbourhood a seat (or another role)."""
    if not permissions.can_manage_seats(by, foundation):
        raise PermissionDenied(_("Only the chair or a host can change the board."))
    if member.neighbourhood_id != foundation.neighbourhood_id or not member.is_resident:
        raise ValidationError(
            _("A board seat is for a resident of this neighbourhood."), code="not_resident"
        )
    role = BoardRole(role)
    try:
        with transaction.atomic():
            current = (
                BoardSeat.objects.select_for_update()
                .filter(foundation=foundation, user_id=member.user_id, ended_at__isnull=True)
                .first()
            )
            if current is not None:
                if current.role == role:
                    return current
                # A new role is a new seat: the old one ends, so the history shows both.
                current.ended_at = timezone.now()
                current.ended_by = by.user
                current.save(update_fields=["ended_at", "ended_by"])
            return BoardSeat.objects.create(
                foundation=foundation, user_id=member.user_id, role=role, granted_by=by.user
            )
    except IntegrityError:
        raise ValidationError(
            _("The board already has a %(role)s. End that seat first.")
            % {"role": role.label.lower()},
            code="role_taken",
        ) from None


def seat_end(*, by: Membership, seat: BoardSeat) -> BoardSeat:
    if not permissions.can_manage_seats(by, seat.foundation):
        raise PermissionDenied(_("Only the chair or a host can change the board."))
    with transaction.atomic():
        BoardSeat.objects.filter(pk=seat.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=by.user
        )
        seat.refresh_from_db()
    return seat


def rules_update(*, by: Membership, foundation: Foundation, **values) -> Foundation:
    """The board changes the foundation's rules and account."""
    if not permissions.can_edit_rules(by, foundation):
        raise PermissionDenied(_("Only the board can change the rules."))
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    if "iban" in values:
        values["iban"] = iban_checked(values["iban"])
    with transaction.atomic():
        for name, value in values.items():
            setattr(foundation, name, value)
        foundation.full_clean(exclude=["organisation", "neighbourhood"])
        foundation.save()
    return foundation


def fund_save(
    *,
    by: Membership,
    foundation: Foundation,
    fund: Fund | None = None,
    name: str,
    purpose: str = "",
    earmarked: bool = False,
    ends_on: date | None = None,
    may_go_below_zero: bool = False,
) -> Fund:
    """The treasurer opens a fund or changes one."""
    if not permissions.is_treasurer(by, foundation):
        raise PermissionDenied(_("Only the treasurer can change the funds."))
    fund = fund or Fund(foundation=foundation)
    if fund.foundation_id != foundation.pk:
        raise PermissionDenied
    fund.name = name.strip()
    fund.purpose = purpose.strip()
    fund.earmarked = earmarked
    fund.ends_on = ends_on
    fund.may_go_below_zero = may_go_below_zero
    if not fund.name:
        raise ValidationError({"name": _("Please give the fund a name.")})
    try:
        with transaction.atomic():
            fund.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("There is already a fund with this name.")}, code="duplicate"
        ) from None
    return fund
