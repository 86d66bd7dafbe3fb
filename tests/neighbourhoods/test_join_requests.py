import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from buurtnet.neighbourhoods import services
from buurtnet.neighbourhoods.models import JoinRequest, Membership
from buurtnet.notifications.models import Notification
from buurtnet.people.models import User
from tests.factories import BuildingFactory, MembershipFactory
from tests.neighbourhoods.conftest import PASSWORD, confirm_path, finish, mails_to, shows, text

ACCOUNT = {"display_name": "Noor", "email": "noor@example.org", "preferred_language": "en"}


def ask_url(slug="ede-zuid"):
    return reverse("neighbourhoods:ask_to_join", args=[slug])


def decide_url(join_request, slug="ede-zuid"):
    return reverse("neighbourhoods:join_request_decide", args=[slug, join_request.pk])


@pytest.fixture
def olga_asks(personas):
    return services.join_request_create(
        neighbourhood=personas.ede, user=personas.olga, building=personas.elskamp, message="Hi!"
    )


# Services --------------------------------------------------------------------------------------


def test_only_one_request_per_person_can_wait_at_a_time(personas, olga_asks):
    with pytest.raises(ValidationError) as exc:
        services.join_request_create(neighbourhood=personas.ede, user=personas.olga)
    assert exc.value.code == "already_asked"
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.create(neighbourhood=personas.ede, user=personas.olga)


def test_a_member_cannot_ask_to_join(personas):
    with pytest.raises(ValidationError) as exc:
        services.join_request_create(neighbourhood=personas.ede, user=personas.daan)
    assert exc.value.code == "already_member"


def test_a_flat_of_another_neighbourhood_is_refused(personas):
    elsewhere = BuildingFactory(neighbourhood=personas.other)
    with pytest.raises(ValidationError) as exc:
        services.join_request_create(
            neighbourhood=personas.ede, user=personas.olga, building=elsewhere
        )
    assert "building" in exc.value.error_dict


def test_approving_makes_a_resident_and_tells_them(personas, olga_asks):
    services.join_request_decide(request_id=olga_asks.pk, host=personas.henk, approve=True)
    olga_asks.refresh_from_db()
    assert olga_asks.status == "approved"
    assert olga_asks.decided_by == personas.henk
    membership = Membership.objects.get(user=personas.olga, neighbourhood=personas.ede)
    assert membership.role == "resident"
    assert membership.building == personas.elskamp
    assert membership.home is None
    notification = Notification.objects.get(recipient=personas.olga)
    assert notification.kind == "join_approved"
    assert notification.params == {"neighbourhood": "Ede-Zuid"}
    assert notification.url == reverse("front:member_home", args=["ede-zuid"])


def test_the_approval_is_mailed_after_commit(
    personas, olga_asks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decide(request_id=olga_asks.pk, host=personas.henk, approve=True)
    assert [m.to for m in mailoutbox] == [["olga@example.org"]]


def test_declining_lets_nobody_in(personas, olga_asks):
    services.join_request_decide(request_id=olga_asks.pk, host=personas.henk, approve=False)
    olga_asks.refresh_from_db()
    assert olga_asks.status == "declined"
    assert not Membership.objects.filter(user=personas.olga, neighbourhood=personas.ede).exists()
    assert not Notification.objects.filter(recipient=personas.olga).exists()


def test_a_request_is_decided_only_once(personas, olga_asks):
    services.join_request_decide(request_id=olga_asks.pk, host=personas.henk, approve=False)
    with pytest.raises(ValidationError) as exc:
        services.join_request_decide(request_id=olga_asks.pk, host=personas.henk, approve=True)
    assert exc.value.code == "already_decided"
    assert not Membership.objects.filter(user=personas.olga, neighbourhood=personas.ede).exists()


def test_a_declined_person_may_ask_again(personas, olga_asks):
    services.join_request_decide(request_id=olga_asks.pk, host=personas.henk, approve=False)
    again = services.join_request_create(neighbourhood=personas.ede, user=personas.olga)
    assert again.status == "pending"


@pytest.mark.parametrize("who", ["daan", "anna", "olga"])
def test_only_hosts_of_the_neighbourhood_decide(personas, olga_asks, who):
    with pytest.raises(PermissionDenied):
        services.join_request_decide(
            request_id=olga_asks.pk, host=getattr(personas, who), approve=True
        )
    olga_asks.refresh_from_db()
    assert olga_asks.status == "pending"


def test_approving_someone_who_joined_meanwhile_adds_no_second_membership(personas, olga_asks):
    MembershipFactory(user=personas.olga, neighbourhood=personas.ede)
    services.join_request_decide(request_id=olga_asks.pk, host=personas.henk, approve=True)
    assert Membership.objects.filter(user=personas.olga, neighbourhood=personas.ede).count() == 1


# Asking (the public page) ----------------------------------------------------------------------


def test_a_visitor_sees_the_form_with_the_flats(client, personas):
    response = client.get(ask_url())
    assert response.status_code == 200
    assert "de Elskamp" in text(response)
    assert 'name="email"' in text(response)
    assert 'type="password"' not in text(response)
    assert 'name="number"' not in text(response)


def test_a_visitor_creates_an_account_and_a_request_through_the_emailed_link(client, personas):
    data = {**ACCOUNT, "building": personas.elskamp.pk, "message": "I live on the 3rd floor."}
    response = client.post(ask_url(), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:signup_sent")
    assert not User.objects.filter(email="noor@example.org").exists()
    assert not JoinRequest.objects.exists()

    link = confirm_path(mails_to("noor@example.org")[0])
    page = client.get(link)
    assert shows(page, "your request to join Ede-Zuid goes to its hosts")
    assert 'name="password"' in text(page)
    done = finish(client, link)
    assert done.status_code == 302
    assert done["Location"] == ask_url()
    noor = User.objects.get(email="noor@example.org")
    assert noor.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(noor.pk)
    join_request = JoinRequest.objects.get(user=noor)
    assert (join_request.status, join_request.building, join_request.message) == (
        "pending",
        personas.elskamp,
        "I live on the 3rd floor.",
    )
    assert not noor.memberships.exists()
    assert [n.recipient for n in Notification.objects.filter(kind="join_requested")] == [
        personas.henk
    ]
    confirmation = client.get(ask_url())
    assert shows(confirmation, "A host will look at your request")


def test_a_signed_in_person_just_sends_the_request(client, personas):
    client.force_login(personas.olga)
    page = client.get(ask_url())
    assert 'name="email"' not in text(page)
    response = client.post(ask_url(), {"building": "", "message": ""})
    assert response.status_code == 302
    assert JoinRequest.objects.filter(user=personas.olga, status="pending").count() == 1
    again = client.post(ask_url(), {"building": "", "message": "Please?"})
    assert again.status_code == 200
    assert shows(again, "A host will look at your request")
    assert JoinRequest.objects.filter(user=personas.olga).count() == 1


def test_a_member_is_sent_to_their_neighbourhood(client, personas):
    client.force_login(personas.daan)
    response = client.get(ask_url())
    assert response["Location"] == reverse("front:member_home", args=["ede-zuid"])


def test_bad_input_is_explained_and_kept(client, personas):
    elsewhere = BuildingFactory(neighbourhood=personas.other, name="Elders-flat")
    data = {**ACCOUNT, "building": elsewhere.pk, "message": "x" * 1001}
    response = client.post(ask_url(), data)
    assert response.status_code == 400
    assert 'value="Noor"' in text(response)
    assert shows(response, "Select a valid choice.")
    assert "Ensure this value has at most 1000 characters" in text(response)
    assert mails_to("noor@example.org") == []


def test_an_unknown_neighbourhood_is_not_found(client, db):
    assert client.get(ask_url("nowhere")).status_code == 404


# Deciding (host pages) -------------------------------------------------------------------------


def test_a_host_approves_without_javascript(client, personas, olga_asks):
    client.force_login(personas.henk)
    response = client.post(decide_url(olga_asks), {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:host", args=["ede-zuid"])
    assert Membership.objects.filter(user=personas.olga, neighbourhood=personas.ede).exists()
    assert shows(client.get(response["Location"]), "Olga is now a member.")


def test_a_host_declines_with_htmx_and_gets_the_row_back(client, personas, olga_asks):
    client.force_login(personas.henk)
    response = client.post(decide_url(olga_asks), {"decision": "decline"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="join-request-{olga_asks.pk}"' in text(response)
    assert "Declined" in text(response)
    assert "<html" not in text(response)


def test_deciding_twice_says_so(client, personas, olga_asks):
    client.force_login(personas.henk)
    client.post(decide_url(olga_asks), {"decision": "approve"})
    response = client.post(decide_url(olga_asks), {"decision": "decline"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert shows(response, "This request has already been decided.")
    olga_asks.refresh_from_db()
    assert olga_asks.status == "approved"


def test_an_unclear_decision_is_a_bad_request(client, personas, olga_asks):
    client.force_login(personas.henk)
    assert client.post(decide_url(olga_asks), {"decision": "maybe"}).status_code == 400


@pytest.mark.parametrize(("who", "status"), [("daan", 403), ("anna", 403), ("olga", 404)])
def test_only_hosts_reach_the_decision(client, personas, olga_asks, who, status):
    client.force_login(getattr(personas, who))
    assert client.post(decide_url(olga_asks), {"decision": "approve"}).status_code == status
    olga_asks.refresh_from_db()
    assert olga_asks.status == "pending"


def test_a_visitor_is_asked_to_log_in(client, personas, olga_asks):
    response = client.post(decide_url(olga_asks), {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_request_for_another_neighbourhood_is_not_found(client, personas):
    other_request = services.join_request_create(neighbourhood=personas.other, user=personas.daan)
    client.force_login(personas.henk)
    assert client.post(decide_url(other_request), {"decision": "approve"}).status_code == 404


def test_the_host_page_lists_waiting_requests_with_their_message(client, personas, olga_asks):
    client.force_login(personas.henk)
    response = client.get(reverse("neighbourhoods:host", args=["ede-zuid"]))
    assert response.status_code == 200
    assert "Olga" in text(response)
    assert "Hi!" in text(response)
    assert 'name="decision" value="approve"' in text(response)


def test_hosts_are_notified_of_a_request_to_join(client, personas):
    from buurtnet.neighbourhoods.services import join_request_create
    from buurtnet.notifications.models import Kind, Notification
    from tests.factories import UserFactory

    newcomer = UserFactory(display_name="Yusuf")
    join_request_create(neighbourhood=personas.ede, user=newcomer, message="Ik woon in de Elskamp")
    notified = Notification.objects.filter(kind=Kind.JOIN_REQUESTED)
    assert [n.recipient for n in notified] == [personas.henk]
    assert notified[0].url == "/n/ede-zuid/host/"
