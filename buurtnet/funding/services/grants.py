"""Initiators ask for money: a draft, a submission, questions and answers, revised budgets."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.core.money import euros
from buurtnet.funding import permissions
from buurtnet.funding.files import checked_file
from buurtnet.funding.models import (
    BoardSeat,
    BudgetLine,
    Foundation,
    Fund,
    GrantAttachment,
    GrantMessage,
    GrantRequest,
    GrantStatus,
    GrantVersion,
)
from buurtnet.funding.services.board import iban_checked
from buurtnet.initiatives.models import Initiative, ParticipantRole, Participation
from buurtnet.neighbourhoods.models import Membership
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.services import written_in

MAX_BUDGET_LINES = 30
MAX_ATTACHMENTS = 20


@dataclass(frozen=True)
class Budget:
    """What initiators type: the amount, their words and the lines that add up to it."""

    amount_cents: int
    purpose: str
    needed_by: date
    lines: list[tuple[str, int]]
    own_contribution_cents: int = 0
    other_funding_cents: int = 0
    other_funding: str = ""
    change_note: str = ""


def initiators_of(grant: GrantRequest) -> list:
    """The initiators of the request's initiative: they hear what happens to it."""
    return [
        p.user
        for p in Participation.objects.filter(
            initiative_id=grant.initiative_id, role=ParticipantRole.INITIATOR, status="accepted"
        ).select_related("user")
    ]


def _check_budget(foundation: Foundation, budget: Budget) -> None:
    errors: dict[str, list[str]] = {}
    if budget.amount_cents is None or budget.amount_cents <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    elif budget.amount_cents > foundation.max_grant_cents:
        errors["amount"] = [
            _("%(foundation)s gives at most %(max)s per request.")
            % {"foundation": foundation, "max": euros(foundation.max_grant_cents)}
        ]
    if not budget.purpose.strip():
        errors["purpose"] = [_("Please tell in your own words what the money is for.")]
    lines = [(what.strip(), cents) for what, cents in budget.lines if what.strip() or cents]
    if not lines:
        errors["lines"] = [_("Please add at least one budget line: what, and how much.")]
    elif len(lines) > MAX_BUDGET_LINES:
        errors["lines"] = [_("At most 30 budget lines, please.")]
    elif any(not what or not cents or cents <= 0 for what, cents in lines):
        errors["lines"] = [_("Every budget line needs what it is for and an amount above zero.")]
    elif budget.amount_cents and sum(cents for _what, cents in lines) != budget.amount_cents:
        errors["lines"] = [
            _("The budget lines add up to %(total)s, not to the %(amount)s you ask for.")
            % {
                "total": euros(sum(cents for _what, cents in lines)),
                "amount": euros(budget.amount_cents),
            }
        ]
    if budget.needed_by is None:
        errors["needed_by"] = [_("Please tell when you need the money.")]
    if errors:
        raise ValidationError(errors)


def _write_version(version: GrantVersion, budget: Budget) -> GrantVersion:
    version.amount_cents = budget.amount_cents
    version.purpose = budget.purpose.strip()
    version.needed_by = budget.needed_by
    version.own_contribution_cents = budget.own_contribution_cents or 0
    version.other_funding_cents = budget.other_funding_cents or 0
    version.other_funding = budget.other_funding.strip()
    version.change_note = budget.change_note.strip()
    version.save()
    version.lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(version=version, position=n, what=what.strip(), amount_cents=cents)
        for n, (what, cents) in enumerate(
            (what, cents) for what, cents in budget.lines if what.strip() or cents
        )
    )
    return version


def _check_account(account_holder: str, iban: str) -> str:
    iban = iban_checked(iban)
    errors = {}
    if not iban:
        errors["iban"] = [_("Please give the IBAN of the initiative's bank account.")]
    if not account_holder.strip():
        errors["account_holder"] = [_("Please give the name the account is in.")]
    if errors:
        raise ValidationError(errors)
    return iban


def _check_fund(foundation: Foundation, fund: Fund | None) -> None:
    if fund is None or fund.foundation_id != foundation.pk:
        raise ValidationError({"fund": [_("Please choose one of the foundation's funds.")]})
    if fund.ends_on is not None and fund.ends_on < timezone.localdate():
        raise ValidationError({"fund": [_("This fund has ended. Please choose another.")]})


def grant_request_start(
    *,
    by: Membership,
    foundation: Foundation,
    initiative: Initiative,
    fund: Fund | None,
    budget: Budget,
    account_holder: str,
    iban: str,
    language: str = "",
) -> GrantRequest:
    """An initiator starts a request as a draft. A second start (a double click) returns the
    request that is already open."""
    if initiative.neighbourhood_id != foundation.neighbourhood_id or not permissions.can_apply(
        by, initiative
    ):
        raise PermissionDenied(_("Only the initiators of this initiative can ask for money."))
    open_request = GrantRequest.objects.filter(
        foundation=foundation, initiative=initiative, status__in=["draft", "submitted"]
    ).first()
    if open_request is not None:
        return open_request
    _check_fund(foundation, fund)
    _check_budget(foundation, budget)
    iban = _check_account(account_holder, iban)
    try:
        with transaction.atomic():
            grant = GrantRequest.objects.create(
                foundation=foundation,
                initiative=initiative,
                fund=fund,
                account_holder=account_holder.strip(),
                iban=iban,
                created_by=by.user,
                language=written_in(by.user, language),
            )
            _write_version(GrantVersion(request=grant, number=1), budget)
    except IntegrityError:
        return GrantRequest.objects.get(
            foundation=foundation, initiative=initiative, status__in=["draft", "submitted"]
        )
    return grant


def locked(grant: GrantRequest) -> GrantRequest:
    """The request read afresh and locked until the transaction ends: every write to a request
    (its versions, votes, decision, payments, receipts) takes this lock first."""
    return (
        GrantRequest.objects.select_for_update(of=("self",))
        .select_related("foundation", "initiative", "fund")
        .get(pk=grant.pk)
    )


def draft_of(grant: GrantRequest) -> GrantVersion | None:
    return grant.versions.filter(submitted_at__isnull=True).first()


def latest_submitted(grant: GrantRequest) -> GrantVersion | None:
    return grant.versions.filter(submitted_at__isnull=False).order_by("-number").first()


def grant_draft_save(
    *,
    by: Membership,
    grant: GrantRequest,
    budget: Budget,
    fund: Fund | None = None,
    account_holder: str | None = None,
    iban: str | None = None,
) -> GrantVersion:
    """The initiators change their draft, or start a revision of a submitted request."""
    if not permissions.can_edit_request(by, grant):
        raise PermissionDenied(_("Only the initiators can change this request, while it is open."))
    _check_budget(grant.foundation, budget)
    with transaction.atomic():
        grant = locked(grant)
        if grant.status not in (GrantStatus.DRAFT, GrantStatus.SUBMITTED):
            raise ValidationError(_("The board has decided on this request already."))
        fields = []
        if grant.status == GrantStatus.DRAFT and fund is not None:
            _check_fund(grant.foundation, fund)
            grant.fund = fund
            fields.append("fund")
        if account_holder is not None and iban is not None:
            grant.iban = _check_account(account_holder, iban)
            grant.account_holder = account_holder.strip()
            fields += ["iban", "account_holder"]
        if fields:
            grant.save(update_fields=[*fields, "updated_at"])
        draft = draft_of(grant)
        if draft is None:
            last = grant.versions.order_by("-number").first()
            draft = GrantVersion(request=grant, number=(last.number + 1) if last else 1)
        return _write_version(draft, budget)


def grant_submit(*, by: Membership, grant: GrantRequest) -> GrantVersion:
    """Send the draft to the board. Sending what was already sent changes nothing."""
    if not permissions.can_edit_request(by, grant):
        raise PermissionDenied(_("Only the initiators can send this request."))
    with transaction.atomic():
        grant = locked(grant)
        draft = draft_of(grant)
        if draft is None:
            submitted = latest_submitted(grant)
            if submitted is None:
                raise ValidationError(_("There is nothing to send yet."))
            return submitted
        if grant.status not in (GrantStatus.DRAFT, GrantStatus.SUBMITTED):
            raise ValidationError(_("The board has decided on this request already."))
        lines = [(line.what, line.amount_cents) for line in draft.lines.all()]
        _check_budget(
            grant.foundation,
            Budget(
                amount_cents=draft.amount_cents,
                purpose=draft.purpose,
                needed_by=draft.needed_by,
                lines=lines,
            ),
        )
        _check_fund(grant.foundation, grant.fund)
        now = timezone.now()
        draft.submitted_at = now
        draft.submitted_by = by.user
        draft.save(update_fields=["submitted_at", "submitted_by"])
        first = grant.status == GrantStatus.DRAFT
        grant.status = GrantStatus.SUBMITTED
        grant.submitted_at = grant.submitted_at or now
        grant.save(update_fields=["status", "submitted_at", "updated_at"])
        board = BoardSeat.objects.filter(foundation=grant.foundation, ended_at__isnull=True)
        notify(
            recipients=[seat.user for seat in board.select_related("user")],
            kind=Kind.GRANT_SUBMITTED if first else Kind.GRANT_MESSAGE,
            actor=by.user,
            params={
                "foundation": str(grant.foundation),
                "initiative": grant.initiative.title,
                "amount_cents": draft.amount_cents,
                "excerpt": _("A new version of the budget is ready.")
                if not first
                else draft.purpose[:120],
            },
            url=grant.get_absolute_url(),
        )
    return draft


def grant_withdraw(*, by: Membership, grant: GrantRequest) -> GrantRequest:
    if not permissions.can_edit_request(by, grant):
        raise PermissionDenied(_("Only the initiators can withdraw this request."))
    with transaction.atomic():
        grant = locked(grant)
        if grant.status not in (GrantStatus.DRAFT, GrantStatus.SUBMITTED):
            raise ValidationError(_("The board has decided on this request already."))
        grant.status = GrantStatus.WITHDRAWN
        grant.save(update_fields=["status", "updated_at"])
    return grant


def grant_attachment_add(
    *, by: Membership, grant: GrantRequest, upload: UploadedFile, description: str = ""
) -> GrantAttachment:
    """A quote or photo: a PDF or an image (cleaned of its metadata), at most 10 MB."""
    if not permissions.is_applicant(by, grant) or grant.status in (
        GrantStatus.DECLINED,
        GrantStatus.WITHDRAWN,
    ):
        raise PermissionDenied(_("Only the initiators can add files to this request."))
    content, original_name = checked_file(upload)
    with transaction.atomic():
        grant = locked(grant)
        if grant.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(_("At most 20 files per request, please."), code="too_many")
        attachment = GrantAttachment(
            request=grant,
            original_name=original_name,
            description=description.strip()[:200],
            uploaded_by=by.user,
        )
        attachment.file.save(content.name, content, save=False)
        attachment.save()
    return attachment


def grant_message_post(
    *, by: Membership, grant: GrantRequest, text: str, language: str = ""
) -> GrantMessage:
    """A question from the board or an answer from the initiators; the other side is told."""
    grant = GrantRequest.objects.select_related("foundation", "initiative").get(pk=grant.pk)
    if not permissions.can_write_message(by, grant):
        raise PermissionDenied(_("Only the board and the initiators write here."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Please write a message.")]})
    if len(text) > 3000:
        raise ValidationError({"text": [_("At most 3,000 characters, please.")]})
    from_board = permissions.is_board(by, grant.foundation)
    with transaction.atomic():
        message = GrantMessage.objects.create(
            request=grant,
            author=by.user,
            from_board=from_board,
            text=text,
            language=written_in(by.user, language),
        )
        board = BoardSeat.objects.filter(
            foundation=grant.foundation, ended_at__isnull=True
        ).select_related("user")
        recipients = initiators_of(grant) + [seat.user for seat in board]
        notify(
            recipients=recipients,
            kind=Kind.GRANT_MESSAGE,
            actor=by.user,
            params={"initiative": grant.initiative.title, "excerpt": text[:120]},
            url=grant.get_absolute_url() + "#messages",
        )
    return message
