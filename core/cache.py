"""The shared cache, and what stands in for it while Redis cannot be reached.

Pages use the cache for the website's change stamp and the comment form's hourly counts. Django's RedisCache
raises when Redis is down, which would make those pages answer with an error; `ResilientRedisCache` serves the
same calls from this process's memory instead and tries Redis again every `RETRY_AFTER` seconds. While Redis is
away each process counts and stamps on its own: a visitor may get one hourly allowance per process, and a page may
be computed afresh more often. Keys set or deleted meanwhile (a post changed, so the stamp was cleared) are deleted
in Redis when it answers again, so no process then serves a value from before the change.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = 5.0


class _Outage:
    """This process's view of one Redis cache (Django makes a backend per thread; they share this)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = None  # monotonic time of the next try while Redis is away, None while it answers
        self.stale = set()  # keys to delete in Redis when it is back


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        name = f"redis-fallback:{server}:{self.key_prefix}:{self.version}"
        with _outages_lock:
            self._outage = _outages.setdefault(name, _Outage())
        # LocMemCache keeps its entries per name, so every thread of this process shares the stand-in.
        self._fallback = LocMemCache(name, {k: v for k, v in params.items() if k != "OPTIONS"})

    def _run(self, method: str, *args, stale=(), **kwargs):
        """Call `method` on Redis, or on the stand-in while Redis is away. `stale`: the (made) keys this call
        writes or deletes, to be deleted in Redis if it is served by the stand-in."""
        outage = self._outage
        if outage.retry_at is None or self._back():
            try:
                return getattr(RedisCache, method)(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self._lost(exc)
        with outage.lock:
            outage.stale.update(stale)
        return getattr(self._fallback, method)(*args, **kwargs)

    def _lost(self, exc):
        outage = self._outage
        with outage.lock:
            first = outage.retry_at is None
            outage.retry_at = time.monotonic() + RETRY_AFTER
        if first:
            # The class only: the message of a connection error can carry the server's address.
            log.warning("Redis cache unreachable (%s); serving from this process's memory.", type(exc).__name__)

    def _back(self) -> bool:
        """Whether Redis answers again; if so, clear in it what changed while it was away."""
        outage = self._outage
        if time.monotonic() < outage.retry_at:
            return False
        with outage.lock:
            stale, outage.stale = outage.stale, set()
        try:
            client = self._cache.get_client(write=True)
            if stale:
                client.delete(*stale)
            else:
                client.ping()
        except UNREACHABLE as exc:
            with outage.lock:
                outage.stale |= stale
            self._lost(exc)
            return False
        with outage.lock:
            outage.retry_at = None
        self._fallback.clear()
        log.warning("Redis cache reachable again.")
        return True

    def _key(self, key, version):
        return self.make_and_validate_key(key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Not stale: a count kept in Redis before the outage still counts (the comment form's hourly limit).
        return self._run("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._run("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set", key, value, timeout, version=version, stale=[self._key(key, version)])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self._run("delete", key, version=version, stale=[self._key(key, version)])

    def get_many(self, keys, version=None):
        return self._run("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._run("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._run("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set_many", data, timeout, version=version, stale=[self._key(k, version) for k in data])

    def delete_many(self, keys, version=None):
        return self._run("delete_many", keys, version=version, stale=[self._key(k, version) for k in keys])

    def clear(self):
        return self._run("clear")
