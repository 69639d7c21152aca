"""The shared cache on Redis, failing open: when Redis is down the portal carries on without it.

The cache holds nothing that cannot be recomputed (API rate-limit counters, throttling history), so a
Redis that is down or restarting must not turn every API request into a 500: reads miss, writes are
dropped, and the error is logged (once every few seconds, not once a request).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_QUIET_FOR = 10.0
_last_logged = [0.0]


def _log(error: Exception) -> None:
    now = time.monotonic()
    if now - _last_logged[0] >= _QUIET_FOR:
        _last_logged[0] = now
        logger.warning("Redis cache unavailable, carrying on without it: %s", error)


class _FailOpenClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis around the pool on every call; one per pool does.
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return clients[index]

    def hit(self, key, timeout: int) -> int:
        """Count one more hit on ``key`` and return the count; the first hit starts the key's
        ``timeout``. One round trip (INCR and EXPIRE NX in one pipeline)."""
        try:
            pipeline = self.get_client(key, write=True).pipeline(transaction=False)
            pipeline.incr(key)
            pipeline.expire(key, timeout, nx=True)
            return pipeline.execute()[0]
        except RedisError as error:
            _log(error)
            return 0

    def ttl(self, key) -> int:
        try:
            return self.get_client(key).ttl(key)
        except RedisError as error:
            _log(error)
            return -2

    def get(self, key, default):
        try:
            return super().get(key, default)
        except RedisError as error:
            _log(error)
            return default

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except RedisError as error:
            _log(error)
            return {}

    def has_key(self, key):
        try:
            return super().has_key(key)
        except RedisError as error:
            _log(error)
            return False

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except RedisError as error:
            _log(error)
            return delta


def _dropping(name: str, failed_result):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCacheClient, name)(self, *args, **kwargs)
        except RedisError as error:
            _log(error)
            return failed_result

    method.__name__ = name
    return method


for _name, _result in (
    ("set", None),
    ("add", False),
    ("touch", False),
    ("delete", False),
    ("set_many", []),
    ("delete_many", None),
    ("clear", False),
):
    setattr(_FailOpenClient, _name, _dropping(_name, _result))


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _FailOpenClient

    def hit(self, key: str, timeout: int) -> int:
        return self._cache.hit(self.make_and_validate_key(key), timeout)

    def ttl(self, key: str) -> int:
        return self._cache.ttl(self.make_and_validate_key(key))
