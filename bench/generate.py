"""Fill a database with synthetic neighbourhoods, at any scale, for load tests.

    python bench/generate.py --neighbourhoods 100 --members 1500 [--initiatives-per 20]

Each neighbourhood gets flats and homes, members with talents and languages, the usual partners
with their professionals, and initiatives with participants, needs, offers and updates (built by
buurtnet/demo/builders.py). Neighbourhoods are named bench-0001, bench-0002, ...; another run
adds more after the last one.

Rows are written with bulk_create: 15,000 members take seconds, not minutes. On PostgreSQL the
tables are vacuumed and ANALYZEd afterwards.

The data goes wherever DATABASE_URL / BUURTNET_DATA_DIR point. Without BUURTNET_DATA_DIR it is
bench/data/generated/, never the installation's own data/ directory.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "bench" / "data" / "generated"


def setup(data_dir: Path | None = None) -> None:
    """Point Django at the bench data directory (unless told otherwise) and start it."""
    os.environ.setdefault("BUURTNET_DATA_DIR", str(data_dir or DEFAULT_DATA_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(
    *,
    neighbourhoods: int,
    members: int,
    initiatives_per: int = 20,
    buildings: int = 8,
    homes: int = 900,
    seed: int = 1,
    progress: bool = True,
) -> list[str]:
    """Build the neighbourhoods, one transaction each; returns their slugs.

    On PostgreSQL the tables are vacuumed and ANALYZEd afterwards: the planner otherwise plans
    queries for empty tables until autovacuum gets round to them, and autovacuum would then
    compete for the cores during the load test that follows.
    """
    from django.db import connection, transaction
    from tqdm import tqdm

    from buurtnet.demo.builders import neighbourhood_build, vocabulary_load
    from buurtnet.neighbourhoods.models import Neighbourhood

    vocabulary = vocabulary_load()
    taken = [
        int(match.group(1))
        for slug in Neighbourhood.objects.filter(slug__startswith="bench-").values_list(
            "slug", flat=True
        )
        if (match := re.fullmatch(r"bench-(\d+)", slug))
    ]
    first = max(taken, default=0) + 1
    slugs = []
    bar = tqdm(
        range(first, first + neighbourhoods),
        unit="neighbourhood",
        disable=not progress,
        desc=f"{members} members each",
    )
    for index in bar:
        slug = f"bench-{index:04d}"
        with transaction.atomic():
            neighbourhood_build(
                slug=slug,
                name=f"Testwijk {index}",
                buildings=buildings,
                homes=homes,
                members=members,
                initiatives=initiatives_per,
                rng=random.Random(f"{seed}-{index}"),
                vocabulary=vocabulary,
            )
        slugs.append(slug)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return slugs


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} at {connection.settings_dict['NAME']}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    return f"{version} ({connection.settings_dict['NAME']})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--neighbourhoods", type=int, default=1)
    parser.add_argument("--members", type=int, default=1500, help="residents per neighbourhood")
    parser.add_argument("--initiatives-per", type=int, default=20)
    parser.add_argument("--buildings", type=int, default=8, help="flats per neighbourhood")
    parser.add_argument("--homes", type=int, default=900, help="homes per neighbourhood")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    for name in ("neighbourhoods", "members", "buildings", "homes"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.initiatives_per < 0:
        parser.error("--initiatives-per cannot be negative")

    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    started = time.monotonic()
    slugs = generate(
        neighbourhoods=args.neighbourhoods,
        members=args.members,
        initiatives_per=args.initiatives_per,
        buildings=args.buildings,
        homes=args.homes,
        seed=args.seed,
        progress=not args.quiet,
    )
    built = (
        slugs[0] if len(slugs) == 1 else f"{len(slugs)} neighbourhoods, {slugs[0]} … {slugs[-1]}"
    )
    print(
        f"Built {built} ({args.members} members each) in {time.monotonic() - started:.1f} s"
        f" into {database_label()}."
    )


if __name__ == "__main__":
    main()
