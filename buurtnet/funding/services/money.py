"""The treasurer's work: money in, payments, bank statements, receipts and corrections."""

import hashlib
import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.core.money import euros
from buurtnet.funding import bankfiles, ledger, permissions
from buurtnet.funding.files import checked_file
from buurtnet.funding.models import (
    Account,
    BankLine,
    BankStatement,
    BoardRole,
    BoardSeat,
    Donation,
    EntryKind,
    Foundation,
    Fund,
    GrantRequest,
    GrantStatus,
    LedgerEntry,
    Payment,
    PaymentBatch,
    PaymentStatus,
    Receipt,
    ReceiptStatus,
    SourceKind,
)
from buurtnet.funding.services.grants import initiators_of, locked
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods.models import Membership
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import User

PENDING_PAYMENT = (PaymentStatus.TO_PAY, PaymentStatus.IN_FILE)


def _treasurer_only(by: Membership, foundation: Foundation) -> None:
    if not permissions.is_treasurer(by, foundation):
        raise PermissionDenied(_("Only the treasurer can do this."))


# --------------------------------------------------------------------------------------- money in


def donation_record(
    *,
    by: Membership,
    foundation: Foundation,
    fund: Fund,
    amount_cents: int,
    received_on: date,
    source_kind: str,
    public_name: str = "",
    name_consent: bool = False,
    reference: str = "",
    donor: User | None = None,
    earmarked_initiative: Initiative | None = None,
    bank_line: BankLine | None = None,
) -> Donation:
    """Record money received (from a bank line when there is one) and book it on its fund."""
    _treasurer_only(by, foundation)
    errors = {}
    if fund is None or fund.foundation_id != foundation.pk:
        errors["fund"] = [_("Please choose one of the foundation's funds.")]
    if not amount_cents or amount_cents <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    if public_name.strip() and not name_consent:
        errors["public_name"] = [_("A name is shown only when the giver agrees.")]
    if received_on is None:
        errors["received_on"] = [_("Please give the date the money came in.")]
    elif received_on > timezone.localdate():
        errors["received_on"] = [_("This date is still to come.")]
    if earmarked_initiative is not None and (
        earmarked_initiative.neighbourhood_id != foundation.neighbourhood_id
    ):
        errors["earmarked_initiative"] = [_("Please choose an initiative of this neighbourhood.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if bank_line is not None:
            bank_line = BankLine.objects.select_for_update().get(pk=bank_line.pk)
            if bank_line.is_matched:
                raise ValidationError(_("This bank line is matched already."), code="matched")
            if bank_line.statement.foundation_id != foundation.pk or bank_line.amount_cents != (
                amount_cents
            ):
                raise ValidationError(
                    _("The amount must be the amount of the bank line."), code="amount"
                )
        donation = Donation.objects.create(
            foundation=foundation,
            fund=fund,
            amount_cents=amount_cents,
            received_on=received_on,
            source_kind=SourceKind(source_kind),
            public_name=public_name.strip() if name_consent else "",
            name_consent=name_consent,
            reference=reference.strip()[:140],
            donor=donor,
            earmarked_initiative=earmarked_initiative,
            recorded_by=by.user,
        )
        ledger.post(
            foundation=foundation,
            kind=EntryKind.RECEIVED,
            booked_on=received_on,
            memo=_("%(kind)s for %(fund)s")
            % {"kind": donation.get_source_kind_display(), "fund": fund.name},
            lines=[
                ledger.debit(Account.BANK, amount_cents),
                ledger.credit(Account.FUND, amount_cents, fund=fund),
            ],
            created_by=by.user,
            donation=donation,
            bank_line=bank_line,
        )
        if bank_line is not None:
            try:
                with transaction.atomic():
                    BankLine.objects.filter(pk=bank_line.pk, donation__isnull=True).update(
                        donation=donation
                    )
            except IntegrityError:
                raise ValidationError(_("This bank line is matched already.")) from None
    return donation


# ---------------------------------------------------------------------------------------- paying


def pending_cents(grant: GrantRequest) -> int:
    return (
        Payment.objects.filter(grant=grant, status__in=PENDING_PAYMENT).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )


def payment_mark(*, by: Membership, grant: GrantRequest, amount_cents: int) -> Payment:
    """The treasurer marks (part of) a grant to pay. Never more than what is left to pay."""
    _treasurer_only(by, grant.foundation)
    if not amount_cents or amount_cents <= 0:
        raise ValidationError({"amount": [_("The amount must be more than zero.")]})
    with transaction.atomic():
        grant = locked(grant)
        if grant.status != GrantStatus.GRANTED:
            raise ValidationError(_("Only a granted request is paid."), code="not_granted")
        left = ledger.grant_figures_of(grant).to_pay - pending_cents(grant)
        if amount_cents > left:
            raise ValidationError(
                {
                    "amount": [
                        _("At most %(left)s is left to pay on this grant.")
                        % {"left": euros(max(left, 0))}
                    ]
                },
                code="above_grant",
            )
        return Payment.objects.create(
            grant=grant,
            amount_cents=amount_cents,
            end_to_end_id=f"BN{grant.pk}-{uuid.uuid4().hex[:12].upper()}",
            marked_by=by.user,
        )


def payment_cancel(*, by: Membership, payment: Payment) -> Payment:
    _treasurer_only(by, payment.grant.foundation)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status not in PENDING_PAYMENT:
            raise ValidationError(_("A paid payment cannot be cancelled."), code="paid")
        payment.status = PaymentStatus.CANCELLED
        payment.save(update_fields=["status"])
    return payment


def payments_file(*, by: Membership, foundation: Foundation, execution_date: date) -> PaymentBatch:
    """One SEPA credit transfer file with every payment marked to pay."""
    _treasurer_only(by, foundation)
    if execution_date < timezone.localdate():
        raise ValidationError(
            {"execution_date": [_("The bank cannot pay on a day that has passed.")]}
        )
    with transaction.atomic():
        payments = list(
            Payment.objects.select_for_update()
            .filter(grant__foundation=foundation, status=PaymentStatus.TO_PAY)
            .select_related("grant__initiative")
            .order_by("pk")
        )
        if not payments:
            raise ValidationError(_("There is nothing to pay."), code="empty")
        message_id = f"BN{foundation.pk}-{uuid.uuid4().hex[:16].upper()}"
        try:
            xml = bankfiles.credit_transfer_xml(
                foundation=foundation,
                payments=payments,
                execution_date=execution_date,
                message_id=message_id,
            )
        except bankfiles.BadPayments as error:
            raise ValidationError(str(error), code="bad_payments") from None
        batch = PaymentBatch.objects.create(
            foundation=foundation,
            message_id=message_id,
            execution_date=execution_date,
            created_by=by.user,
            xml=xml.decode("utf-8") if isinstance(xml, bytes) else xml,
        )
        Payment.objects.filter(pk__in=[p.pk for p in payments]).update(
            status=PaymentStatus.IN_FILE, batch=batch
        )
    return batch


def _fits(payment: Payment) -> bool:
    """The grant has this payment's amount still to pay (counting what is on its way, but not
    the payment itself)."""
    grant = locked(payment.grant)
    figures = ledger.grant_figures_of(grant)
    others = (
        Payment.objects.filter(grant=grant, status__in=PENDING_PAYMENT)
        .exclude(pk=payment.pk)
        .aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )
    if payment.status == PaymentStatus.CANCELLED:
        return payment.amount_cents <= figures.to_pay - others
    return payment.amount_cents <= figures.granted - figures.paid


def _pay(*, by_user, payment: Payment, line: BankLine) -> None:
    """The statement shows the payment: book it as paid (inside the caller's transaction)."""
    grant = locked(payment.grant)
    figures = ledger.grant_figures_of(grant)
    if payment.amount_cents > figures.granted - figures.paid:
        raise ValidationError(_("This payment is more than is left of the grant."))
    ledger.post(
        foundation=grant.foundation,
        kind=EntryKind.PAID,
        booked_on=line.booked_on,
        memo=_("Paid to “%(initiative)s”") % {"initiative": grant.initiative.title},
        lines=[
            ledger.debit(Account.ADVANCE, payment.amount_cents, grant=grant),
            ledger.credit(Account.BANK, payment.amount_cents),
        ],
        created_by=by_user,
        grant=grant,
        payment=payment,
        bank_line=line,
    )
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.PAID, paid_on=line.booked_on)
    BankLine.objects.filter(pk=line.pk).update(payment=payment)
    notify(
        recipients=initiators_of(grant),
        kind=Kind.GRANT_PAID,
        actor=None,
        params={
            "foundation": str(grant.foundation),
            "initiative": grant.initiative.title,
            "amount_cents": payment.amount_cents,
        },
        url=grant.get_absolute_url(),
    )


def statement_import(
    *, by: Membership, foundation: Foundation, data: bytes, file_name: str = ""
) -> BankStatement:
    """Read a CAMT.053 statement: keep every line, match outgoing lines to payments by their
    end-to-end reference. The same statement twice, or a line already imported from another
    statement (the bank's own reference), is not kept twice."""
    _treasurer_only(by, foundation)
    try:
        statement = bankfiles.read_camt053(data)
    except bankfiles.BadStatement as error:
        raise ValidationError({"file": [str(error)]}, code="bad_statement") from None
    if (
        foundation.iban
        and statement.account_iban
        and (statement.account_iban.replace(" ", "").upper() != foundation.iban)
    ):
        raise ValidationError(
            {"file": [_("This statement is of another account than the foundation's.")]},
            code="other_account",
        )
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            stored = BankStatement.objects.create(
                foundation=foundation,
                statement_id=statement.statement_id[:100],
                account_iban=statement.account_iban[:34],
                digest=digest,
                file_name=file_name[:200],
                imported_by=by.user,
            )
            # Statements downloaded over overlapping dates hold the same bookings; lines of one
            # batch booking share a reference within one statement, so only earlier statements
            # count.
            known = set(
                BankLine.objects.filter(statement__foundation=foundation)
                .exclude(bank_reference="")
                .values_list("bank_reference", flat=True)
            )
            for item in statement.lines:
                if item.amount_cents == 0 or (item.bank_reference and item.bank_reference in known):
                    continue
                line = BankLine.objects.create(
                    statement=stored,
                    position=item.position,
                    booked_on=item.booked_on,
                    amount_cents=item.amount_cents,
                    counterparty_name=item.counterparty_name[:140],
                    counterparty_iban=item.counterparty_iban[:34],
                    remittance=item.remittance[:500],
                    end_to_end_id=item.end_to_end_id[:35],
                    bank_reference=item.bank_reference[:100],
                )
                if line.amount_cents < 0 and line.end_to_end_id:
                    # A payment cancelled after its file went to the bank may still have been
                    # carried out: when its reference comes back, it is paid all the same —
                    # as long as the grant still has that much to pay; otherwise the line stays
                    # unmatched for the treasurer to see.
                    payment = (
                        Payment.objects.select_for_update()
                        .filter(
                            grant__foundation=foundation,
                            end_to_end_id=line.end_to_end_id,
                            status__in=[*PENDING_PAYMENT, PaymentStatus.CANCELLED],
                            amount_cents=-line.amount_cents,
                        )
                        .first()
                    )
                    if payment is not None and _fits(payment):
                        _pay(by_user=by.user, payment=payment, line=line)
    except IntegrityError:
        raise ValidationError(
            {"file": [_("This statement has been imported already.")]}, code="duplicate"
        ) from None
    return stored


def bank_line_match_payment(*, by: Membership, line: BankLine, payment: Payment) -> Payment:
    """The treasurer matches an outgoing line the bank returned without our reference."""
    foundation = line.statement.foundation
    _treasurer_only(by, foundation)
    with transaction.atomic():
        line = BankLine.objects.select_for_update().get(pk=line.pk)
        payment = Payment.objects.select_for_update().select_related("grant").get(pk=payment.pk)
        if line.is_matched:
            raise ValidationError(_("This bank line is matched already."), code="matched")
        waiting = payment.status in PENDING_PAYMENT or (
            payment.status == PaymentStatus.CANCELLED and _fits(payment)
        )
        if payment.grant.foundation_id != foundation.pk or not waiting:
            raise ValidationError(_("This payment is not waiting for the bank."), code="state")
        if line.amount_cents != -payment.amount_cents:
            raise ValidationError(
                _("The bank line is %(line)s; the payment is %(payment)s.")
                % {"line": euros(line.amount_cents), "payment": euros(-payment.amount_cents)},
                code="amount",
            )
        _pay(by_user=by.user, payment=payment, line=line)
    payment.refresh_from_db()
    return payment


def bank_line_match_refund(*, by: Membership, line: BankLine, grant: GrantRequest) -> LedgerEntry:
    """Money an initiative returned from its grant: back on the grant's fund."""
    foundation = line.statement.foundation
    _treasurer_only(by, foundation)
    with transaction.atomic():
        line = BankLine.objects.select_for_update().get(pk=line.pk)
        grant = locked(grant)
        if line.is_matched:
            raise ValidationError(_("This bank line is matched already."), code="matched")
        if grant.foundation_id != foundation.pk or line.amount_cents <= 0:
            raise ValidationError(_("Only incoming money can be money returned."), code="state")
        figures = ledger.grant_figures_of(grant)
        if line.amount_cents > figures.to_account_for:
            raise ValidationError(
                _("At most %(left)s of this grant is still with the initiative.")
                % {"left": euros(max(figures.to_account_for, 0))},
                code="amount",
            )
        amount = line.amount_cents
        entry = ledger.post(
            foundation=foundation,
            kind=EntryKind.REFUND,
            booked_on=line.booked_on,
            memo=_("Returned by “%(initiative)s”") % {"initiative": grant.initiative.title},
            lines=[
                ledger.debit(Account.BANK, amount),
                ledger.credit(Account.ADVANCE, amount, grant=grant),
                ledger.debit(Account.PAYABLE, amount, grant=grant),
                ledger.credit(Account.FUND, amount, fund=grant.fund),
            ],
            created_by=by.user,
            grant=grant,
            bank_line=line,
        )
        BankLine.objects.filter(pk=line.pk).update(refund_of=grant)
    return entry


# -------------------------------------------------------------------------------------- receipts


def receipt_add(
    *,
    by: Membership,
    grant: GrantRequest,
    description: str,
    amount_cents: int,
    spent_on: date,
    upload: UploadedFile,
    budget_line: str = "",
) -> Receipt:
    """Initiators show what they spent from a grant, with the receipt (PDF or photo)."""
    if not permissions.can_upload_receipt(by, grant):
        raise PermissionDenied(_("Only the initiators of a granted request add receipts."))
    errors = {}
    if not description.strip():
        errors["description"] = [_("Please say what was bought.")]
    if not amount_cents or amount_cents <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    if spent_on is None:
        errors["spent_on"] = [_("Please give the date on the receipt.")]
    elif spent_on > timezone.localdate():
        errors["spent_on"] = [_("This date is still to come.")]
    if errors:
        raise ValidationError(errors)
    content, original_name = checked_file(upload)
    with transaction.atomic():
        receipt = Receipt(
            grant=grant,
            budget_line=budget_line.strip()[:200],
            description=description.strip()[:200],
            amount_cents=amount_cents,
            spent_on=spent_on,
            original_name=original_name,
            uploaded_by=by.user,
        )
        receipt.file.save(content.name, content, save=False)
        receipt.save()
        treasurer = BoardSeat.objects.filter(
            foundation=grant.foundation, role=BoardRole.TREASURER, ended_at__isnull=True
        ).select_related("user")
        notify(
            recipients=[seat.user for seat in treasurer],
            kind=Kind.RECEIPT_ADDED,
            actor=by.user,
            params={"initiative": grant.initiative.title, "amount_cents": amount_cents},
            url=grant.get_absolute_url() + "#receipts",
        )
    return receipt


def receipt_check(*, by: Membership, receipt: Receipt, accept: bool, note: str = "") -> Receipt:
    """The treasurer accepts a receipt (it is booked as spent) or does not (with a reason).

    Accepted receipts may exceed what was paid by the foundation's tolerance; the ledger books
    no more than was paid, so the grant's account never goes below zero.
    """
    grant = receipt.grant
    _treasurer_only(by, grant.foundation)
    note = note.strip()
    if not accept and not note:
        raise ValidationError({"note": [_("Please tell the initiators why.")]})
    with transaction.atomic():
        grant = locked(grant)
        receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.status != ReceiptStatus.SUBMITTED:
            raise ValidationError(_("This receipt has been checked already."), code="checked")
        figures = ledger.grant_figures_of(grant)
        if accept:
            accepted = (
                Receipt.objects.filter(grant=grant, status=ReceiptStatus.ACCEPTED).aggregate(
                    total=Sum("amount_cents")
                )["total"]
                or 0
            )
            limit = figures.paid + grant.foundation.receipt_tolerance_cents
            if accepted + receipt.amount_cents > limit:
                raise ValidationError(
                    _(
                        "With this receipt the initiative would account for %(total)s, more than "
                        "the %(paid)s paid."
                    )
                    % {
                        "total": euros(accepted + receipt.amount_cents),
                        "paid": euros(figures.paid),
                    },
                    code="above_paid",
                )
            # What the accepted receipts show spent, up to what was paid, less what is booked
            # already: a receipt above what was paid so far counts once the rest is paid.
            booked = min(accepted + receipt.amount_cents, figures.paid) - figures.spent
            if booked > 0:
                ledger.post(
                    foundation=grant.foundation,
                    kind=EntryKind.SPENT,
                    booked_on=timezone.localdate(),
                    memo=_("Spent by “%(initiative)s”: %(what)s")
                    % {"initiative": grant.initiative.title, "what": receipt.description},
                    lines=[
                        ledger.debit(Account.PAYABLE, booked, grant=grant),
                        ledger.credit(Account.ADVANCE, booked, grant=grant),
                    ],
                    created_by=by.user,
                    grant=grant,
                    receipt=receipt,
                )
        receipt.status = ReceiptStatus.ACCEPTED if accept else ReceiptStatus.REJECTED
        receipt.checked_by = by.user
        receipt.checked_at = timezone.now()
        receipt.check_note = note[:300]
        receipt.save(update_fields=["status", "checked_by", "checked_at", "check_note"])
        notify(
            recipients=initiators_of(grant),
            kind=Kind.RECEIPT_CHECKED,
            actor=by.user,
            params={
                "foundation": str(grant.foundation),
                "receipt": receipt.description,
                "outcome_code": "accepted" if accept else "rejected",
                "reason": note[:300],
            },
            url=grant.get_absolute_url() + "#receipts",
        )
    return receipt


# ----------------------------------------------------------------------------------- corrections


def ledger_entry_reverse(*, by: Membership, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """The treasurer corrects a mistake: a reversing entry; the original stays as it was.

    Money received can be reversed (a wrong amount or fund; record it again after). Grants,
    payments and receipts are reversed through their own steps, which keep the grant whole.
    """
    _treasurer_only(by, entry.foundation)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason for the correction.")]})
    with transaction.atomic():
        entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.kind != EntryKind.RECEIVED or entry.reverses_id is not None:
            raise ValidationError(
                _("Only money received is corrected here."), code="not_correctable"
            )
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise ValidationError(_("This entry has been reversed already."), code="reversed")
        fund_line = entry.lines.filter(account=Account.FUND).first()
        if fund_line is not None:
            # Locked like a grant decision locks it: the balance read here stays true.
            fund_line.fund = Fund.objects.select_for_update().get(pk=fund_line.fund_id)
        if fund_line is not None and not fund_line.fund.may_go_below_zero:
            balance = ledger.fund_balances(entry.foundation).get(fund_line.fund_id, 0)
            if balance + fund_line.amount_cents < 0:
                raise ValidationError(
                    _("Without this money %(fund)s would go below zero.")
                    % {"fund": fund_line.fund.name},
                    code="fund_too_low",
                )
        try:
            with transaction.atomic():
                reversal = ledger.reverse(
                    entry=entry,
                    booked_on=timezone.localdate(),
                    memo=_("Correction: %(reason)s") % {"reason": reason},
                    created_by=by.user,
                )
        except IntegrityError:
            raise ValidationError(_("This entry has been reversed already.")) from None
        if entry.bank_line_id:
            # The bank line is free again, to be recorded anew.
            BankLine.objects.filter(pk=entry.bank_line_id).update(donation=None)
    return reversal
