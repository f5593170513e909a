"""config.redis_cache: Django's Redis cache with one client per pool, against the real Redis."""

import threading
import uuid

import pytest
from django.conf import settings

from config.redis_cache import RedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache():
    # A key prefix of its own: the shared Redis database is never flushed.
    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}", "TIMEOUT": 60})
    yield cache
    cache.delete_many(["a", "n", *(f"t{i}" for i in range(8))])


def test_it_stores_reads_counts_and_deletes_like_djangos_backend(redis_cache):
    assert redis_cache.get("a") is None
    redis_cache.set("a", {"æøå": [1, 2]})
    assert redis_cache.get("a") == {"æøå": [1, 2]}
    assert redis_cache.add("a", "other") is False
    redis_cache.set("n", 1)
    assert redis_cache.incr("n", 5) == 6
    assert redis_cache.get_many(["a", "n", "gone"]) == {"a": {"æøå": [1, 2]}, "n": 6}
    redis_cache.delete("a")
    assert redis_cache.get("a", "default") == "default"


def test_it_builds_one_client_and_shares_it_between_threads(redis_cache):
    first = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is first
    seen, errors = [], []

    def work(n):
        try:
            for round_ in range(50):
                redis_cache.set(f"t{n}", (n, round_))
                assert redis_cache.get(f"t{n}") == (n, round_)
            seen.append(redis_cache._cache.get_client())
        except Exception as exc:  # reported below: an assert in a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(seen) == 8 and all(client is first for client in seen)
