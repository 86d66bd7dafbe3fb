def test_visitor_switch_sets_the_language_cookie(client, db):
    response = client.post("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["buurtnet_language"].value == "en"
    assert 'lang="en"' in client.get("/").content.decode()


def test_member_switch_changes_preferred_language(client, personas):
    client.force_login(personas.daan)
    client.post("/language/", {"language": "nl", "next": "/me/profile/"})
    personas.daan.refresh_from_db()
    assert personas.daan.preferred_language == "nl"
    assert 'lang="nl"' in client.get("/me/profile/").content.decode()


def test_member_switch_rejects_unknown_language(client, personas):
    client.force_login(personas.daan)
    response = client.post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 400
    personas.daan.refresh_from_db()
    assert personas.daan.preferred_language == "en"


def test_switch_is_post_only(client, db):
    assert client.get("/language/").status_code == 405
