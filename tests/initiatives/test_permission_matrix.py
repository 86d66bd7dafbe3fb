"""Every initiative action for every role: the HTTP answer, and whether the write happened.

Initiators keep the lead; people on board share updates and learnings; professionals only offer
support; hosts have no extra power over initiatives; another neighbourhood sees nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from buurtnet.initiatives.models import Learning, Need, Participation, SupportOffer, Update

ROLES = ["anonymous", "resident", "initiator", "participant", "professional", "host", "other"]
PERSONA_OF_ROLE = {
    "anonymous": None,
    "resident": "daan",
    "initiator": "fatima",
    "participant": "priya",
    "professional": "anna",
    "host": "henk",
    "other": "olga",
}

OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", 403, 404


def expect(**allowed_roles) -> dict:
    """Anonymous → login, other neighbourhood → 404, listed roles → ok, the rest → 403."""
    outcome = {role: FORBIDDEN for role in ROLES}
    outcome.update(anonymous=LOGIN, other=NOT_FOUND)
    outcome.update({role: OK for role in allowed_roles})
    return outcome


INITIATORS_ONLY = expect(initiator=True)
ON_BOARD = expect(initiator=True, participant=True)


@dataclass
class Action:
    method: str
    url: Callable  # (url, fixtures) -> str
    data: Callable  # (personas, fixtures) -> dict
    happened: Callable  # (personas, actor, fixtures) -> bool
    outcome: dict


ACTIONS = {
    "view": Action(
        "get",
        lambda url, f: url("detail"),
        lambda p, f: {},
        lambda p, actor, f: True,
        expect(resident=True, initiator=True, participant=True, professional=True, host=True),
    ),
    "manage page": Action(
        "get",
        lambda url, f: url("manage"),
        lambda p, f: {},
        lambda p, actor, f: True,
        INITIATORS_ONLY,
    ),
    "edit": Action(
        "post",
        lambda url, f: url("edit"),
        lambda p, f: {
            "title": "Samen koken",
            "wish": "Cook together every Friday.",
            "description": "",
            "visibility": "public",
        },
        lambda p, actor, f: (
            type(p.initiative).objects.get(pk=p.initiative.pk).title == "Samen koken"
        ),
        INITIATORS_ONLY,
    ),
    "change status": Action(
        "post",
        lambda url, f: url("status"),
        lambda p, f: {"status": "paused"},
        lambda p, actor, f: type(p.initiative).objects.get(pk=p.initiative.pk).status == "paused",
        INITIATORS_ONLY,
    ),
    "decide participants": Action(
        "post",
        lambda url, f: url("participation_decide", f["joiner"].pk),
        lambda p, f: {"decision": "accept"},
        lambda p, actor, f: Participation.objects.get(pk=f["joiner"].pk).status == "accepted",
        INITIATORS_ONLY,
    ),
    "add initiator": Action(
        "post",
        lambda url, f: url("initiator_add"),
        lambda p, f: {"user": p.daan.pk},
        lambda p, actor, f: Participation.objects.filter(
            initiative=p.initiative, user=p.daan, role="initiator"
        ).exists(),
        INITIATORS_ONLY,
    ),
    "join": Action(
        "post",
        lambda url, f: url("join"),
        lambda p, f: {"brings": "I can cook for twenty"},
        lambda p, actor, f: (
            actor is not None
            and Participation.objects.filter(
                initiative=p.initiative, user=actor, status="pending"
            ).exists()
        ),
        expect(resident=True, host=True),
    ),
    "offer support": Action(
        "post",
        lambda url, f: url("offer"),
        lambda p, f: {"kind": "help", "message": "We can lend tables."},
        lambda p, actor, f: (
            actor is not None
            and SupportOffer.objects.filter(initiative=p.initiative, offered_by=actor).exists()
        ),
        expect(professional=True),
    ),
    "decide offers": Action(
        "post",
        lambda url, f: url("offer_decide", f["pending_offer"].pk),
        lambda p, f: {"decision": "accept"},
        lambda p, actor, f: SupportOffer.objects.get(pk=f["pending_offer"].pk).status == "accepted",
        INITIATORS_ONLY,
    ),
    "post update": Action(
        "post",
        lambda url, f: url("update_post"),
        lambda p, f: {"body": "Thirty neighbours came to dinner."},
        lambda p, actor, f: Update.objects.filter(initiative=p.initiative).exists(),
        ON_BOARD,
    ),
    "post learning": Action(
        "post",
        lambda url, f: url("learning_post"),
        lambda p, f: {"what_worked": "Cooking in pairs.", "what_did_not": ""},
        lambda p, actor, f: Learning.objects.filter(initiative=p.initiative).exists(),
        ON_BOARD,
    ),
    "add need": Action(
        "post",
        lambda url, f: url("need_add"),
        lambda p, f: {"kind": "materials", "description": "Big pans"},
        lambda p, actor, f: Need.objects.filter(description="Big pans").exists(),
        INITIATORS_ONLY,
    ),
    "mark need met": Action(
        "post",
        lambda url, f: url("need_met", f["open_need"].pk),
        lambda p, f: {f"need-{f['open_need'].pk}-who": f"user:{p.priya.pk}"},
        lambda p, actor, f: Need.objects.get(pk=f["open_need"].pk).is_met,
        INITIATORS_ONLY,
    ),
}

CASES = [(action, role) for action in ACTIONS for role in ROLES]


def _warm_the_cache(personas, as_user, url) -> None:
    """Every role that may look has looked: the shared parts of the pages are in the cache."""
    for persona in ("fatima", "priya", "daan", "anna", "henk"):
        client = as_user(getattr(personas, persona))
        client.get(url("detail"))
        client.get(f"/n/{personas.ede.slug}/initiatives/")


@pytest.mark.parametrize("cache", ["cold", "warm"])
@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a}-{r}" for a, r in CASES])
def test_permission_matrix(
    action, role, cache, personas, as_user, url, joiner, pending_offer, open_need
):
    spec = ACTIONS[action]
    fixtures = {"joiner": joiner, "pending_offer": pending_offer, "open_need": open_need}
    actor = getattr(personas, PERSONA_OF_ROLE[role]) if PERSONA_OF_ROLE[role] else None
    if cache == "warm":
        _warm_the_cache(personas, as_user, url)
    client = as_user(actor)
    target = spec.url(url, fixtures)
    if spec.method == "get":
        response = client.get(target)
    else:
        response = client.post(target, spec.data(personas, fixtures))

    expected = spec.outcome[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif expected == OK:
        assert response.status_code == (200 if spec.method == "get" else 302), response.content[
            :2000
        ]
        if spec.method == "post":
            assert not response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected

    if spec.method == "post":
        assert spec.happened(personas, actor, fixtures) is (expected == OK)
