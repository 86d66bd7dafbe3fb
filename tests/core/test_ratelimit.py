import pytest
from django.core.cache import cache

from buurtnet.core import ratelimit
from buurtnet.core.ratelimit import RateLimit, RateLimited, client_address


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    return now


def test_it_allows_up_to_the_limit_per_window(clock):
    limit = RateLimit(scope="test", limit=3, window=60)
    assert [limit.hit("a") for _ in range(5)] == [True, True, True, False, False]
    # Another key and another scope count on their own.
    assert limit.hit("b")
    assert RateLimit(scope="other", limit=3, window=60).hit("a")


def test_the_next_window_starts_afresh(clock):
    limit = RateLimit(scope="test", limit=1, window=60)
    assert limit.hit("a")
    assert not limit.hit("a")
    assert limit.retry_after() == 60 - clock[0] % 60
    clock[0] += limit.retry_after()
    assert limit.hit("a")


def test_check_raises_with_the_seconds_to_wait(clock):
    limit = RateLimit(scope="test", limit=1, window=600)
    limit.check("a")
    with pytest.raises(RateLimited) as exc:
        limit.check("a")
    assert 0 < exc.value.retry_after <= 600


def test_keys_are_hashed_so_any_text_works_and_none_is_stored_as_typed(clock):
    limit = RateLimit(scope="test", limit=1, window=60)
    key = "zoë@example.org \x00 " + "x" * 500
    assert limit.hit(key)
    assert not limit.hit(key)
    assert all("zoë" not in k for k in cache._cache)  # noqa: SLF001 - LocMemCache's own store


def test_the_client_address_is_the_connection_without_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXIES = 0
    request = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert client_address(request) == "198.51.100.7"
