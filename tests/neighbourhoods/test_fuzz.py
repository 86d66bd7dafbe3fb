"""Whatever people type into the forms, they get an answer, never a server error."""

from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtnet.neighbourhoods import services

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
anything = st.text(max_size=300)
fields = st.one_of(anything, st.sampled_from(["", "KLMN-PQRS", "klmn pqrs", "nl", "en", "1", "-1"]))


@FUZZ
@given(
    code=fields,
    display_name=fields,
    email=st.one_of(st.emails(), anything),
    preferred_language=fields,
)
def test_the_sign_up_form_never_fails(
    client, invite, code, display_name, email, preferred_language
):
    cache.clear()  # each example is a fresh visitor, not one who tried too often
    data = {
        "code": code,
        "display_name": display_name,
        "email": email,
        "preferred_language": preferred_language,
    }
    response = client.post("/join/", data)
    assert response.status_code in (302, 400)
    client.logout()


@FUZZ
@given(code=anything)
def test_the_code_in_the_address_never_fails(client, db, code):
    assert client.get("/join/", {"code": code}).status_code == 200


@FUZZ
@given(
    display_name=fields, email=st.one_of(st.emails(), anything), building=fields, message=anything
)
def test_the_ask_to_join_form_never_fails(client, personas, display_name, email, building, message):
    cache.clear()
    data = {
        "display_name": display_name,
        "email": email,
        "preferred_language": "nl",
        "building": building,
        "message": message,
    }
    response = client.post(reverse("neighbourhoods:ask_to_join", args=["ede-zuid"]), data)
    assert response.status_code in (302, 400)
    client.logout()


@FUZZ
@given(
    token=st.one_of(anything.filter(lambda t: t and "/" not in t), st.from_regex(r"\A[\w:.-]+\Z"))
)
def test_the_sign_up_link_never_fails(client, invite, token):
    url = reverse("neighbourhoods:signup_confirm", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert "This link is not complete or not valid." in page.content.decode()
    assert client.post(reverse("neighbourhoods:signup_finish"), {"token": token}).status_code == 400


@FUZZ
@given(password=fields, password_confirm=fields)
def test_choosing_the_password_never_fails(client, invite, password, password_confirm):
    """Whatever is typed, the link's page answers; the first good password makes the account,
    after which the link is used."""
    details = {"email": "yusuf@example.org", "name": "Yusuf", "lang": "en", "code": "KLMN-PQRS"}
    token = services.signup_link_sign(details)
    data = {"token": token, "password": password, "password_confirm": password_confirm}
    response = client.post(reverse("neighbourhoods:signup_finish"), data)
    assert response.status_code in (302, 400, 409)
    client.logout()


@FUZZ
@given(subject=anything, body=anything)
def test_the_ask_form_never_fails(client, personas, subject, body):
    client.force_login(personas.daan)
    response = client.post(
        reverse("conversations:ask", args=["ede-zuid"]), {"subject": subject, "body": body}
    )
    assert response.status_code in (302, 400)


@FUZZ
@given(q=anything, talent=fields, language=fields, building=fields, page=fields)
def test_the_directory_filters_never_fail(client, personas, q, talent, language, building, page):
    client.force_login(personas.daan)
    query = {"q": q, "talent": talent, "language": language, "building": building, "page": page}
    response = client.get(reverse("neighbourhoods:directory", args=["ede-zuid"]), query)
    assert response.status_code in (200, 400)


@FUZZ
@given(building=fields, numbers=anything, max_uses=fields)
def test_the_invite_form_never_fails(client, personas, building, numbers, max_uses):
    client.force_login(personas.henk)
    data = {"building": building, "numbers": numbers, "max_uses": max_uses}
    response = client.post(reverse("neighbourhoods:invites_issue", args=["ede-zuid"]), data)
    assert response.status_code in (302, 400)
