"""`buurtnet demo`: load the Ede-Zuid demo neighbourhood once; running it again changes nothing."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from buurtnet.cli import DEMO_LOGINS, DEMO_PASSWORD
from buurtnet.demo import ede_zuid
from buurtnet.demo import sharing as demo_sharing
from buurtnet.neighbourhoods.models import Building, Home, Membership


class Command(BaseCommand):
    help = (
        "Load the Ede-Zuid demo: 8 flats, 900 homes, neighbours, partners, initiatives and the "
        "agenda of de Elskamp's meeting place, and what neighbours ask, offer and lend. "
        "Does nothing when it is already there; --reset loads it afresh."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo neighbourhood and all @demo.buurtnet.nl accounts, then reload",
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        started = time.monotonic()
        with transaction.atomic():
            if reset:
                ede_zuid.demo_remove()
            elif ede_zuid.demo_present():
                if ede_zuid.meeting_place_missing():
                    # A demo loaded before places and activities existed gains them now.
                    ede_zuid.meeting_place_add()
                    self._say(options, "Added de Elskamp's meeting place and its agenda.")
                elif ede_zuid.foundation_missing():
                    # A demo loaded before the foundation kept its books here gains them now.
                    ede_zuid.foundation_add()
                    self._say(options, "Added the foundation's board, funds and grants.")
                elif demo_sharing.missing():
                    # A demo loaded before neighbours shared things gains asks and offers now.
                    demo_sharing.add_to_loaded()
                    self._say(options, "Added asks, offers, loans and thanks between neighbours.")
                else:
                    self._say(options, "The Ede-Zuid demo is already loaded; nothing changed.")
                return
            # Accounts left behind by a deleted demo neighbourhood are demo data as well.
            ede_zuid.demo_accounts().delete()
            neighbourhood = ede_zuid.load()

        members = Membership.objects.filter(neighbourhood=neighbourhood)
        self._say(
            options,
            f"Loaded the {neighbourhood.name} demo in {time.monotonic() - started:.1f} s: "
            f"{Building.objects.filter(neighbourhood=neighbourhood).count()} flats, "
            f"{Home.objects.filter(building__neighbourhood=neighbourhood).count()} homes, "
            f"{members.exclude(role='professional').count()} residents, "
            f"{neighbourhood.organisations.count()} partners, "
            f"{neighbourhood.initiatives.count()} initiatives, "
            f"{neighbourhood.places.count()} places, "
            f"{neighbourhood.activities.count()} activity series, "
            f"{neighbourhood.posts.count()} asks and offers.",
        )
        self._say(options, f"Demo logins (password: {DEMO_PASSWORD}):")
        for role, email in DEMO_LOGINS:
            self._say(options, f"  {role:<13} {email}")

    def _say(self, options: dict, line: str) -> None:
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(line)
