"""Django's Redis cache backend, keeping one Redis client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache
operation, and redis-py's constructor copies and upper-cases its table of about 170
response callbacks each time: 0.3–0.7 ms of CPU per call on this machine, more than the
round trip to Redis itself. Every signed-in request reads its session through the cache, so
this was a fixed cost on almost every page (docs/performance.md, "Registration rush").

A `redis.Redis` object holds no connection of its own; it borrows one from its pool per
command and is safe to share between threads, so one per pool is enough. The pool itself
notices a fork and opens new connections in the child, as before.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients.setdefault(index, self._client(connection_pool=self._pools[index]))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
