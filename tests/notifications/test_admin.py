import pytest

from buurtnet.notifications.models import EmailOptOut, Kind
from buurtnet.people.models import User
from tests.notifications.helpers import make_notification


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser(
        "admin@example.org", "admin-secret-123", preferred_language="en"
    )
    client.force_login(admin)
    return client


def test_notifications_can_be_looked_at_but_not_added_or_edited(admin_client, personas):
    notification = make_notification(personas.fatima, actor=personas.priya)
    listing = admin_client.get("/admin/notifications/notification/", {"q": "fatima"})
    assert listing.status_code == 200
    assert "fatima" in listing.content.decode().lower()
    page = admin_client.get(f"/admin/notifications/notification/{notification.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Priya would like to join" in html
    assert 'name="kind"' not in html
    assert admin_client.get("/admin/notifications/notification/add/").status_code == 403
    response = admin_client.post(
        f"/admin/notifications/notification/{notification.pk}/change/", {"kind": Kind.JOIN_APPROVED}
    )
    assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.kind == Kind.INITIATIVE_JOINED


def test_email_opt_outs_are_listed(admin_client, personas):
    EmailOptOut.objects.create(user=personas.daan, kind=Kind.JOIN_APPROVED)
    response = admin_client.get("/admin/notifications/emailoptout/")
    assert response.status_code == 200
    assert "Daan" in response.content.decode()
