"""Sending work to the workers without letting an unreachable broker undo or fail the action that asked for it.

Each kind of work sent through here is written down in the database before it is sent (an unsent Notification,
a pending Publication, a queued Export, a published post or a comment without its record), and a sweeper in
CELERY_BEAT_SCHEDULE finds what no worker has done. So the message is only a shortcut: when the broker cannot be
reached, `enqueue` logs a warning, returns False and the action goes on; the sweeper sends the work once the
broker answers again.

After one failure the broker is not tried again for `RETRY_AFTER` seconds, so a request that queues many
messages (a notice to every supervisor) waits for one timeout, not one per message.
"""

import logging
import threading
import time

from django.db import transaction
from kombu.exceptions import KombuError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

# What sending a message raises when the broker is down, refuses or stops answering.
BROKER_UNREACHABLE = (KombuError, OSError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = 5.0

_lock = threading.Lock()
_unreachable_until = 0.0


def enqueue(task, *args, **kwargs) -> bool:
    """Send `task(*args, **kwargs)` to the workers now. False when the broker could not take it (logged), or,
    with tasks run in this process, when the task failed."""
    global _unreachable_until
    if task.app.conf.task_always_eager:
        # Run here in place of a worker (tests, scripts): its failure is logged as a worker's would be, and, as
        # from a worker, never reaches the action that queued it.
        try:
            task.apply_async(args, kwargs, ignore_result=True)
        except Exception:  # noqa: BLE001 - see above
            log.exception("%s failed", task.name)
            return False
        return True
    if time.monotonic() < _unreachable_until:
        log.warning("Broker unreachable; %s not queued, its sweeper will do it.", task.name)
        return False
    try:
        # Nobody waits for these results: asking for one would also need the result store, a second Redis call.
        task.apply_async(args, kwargs, ignore_result=True)
    except BROKER_UNREACHABLE as exc:
        with _lock:
            _unreachable_until = time.monotonic() + RETRY_AFTER
        # The class only: the message of a connection error can carry the broker's address.
        log.warning("Broker unreachable (%s); %s not queued, its sweeper will do it.", type(exc).__name__, task.name)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """`enqueue` once the current transaction commits (at once outside one); nothing is sent if it rolls back."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
