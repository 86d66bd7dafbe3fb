"""The admin shows the foundation's books; it never changes them.

Money moves only through the services (which book the ledger); what must stay as it was
(votes, decisions, ledger entries and lines) cannot be changed or deleted here either — the
database refuses it too.
"""

from django.contrib import admin

from buurtnet.funding.models import (
    BankLine,
    BoardSeat,
    Decision,
    Donation,
    Foundation,
    Fund,
    GrantRequest,
    LedgerEntry,
    LedgerLine,
    Payment,
    Vote,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Foundation)
class FoundationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "neighbourhood", "approvals_needed", "max_grant_cents"]


@admin.register(BoardSeat)
class BoardSeatAdmin(ReadOnlyAdmin):
    list_display = ["foundation", "user", "role", "created_at", "ended_at"]
    list_filter = ["role"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "foundation", "earmarked", "ends_on"]


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["received_on", "foundation", "fund", "source_kind", "amount_cents"]
    list_filter = ["source_kind"]


@admin.register(GrantRequest)
class GrantRequestAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "foundation", "status", "created_at"]
    list_filter = ["status"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["request", "voter", "choice", "amount_cents", "created_at"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["request", "outcome", "amount_cents", "decided_by", "created_at"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["end_to_end_id", "grant", "amount_cents", "status", "paid_on"]


@admin.register(BankLine)
class BankLineAdmin(ReadOnlyAdmin):
    list_display = ["booked_on", "amount_cents", "counterparty_name", "end_to_end_id"]


class LedgerLineInline(admin.TabularInline):
    model = LedgerLine
    extra = 0
    can_delete = False
    fields = ["account", "fund", "grant", "amount_cents"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["booked_on", "foundation", "kind", "memo", "reverses"]
    list_filter = ["kind"]
    inlines = [LedgerLineInline]
