"""A real Celery worker process for tests, pointed at the test database and a queue of its own."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """The URL of the database this test process is using (the test database, once created)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        user = db.get("USER") or ""
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        auth = f"{user}{password}@" if user else ""
        return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    raise RuntimeError(f"no worker support for {db['ENGINE']}")


class WorkerQueue(str):
    """The worker's queue name, with its process (tests that kill the worker need it)."""

    def __new__(cls, name, process):
        value = super().__new__(cls, name)
        value.process = process
        return value


def _route_all(app, routes):
    # Celery builds its router once (a cached property holding the routes it saw); rebuild it.
    app.conf.task_routes = routes
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


@contextmanager
def celery_worker(*, ready_timeout: float = 60, env_extra: dict | None = None, queue: str | None = None):
    """Start `celery worker` as a separate process consuming a fresh queue; yield the queue name.

    While it runs, every task this process sends is routed to that queue, so parallel test processes
    (each with its own database) never take each other's messages.
    """
    from socialgov.celery import app

    queue = queue or f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        **(env_extra or {}),
        "DATABASE_URL": test_database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "SECRET_KEY": settings.SECRET_KEY,
        # The test's own part of the shared cache (tests/conftest.py), so what the worker clears the test sees.
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
        **({} if settings.REDIS_URL else {"CACHE_DIR": str(settings.CACHES["default"]["LOCATION"])}),
    }
    log = open(Path(settings.VAR_DIR) / f"worker-{queue}.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "socialgov",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            log.seek(0)
            if "ready." in log.read():
                break
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"worker exited early:\n{log.read()}")
            time.sleep(0.2)
        else:
            log.seek(0)
            raise RuntimeError(f"worker not ready after {ready_timeout}s:\n{log.read()}")
        previous_routes = app.conf.task_routes
        _route_all(app, {"*": {"queue": queue}})
        try:
            yield WorkerQueue(queue, process)
        except BaseException:
            # What the worker did is the first thing one needs when a test waiting on it fails.
            log.seek(0)
            sys.stderr.write(f"--- worker {queue} log ---\n{log.read()[-20000:]}\n--- end of worker log ---\n")
            raise
        finally:
            _route_all(app, previous_routes)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


@contextmanager
def held_in_queue():
    """Route every task this process sends to a fresh queue no worker consumes yet; yield its name. A worker
    started later with `celery_worker(queue=name)` takes the waiting messages, as after a worker restart."""
    from socialgov.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
    previous_routes = app.conf.task_routes
    _route_all(app, {"*": {"queue": queue}})
    try:
        yield queue
    finally:
        _route_all(app, previous_routes)


def wait_for(condition, timeout: float = 120, interval: float = 0.25) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass (work done by another process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
