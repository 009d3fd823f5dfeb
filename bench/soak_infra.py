"""The services the chaos soak owns: a PostgreSQL cluster of its own, which it can stop and start at will.

Redis, the S3 server and the product's processes come from the test helpers (tests/redis_server.py,
tests/s3_server.py, tests/integration/cluster.py); PostgreSQL has no such helper because the test suite uses the
machine's server, which the soak must never stop.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def postgres_bin_dir() -> Path | None:
    """Debian keeps the server's programs out of PATH, one folder per major version; the newest wins."""
    found = shutil.which("initdb")
    if found:
        # /usr/local/bin may hold links to a few of them only: the folder they point into has them all.
        return Path(os.path.realpath(found)).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A throwaway cluster on a free loopback port, trust authentication, owned by `postgres` when run as root
    (the server refuses to run as root). fsync is off: the soak kills the server process, never the machine, so
    what was written survives in the page cache and crash recovery still has to replay the WAL."""

    def __init__(self, *, bin_dir: Path | None = None):
        self.bin = bin_dir or postgres_bin_dir()
        if self.bin is None:
            raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.port = _free_port()
        # A folder of its own (not under the soak's folder, which root keeps private) that the server's user owns.
        self.folder = Path(tempfile.mkdtemp(prefix="soak-pg-"))
        self.data = self.folder / "data"
        self.log_path = self.folder / "postgres.log"
        self.run_as = None
        if os.geteuid() == 0:
            try:
                self.run_as = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root needs a `postgres` user to own the soak's cluster") from None
            os.chown(self.folder, self.run_as.pw_uid, self.run_as.pw_gid)

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        options = {}
        if self.run_as is not None:
            options = {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid, "extra_groups": []}
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            cwd=self.folder,
            capture_output=True,
            text=True,
            check=check,
            timeout=timeout,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
            **options,
        )

    def url(self, database: str = "socialgov") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self, database: str = "socialgov") -> PostgresServer:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", database)
        return self

    def start(self):
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.folder}",
                "-c fsync=off",
                "-c max_connections=200",
                "-c shared_buffers=128MB",
            ]
        )
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log_path), "-o", options)

    def stop(self, mode: str = "fast"):
        """`fast`: clients are disconnected and the server shuts down cleanly; `immediate`: every server process
        quits at once without a checkpoint, as after a crash, so the next start replays the WAL."""
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-D", str(self.data), "-m", mode, check=False)

    def running(self) -> bool:
        return self._run("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0

    def ready(self) -> bool:
        result = self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", check=False)
        return result.returncode == 0

    def wait_ready(self, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready():
                return True
            time.sleep(0.2)
        return False

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def destroy(self):
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
