"""A real S3-speaking server for tests: moto in server mode, a separate process on a free loopback port.

It implements S3's versioning, Object Lock (retention, legal holds) and conditional writes, so the code under test
talks to it exactly as it would to S3. `.ci/run` starts one and names it in SOCIALGOV_TEST_S3_ENDPOINT; without
that, the first test that needs it starts one for the session.

Where moto does not enforce a rule that S3 enforces, the tests that meet it say so.
"""

import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

from tests.workers import wait_for

# Any credentials do for the emulator; real deployments take theirs from the usual AWS variables.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "socialgov-test", "AWS_SECRET_ACCESS_KEY": "socialgov-test-secret"}


def moto_server_command() -> list[str] | None:
    beside = Path(sys.executable).with_name("moto_server")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("moto_server")
    return [found] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class S3Server:
    def __init__(self, folder: Path | None = None):
        self.port = _free_port()
        self.folder = folder
        self.process = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        command = moto_server_command()
        if command is None:
            raise RuntimeError("moto_server is not installed (requirements-dev.txt: moto[server])")
        log = open(self.folder / "moto.log", "wb") if self.folder else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [*command, "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **CREDENTIALS},
        )
        if not wait_for(lambda: _listening(self.port), timeout=30, interval=0.1):
            self.stop()
            raise RuntimeError(f"moto_server did not start on port {self.port}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def bucket_names() -> tuple[str, str]:
    """A fresh pair of bucket names (S3 names: lower case, digits, hyphens)."""
    tag = uuid.uuid4().hex[:12]
    return f"socialgov-{tag}", f"socialgov-{tag}-records"


def s3_environment(endpoint: str, bucket: str, records_bucket: str) -> dict:
    """The environment a process of the product needs to use these buckets (what deploy/env.example names)."""
    return {
        **CREDENTIALS,
        "S3_BUCKET": bucket,
        "S3_RECORDS_BUCKET": records_bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
    }
