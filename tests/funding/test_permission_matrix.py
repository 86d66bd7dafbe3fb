"""Every page of the foundation × every role: who reads it, who is refused, who never hears of it.

Anonymous visitors are sent to log in (the public page excepted); members of another
neighbourhood get 404, as for something that does not exist; members without the role get 403
on the board's and treasurer's pages, and 404 on a request they may not read.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtnet.funding.models import BankLine, BankStatement, PaymentBatch
from buurtnet.funding.services import grants
from tests.factories import InitiativeFactory, ParticipationFactory
from tests.funding.conftest import IBAN_DINNER, budget

ROLES = ["anonymous", "daan", "fatima", "priya", "bas", "tom", "carla", "henk", "anna", "olga"]
BOARD = {"priya", "bas", "tom", "carla"}

# The answer per page: (roles answered 200, roles answered 403); anonymous → 302, olga → 404,
# any other role 404 (for a request) or 403.
EVERYONE = set(ROLES)
PAGES = {
    "public": (EVERYONE, set()),
    "desk": (BOARD, {"daan", "fatima", "henk", "anna"}),
    "rules": (BOARD, {"daan", "fatima", "henk", "anna"}),
    "seats": (BOARD | {"henk"}, {"daan", "fatima", "anna"}),
    "funds": (BOARD, {"daan", "fatima", "henk", "anna"}),
    "fund_edit": ({"tom"}, {"daan", "fatima", "henk", "anna", "priya", "bas", "carla"}),
    "money_in": ({"tom"}, {"daan", "fatima", "henk", "anna", "priya", "bas", "carla"}),
    "bank": ({"tom"}, {"daan", "fatima", "henk", "anna", "priya", "bas", "carla"}),
    "bank_line": ({"tom"}, {"daan", "fatima", "henk", "anna", "priya", "bas", "carla"}),
    "payments": ({"tom"}, {"daan", "fatima", "henk", "anna", "priya", "bas", "carla"}),
    "batch_xml": ({"tom"}, {"daan", "fatima", "henk", "anna", "priya", "bas", "carla"}),
    "ledger": ({"tom"}, {"daan", "fatima", "henk", "anna", "priya", "bas", "carla"}),
    "ledger_csv": (BOARD, {"daan", "fatima", "henk", "anna"}),
    "grants_csv": (BOARD, {"daan", "fatima", "henk", "anna"}),
    "report_pdf": (BOARD, {"daan", "fatima", "henk", "anna"}),
    # A request waiting for the board: its initiators, the people on board and the board.
    "request": ({"fatima", "priya", "bas", "tom", "carla"}, set()),
    "request_edit": ({"fatima"}, {"priya", "bas", "tom", "carla"}),
    # Asking for money for an initiative: only its initiators.
    "request_start": ({"fatima"}, {"daan", "priya", "bas", "tom", "carla", "henk", "anna"}),
}


@pytest.fixture
def world(funding):
    p = funding.p
    grant = grants.grant_request_start(
        by=funding.m(p.fatima),
        foundation=funding.foundation,
        initiative=p.initiative,
        fund=funding.fund,
        budget=budget(),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    grants.grant_submit(by=funding.m(p.fatima), grant=grant)
    garden = InitiativeFactory(neighbourhood=p.ede, title="Moestuin")
    ParticipationFactory(initiative=garden, user=p.fatima, role="initiator")
    statement = BankStatement.objects.create(
        foundation=funding.foundation, digest="x", imported_by=funding.tom
    )
    line = BankLine.objects.create(
        statement=statement, position=1, booked_on=timezone.localdate(), amount_cents=500
    )
    batch = PaymentBatch.objects.create(
        foundation=funding.foundation,
        message_id="BN-TEST",
        execution_date=timezone.localdate(),
        created_by=funding.tom,
        xml="<Document/>",
    )
    slug, org = p.ede.slug, p.foundation.slug
    on_board = (slug, org)
    urls = {
        "public": reverse("funding:public", args=on_board),
        "desk": reverse("funding:desk", args=on_board),
        "rules": reverse("funding:rules", args=on_board),
        "seats": reverse("funding:seats", args=on_board),
        "funds": reverse("funding:funds", args=on_board),
        "fund_edit": reverse("funding:fund_edit", args=[*on_board, funding.fund.pk]),
        "money_in": reverse("funding:money_in", args=on_board),
        "bank": reverse("funding:bank", args=on_board),
        "bank_line": reverse("funding:bank_line", args=[*on_board, line.pk]),
        "payments": reverse("funding:payments", args=on_board),
        "batch_xml": reverse("funding:batch_xml", args=[*on_board, batch.pk]),
        "ledger": reverse("funding:ledger", args=on_board),
        "ledger_csv": reverse("funding:ledger_csv", args=on_board),
        "grants_csv": reverse("funding:grants_csv", args=on_board),
        "report_pdf": reverse("funding:report_pdf", args=[*on_board, timezone.localdate().year]),
        "request": reverse("funding:request", args=[slug, grant.pk]),
        "request_edit": reverse("funding:request_edit", args=[slug, grant.pk]),
        "request_start": reverse("funding:request_start", args=[*on_board, garden.pk]),
    }
    people = {
        "anonymous": None,
        **{name: getattr(p, name) for name in ("daan", "fatima", "priya", "henk", "anna", "olga")},
        **{name: getattr(funding, name) for name in ("bas", "tom", "carla")},
    }
    return urls, people


def expected(page: str, role: str) -> int:
    allowed, refused = PAGES[page]
    if role in allowed:
        return 200
    if role == "anonymous":
        return 302
    if role in refused:
        return 403
    return 404


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_answers_every_role_as_its_rule_says(as_user, world, page):
    urls, people = world
    answers = {role: as_user(people[role]).get(urls[page]).status_code for role in ROLES}
    assert answers == {role: expected(page, role) for role in ROLES}
