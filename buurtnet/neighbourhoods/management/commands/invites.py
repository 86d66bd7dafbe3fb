"""Invite codes for the letterboxes: `buurtnet invites --neighbourhood ede-zuid --format html`."""

import io
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from buurtnet.neighbourhoods.forms import SlipLanguagesForm
from buurtnet.neighbourhoods.models import Building, Neighbourhood
from buurtnet.neighbourhoods.selectors import (
    InviteStatus,
    invite_codes_for_host,
    invite_slips,
    invite_slips_csv,
)
from buurtnet.neighbourhoods.services import MAX_USES_LIMIT, invite_codes_issue
from buurtnet.neighbourhoods.slips import MAX_SLIP_LANGUAGES, slip_pages


class Command(BaseCommand):
    help = (
        "Issue invite codes for every home without an active code and write them as CSV or as "
        "a printable HTML sheet (to standard output unless --output is given)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--neighbourhood", required=True, metavar="SLUG")
        parser.add_argument("--building", metavar="NAME", help="only this flat")
        parser.add_argument(
            "--max-uses",
            type=int,
            default=4,
            help="people per household who may use a code (default 4)",
        )
        parser.add_argument("--format", choices=["csv", "html"], default="csv")
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument(
            "--reprint",
            action="store_true",
            help="issue nothing; write every code that is not revoked again",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the slips and column names",
        )
        parser.add_argument(
            "--slip-language",
            action="append",
            default=[],
            choices=[code for code, _name in settings.LANGUAGES],
            metavar="CODE",
            help=(
                "with --format html: a language the slips' few words are printed in besides "
                f"Dutch; repeat for more (at most {MAX_SLIP_LANGUAGES} languages in all)"
            ),
        )

    def handle(self, *args, **options) -> None:
        neighbourhood = Neighbourhood.objects.filter(slug=options["neighbourhood"]).first()
        if neighbourhood is None:
            raise CommandError(
                f"No neighbourhood with the short name {options['neighbourhood']!r}."
            )
        buildings = list(Building.objects.filter(neighbourhood=neighbourhood))
        if options["building"]:
            buildings = [b for b in buildings if b.name == options["building"]]
            if not buildings:
                known = ", ".join(b.name for b in neighbourhood.buildings.all()) or "none"
                raise CommandError(
                    f"{neighbourhood.name} has no flat called {options['building']!r}. "
                    f"Flats: {known}."
                )
        elif not buildings:
            raise CommandError(f"{neighbourhood.name} has no flats yet.")
        if not 1 <= options["max_uses"] <= MAX_USES_LIMIT:
            raise CommandError(f"--max-uses must be between 1 and {MAX_USES_LIMIT}.")
        # The same check as the hosts' form, in the language of the sheet.
        with translation.override(options["language"]):
            languages_form = SlipLanguagesForm({"languages": options["slip_language"]})
            if not languages_form.is_valid():
                raise CommandError(" ".join(languages_form.errors["languages"]))
        languages = languages_form.chosen_languages()

        # Codes are only kept when the file with them was written.
        with transaction.atomic():
            issued_ids: list[int] = []
            if not options["reprint"]:
                try:
                    for building in buildings:
                        issued = invite_codes_issue(
                            neighbourhood=neighbourhood,
                            building=building,
                            max_uses=options["max_uses"],
                        )
                        issued_ids += [invite.pk for invite in issued]
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from None
            codes = invite_codes_for_host(neighbourhood=neighbourhood, status=InviteStatus.ACTIVE)
            codes = codes.filter(home__building__in=buildings)
            if not options["reprint"]:
                codes = codes.filter(pk__in=issued_ids)
            with translation.override(options["language"]):
                slips = invite_slips(codes)
                content = self._render(options["format"], neighbourhood, slips, languages)
            if options["output"]:
                try:
                    Path(options["output"]).write_text(content, encoding="utf-8")
                except OSError as exc:
                    raise CommandError(
                        f"Cannot write {options['output']}: {exc.strerror}"
                    ) from None
        if not options["reprint"]:
            self.stderr.write(f"Issued {len(issued_ids)} new code(s).")
        if options["output"]:
            self.stderr.write(f"Wrote {len(slips)} code(s) to {options['output']}.")
        else:
            self.stdout.write(content, ending="")

    def _render(
        self, fmt: str, neighbourhood: Neighbourhood, slips: list, languages: list[str]
    ) -> str:
        if fmt == "csv":
            out = io.StringIO()
            invite_slips_csv(slips, out)
            return out.getvalue()
        # The sheet is a file on its own, printed away from the site: it carries its style.
        slips_css = Path(finders.find("css/slips.css")).read_text()
        pages = slip_pages(neighbourhood=neighbourhood.name, slips=slips, languages=languages)
        return render_to_string(
            "neighbourhoods/invites_sheet.html",
            {
                "neighbourhood": neighbourhood,
                "pages": pages,
                "slip_count": len(slips),
                "slips_css": slips_css,
            },
        )
