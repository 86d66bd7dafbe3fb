"""The board votes and decides; a decision is never edited, a reversal is a new decision."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.core.money import euros
from buurtnet.funding import ledger, permissions
from buurtnet.funding.conflicts import conflicts_for
from buurtnet.funding.models import (
    Account,
    Decision,
    DecisionOutcome,
    EntryKind,
    Fund,
    GrantMessage,
    GrantRequest,
    GrantStatus,
    LedgerEntry,
    Payment,
    PaymentStatus,
    Vote,
    VoteChoice,
)
from buurtnet.funding.services.grants import initiators_of, locked
from buurtnet.funding.tally import Next, tally
from buurtnet.neighbourhoods.models import Membership
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify

ALREADY_DECIDED = "already_decided"


def _check_fund_holds(grant: GrantRequest, amount_cents: int) -> None:
    """The fund holds the amount. Its row stays locked until the caller's transaction ends, so
    two grants decided at the same moment cannot both spend the same money."""
    if grant.fund_id is None:
        raise ValidationError(_("Choose a fund for this request first."), code="no_fund")
    fund = Fund.objects.select_for_update().get(pk=grant.fund_id)
    if fund.may_go_below_zero:
        return
    balance = ledger.fund_balances(grant.foundation).get(fund.pk, 0)
    if amount_cents > balance:
        raise ValidationError(
            _("%(fund)s holds %(balance)s, not enough for %(amount)s.")
            % {"fund": fund.name, "balance": euros(balance), "amount": euros(amount_cents)},
            code="fund_too_low",
        )


def _record(
    *,
    grant: GrantRequest,
    version,
    outcome: str,
    amount_cents: int,
    decided_by,
    reason: str,
    by_chair: bool = False,
    reverses: Decision | None = None,
) -> Decision:
    """Write the decision, book it, and tell the initiators. Inside the caller's transaction."""
    if outcome == DecisionOutcome.GRANTED:
        _check_fund_holds(grant, amount_cents)
    decision = Decision.objects.create(
        request=grant,
        version=version,
        outcome=outcome,
        amount_cents=amount_cents if outcome == DecisionOutcome.GRANTED else 0,
        fund=grant.fund if outcome == DecisionOutcome.GRANTED else None,
        by_chair=by_chair,
        decided_by=decided_by,
        reason=reason[:2000],
        reverses=reverses,
    )
    today = timezone.localdate()
    if outcome == DecisionOutcome.GRANTED:
        ledger.post(
            foundation=grant.foundation,
            kind=EntryKind.COMMITTED,
            booked_on=today,
            memo=_("Grant to “%(initiative)s”") % {"initiative": grant.initiative.title},
            lines=[
                ledger.debit(Account.FUND, amount_cents, fund=grant.fund),
                ledger.credit(Account.PAYABLE, amount_cents, grant=grant),
            ],
            created_by=decided_by,
            grant=grant,
            decision=decision,
        )
    grant.status = outcome
    grant.save(update_fields=["status", "updated_at"])
    notify(
        recipients=initiators_of(grant),
        kind=Kind.GRANT_DECIDED,
        actor=decided_by,
        params={
            "foundation": str(grant.foundation),
            "initiative": grant.initiative.title,
            "outcome_code": outcome,
            "amount_cents": amount_cents,
            "reason": reason[:300],
        },
        url=grant.get_absolute_url(),
    )
    return decision


def grant_vote(
    *,
    by: Membership,
    grant: GrantRequest,
    choice: str,
    reason: str,
    amount_cents: int | None = None,
    version_number: int | None = None,
) -> Vote:
    """A board member votes on the latest version. Conflicted members are refused here, so a
    forged POST gets no further than a hidden button. The vote that completes the count makes
    the decision, in the same transaction."""
    foundation = grant.foundation
    if not permissions.is_board(by, foundation):
        raise PermissionDenied(_("Only board members vote."))
    choice = VoteChoice(choice)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Please give a short reason.")]})
    with transaction.atomic():
        grant = locked(grant)
        if grant.status != GrantStatus.SUBMITTED:
            raise ValidationError(
                _("The board has decided on this request already."), code=ALREADY_DECIDED
            )
        conflicts = conflicts_for(grant, by.user)
        if conflicts:
            raise PermissionDenied(
                _("You may not vote on this request: %(reason)s")
                % {"reason": " ".join(c.reason for c in conflicts)}
            )
        count = tally(grant)
        version = count.version
        if version is None:
            raise ValidationError(_("There is nothing to vote on yet."))
        if version_number is not None and version_number != version.number:
            raise ValidationError(
                _(
                    "The initiators sent a new version while you were reading. Please read it "
                    "and vote again."
                ),
                code="new_version",
            )
        if choice == VoteChoice.APPROVE_LOWER:
            if not amount_cents or amount_cents <= 0:
                raise ValidationError({"amount": [_("Please give the lower amount.")]})
            if amount_cents >= version.amount_cents:
                raise ValidationError(
                    {
                        "amount": [
                            _("A lower amount is less than the %(amount)s asked.")
                            % {"amount": euros(version.amount_cents)}
                        ]
                    }
                )
        else:
            amount_cents = None
        if choice in (VoteChoice.APPROVE, VoteChoice.APPROVE_LOWER):
            _check_fund_holds(grant, amount_cents or version.amount_cents)
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    request=grant,
                    version=version,
                    voter=by.user,
                    choice=choice,
                    amount_cents=amount_cents,
                    reason=reason[:500],
                )
        except IntegrityError:
            raise ValidationError(
                _("You have voted on this version already."), code="already_voted"
            ) from None
        if choice == VoteChoice.MORE_INFO:
            GrantMessage.objects.create(request=grant, author=by.user, from_board=True, text=reason)
            notify(
                recipients=initiators_of(grant),
                kind=Kind.GRANT_MESSAGE,
                actor=by.user,
                params={"initiative": grant.initiative.title, "excerpt": reason[:120]},
                url=grant.get_absolute_url() + "#messages",
            )
        count = tally(grant, version)
        if count.next in (Next.GRANT, Next.DECLINE):
            deciding = count.approvals if count.next == Next.GRANT else count.declines
            _record(
                grant=grant,
                version=version,
                outcome=DecisionOutcome.GRANTED
                if count.next == Next.GRANT
                else DecisionOutcome.DECLINED,
                amount_cents=count.amount_cents or 0,
                decided_by=by.user,
                reason=" · ".join(v.reason for v in deciding),
            )
    return vote


def grant_chair_decide(
    *,
    by: Membership,
    grant: GrantRequest,
    outcome: str,
    reason: str,
    amount_cents: int | None = None,
) -> Decision:
    """The chair decides a tie, or a request too few eligible members can vote on."""
    outcome = DecisionOutcome(outcome)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason for the decision.")]})
    with transaction.atomic():
        grant = locked(grant)
        if grant.status != GrantStatus.SUBMITTED:
            raise ValidationError(
                _("The board has decided on this request already."), code=ALREADY_DECIDED
            )
        count = tally(grant)
        if not permissions.is_chair(by, grant.foundation) or not count.chair_may_decide(by.user.pk):
            raise PermissionDenied(
                _("The chair decides only on a tie or when too few members may vote.")
            )
        version = count.version
        if outcome == DecisionOutcome.GRANTED:
            amount_cents = amount_cents or version.amount_cents
            if amount_cents <= 0 or amount_cents > version.amount_cents:
                raise ValidationError(
                    {"amount": [_("The amount must be above zero and at most what was asked.")]}
                )
        try:
            with transaction.atomic():
                return _record(
                    grant=grant,
                    version=version,
                    outcome=outcome,
                    amount_cents=amount_cents or 0,
                    decided_by=by.user,
                    reason=reason,
                    by_chair=True,
                )
        except IntegrityError:
            raise ValidationError(
                _("The board has decided on this request already."), code=ALREADY_DECIDED
            ) from None


def grant_decision_reverse(
    *, by: Membership, decision: Decision, reason: str, amount_cents: int | None = None
) -> Decision:
    """The chair reverses a decision with its reason: a new decision, the old one stays.

    A grant can be reversed while nothing of it is paid or on its way to the bank; the
    commitment in the ledger is then reversed too. A decline reversed grants the amount given.
    """
    grant = decision.request
    if not permissions.is_chair(by, grant.foundation):
        raise PermissionDenied(_("Only the chair reverses a decision."))
    if conflicts_for(grant, by.user):
        raise PermissionDenied(_("You may not decide on this request."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason for the reversal.")]})
    with transaction.atomic():
        grant = locked(grant)
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if Decision.objects.filter(reverses=decision).exists():
            raise ValidationError(_("This decision has been reversed already."))
        if decision.outcome == DecisionOutcome.GRANTED:
            busy = Payment.objects.filter(grant=grant).exclude(status=PaymentStatus.CANCELLED)
            if busy.exists():
                raise ValidationError(
                    _(
                        "Part of this grant is paid or on its way. Cancel the payment, or "
                        "record the money returned, before reversing."
                    ),
                    code="paid",
                )
            reversed_decision = Decision.objects.create(
                request=grant,
                version=decision.version,
                outcome=DecisionOutcome.DECLINED,
                decided_by=by.user,
                by_chair=True,
                reason=reason[:2000],
                reverses=decision,
            )
            for entry in LedgerEntry.objects.filter(
                decision=decision, kind=EntryKind.COMMITTED, reverses__isnull=True
            ):
                ledger.reverse(
                    entry=entry,
                    booked_on=timezone.localdate(),
                    memo=_("Decision reversed: %(reason)s") % {"reason": reason},
                    created_by=by.user,
                )
            grant.status = GrantStatus.DECLINED
            grant.save(update_fields=["status", "updated_at"])
            notify(
                recipients=initiators_of(grant),
                kind=Kind.GRANT_DECIDED,
                actor=by.user,
                params={
                    "foundation": str(grant.foundation),
                    "initiative": grant.initiative.title,
                    "outcome_code": "declined",
                    "reason": reason[:300],
                },
                url=grant.get_absolute_url(),
            )
            return reversed_decision
        amount_cents = amount_cents or decision.version.amount_cents
        if amount_cents <= 0 or amount_cents > decision.version.amount_cents:
            raise ValidationError(
                {"amount": [_("The amount must be above zero and at most what was asked.")]}
            )
        return _record(
            grant=grant,
            version=decision.version,
            outcome=DecisionOutcome.GRANTED,
            amount_cents=amount_cents,
            decided_by=by.user,
            reason=reason,
            by_chair=True,
            reverses=decision,
        )
