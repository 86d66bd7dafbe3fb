def test_index_lists_neighbourhoods_for_visitors(client, personas):
    response = client.get("/")
    assert response.status_code == 200
    assert "Ede-Zuid" in response.content.decode()


def test_healthz_is_bare(client, db):
    assert client.get("/healthz").content == b"ok"
