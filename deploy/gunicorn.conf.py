"""gunicorn's settings for deploy/bin/web, all from the environment.

The defaults are synchronous processes, two per core, one request at a time each. Measured on two cores with the
website's pages served from the page cache at 64 connections (bench/public_site.py, bench/README.md), four sync
processes answered /news/ at 1,720 req/s with p99 49 ms and a post page at 1,026 req/s with p99 86 ms; two
processes of four threads answered 1,568 and 826 req/s with p99 107 and 136 ms, their threads queueing behind the
GIL. A sync process is held for the whole of a slow client's request, so run the web processes behind a proxy that
buffers requests and responses (docs/deploy.md); WEB_THREADS above 1 switches to threaded processes.
"""

import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


# BIND (host:port, or unix:/path) wins; otherwise every interface on PORT, as container platforms expect.
bind = [os.environ.get("BIND") or f"0.0.0.0:{_int('PORT', 8000)}"]

# WEB_CONCURRENCY is the name gunicorn and most platforms already use for the number of processes.
workers = _int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))
threads = _int("WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# Each process imports the application itself: a fork after Django opened connections would share their sockets,
# and a restarted process (max_requests) picks up nothing stale.
preload_app = False
# A process is replaced after this many requests (spread by the jitter, so they are not replaced all at once),
# which bounds what any slow leak can grow to.
max_requests = _int("WEB_MAX_REQUESTS", 1000)
max_requests_jitter = _int("WEB_MAX_REQUESTS_JITTER", 100)

# A request that takes longer than this is stuck (exports and reports run in workers, never in a request).
timeout = _int("WEB_TIMEOUT", 30)
# On SIGTERM (a deploy, a scale-down) requests in flight get this long to finish before the process is killed.
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# The addresses of the proxies whose X-Forwarded-Proto / X-Forwarded-For gunicorn believes (comma-separated, or *
# behind a load balancer that is the only way in). Django decides separately: BEHIND_TLS_PROXY, TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to standard output and error, where the container runtime or the service manager collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The path without its query string: record searches and public-records requests put people's names in it.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# The heartbeat file gunicorn's processes touch: in memory where there is /dev/shm, since a container's disk can
# stall long enough to look like a hung process.
# gunicorn creates one file per process there, with a random name, so a shared folder is safe.
SHARED_MEMORY = "/dev/shm"  # noqa: S108  # nosec B108
if Path(SHARED_MEMORY).is_dir():
    worker_tmp_dir = SHARED_MEMORY

# The process title names the application (ps, top).
proc_name = "socialgov-web"
