"""How long expanding a year of every repeating activity of one neighbourhood takes.

    python bench/expand.py [--runs 20]    (uses the neighbourhoods bench/generate.py made)

`bench/run.py` runs it too and writes the figures into bench/RESULTS.md. The expansion is what
the agenda, the calendar feeds, the reminders and the reservations all do: read the activities
and their changed dates (two queries), then unfold each repeat rule in local wall-clock time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402 - bench/generate.py, next to this file


@dataclass
class Expansion:
    slug: str
    members: int
    series: int
    singles: int
    occurrences: int
    queries: int
    runs: int
    median_ms: float
    p95_ms: float
    cold_ms: float

    def lines(self) -> list[str]:
        return [
            "## Expanding a year of activities",
            "",
            f"Every activity of `{self.slug}` ({self.members} members; {self.series} repeating"
            f" series, weekly, fortnightly and monthly, plus {self.singles} single events) unfolded"
            f" for the coming 365 days with `occurrences_for_neighbourhood`: {self.occurrences}"
            f" occurrences, {self.queries} database queries.",
            "",
            "| Runs | First run (rules not yet parsed) | Median | p95 |",
            "|---:|---:|---:|---:|",
            f"| {self.runs} | {self.cold_ms:.1f} ms | {self.median_ms:.1f} ms"
            f" | {self.p95_ms:.1f} ms |",
            "",
        ]


def measure(runs: int = 20) -> Expansion:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from buurtnet.activities import recurrence
    from buurtnet.activities.models import Activity
    from buurtnet.activities.recurrence import occurrences_for_neighbourhood
    from buurtnet.neighbourhoods.models import Membership, Neighbourhood

    neighbourhood = Neighbourhood.objects.filter(slug__startswith="bench-").order_by("slug")[0]
    activities = Activity.objects.filter(neighbourhood=neighbourhood)
    start = timezone.now()
    end = start + timedelta(days=365)
    parse = getattr(recurrence, "_parse", None)  # the parsed-rule cache, if it is still there
    if parse is not None and hasattr(parse, "cache_clear"):
        parse.cache_clear()
    timings = []
    found = []
    for run in range(runs + 1):
        began = time.perf_counter()
        if run == 1:
            with CaptureQueriesContext(connection) as queries:
                found = occurrences_for_neighbourhood(neighbourhood, start, end)
        else:
            found = occurrences_for_neighbourhood(neighbourhood, start, end)
        timings.append((time.perf_counter() - began) * 1000)
    cold, warm = timings[0], sorted(timings[1:])
    return Expansion(
        slug=neighbourhood.slug,
        members=Membership.objects.filter(neighbourhood=neighbourhood).count(),
        series=activities.exclude(rrule="").count(),
        singles=activities.filter(rrule="").count(),
        occurrences=len(found),
        queries=len(queries),
        runs=runs,
        median_ms=statistics.median(warm),
        p95_ms=warm[max(0, round(0.95 * len(warm)) - 1)],
        cold_ms=cold,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    generate.setup()
    print("\n".join(measure(args.runs).lines()))


if __name__ == "__main__":
    main()
