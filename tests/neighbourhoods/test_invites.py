import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtnet.neighbourhoods import services
from buurtnet.neighbourhoods.forms import parse_house_numbers
from buurtnet.neighbourhoods.models import InviteCode, Membership
from tests.factories import BuildingFactory, HomeFactory, InviteCodeFactory, MembershipFactory
from tests.neighbourhoods.conftest import shows, text


@pytest.fixture
def flat(personas):
    """De Bosrand: four homes; number 2 has a code already, number 3 had one that was revoked."""
    building = BuildingFactory(neighbourhood=personas.ede, name="de Bosrand")
    homes = {n: HomeFactory(building=building, number=n) for n in ("1", "2", "3", "10")}
    InviteCodeFactory(neighbourhood=personas.ede, home=homes["2"], code="TWOO-CODE")
    InviteCodeFactory(
        neighbourhood=personas.ede, home=homes["3"], code="OLDD-CODE", revoked_at=timezone.now()
    )
    building.homes_by_number = homes
    return building


def issue(personas, flat, **kwargs):
    kwargs.setdefault("max_uses", 3)
    kwargs.setdefault("issued_by", personas.henk)
    return services.invite_codes_issue(neighbourhood=personas.ede, building=flat, **kwargs)


def host_url(name, *args):
    return reverse(f"neighbourhoods:{name}", args=["ede-zuid", *args])


# Issuing ---------------------------------------------------------------------------------------


def test_it_issues_codes_for_homes_without_an_active_code(personas, flat):
    issued = issue(personas, flat)
    assert sorted(i.home.number for i in issued) == ["1", "10", "3"]
    assert {i.max_uses for i in issued} == {3}
    assert {i.created_by for i in issued} == {personas.henk}
    assert all(InviteCode.objects.filter(pk=i.pk).exists() for i in issued)
    assert issue(personas, flat) == []


def test_codes_are_unique_and_readable(personas, flat):
    codes = [i.code for i in issue(personas, flat)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert services.normalise_invite_code(code) == code
        assert not set(code) & set("01IO")


def test_chosen_numbers_get_a_new_code_that_replaces_the_old(personas, flat):
    old = InviteCode.objects.get(code="TWOO-CODE")
    issued = issue(personas, flat, numbers=["2", " 10 ", "2"])
    assert [i.home.number for i in issued] == ["2", "10"]
    old.refresh_from_db()
    assert old.is_revoked


def test_unknown_numbers_are_refused_and_nothing_changes(personas, flat):
    with pytest.raises(ValidationError) as exc:
        issue(personas, flat, numbers=["2", "99"])
    assert exc.value.error_dict["numbers"][0].code == "unknown_numbers"
    assert "99" in exc.value.messages[0]
    assert not InviteCode.objects.get(code="TWOO-CODE").is_revoked
    assert InviteCode.objects.filter(home__building=flat).count() == 2


@pytest.mark.parametrize("max_uses", [0, 21])
def test_the_household_size_has_limits(personas, flat, max_uses):
    with pytest.raises(ValidationError):
        issue(personas, flat, max_uses=max_uses)


def test_only_hosts_issue_codes(personas, flat):
    with pytest.raises(PermissionDenied):
        issue(personas, flat, issued_by=personas.daan)


def test_a_flat_of_another_neighbourhood_is_refused(personas):
    elsewhere = BuildingFactory(neighbourhood=personas.other)
    HomeFactory(building=elsewhere)
    with pytest.raises(ValidationError):
        issue(personas, elsewhere)


def test_a_code_that_exists_already_is_drawn_again(personas, flat, monkeypatch):
    drawn = iter(["TWOO-CODE", "NEWW-AAAA", "NEWW-BBBB", "NEWW-CCCC"])
    monkeypatch.setattr(services, "new_invite_code", lambda: next(drawn))
    issued = issue(personas, flat)
    assert sorted(i.code for i in issued) == ["NEWW-AAAA", "NEWW-BBBB", "NEWW-CCCC"]


def test_a_code_taken_at_the_last_moment_is_drawn_again(personas, flat, monkeypatch):
    # The check finds nothing the first time, as if another host took the code just then.
    real_taken = services._codes_taken
    calls = {"n": 0}

    def taken_once_missed(codes):
        calls["n"] += 1
        return set() if calls["n"] == 1 else real_taken(codes)

    drawn = iter(["TWOO-CODE", "NEWW-AAAA", "NEWW-BBBB", "NEWW-CCCC", "NEWW-DDDD", "NEWW-EEEE"])
    monkeypatch.setattr(services, "_codes_taken", taken_once_missed)
    monkeypatch.setattr(services, "new_invite_code", lambda: next(drawn))
    issued = issue(personas, flat)
    assert len(issued) == 3
    assert "TWOO-CODE" not in [i.code for i in issued]
    assert InviteCode.objects.filter(code="TWOO-CODE").count() == 1


def test_the_database_keeps_codes_unique(personas, flat):
    with pytest.raises(IntegrityError):
        InviteCodeFactory(
            neighbourhood=personas.ede, home=flat.homes_by_number["1"], code="TWOO-CODE"
        )


@pytest.mark.parametrize(
    ("typed", "numbers"),
    [("1, 2 3;4", ["1", "2", "3", "4"]), ("5-7", ["5", "6", "7"]), ("12A", ["12A"]), ("", [])],
)
def test_house_numbers_can_be_typed_as_lists_and_ranges(typed, numbers):
    assert parse_house_numbers(typed) == numbers


@pytest.mark.parametrize("typed", ["7-5", "1-999999", "x" * 21])
def test_impossible_house_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        parse_house_numbers(typed)


# Revoking --------------------------------------------------------------------------------------


def test_revoking_stops_the_code_but_keeps_who_joined(personas, invite):
    joined = services.invite_redeem(code=invite.code, user=personas.olga)
    services.invite_revoke(code_id=invite.pk, host=personas.henk)
    invite.refresh_from_db()
    assert invite.is_revoked
    assert Membership.objects.filter(pk=joined.pk).exists()
    with pytest.raises(ValidationError):
        services.invite_redeem(code=invite.code, user=personas.daan)


def test_revoking_twice_keeps_the_first_moment(personas, invite):
    first = services.invite_revoke(code_id=invite.pk, host=personas.henk).revoked_at
    assert services.invite_revoke(code_id=invite.pk, host=personas.henk).revoked_at == first


def test_only_hosts_revoke(personas, invite):
    with pytest.raises(PermissionDenied):
        services.invite_revoke(code_id=invite.pk, host=personas.daan)


# Host pages ------------------------------------------------------------------------------------


def test_the_host_sees_codes_with_house_numbers_and_uses(client, personas, flat, invite):
    services.invite_redeem(code=invite.code, user=personas.olga)
    client.force_login(personas.henk)
    response = client.get(host_url("host"))
    assert response.status_code == 200
    page = text(response)
    assert "TWOO-CODE" in page
    assert "KLMN-PQRS" in page
    assert "1 of 2" in page
    assert "OLDD-CODE" not in page  # revoked codes are hidden unless asked for
    revoked = client.get(host_url("host"), {"status": "revoked"})
    assert "OLDD-CODE" in text(revoked)
    assert "TWOO-CODE" not in text(revoked)


def test_a_bad_filter_is_explained(client, personas, invite):
    client.force_login(personas.henk)
    response = client.get(host_url("host"), {"status": "lost"})
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert "KLMN-PQRS" in text(response)


def _host_page_queries(client, personas) -> int:
    client.force_login(personas.henk)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(host_url("host")).status_code == 200
    return len(queries)


def _add_homes_with_codes(personas, flat, count):
    start = flat.homes.count()
    for n in range(count):
        invite = InviteCodeFactory(
            neighbourhood=personas.ede, home=HomeFactory(building=flat, number=f"{start + n}x")
        )
        MembershipFactory(neighbourhood=personas.ede, invite=invite, home=invite.home)


def test_the_host_page_runs_the_same_queries_for_5_or_50_codes(client, personas, flat):
    _add_homes_with_codes(personas, flat, 5)
    few = _host_page_queries(client, personas)
    _add_homes_with_codes(personas, flat, 45)
    assert _host_page_queries(client, personas) == few


@pytest.mark.parametrize(("who", "status"), [("daan", 403), ("anna", 403), ("olga", 404)])
@pytest.mark.parametrize("page", ["host", "invites_csv", "invites_print"])
def test_only_hosts_see_codes_and_doors(client, personas, invite, who, status, page):
    client.force_login(getattr(personas, who))
    response = client.get(host_url(page))
    assert response.status_code == status
    assert "KLMN-PQRS" not in text(response)


def test_a_visitor_is_asked_to_log_in_for_host_pages(client, personas):
    response = client.get(host_url("host"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_host_issues_codes_from_the_page(client, personas, flat):
    client.force_login(personas.henk)
    response = client.post(
        host_url("invites_issue"), {"building": flat.pk, "numbers": "", "max_uses": 2}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?building={flat.pk}&status=unused#invites")
    assert InviteCode.objects.filter(home__building=flat, revoked_at__isnull=True).count() == 4
    assert shows(client.get(response["Location"]), "3 new codes for de Bosrand.")


def test_issuing_with_bad_input_is_explained_and_kept(client, personas, flat):
    client.force_login(personas.henk)
    response = client.post(
        host_url("invites_issue"), {"building": flat.pk, "numbers": "2, 99", "max_uses": 2}
    )
    assert response.status_code == 400
    assert shows(response, "These house numbers are not known in de Bosrand: 99.")
    assert 'value="2, 99"' in text(response)
    too_many = client.post(host_url("invites_issue"), {"building": flat.pk, "max_uses": 0})
    assert too_many.status_code == 400
    assert "Ensure this value is greater than or equal to 1" in text(too_many)


def test_a_host_revokes_without_javascript(client, personas, invite):
    client.force_login(personas.henk)
    response = client.post(host_url("invite_revoke", invite.pk), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == host_url("host")
    invite.refresh_from_db()
    assert invite.is_revoked


@pytest.mark.parametrize("back", ["abc", "host", "//evil.example/", "/\\evil.example", ""])
def test_a_return_address_that_is_not_a_local_path_leads_to_the_host_page(
    client, personas, invite, back
):
    client.force_login(personas.henk)
    response = client.post(host_url("invite_revoke", invite.pk), {"next": back})
    assert response.status_code == 302
    assert response["Location"] == host_url("host")
    invite.refresh_from_db()
    assert invite.is_revoked


def test_a_host_revoking_from_a_filtered_list_goes_back_to_it(client, personas, invite):
    client.force_login(personas.henk)
    back = f"{host_url('host')}?status=all&page=2"
    response = client.post(host_url("invite_revoke", invite.pk), {"next": back})
    assert response["Location"] == back


def test_a_host_revokes_with_htmx_and_gets_the_row_back(client, personas, invite):
    client.force_login(personas.henk)
    response = client.post(host_url("invite_revoke", invite.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="invite-{invite.pk}"' in text(response)
    assert "Revoked" in text(response)


def test_a_code_of_another_neighbourhood_cannot_be_revoked_here(client, personas):
    elsewhere = InviteCodeFactory(neighbourhood=personas.other)
    client.force_login(personas.henk)
    assert client.post(host_url("invite_revoke", elsewhere.pk)).status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.is_revoked


def test_the_csv_lists_codes_of_the_chosen_flat(client, personas, flat, invite):
    client.force_login(personas.henk)
    response = client.get(host_url("invites_csv"), {"building": flat.pk})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(text(response))))
    assert rows[0][:3] == ["Flat", "House number", "Code"]
    assert rows[1][:3] == ["de Bosrand", "2", "TWOO-CODE"]
    assert rows[1][-1] == "http://testserver/join/?code=TWOO-CODE"
    assert len(rows) == 2


def test_the_csv_does_not_let_a_spreadsheet_run_a_flat_name(client, personas):
    building = BuildingFactory(neighbourhood=personas.ede, name="=HYPERLINK(1)")
    InviteCodeFactory(neighbourhood=personas.ede, home=HomeFactory(building=building))
    client.force_login(personas.henk)
    rows = list(csv.reader(io.StringIO(text(client.get(host_url("invites_csv"))))))
    assert "'=HYPERLINK(1)" in [row[0] for row in rows]


def test_the_print_sheet_has_one_slip_per_home(client, personas, flat, invite):
    client.force_login(personas.henk)
    response = client.get(host_url("invites_print"), {"status": "all"})
    assert response.status_code == 200
    page = text(response)
    assert page.count('class="slip"') == 2
    assert "OLDD-CODE" not in page
    assert "de Bosrand, number 2" in page
    assert "http://testserver/join/?code=TWOO-CODE" in page
    assert "Ede-Zuid" in page
    # The print layout comes with the site's stylesheet (the Content-Security-Policy refuses
    # a <style> in the page).
    assert 'class="invite-sheet"' in page
    stylesheet = client.get("/static/css/app.css").getvalue().decode()
    assert ".invite-sheet .slips { grid-template-columns: 1fr 1fr;" in stylesheet
    assert '/static/css/slips.css"' in page
    assert ".slip { border: 2px dashed" in client.get("/static/css/slips.css").getvalue().decode()


def test_the_host_page_runs_the_same_queries_for_3_or_9_waiting_requests(client, personas):
    from buurtnet.neighbourhoods.models import JoinRequest
    from tests.factories import UserFactory

    def wait(count):
        for _ in range(count):
            JoinRequest.objects.create(neighbourhood=personas.ede, user=UserFactory())

    wait(3)
    few = _host_page_queries(client, personas)
    wait(6)
    assert _host_page_queries(client, personas) == few
