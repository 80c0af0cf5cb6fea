"""A Redis cache that degrades instead of failing: an unreachable Redis is a cache miss, never an HTTP 500.

The cache only ever holds things the database can answer again (chart outlines, the submit button's double-click
token, whose real guard is the dossier's row lock). So when Redis is down or slow, every read answers "not
cached", every write is dropped, ``add`` answers "stored" (the caller goes on as if the cache were empty), and a
warning is logged. Short socket timeouts (``OPTIONS`` in settings) keep a black-holed Redis from holding the
request.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _degrading(method, *, fallback):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("Cache unavailable (%s: %s); going on without it.", type(error).__name__, error)
            return fallback(*args, **kwargs)

    return wrapper


class DegradingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis on every call, copying its few hundred response callbacks each time (a
        # third of a cached page's cost, issue 13); a client is only a handle on its thread-safe pool: one per pool.
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]

    add = _degrading(RedisCacheClient.add, fallback=lambda *args, **kwargs: True)
    get = _degrading(RedisCacheClient.get, fallback=lambda key, default: default)
    set = _degrading(RedisCacheClient.set, fallback=lambda *args, **kwargs: None)
    touch = _degrading(RedisCacheClient.touch, fallback=lambda *args, **kwargs: False)
    delete = _degrading(RedisCacheClient.delete, fallback=lambda *args, **kwargs: False)
    get_many = _degrading(RedisCacheClient.get_many, fallback=lambda *args, **kwargs: {})
    has_key = _degrading(RedisCacheClient.has_key, fallback=lambda *args, **kwargs: False)
    set_many = _degrading(RedisCacheClient.set_many, fallback=lambda *args, **kwargs: [])
    delete_many = _degrading(RedisCacheClient.delete_many, fallback=lambda *args, **kwargs: None)
    clear = _degrading(RedisCacheClient.clear, fallback=lambda *args, **kwargs: False)


class DegradingRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` whose Redis errors are logged and treated as a miss."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient
