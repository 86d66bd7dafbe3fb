"""A residents' foundation: its board and rules, funds, money in, grant requests, decisions,
payments, receipts and an append-only double-entry ledger.

Money is integer euro cents everywhere. What must be auditable (votes, decisions, ledger entries
and their lines) is a row that is never changed: a correction is a new row that says what it
corrects. The database refuses UPDATE and DELETE on those rows (triggers, migration 0002).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buurtnet.core.models import TimeStamped, random_upload_path, written_in_field
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods.models import Neighbourhood, Organisation

# ------------------------------------------------------------------ the foundation and its people


class Foundation(TimeStamped):
    """The money side of an organisation of kind foundation, with its rules."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="foundation"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="foundations"
    )
    max_grant_cents = models.PositiveIntegerField(
        _("maximum grant per request"),
        default=100_000,
        validators=[MinValueValidator(100)],
    )
    funds_what = models.TextField(
        _("what we fund"), blank=True, max_length=2000, help_text=_("Shown to everyone who asks.")
    )
    does_not_fund = models.TextField(_("what we do not fund"), blank=True, max_length=2000)
    approvals_needed = models.PositiveSmallIntegerField(
        _("board approvals a decision needs"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    chair_decides_tie = models.BooleanField(_("the chair decides a tie"), default=True)
    payment_term_days = models.PositiveSmallIntegerField(
        _("payment term in days"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    receipt_tolerance_cents = models.PositiveIntegerField(
        _("receipts may exceed what was paid by"),
        default=500,
        help_text=_("Small differences, such as rounding, that need no correction."),
    )
    # The foundation's own account: the payer in the SEPA file, the account of the statements.
    account_holder = models.CharField(_("account holder"), max_length=70, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("foundation")
        verbose_name_plural = _("foundations")

    def __str__(self) -> str:
        return self.organisation.name

    def get_absolute_url(self) -> str:
        return reverse("funding:public", args=[self.neighbourhood.slug, self.organisation.slug])


class BoardRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    TREASURER = "treasurer", _("Treasurer")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Board member")


class BoardSeat(TimeStamped):
    """A member of the neighbourhood on the foundation's board. A seat is ended, never deleted."""

    foundation = models.ForeignKey(Foundation, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_seats"
    )
    role = models.CharField(_("role"), max_length=20, choices=BoardRole.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("board seat")
        verbose_name_plural = _("board seats")
        constraints = [
            models.UniqueConstraint(
                fields=["foundation", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_seat_per_person",
            ),
            models.UniqueConstraint(
                fields=["foundation", "role"],
                condition=Q(ended_at__isnull=True, role__in=["chair", "treasurer", "secretary"]),
                name="one_chair_treasurer_secretary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Fund(TimeStamped):
    foundation = models.ForeignKey(Foundation, on_delete=models.CASCADE, related_name="funds")
    name = models.CharField(_("name"), max_length=100)
    purpose = models.TextField(_("purpose"), max_length=1000, blank=True)
    earmarked = models.BooleanField(
        _("earmarked"), default=False, help_text=_("Money given for this purpose only.")
    )
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    may_go_below_zero = models.BooleanField(
        _("may go below zero"),
        default=False,
        help_text=_("For example when promised money arrives after the grants."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.UniqueConstraint(fields=["foundation", "name"], name="unique_fund_name")
        ]

    def __str__(self) -> str:
        return self.name


# ------------------------------------------------------------------------------------- money in


class SourceKind(models.TextChoices):
    DONATION = "donation", _("Donation")
    SUBSIDY = "subsidy", _("Subsidy")
    FRIENDS = "friends", _("Friends' contribution")
    OTHER = "other", _("Other income")


class Donation(TimeStamped):
    """Money received: a donation, a subsidy or a friends' contribution."""

    foundation = models.ForeignKey(Foundation, on_delete=models.CASCADE, related_name="donations")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="donations")
    amount_cents = models.PositiveIntegerField(_("amount"))
    received_on = models.DateField(_("received on"))
    source_kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    public_name = models.CharField(
        _("name shown in public"),
        max_length=100,
        blank=True,
        help_text=_("Only with the giver's consent. Leave empty to show no name."),
    )
    name_consent = models.BooleanField(_("the giver agrees to be named"), default=False)
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    # A member who gave: never shown, it only keeps them from voting on what they gave for.
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by a member"),
    )
    earmarked_initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given for the initiative"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("money received")
        verbose_name_plural = _("money received")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="donation_positive"),
            models.CheckConstraint(
                condition=Q(public_name="") | Q(name_consent=True), name="donor_named_by_consent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()} {self.amount_cents}"


# -------------------------------------------------------------------------------- grant requests


class GrantStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for the board")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_GRANT_STATUSES = (GrantStatus.DRAFT, GrantStatus.SUBMITTED)


class GrantRequest(TimeStamped):
    """Initiators ask the foundation for money. Each submitted version is kept."""

    foundation = models.ForeignKey(
        Foundation, on_delete=models.CASCADE, related_name="grant_requests"
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="grant_requests"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.DRAFT
    )
    # Chosen by the board when it grants; the ledger books the grant on it.
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="grants"
    )
    language = written_in_field()
    # The initiative's account; shown only to the board.
    account_holder = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("grant request")
        verbose_name_plural = _("grant requests")
        constraints = [
            # A double click makes one request: one open request per initiative and foundation.
            models.UniqueConstraint(
                fields=["foundation", "initiative"],
                condition=Q(status__in=["draft", "submitted"]),
                name="one_open_request_per_initiative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("funding:request", args=[self.foundation.neighbourhood.slug, self.pk])


class GrantVersion(TimeStamped):
    """What was asked, as one submission. A draft (submitted_at empty) is the only one edited."""

    request = models.ForeignKey(GrantRequest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    amount_cents = models.PositiveIntegerField(_("amount"))
    purpose = models.TextField(
        _("what the money is for"),
        max_length=3000,
        help_text=_("In your own words: what you will do with it and for whom."),
    )
    own_contribution_cents = models.PositiveIntegerField(_("own contribution"), default=0)
    other_funding_cents = models.PositiveIntegerField(_("other funding"), default=0)
    other_funding = models.CharField(
        _("where other funding comes from"), max_length=300, blank=True
    )
    needed_by = models.DateField(_("money needed by"))
    change_note = models.TextField(_("what changed"), max_length=1000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["request", "number"]
        verbose_name = _("version of a grant request")
        verbose_name_plural = _("versions of grant requests")
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="unique_grant_version"),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(submitted_at__isnull=True),
                name="one_draft_per_request",
            ),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="grant_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


class BudgetLine(models.Model):
    version = models.ForeignKey(GrantVersion, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    what = models.CharField(_("what"), max_length=200)
    amount_cents = models.PositiveIntegerField(_("how much"))

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="budget_line_positive")
        ]

    def __str__(self) -> str:
        return self.what


class GrantAttachment(TimeStamped):
    """A quote or photo with a request; served only to its initiators and the board."""

    request = models.ForeignKey(GrantRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=random_upload_path("grant-files"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("what it is"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class GrantMessage(TimeStamped):
    """A question of the board or an answer of the initiators, in one thread per request."""

    request = models.ForeignKey(GrantRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_board = models.BooleanField(default=False)
    text = models.TextField(_("message"), max_length=3000)
    language = written_in_field()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message about a grant request")
        verbose_name_plural = _("messages about grant requests")

    def __str__(self) -> str:
        return self.text[:40]


# ------------------------------------------------------------------------ votes and decisions


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_LOWER = "approve_lower", _("Approve a lower amount")
    DECLINE = "decline", _("Decline")
    MORE_INFO = "more_info", _("Ask for more information")


class Vote(TimeStamped):
    """One board member's vote on one submitted version. Never changed."""

    request = models.ForeignKey(GrantRequest, on_delete=models.CASCADE, related_name="votes")
    version = models.ForeignKey(GrantVersion, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=20, choices=VoteChoice.choices)
    amount_cents = models.PositiveIntegerField(_("lower amount"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["version", "voter"], name="one_vote_per_version"),
            models.CheckConstraint(
                condition=~Q(choice="approve_lower") | Q(amount_cents__gt=0),
                name="lower_amount_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.choice}"


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class Decision(TimeStamped):
    """The board's decision on a request. Never edited: a reversal is a new decision."""

    request = models.ForeignKey(GrantRequest, on_delete=models.CASCADE, related_name="decisions")
    version = models.ForeignKey(GrantVersion, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=20, choices=DecisionOutcome.choices)
    amount_cents = models.PositiveIntegerField(_("amount granted"), default=0)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, null=True, related_name="+")
    by_chair = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            # Two votes that complete the count at the same moment make one decision.
            models.UniqueConstraint(
                fields=["version"], condition=Q(reverses__isnull=True), name="one_decision"
            ),
            models.CheckConstraint(
                condition=Q(outcome="declined") | Q(amount_cents__gt=0, fund__isnull=False),
                name="granted_has_amount_and_fund",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.outcome}"


# --------------------------------------------------------------------------------------- paying


class PaymentStatus(models.TextChoices):
    TO_PAY = "to_pay", _("To pay")
    IN_FILE = "in_file", _("In a bank file")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentBatch(TimeStamped):
    """One SEPA credit transfer file (pain.001) for the bank."""

    foundation = models.ForeignKey(Foundation, on_delete=models.CASCADE, related_name="batches")
    message_id = models.CharField(max_length=35, unique=True)
    execution_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    xml = models.TextField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bank file")
        verbose_name_plural = _("bank files")

    def __str__(self) -> str:
        return self.message_id


class Payment(TimeStamped):
    """Money to pay on a grant (all of it, or a part). Paid once the bank statement shows it."""

    grant = models.ForeignKey(GrantRequest, on_delete=models.PROTECT, related_name="payments")
    amount_cents = models.PositiveIntegerField(_("amount"))
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.TO_PAY
    )
    # The reference that travels with the transfer and comes back on the statement.
    end_to_end_id = models.CharField(max_length=35, unique=True)
    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_positive")
        ]

    def __str__(self) -> str:
        return self.end_to_end_id


class BankStatement(TimeStamped):
    """An imported CAMT.053 statement. The same file twice is refused."""

    foundation = models.ForeignKey(Foundation, on_delete=models.CASCADE, related_name="statements")
    statement_id = models.CharField(max_length=100, blank=True)
    account_iban = models.CharField(max_length=34, blank=True)
    digest = models.CharField(max_length=64)
    file_name = models.CharField(max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        constraints = [
            models.UniqueConstraint(fields=["foundation", "digest"], name="statement_once")
        ]

    def __str__(self) -> str:
        return self.statement_id or self.file_name


class BankLine(TimeStamped):
    """One booked transaction on a statement; matched to money received or a payment, once."""

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    booked_on = models.DateField()
    amount_cents = models.BigIntegerField()  # incoming positive, outgoing negative
    counterparty_name = models.CharField(max_length=140, blank=True)
    counterparty_iban = models.CharField(max_length=34, blank=True)
    remittance = models.CharField(max_length=500, blank=True)
    end_to_end_id = models.CharField(max_length=35, blank=True)
    bank_reference = models.CharField(max_length=100, blank=True)
    donation = models.OneToOneField(
        Donation, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_line"
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_line"
    )
    refund_of = models.ForeignKey(
        GrantRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["booked_on", "position", "pk"]
        verbose_name = _("bank line")
        verbose_name_plural = _("bank lines")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(donation__isnull=True, payment__isnull=True)
                    | Q(donation__isnull=True, refund_of__isnull=True)
                    | Q(payment__isnull=True, refund_of__isnull=True)
                ),
                name="bank_line_matched_once",
            ),
            models.CheckConstraint(condition=~Q(amount_cents=0), name="bank_line_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount_cents}"

    @property
    def is_matched(self) -> bool:
        return bool(self.donation_id or self.payment_id or self.refund_of_id)


class ReceiptStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the treasurer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class Receipt(TimeStamped):
    """What an initiative spent from a grant, with the proof."""

    grant = models.ForeignKey(GrantRequest, on_delete=models.PROTECT, related_name="receipts")
    budget_line = models.CharField(_("budget line"), max_length=200, blank=True)
    description = models.CharField(_("what was bought"), max_length=200)
    amount_cents = models.PositiveIntegerField(_("amount"))
    spent_on = models.DateField(_("date"))
    file = models.FileField(upload_to=random_upload_path("receipts"), max_length=255)
    original_name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=20, choices=ReceiptStatus.choices, default=ReceiptStatus.SUBMITTED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    check_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["spent_on", "pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="receipt_positive")
        ]

    def __str__(self) -> str:
        return self.description


# ---------------------------------------------------------------------------------------- ledger


class EntryKind(models.TextChoices):
    RECEIVED = "received", _("Money received")
    COMMITTED = "committed", _("Grant committed")
    PAID = "paid", _("Grant paid")
    SPENT = "spent", _("Spending accounted for")
    REFUND = "refund", _("Money returned")


class Account(models.TextChoices):
    BANK = "bank", _("Bank")
    FUND = "fund", _("Fund")
    PAYABLE = "payable", _("Granted, still to account for")
    ADVANCE = "advance", _("Paid, still to account for")


class LedgerEntry(models.Model):
    """One balanced movement of money. Never changed or deleted; a correction reverses it.

    The lines of an entry (LedgerLine) add up to zero: debits are positive, credits negative.
    A reversal has the same kind as what it reverses and mirrored lines, so everything derived
    per kind (granted, paid, spent) counts it back.
    """

    foundation = models.ForeignKey(Foundation, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    booked_on = models.DateField()
    memo = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    grant = models.ForeignKey(
        GrantRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    bank_line = models.ForeignKey(
        BankLine, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )

    class Meta:
        ordering = ["booked_on", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["foundation", "booked_on"], name="ledger_by_date")]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.kind}: {self.memo}"


class LedgerLine(models.Model):
    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.CharField(max_length=20, choices=Account.choices)
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grant = models.ForeignKey(
        GrantRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount_cents = models.BigIntegerField()  # debit positive, credit negative

    class Meta:
        ordering = ["entry", "pk"]
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        constraints = [
            models.CheckConstraint(condition=~Q(amount_cents=0), name="ledger_line_not_zero"),
            models.CheckConstraint(
                condition=(
                    Q(account="bank", fund__isnull=True, grant__isnull=True)
                    | Q(account="fund", fund__isnull=False, grant__isnull=True)
                    | Q(account__in=["payable", "advance"], grant__isnull=False)
                ),
                name="ledger_line_account_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_cents}"
