"""How fast Buurtnet finds the right neighbours for an ask, among 20,000 members.

    python bench/matching.py [--members 20000] [--rounds 5] [--database-url postgres://…/bench_matching]

Builds one neighbourhood of --members members (bench/generate.py: flats, talents, languages,
their own words), of whom 70 % opted in to be asked, with 3,000 live offers and 2,000 thanks,
then asks every ask of the labelled set (tests/sharing/matching_set.json) --rounds times, each
by a random member, and reports the time of `matching.suggest_for_post` per ask: p50, p95,
p99 and the slowest, in milliseconds, with the number of queries per ask. The target is a p95
under 50 ms.

    python bench/matching.py --quality [--database-url …]

prints instead the labelled set's precision@5 and recall@10 on the Ede-Zuid demo, per language.

SQLite goes to a fresh directory under bench/data/; a PostgreSQL database (its name must
contain "bench") is dropped and made anew.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

LABELLED = ROOT / "tests" / "sharing" / "matching_set.json"
OFFER_WORDS = [
    ("diy", "Ik leen mijn ladder en boormachine uit"),
    ("bikes", "Fietsen repareren, ook banden plakken"),
    ("sewing", "Kleding vermaken en gordijnen zomen"),
    ("computers", "Hulp met je telefoon, laptop en DigiD"),
    ("admin", "Ik help met brieven en formulieren van de gemeente"),
    ("languages", "أترجم من العربية إلى الهولندية"),
    ("cooking", "Samen koken: soep voor de hele gang"),
    ("gardening", "Plantjes en zaden voor je balkon"),
    ("children", "Oppassen op woensdagmiddag"),
    ("homework", "Huiswerkhulp rekenen en taal"),
    ("electrics", "Small electrical jobs: lamps and sockets"),
    ("music", "Gitaarles voor beginners"),
]


def build(members: int) -> int:
    """The neighbourhood, its opted-in members, offers and thanks; returns its id."""
    from django.db import connection, transaction
    from django.utils import timezone
    from generate import generate

    from buurtnet.neighbourhoods.models import Membership, Neighbourhood
    from buurtnet.people.models import Talent, User
    from buurtnet.sharing.models import Post, Thanks

    (slug,) = generate(neighbourhoods=1, members=members, initiatives_per=5, progress=True)
    neighbourhood = Neighbourhood.objects.get(slug=slug)
    rng = random.Random(7)
    ids = list(
        Membership.objects.filter(neighbourhood=neighbourhood).values_list("user_id", flat=True)
    )
    talents = {t.slug: t for t in Talent.objects.all()}
    now = timezone.now()
    with transaction.atomic():
        opted = [i for i in ids if rng.random() < 0.7]
        for start in range(0, len(opted), 900):
            chunk = opted[start : start + 900]
            User.objects.filter(pk__in=chunk).update(
                open_to_asks=True,
                available_evenings=True,
            )
        offers = []
        for _ in range(3000):
            slug_, title = rng.choice(OFFER_WORDS)
            offers.append(
                Post(
                    neighbourhood=neighbourhood,
                    author_id=rng.choice(opted),
                    side="offer",
                    kind="skill",
                    category=talents[slug_],
                    title=title,
                    language="nl",
                    expires_at=now + timedelta(days=rng.randint(1, 14)),
                )
            )
        Post.objects.bulk_create(offers, batch_size=500)
        thanks = []
        for _ in range(2000):
            giver, receiver = rng.sample(ids, 2)
            thanks.append(
                Thanks(
                    neighbourhood=neighbourhood,
                    giver_id=giver,
                    receiver_id=receiver,
                    category=talents[rng.choice(OFFER_WORDS)[0]],
                )
            )
        Thanks.objects.bulk_create(thanks, batch_size=500)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return neighbourhood.pk


def measure(neighbourhood_id: int, rounds: int, labelled: Path = LABELLED) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from buurtnet.neighbourhoods.models import Membership
    from buurtnet.people.models import Talent
    from buurtnet.sharing import matching
    from buurtnet.sharing.models import Post

    asks = json.loads(labelled.read_text())["asks"]
    talents = {t.slug: t for t in Talent.objects.all()}
    members = list(
        Membership.objects.filter(neighbourhood_id=neighbourhood_id).values_list(
            "user_id", "building_id"
        )
    )
    rng = random.Random(11)
    timings: list[float] = []
    queries: list[int] = []
    found: list[int] = []
    with translation.override("nl"):
        matching.suggest(matching.Ask(neighbourhood_id=neighbourhood_id, asker_id=0, text="x"))
        for _round in range(rounds):
            for entry in asks:
                asker, building = rng.choice(members)
                post = Post(
                    pk=None,
                    neighbourhood_id=neighbourhood_id,
                    author_id=asker,
                    side="ask",
                    kind=entry["kind"],
                    category=talents.get(entry.get("category") or ""),
                    title=entry["title"],
                    body=entry.get("body", ""),
                    language=entry["language"],
                    building_id=building,
                    part_of_day=entry.get("part_of_day", ""),
                )
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    suggestions = matching.suggest_for_post(post)
                    timings.append((time.perf_counter() - started) * 1000)
                queries.append(len(captured))
                found.append(len(suggestions))
    timings.sort()

    def pct(p: float) -> float:
        return round(timings[min(len(timings) - 1, int(len(timings) * p))], 1)

    return {
        "asks": len(timings),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(timings[-1], 1),
        "mean_ms": round(statistics.fmean(timings), 1),
        "queries_max": max(queries),
        "suggested_mean": round(statistics.fmean(found), 1),
    }


def quality_table() -> str:
    """The labelled set's figures on the Ede-Zuid demo, per language, as a Markdown table."""
    from io import StringIO

    from django.core.management import call_command

    from buurtnet.neighbourhoods.models import Neighbourhood
    from tests.sharing.test_matching_quality import evaluate, figures

    call_command("demo", stdout=StringIO())
    result = figures(evaluate(Neighbourhood.objects.get(slug="ede-zuid")))
    lines = ["| Asks in | Asks | precision@5 | recall@10 |", "|---|---:|---:|---:|"]
    order = sorted(result, key=lambda name: (name != "all", -result[name]["asks"], name))
    for name in order:
        row = result[name]
        lines.append(
            f"| {name} | {row['asks']} | {row['precision@5']:.3f} | {row['recall@10']:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--asks", type=Path, default=LABELLED, help="the asks to time")
    parser.add_argument(
        "--quality",
        action="store_true",
        help="instead: precision@5 and recall@10 of the labelled set on the Ede-Zuid demo",
    )
    args = parser.parse_args(argv)
    if args.database_url:
        from run import postgres_recreate

        postgres_recreate(args.database_url)
        os.environ["DATABASE_URL"] = args.database_url
        os.environ.setdefault("BUURTNET_DATA_DIR", str(ROOT / "bench" / "data" / "matching-pg"))
    else:
        data = ROOT / "bench" / "data" / "matching"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        os.environ["BUURTNET_DATA_DIR"] = str(data)
    from generate import database_label, setup

    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if args.quality:
        print(quality_table())
        return
    started = time.monotonic()
    neighbourhood_id = build(args.members)
    print(f"built {args.members} members in {time.monotonic() - started:.0f} s", file=sys.stderr)
    result = measure(neighbourhood_id, args.rounds, args.asks)
    result["database"] = database_label()
    result["members"] = args.members
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
