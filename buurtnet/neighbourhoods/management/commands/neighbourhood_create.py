"""Set up a neighbourhood: `buurtnet neighbourhood create --slug ede-zuid --name Ede-Zuid ...`."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtnet.neighbourhoods.services import neighbourhood_create


def _building(spec: str) -> tuple[str, int]:
    name, sep, homes = spec.rpartition(":")
    if not sep or not name.strip():
        raise CommandError(
            f'--building needs "Name:homes", for example "de Elskamp:120"; got {spec!r}'
        )
    try:
        return name.strip(), int(homes)
    except ValueError:
        raise CommandError(
            f"--building {spec!r}: the number of homes must be a whole number"
        ) from None


class Command(BaseCommand):
    help = "Create a neighbourhood with its flats (homes numbered 1..N) and, optionally, a host."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="short name in web addresses")
        parser.add_argument("--name", required=True)
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--description", default="")
        parser.add_argument(
            "--building",
            action="append",
            default=[],
            metavar="NAME:HOMES",
            help='a flat and its number of homes, e.g. "de Elskamp:120"; repeat for more flats',
        )
        parser.add_argument("--host-email", help="an existing account that becomes the first host")

    def handle(self, *args, **options) -> None:
        buildings = [_building(spec) for spec in options["building"]]
        host = None
        if options["host_email"]:
            email = options["host_email"].strip()
            host = get_user_model().objects.filter(email__iexact=email).first()
            if host is None:
                raise CommandError(
                    f"No account with email {email}. The person signs up first, or create one with "
                    "`buurtnet createsuperuser`."
                )
        try:
            neighbourhood = neighbourhood_create(
                slug=options["slug"],
                name=options["name"],
                municipality=options["municipality"],
                description=options["description"],
                buildings=buildings,
                host=host,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        homes = sum(n for _name, n in buildings)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {neighbourhood.name} (/n/{neighbourhood.slug}/) with "
                f"{len(buildings)} flat(s) and {homes} home(s)"
                + (f"; {host.email} is its host." if host else ".")
            )
        )
