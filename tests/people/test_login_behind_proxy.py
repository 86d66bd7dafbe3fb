"""Behind a proxy, lockouts count per real client, not per proxy address."""

from django.urls import reverse

from buurtnet.core.clientip import client_ip

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"


def _attempt(client, password: str, forwarded_for: str):
    return client.post(
        LOGIN,
        {"username": "daan@example.org", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_wrong_passwords_from_one_client_do_not_lock_out_another(client, personas, settings):
    settings.TRUSTED_PROXIES = 1
    for _attempt_no in range(6):
        _attempt(client, "wrong-guess", "203.0.113.9")
    locked = _attempt(client, personas.password, "203.0.113.9")
    assert locked.status_code in (403, 429)
    assert "Too many attempts to log in" in locked.content.decode()

    # Daan himself, at home, through the same proxy: still gets in.
    response = _attempt(client, personas.password, "198.51.100.7")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_client_cannot_escape_the_lockout_by_writing_its_own_forwarded_for(
    client, personas, settings
):
    settings.TRUSTED_PROXIES = 1
    for number in range(6):
        # The attacker prepends a new made-up address each time; the proxy appends the real one.
        _attempt(client, "wrong-guess", f"192.0.2.{number}, 203.0.113.9")
    locked = _attempt(client, personas.password, "192.0.2.99, 203.0.113.9")
    assert locked.status_code in (403, 429)


def test_without_trusted_proxies_the_header_is_ignored(client, personas, settings):
    settings.TRUSTED_PROXIES = 0
    for number in range(6):
        _attempt(client, "wrong-guess", f"203.0.113.{number}")
    # Every attempt came from the proxy's own address: that address is locked out for Daan.
    assert _attempt(client, personas.password, "198.51.100.7").status_code in (403, 429)


def test_client_ip_reads_the_entry_the_outermost_trusted_proxy_wrote(rf, settings):
    def ip(forwarded: str, remote: str = PROXY) -> str:
        return client_ip(rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded))

    settings.TRUSTED_PROXIES = 2
    assert ip("1.1.1.1, 203.0.113.9, 10.0.0.1") == "203.0.113.9"
    assert ip("203.0.113.9") == "203.0.113.9"
    assert ip("") == PROXY
    assert ip("unknown, nonsense") == PROXY
    settings.TRUSTED_PROXIES = 0
    assert ip("203.0.113.9") == PROXY
