"""The board's pages: the desk, the rules, the seats and the funds, for every role."""

import dataclasses
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtnet.funding.models import BoardSeat, Foundation, Fund
from buurtnet.funding.selectors.board import open_requests
from buurtnet.funding.services import decisions, grants
from buurtnet.funding.tally import tally
from buurtnet.neighbourhoods.models import Membership
from tests.factories import InitiativeFactory, OrganisationFactory, ParticipationFactory
from tests.funding.conftest import IBAN_DINNER, IBAN_FOUNDATION, budget

pytestmark = pytest.mark.django_db

GET_PAGES = ["desk", "rules", "seats", "funds", "fund_edit"]


def url(name: str, *extra) -> str:
    return reverse(f"funding:{name}", args=["ede-zuid", "vrienden", *extra])


def page_url(name: str, funding) -> str:
    return url(name, funding.fund.pk) if name == "fund_edit" else url(name)


def _initiative(funding, title: str):
    initiative = InitiativeFactory(
        neighbourhood=funding.p.ede, title=title, created_by=funding.p.fatima
    )
    ParticipationFactory(initiative=initiative, user=funding.p.fatima, role="initiator")
    return initiative


def _submitted(funding, initiative=None, *, days: int = 30, amount: int = 25000):
    """A request of fatima, sent to the board, needed in `days` days."""
    p = funding.p
    grant = grants.grant_request_start(
        by=funding.m(p.fatima),
        foundation=funding.foundation,
        initiative=initiative or p.initiative,
        fund=funding.fund,
        budget=dataclasses.replace(
            budget(amount, [("Things", amount)]),
            needed_by=timezone.localdate() + timedelta(days=days),
        ),
        account_holder="Samen eten",
        iban=IBAN_DINNER,
    )
    grants.grant_submit(by=funding.m(p.fatima), grant=grant)
    return grant


def _foundation(funding) -> Foundation:
    return Foundation.objects.get(pk=funding.foundation.pk)


# ------------------------------------------------------------------------------ who sees what


@pytest.mark.parametrize("name", GET_PAGES)
def test_visitors_are_sent_to_log_in(funding, as_user, name):
    response = as_user(None).get(page_url(name, funding))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("name", GET_PAGES)
def test_members_of_another_neighbourhood_find_nothing(funding, as_user, name):
    assert as_user(funding.p.olga).get(page_url(name, funding)).status_code == 404


@pytest.mark.parametrize("name", GET_PAGES)
def test_a_resident_without_a_seat_is_refused(funding, as_user, name):
    assert as_user(funding.p.daan).get(page_url(name, funding)).status_code == 403


@pytest.mark.parametrize("name", GET_PAGES)
def test_a_professional_of_the_foundation_without_a_seat_is_refused(funding, as_user, name):
    assert as_user(funding.p.sem).get(page_url(name, funding)).status_code == 403


@pytest.mark.parametrize(
    ("name", "status"),
    [("desk", 403), ("rules", 403), ("seats", 200), ("funds", 403), ("fund_edit", 403)],
)
def test_a_host_off_the_board_reaches_only_the_seats(funding, as_user, name, status):
    assert as_user(funding.p.henk).get(page_url(name, funding)).status_code == status


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("carla", "desk", 200),
        ("carla", "rules", 200),
        ("carla", "seats", 200),
        ("carla", "funds", 200),
        ("carla", "fund_edit", 403),
        ("tom", "desk", 200),
        ("tom", "rules", 200),
        ("tom", "seats", 200),
        ("tom", "funds", 200),
        ("tom", "fund_edit", 200),
        ("bas", "desk", 200),
        ("bas", "rules", 200),
        ("bas", "seats", 200),
        ("bas", "funds", 200),
        ("bas", "fund_edit", 403),
        ("priya", "desk", 200),
    ],
)
def test_the_board_reaches_its_pages(funding, as_user, who, name, status):
    user = funding.p.priya if who == "priya" else getattr(funding, who)
    assert as_user(user).get(page_url(name, funding)).status_code == status


def test_the_pages_lead_to_each_other_and_to_the_exports(funding, as_user):
    content = as_user(funding.bas).get(url("desk")).content.decode()
    for name in ("rules", "seats", "funds", "public", "ledger_csv", "grants_csv"):
        assert url(name) in content
    assert url("report_pdf", timezone.localdate().year) in content
    # The treasurer's pages are the treasurer's.
    assert url("payments") not in content
    content = as_user(funding.tom).get(url("desk")).content.decode()
    for name in ("money_in", "bank", "payments", "ledger"):
        assert url(name) in content


# ------------------------------------------------------------------------------------ the desk


def test_the_desk_lists_open_requests_in_order_of_need(funding, as_user):
    later = _submitted(funding, days=40, amount=30000)
    sooner = _submitted(funding, _initiative(funding, "Repair café"), days=5)
    _submitted(funding, _initiative(funding, "Bike shed"), days=20)
    content = as_user(funding.bas).get(url("desk")).content.decode()
    assert content.index("Repair café") < content.index("Bike shed") < content.index("Samen eten")
    assert reverse("funding:request", args=["ede-zuid", sooner.pk]) in content
    assert reverse("funding:request", args=["ede-zuid", later.pk]) in content
    assert "300.00" in content  # the amount asked
    assert "0 of 2 approvals" in content
    assert "Your vote is awaited" in content


def test_the_desk_shows_votes_and_conflicts(funding, as_user):
    grant = _submitted(funding)
    decisions.grant_vote(by=funding.m(funding.bas), grant=grant, choice="approve", reason="Fine")
    content = as_user(funding.bas).get(url("desk")).content.decode()
    assert "1 of 2 approvals" in content and "You voted" in content
    content = as_user(funding.p.priya).get(url("desk")).content.decode()
    assert "You may not vote" in content and "You take part in this initiative." in content
    assert "Your vote is awaited" not in content


def test_the_desk_marks_a_request_waiting_for_the_chair(funding, as_user):
    foundation = _foundation(funding)
    foundation.approvals_needed = 4  # carla, tom and bas may vote; priya takes part
    foundation.save()
    _submitted(funding)
    content = as_user(funding.carla).get(url("desk")).content.decode()
    assert "Waiting for the chair" in content and "Too few members may vote." in content
    assert "You decide" in content
    content = as_user(funding.bas).get(url("desk")).content.decode()
    assert "Waiting for the chair" in content and "You decide" not in content


def test_a_tie_waits_for_the_chair(funding, as_user):
    foundation = _foundation(funding)
    foundation.approvals_needed = 3
    foundation.save()
    grant = _submitted(funding)
    decisions.grant_vote(by=funding.m(funding.bas), grant=grant, choice="approve", reason="Yes")
    decisions.grant_vote(by=funding.m(funding.tom), grant=grant, choice="decline", reason="No")
    content = as_user(funding.carla).get(url("desk")).content.decode()
    assert "Waiting for the chair" not in content and "Your vote is awaited" in content
    # Everyone who may vote has voted (a question counts), one for and one against.
    decisions.grant_vote(by=funding.m(funding.carla), grant=grant, choice="more_info", reason="?")
    content = as_user(funding.carla).get(url("desk")).content.decode()
    assert "Waiting for the chair" in content and "The votes are tied." in content
    assert "You decide" in content
    assert tally(grant).next.value == "chair"


def _same_as_tally(funding, user):
    rows = open_requests(_foundation(funding), user_id=user.pk)
    assert rows
    for row in rows:
        expected = tally(row.grant)
        assert row.version.pk == expected.version.pk
        assert row.tally.next == expected.next
        assert row.tally.too_few_eligible == expected.too_few_eligible
        assert [v.pk for v in row.tally.votes] == [v.pk for v in expected.votes]
        assert [s.pk for s in row.tally.eligible] == [s.pk for s in expected.eligible]
        assert row.tally.conflicts == expected.conflicts
        assert row.i_may_vote == expected.may_vote(user.pk)
        assert row.i_decide == expected.chair_may_decide(user.pk)


def test_the_desk_counts_as_the_tally_does(funding):
    foundation = _foundation(funding)
    foundation.approvals_needed = 3
    foundation.save()
    dinner = _submitted(funding)
    other = _submitted(funding, _initiative(funding, "Bike shed"))
    # bas lives with fatima: conflicted on both; carla gave money for the bike shed.
    Membership.objects.filter(user=funding.bas).update(
        home=Membership.objects.get(user=funding.p.fatima).home
    )
    decisions.grant_vote(by=funding.m(funding.tom), grant=dinner, choice="approve", reason="Yes")
    decisions.grant_vote(by=funding.m(funding.carla), grant=other, choice="decline", reason="No")
    for user in (funding.carla, funding.tom, funding.bas, funding.p.priya):
        _same_as_tally(funding, user)


def _desk_queries(client) -> int:
    for _warm_up in range(2):  # the member's cached membership settles after a login
        client.get(url("desk"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("desk"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["tom", "bas"])
def test_the_desk_costs_the_same_queries_for_one_or_six_requests(funding, as_user, who):
    client = as_user(getattr(funding, who))
    _submitted(funding)
    one = _desk_queries(client)
    for n in range(5):
        grant = _submitted(funding, _initiative(funding, f"Plan {n}"), days=n + 3)
        if n % 2:
            decisions.grant_vote(
                by=funding.m(funding.carla), grant=grant, choice="approve", reason="Yes"
            )
    assert len(open_requests(_foundation(funding), user_id=funding.bas.pk)) == 6
    assert _desk_queries(client) == one


def test_the_treasurer_sees_what_is_still_to_pay(funding, as_user):
    grant = _submitted(funding)
    decisions.grant_vote(by=funding.m(funding.bas), grant=grant, choice="approve", reason="Yes")
    decisions.grant_vote(by=funding.m(funding.carla), grant=grant, choice="approve", reason="Yes")
    content = as_user(funding.tom).get(url("desk")).content.decode()
    assert "To do for the treasurer" in content
    assert "250.00 still to pay on 1 grant" in content
    assert "Granted: €" in content  # the recent decision
    content = as_user(funding.bas).get(url("desk")).content.decode()
    assert "To do for the treasurer" not in content
    assert "Granted: €" in content


def test_the_desk_shows_the_funds_and_the_bank(funding, as_user):
    content = as_user(funding.p.priya).get(url("desk")).content.decode()
    assert "Initiatives 2027" in content
    assert "1,000.00" in content


# ----------------------------------------------------------------------------------- the rules


def _rules(**changes) -> dict:
    data = {
        "max_grant": "750,00",
        "funds_what": "Neighbours meeting neighbours.",
        "does_not_fund": "Parties with alcohol.",
        "approvals_needed": "3",
        "chair_decides_tie": "on",
        "payment_term_days": "10",
        "receipt_tolerance": "2,50",
        "account_holder": "Stichting Vrienden",
        "iban": "nl91 abna 0417 1643 00",
        "bic": "abnanl2a",
    }
    data.update(changes)
    return data


def test_the_board_reads_the_rules(funding, as_user):
    content = as_user(funding.p.priya).get(url("rules")).content.decode()
    assert "1000.00" in content  # the maximum grant, as typed
    assert IBAN_FOUNDATION in content


def test_a_board_member_saves_the_rules(funding, as_user):
    response = as_user(funding.bas).post(url("rules"), _rules())
    assert response.status_code == 302
    foundation = _foundation(funding)
    assert foundation.max_grant_cents == 75000
    assert foundation.receipt_tolerance_cents == 250
    assert foundation.approvals_needed == 3
    assert foundation.iban == IBAN_FOUNDATION
    assert foundation.bic == "ABNANL2A"
    assert foundation.funds_what == "Neighbours meeting neighbours."


def test_an_invalid_iban_is_sent_back_with_what_was_typed(funding, as_user):
    response = as_user(funding.carla).post(
        url("rules"), _rules(iban="NL00ABNA0000000000", funds_what="Soup for everyone")
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "This IBAN is not valid" in content
    assert "NL00ABNA0000000000" in content and "Soup for everyone" in content
    assert _foundation(funding).max_grant_cents == 100000


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("max_grant", "0,50", "at least"),
        ("max_grant", "lots", "Write an amount in euros"),
        ("approvals_needed", "12", "less than or equal to 9"),
        ("receipt_tolerance", "", "required"),
        ("bic", "ABC", "8 or 11 letters"),
    ],
)
def test_bad_rules_are_sent_back(funding, as_user, field, value, message):
    response = as_user(funding.carla).post(url("rules"), _rules(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Parties with alcohol." in response.content.decode()
    assert _foundation(funding).approvals_needed == 2


@pytest.mark.parametrize("who", ["daan", "henk", "olga"])
def test_a_forged_rules_post_changes_nothing(funding, as_user, who):
    response = as_user(getattr(funding.p, who)).post(url("rules"), _rules())
    assert response.status_code in (403, 404)
    assert _foundation(funding).max_grant_cents == 100000


# ----------------------------------------------------------------------------------- the seats


def _membership(funding, user) -> Membership:
    return Membership.objects.get(user=user, neighbourhood=funding.p.ede)


def test_the_seats_show_the_board_and_its_history(funding, as_user):
    seat = BoardSeat.objects.get(user=funding.bas)
    seat.ended_at = timezone.now()
    seat.save()
    BoardSeat.objects.create(foundation=funding.foundation, user=funding.bas, role="secretary")
    content = as_user(funding.p.priya).get(url("seats")).content.decode()
    assert "Carla" in content and "Treasurer" in content and "Secretary" in content
    assert "Seats that ended" in content and "No seat has ended yet." not in content
    # A plain board member gives no seats.
    assert "Give a seat" not in content and url("seat_end", seat.pk) not in content


@pytest.mark.parametrize("who", ["carla", "henk"])
def test_the_chair_or_a_host_gives_a_seat(funding, as_user, who):
    user = funding.carla if who == "carla" else funding.p.henk
    client = as_user(user)
    content = client.get(url("seats")).content.decode()
    assert "Give a seat" in content and "Daan" in content
    member = _membership(funding, funding.p.daan)
    response = client.post(url("seats"), {"member": member.pk, "role": "secretary"})
    assert response.status_code == 302
    seat = BoardSeat.objects.get(user=funding.p.daan, ended_at__isnull=True)
    assert seat.role == "secretary" and seat.granted_by == user
    # Daan now reaches the desk.
    assert as_user(funding.p.daan).get(url("desk")).status_code == 200


def test_the_chooser_never_shows_a_house_number(funding, as_user):
    home = _membership(funding, funding.p.daan).home
    home.number = "77B"
    home.save()
    content = as_user(funding.carla).get(url("seats")).content.decode()
    # As a word: a random token on the page may hold the same three characters.
    assert "Daan" in content and not re.search(r"\b77B\b", content)


def test_a_role_taken_is_sent_back(funding, as_user):
    member = _membership(funding, funding.p.daan)
    response = as_user(funding.carla).post(url("seats"), {"member": member.pk, "role": "treasurer"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "The board already has a treasurer. End that seat first." in content
    assert f'value="{member.pk}" selected' in content
    assert not BoardSeat.objects.filter(user=funding.p.daan).exists()


def test_only_residents_get_a_seat(funding, as_user):
    professional = _membership(funding, funding.p.anna)
    response = as_user(funding.carla).post(
        url("seats"), {"member": professional.pk, "role": "member"}
    )
    assert response.status_code == 400
    assert "Choose a resident of this neighbourhood" in response.content.decode()
    olga = Membership.objects.get(user=funding.p.olga)
    response = as_user(funding.carla).post(url("seats"), {"member": olga.pk, "role": "member"})
    assert response.status_code == 400
    assert not BoardSeat.objects.filter(user__in=[funding.p.anna, funding.p.olga]).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("bas", 403), ("tom", 403), ("daan", 403), ("olga", 404)]
)
def test_a_forged_seat_post_writes_nothing(funding, as_user, who, status):
    user = getattr(funding, who, None) or getattr(funding.p, who)
    member = _membership(funding, funding.p.daan)
    response = as_user(user).post(url("seats"), {"member": member.pk, "role": "member"})
    assert response.status_code == status
    assert not BoardSeat.objects.filter(user=funding.p.daan).exists()


@pytest.mark.parametrize("who", ["carla", "henk"])
def test_the_chair_or_a_host_ends_a_seat(funding, as_user, who):
    user = funding.carla if who == "carla" else funding.p.henk
    seat = BoardSeat.objects.get(user=funding.bas)
    response = as_user(user).post(url("seat_end", seat.pk))
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ended_at is not None and seat.ended_by == user
    # Twice is harmless.
    assert as_user(user).post(url("seat_end", seat.pk)).status_code == 302
    assert as_user(funding.bas).get(url("desk")).status_code == 403


@pytest.mark.parametrize(("who", "status"), [("bas", 403), ("daan", 403), ("olga", 404)])
def test_a_forged_seat_end_changes_nothing(funding, as_user, who, status):
    user = getattr(funding, who, None) or getattr(funding.p, who)
    seat = BoardSeat.objects.get(user=funding.tom)
    assert as_user(user).post(url("seat_end", seat.pk)).status_code == status
    seat.refresh_from_db()
    assert seat.ended_at is None


def test_ending_a_seat_needs_a_post_and_a_login(funding, as_user):
    seat = BoardSeat.objects.get(user=funding.tom)
    assert as_user(funding.carla).get(url("seat_end", seat.pk)).status_code == 405
    response = as_user(None).post(url("seat_end", seat.pk))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert as_user(funding.carla).post(url("seat_end", 999999)).status_code == 404


# ----------------------------------------------------------------------------------- the funds


def test_the_board_reads_the_funds(funding, as_user):
    Fund.objects.create(
        foundation=funding.foundation,
        name="Playground",
        purpose="Swings for the courtyard",
        earmarked=True,
        ends_on=timezone.localdate() + timedelta(days=90),
    )
    content = as_user(funding.bas).get(url("funds")).content.decode()
    assert "Initiatives 2027" in content and "1,000.00" in content
    assert "Swings for the courtyard" in content
    assert "Open a new fund" not in content
    assert url("fund_edit", funding.fund.pk) not in content
    content = as_user(funding.tom).get(url("funds")).content.decode()
    assert "Open a new fund" in content and url("fund_edit", funding.fund.pk) in content


def test_the_treasurer_opens_a_fund(funding, as_user):
    response = as_user(funding.tom).post(
        url("funds"),
        {"name": "Playground", "purpose": "Swings", "earmarked": "on", "ends_on": "2027-12-31"},
    )
    assert response.status_code == 302
    fund = Fund.objects.get(foundation=funding.foundation, name="Playground")
    assert fund.earmarked and str(fund.ends_on) == "2027-12-31" and not fund.may_go_below_zero


def test_a_duplicate_fund_is_sent_back(funding, as_user):
    response = as_user(funding.tom).post(
        url("funds"), {"name": "Initiatives 2027", "purpose": "Again, typed"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is already a fund with this name." in content and "Again, typed" in content
    assert Fund.objects.filter(foundation=funding.foundation).count() == 1


def test_a_fund_needs_a_name(funding, as_user):
    response = as_user(funding.tom).post(url("funds"), {"name": "", "purpose": "Nameless"})
    assert response.status_code == 400
    assert "Nameless" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("bas", 403), ("carla", 403), ("henk", 403)])
def test_only_the_treasurer_opens_a_fund(funding, as_user, who, status):
    user = getattr(funding, who, None) or getattr(funding.p, who)
    response = as_user(user).post(url("funds"), {"name": "Playground"})
    assert response.status_code == status
    assert not Fund.objects.filter(name="Playground").exists()


def test_the_treasurer_edits_a_fund(funding, as_user):
    client = as_user(funding.tom)
    assert "Initiatives 2027" in client.get(url("fund_edit", funding.fund.pk)).content.decode()
    response = client.post(
        url("fund_edit", funding.fund.pk),
        {"name": "Initiatives 2027-2028", "purpose": "All of them", "may_go_below_zero": "on"},
    )
    assert response.status_code == 302
    funding.fund.refresh_from_db()
    assert funding.fund.name == "Initiatives 2027-2028" and funding.fund.may_go_below_zero


def test_renaming_a_fund_to_another_fund_is_sent_back(funding, as_user):
    Fund.objects.create(foundation=funding.foundation, name="Playground")
    response = as_user(funding.tom).post(
        url("fund_edit", funding.fund.pk), {"name": "Playground", "purpose": "Typed"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is already a fund with this name." in content and "Typed" in content
    funding.fund.refresh_from_db()
    assert funding.fund.name == "Initiatives 2027"


@pytest.mark.parametrize(("who", "status"), [("bas", 403), ("daan", 403), ("olga", 404)])
def test_a_forged_fund_edit_changes_nothing(funding, as_user, who, status):
    user = getattr(funding, who, None) or getattr(funding.p, who)
    response = as_user(user).post(url("fund_edit", funding.fund.pk), {"name": "Mine"})
    assert response.status_code == status
    funding.fund.refresh_from_db()
    assert funding.fund.name == "Initiatives 2027"


def test_a_fund_of_another_foundation_is_not_found(funding, as_user):
    other_org = OrganisationFactory(
        neighbourhood=funding.p.ede, slug="tweede", name="Tweede Stichting", kind="foundation"
    )
    other = Foundation.objects.create(organisation=other_org, neighbourhood=funding.p.ede)
    elsewhere = Fund.objects.create(foundation=other, name="Elsewhere")
    assert as_user(funding.tom).get(url("fund_edit", elsewhere.pk)).status_code == 404
