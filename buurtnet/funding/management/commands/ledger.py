"""`buurtnet ledger verify [--foundation ID]`: check every rule of the ledger."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtnet.funding import verify
from buurtnet.funding.models import Foundation


class Command(BaseCommand):
    help = (
        "verify: check that every ledger entry balances, no fund is below zero without "
        "leave, grants are paid and accounted for within what was granted, bank lines are "
        "booked once and reversals, payments and decisions match their entries. Prints each "
        "breach on its own line and exits with 1, or exits with 0 when all is well."
    )

    # Reading the ledger needs no system checks; a problem elsewhere does not hide its state.
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="what to do with the ledger")
        parser.add_argument(
            "--foundation", type=int, metavar="ID", help="only this foundation (its number)"
        )

    def handle(self, *args, action: str, foundation: int | None = None, **options) -> None:
        chosen = None
        if foundation is not None:
            chosen = Foundation.objects.filter(pk=foundation).first()
            if chosen is None:
                raise CommandError(_("No foundation with number %(id)s.") % {"id": foundation})
        found = verify.breaches(chosen)
        if found:
            for breach in found:
                self.stdout.write(f"{breach.kind}: {breach.message}")
            raise CommandError(
                ngettext(
                    "The ledger breaks %(count)s rule.",
                    "The ledger breaks %(count)s rules.",
                    len(found),
                )
                % {"count": len(found)},
                returncode=1,
            )
        entries, lines = verify.counted(chosen)
        self.stdout.write(
            _("Ledger OK: %(entries)s entries, %(lines)s lines checked.")
            % {"entries": entries, "lines": lines}
        )
