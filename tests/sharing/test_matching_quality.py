"""Matching is measured, not assumed: the labelled asks against the Ede-Zuid demo.

tests/sharing/matching_set.json holds asks written by hand in several languages, each with the
neighbours a well-informed host would suggest and why (judged from the demo's profiles and
offers, not from the algorithm). For each ask Buurtnet's suggestions are compared with them:

- precision@5: of the (at most) five first suggestions, the share that is expected
  (an ask with no suggestion at all counts as 0);
- recall@10: of the expected neighbours (at most ten of them count), the share among the
  first ten suggestions.

Both are averaged over the asks. `bench/matching.py --quality` prints the same figures per
language for bench/RESULTS.md.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import Talent, User
from buurtnet.sharing import matching
from buurtnet.sharing.models import Post

LABELLED = Path(__file__).with_name("matching_set.json")
EMAIL_DOMAIN = "@demo.buurtnet.nl"

PRECISION_AT_5 = 0.8
RECALL_AT_10 = 0.9


@dataclass
class Outcome:
    id: str
    language: str
    precision: float
    recall: float
    suggested: list[str]
    expected: list[str]


def labelled_asks() -> list[dict]:
    return json.loads(LABELLED.read_text())["asks"]


def evaluate(neighbourhood: Neighbourhood) -> list[Outcome]:
    """Ask every labelled ask in the demo neighbourhood and score the suggestions."""
    people = {
        u.email.removesuffix(EMAIL_DOMAIN): u
        for u in User.objects.filter(email__endswith=EMAIL_DOMAIN)
    }
    key_of = {u.pk: key for key, u in people.items()}
    flats = dict(
        Membership.objects.filter(neighbourhood=neighbourhood).values_list("user_id", "building_id")
    )
    talents = {t.slug: t for t in Talent.objects.all()}
    outcomes = []
    for entry in labelled_asks():
        asker = people[entry["asker"]]
        post = Post(
            neighbourhood=neighbourhood,
            author=asker,
            side="ask",
            kind=entry["kind"],
            category=talents.get(entry.get("category") or ""),
            title=entry["title"],
            body=entry.get("body", ""),
            language=entry["language"],
            building_id=flats.get(asker.pk),
            part_of_day=entry.get("part_of_day", ""),
        )
        with translation.override(asker.preferred_language):
            suggestions = matching.suggest_for_post(post, limit=10)
        suggested = [key_of.get(s.user.pk, str(s.user.pk)) for s in suggestions]
        expected = set(entry["expected"])
        top5 = suggested[:5]
        precision = len(expected & set(top5)) / len(top5) if top5 else 0.0
        recall = len(expected & set(suggested[:10])) / min(10, len(expected))
        outcomes.append(
            Outcome(
                id=entry["id"],
                language=entry["language"],
                precision=precision,
                recall=recall,
                suggested=suggested,
                expected=sorted(expected),
            )
        )
    return outcomes


def figures(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    """Mean precision@5 and recall@10, for all asks and per language."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups["all"].append(outcome)
        groups[outcome.language].append(outcome)
    return {
        name: {
            "asks": len(group),
            "precision@5": sum(o.precision for o in group) / len(group),
            "recall@10": sum(o.recall for o in group) / len(group),
        }
        for name, group in groups.items()
    }


def misses(outcomes: list[Outcome]) -> str:
    """The asks that fall short, to read when a figure drops."""
    lines = []
    for o in outcomes:
        if o.precision < 1 or o.recall < 1:
            lines.append(
                f"{o.id}: P@5 {o.precision:.2f} R@10 {o.recall:.2f}"
                f" suggested {o.suggested} expected {o.expected}"
            )
    return "\n".join(lines)


def test_the_labelled_set_is_big_and_varied_enough():
    asks = labelled_asks()
    assert len(asks) >= 100
    assert len({a["language"] for a in asks}) >= 4
    assert all(a["expected"] for a in asks)
    assert len({a["id"] for a in asks}) == len(asks)


@pytest.mark.django_db
def test_suggestions_meet_precision_and_recall_on_the_labelled_set():
    call_command("demo", stdout=StringIO())
    neighbourhood = Neighbourhood.objects.get(slug="ede-zuid")
    outcomes = evaluate(neighbourhood)
    result = figures(outcomes)["all"]
    report = misses(outcomes)
    assert result["precision@5"] >= PRECISION_AT_5, report
    assert result["recall@10"] >= RECALL_AT_10, report
