"""The product's real processes, started as production starts them: from the deploy/bin scripts.

Each process stands for a machine of its own. It starts in its own temporary folder, which holds every folder the
product writes (SOCIALGOV_VAR_DIR, MEDIA_ROOT, EXPORT_DIR, AUDIT_CHECKPOINT_DIR, CACHE_DIR, STATIC_ROOT, TMPDIR), and
gets no environment from the test process beyond PATH and the locale: what the processes share is only what the test
passes in (DATABASE_URL, REDIS_URL, the S3 variables), as machines share only the database, Redis and the buckets. A
test that passes only when two processes see one folder cannot pass here.

    env = shared_environment(database_url=test_database_url(), redis_url=redis.url(), s3=s3)
    with running(Web(env=env, cwd=tmp_path / "web"), Worker(env=env, cwd=tmp_path / "worker")) as (web, worker):
        assert http_get(web.url("/healthz"))[0] == 200

Each process logs to a file in its folder; when a process fails to start, or the block fails, the logs are printed
(pytest shows them with the failure).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "deploy" / "bin"

# A key for test processes only; production sets its own.
TEST_SECRET_KEY = "make-test-secret-key-not-for-production-0123456789abcdef"
# The test process's environment that the product's processes may see: finding programs and the locale, nothing else.
PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "HOME")


class ProcessFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shared_environment(*, database_url: str, redis_url: str = "", s3: dict | None = None, **extra: str) -> dict:
    """What every machine of one deployment is given: the same database, Redis, buckets and key. Plain HTTP and
    unhashed static names, as in the test suite; `extra` adds or overrides variables."""
    env = {
        "SECRET_KEY": TEST_SECRET_KEY,
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        **({"REDIS_URL": redis_url} if redis_url else {}),
        **(s3 or {}),
    }
    env.update({name: str(value) for name, value in extra.items()})
    return env


def own_folders(cwd: Path) -> dict:
    """The folders a process writes, all inside its own working folder."""
    return {
        "SOCIALGOV_VAR_DIR": str(cwd / "var"),
        "MEDIA_ROOT": str(cwd / "media"),
        "EXPORT_DIR": str(cwd / "exports"),
        "AUDIT_CHECKPOINT_DIR": str(cwd / "audit-checkpoints"),
        "CACHE_DIR": str(cwd / "cache"),
        "STATIC_ROOT": str(cwd / "static"),
        "EMAIL_FILE_PATH": str(cwd / "mail"),
        "TMPDIR": str(cwd / "tmp"),
    }


class Process:
    """One of deploy/bin's scripts, run in its own folder."""

    script = ""
    ready_timeout = 60.0

    def __init__(self, *, env: dict, cwd: Path, args: tuple[str, ...] = ()):
        self.cwd = Path(cwd)
        self.args = tuple(args)
        self.env = {
            **{name: os.environ[name] for name in PASSED_THROUGH if name in os.environ},
            # The scripts run the test's own interpreter (the checkout's .venv, or whatever runs pytest).
            "PYTHON": sys.executable,
            "PYTHONUNBUFFERED": "1",
            **own_folders(self.cwd),
            **env,
        }
        self.log_path = self.cwd / f"{self.script}.log"
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def command(self) -> list[str]:
        return [str(BIN / self.script), *self.args]

    def start(self) -> Process:
        for key in ("SOCIALGOV_VAR_DIR", "MEDIA_ROOT", "TMPDIR"):
            Path(self.env[key]).mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.cwd,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Its own process group, so stopping it reaches whatever it started (gunicorn's and Celery's children).
            start_new_session=True,
        )
        return self

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def describe(self, last_lines: int = 80) -> str:
        state = "running" if self.running() else f"exited with {self.process.returncode if self.process else None}"
        tail = "\n".join(self.log().splitlines()[-last_lines:])
        return f"--- {self.script} (pid {self.process.pid if self.process else '-'}, {state}) in {self.cwd} ---\n{tail}"

    def is_ready(self) -> bool:
        raise NotImplementedError

    def wait_ready(self, timeout: float | None = None) -> Process:
        self.wait_until(self.is_ready, timeout or self.ready_timeout, f"{self.script} ready")
        return self

    def wait_for_log(self, pattern: str, timeout: float = 30.0) -> re.Match:
        """Wait until the log has a line matching `pattern` (a regular expression); return the first match."""
        found = []

        def seen():
            match = re.search(pattern, self.log(), re.MULTILINE)
            if match:
                found.append(match)
            return bool(match)

        self.wait_until(seen, timeout, f"{pattern!r} in the {self.script} log")
        return found[0]

    def wait_until(self, condition, timeout: float, what: str, *, may_exit: bool = False):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if not may_exit and not self.running():
                raise ProcessFailed(f"{self.script} exited before {what}\n{self.describe()}")
            time.sleep(0.2)
        raise ProcessFailed(f"no {what} after {timeout:g}s\n{self.describe()}")

    def signal(self, number: int):
        if self.running():
            os.killpg(self.process.pid, number)

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM, as a service manager or `docker stop` sends; SIGKILL if it has not ended within `timeout`."""
        if self.process is None:
            return None
        if self.running():
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()
        return self.process.returncode

    def kill(self) -> int | None:
        """SIGKILL to the whole group, as when the machine dies: nothing is cleaned up."""
        if self.process is None:
            return None
        if self.running():
            self.signal(signal.SIGKILL)
            self.process.wait(timeout=30)
        else:
            # Children of a process that already ended may linger in its group.
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._close_log()
        return self.process.returncode

    def _close_log(self):
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start().wait_ready()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            print(self.describe())
        self.stop()


class Web(Process):
    """deploy/bin/web: gunicorn on a free loopback port (or `port`); ready once /healthz answers at all."""

    script = "web"

    def __init__(self, *, env: dict, cwd: Path, port: int | None = None, args: tuple[str, ...] = ()):
        self.port = port or free_port()
        super().__init__(env={"BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "1", **env}, cwd=cwd, args=args)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def is_ready(self) -> bool:
        # 503 is an answer too: the process serves; whether the database and broker are up is the test's business.
        return http_get(self.url("/healthz"), timeout=2)[0] is not None


class Worker(Process):
    """deploy/bin/worker consuming `queue` (CELERY_TASK_DEFAULT_QUEUE; by default a fresh one), one child process."""

    script = "worker"

    def __init__(self, *, env: dict, cwd: Path, queue: str | None = None, args: tuple[str, ...] = ()):
        self.queue = queue or f"test-{uuid.uuid4().hex[:12]}"
        super().__init__(
            env={"CELERY_TASK_DEFAULT_QUEUE": self.queue, "WORKER_CONCURRENCY": "1", **env}, cwd=cwd, args=args
        )

    def is_ready(self) -> bool:
        return "ready." in self.log()


class Beat(Process):
    """deploy/bin/beat. With REDIS_URL it is ready once it holds the lock or stands by for it."""

    script = "beat"

    def is_ready(self) -> bool:
        log = self.log()
        if "REDIS_URL" not in self.env:
            return "beat: Starting..." in log
        return self.state() is not None

    def state(self) -> str | None:
        """ "holder" or "standby", as this beat last said; None before it said either."""
        said = re.findall(r"beat: (acquired the lock|another beat holds the lock|lost the lock)", self.log())
        if not said:
            return None
        return "holder" if said[-1] == "acquired the lock" else "standby"


class Migrate(Process):
    """deploy/bin/migrate, run to its end: `run()` returns when it has finished, or raises with its log."""

    script = "migrate"

    def is_ready(self) -> bool:
        return not self.running()

    def run(self, timeout: float = 300.0) -> Migrate:
        self.start()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise ProcessFailed(f"migrate still running after {timeout:g}s\n{self.describe()}") from None
        self._close_log()
        if self.process.returncode != 0:
            raise ProcessFailed(f"migrate failed\n{self.describe()}")
        return self


@contextmanager
def running(*processes: Process):
    """Start the processes in order, each ready before the next starts; stop them in reverse order. If anything
    fails, every process's log is printed."""
    with ExitStack() as stack:
        try:
            for process in processes:
                stack.callback(process.stop)
                process.start().wait_ready()
            yield processes
        except BaseException:
            for process in processes:
                print(process.describe())
            raise


def http_get(url: str, timeout: float = 5.0) -> tuple[int | None, bytes]:
    """(status, body); (None, b"") when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback test address
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError):
        return None, b""
