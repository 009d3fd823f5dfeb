"""Beat, once: any number of beat processes may run, one sends the periodic tasks, the others stand by.

celery-redbeat keeps the schedule (CELERY_BEAT_SCHEDULE, with each entry's last run) in Redis instead of a file on one
machine, and a lock in Redis that expires unless its holder renews it every tick. Only the holder sends; a standby
takes the lock once it is free, and continues the schedule where the holder left it.

RedBeat as shipped waits for the lock once, at start, and then assumes it holds it for good: a beat whose lock went
away (Redis restarted empty, or the process stalled past the lock's expiry) fails at its next renewal and exits, and
so does a beat that meets a Redis outage. This scheduler instead settles the lock on every tick: it takes the lock
when it is free, stands by while another beat holds it, sends nothing while Redis cannot be reached, and installs the
schedule again when Redis lost it. So a beat outlives a Redis outage as the web and worker processes do, and comes
back to work without a supervisor restarting it.

The lock's value names its holder (host:pid:random), so `redis-cli GET socialgov:beat:lock` tells an operator which
machine sends the periodic tasks.
"""

import os
import socket
import uuid

import redis.exceptions
from celery.signals import beat_init
from celery.utils.log import get_logger
from redbeat.schedulers import LUA_EXTEND_TO_SCRIPT, RedBeatScheduler, acquire_distributed_beat_lock, get_redis

logger = get_logger("socialgov.beat")

REDIS_UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

# RedBeat's own start-up handler blocks until the lock is free: a standby would hang there before its first tick,
# saying nothing, and a Redis outage at start would leave it without a lock for good. Our tick takes the lock.
beat_init.disconnect(acquire_distributed_beat_lock)

# Who holds the lock: this machine and process, and a random part, since a restarted container has the same host name
# and pid as the process before it and must not mistake that one's lock for its own.
HOLDER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _settings_under_redbeat_names(app):
    """Django's settings reach Celery as CELERY_REDBEAT_*. RedBeat finds their values under that name but asks
    whether they are set under its own (redbeat_*); without that it ignores the Redis options and warns."""
    own = {key.removeprefix("CELERY_").lower(): app.conf[key] for key in app.conf if key.startswith("CELERY_REDBEAT_")}
    app.conf.update(own)


def _kind(exc: Exception) -> str:
    # The class only: a connection error's message can carry Redis's address.
    return type(exc).__name__


class SingleBeatScheduler(RedBeatScheduler):
    def __init__(self, app, **kwargs):
        _settings_under_redbeat_names(app)
        self.holder = HOLDER
        # What was last said about this beat's state, so that the log records changes, not every tick.
        self._state = "starting"
        super().__init__(app, **kwargs)

    def setup_schedule(self):
        # At start both the holder and a standby write the definitions (RedBeat's design: the newest release's
        # schedule wins, each entry keeps its last run). Without Redis, the holder installs them once it gets the lock.
        try:
            super().setup_schedule()
        except REDIS_UNREACHABLE as exc:
            self._say(
                "redis-away", "beat: Redis cannot be reached (%s); the schedule goes in when it answers", _kind(exc)
            )

    def tick(self, min=min, **kwargs):
        try:
            if not self._hold_lock():
                return self.max_interval
            if not get_redis(self.app).exists(self.app.redbeat_conf.schedule_key):
                logger.warning("beat: the schedule is missing from Redis (restarted empty?); installing it again")
                super().setup_schedule()
            return super().tick(min=min, **kwargs)
        except REDIS_UNREACHABLE as exc:
            # The broker is the same Redis, so nothing could be sent anyway; the sweepers send what was missed.
            self._say("redis-away", "beat: Redis cannot be reached (%s); sending nothing until it answers", _kind(exc))
            return self.max_interval
        except redis.exceptions.LockError:
            # Lost between our renewal and RedBeat's (it expired while this process stalled): another beat may hold it.
            self.lock = None
            self._say("standby", "beat: lost the lock; standing by")
            return self.max_interval

    def _hold_lock(self) -> bool:
        if self.lock is not None:
            try:
                self.lock.extend(self.lock_timeout, replace_ttl=True)
                return True
            except redis.exceptions.LockNotOwnedError:
                # It expired (Redis restarted empty, or this process stalled): whoever holds it now sends.
                self.lock = None
                logger.warning("beat: the lock expired before it was renewed; taking it again if it is free")
        client = get_redis(self.app)
        lock = client.lock(self.lock_key, timeout=self.lock_timeout)
        # RedBeat renews by setting the lock's time to live (redis-py's own script would add to what remains).
        lock.lua_extend = client.register_script(LUA_EXTEND_TO_SCRIPT)
        if not lock.acquire(blocking=False, token=self.holder):
            holder = client.get(self.lock_key)
            self._say("standby", "beat: another beat holds the lock (%s); standing by", holder or "just released")
            return False
        self.lock = lock
        self._say("holder", "beat: acquired the lock as %s; sending the periodic tasks", self.holder)
        # Redis may have restarted empty since this process installed the schedule, or never had it.
        super().setup_schedule()
        return True

    def _say(self, state: str, message: str, *args):
        if state != self._state:
            self._state = state
            logger.info(message, *args)

    def close(self):
        # A clean stop (SIGTERM) releases the lock, so a standby takes over at its next tick rather than when the lock
        # expires. Without Redis there is nothing to release: the lock expires on its own.
        try:
            super().close()
        except REDIS_UNREACHABLE:
            self.lock = None

    @property
    def info(self):
        return f"{super().info}\n       . holder -> {self.holder}"
