"""The API tested from outside, as a client sees it: schemathesis reads /api/schema/ from a real web server and sends
what the schema allows (and what it does not) with one role's token after another.

The web server is deploy/bin/web (gunicorn), started as production starts it, against this test's own database
seeded with `seed_demo`. Each role's token carries the scopes of that role's work; a scope never grants what the
member's role does not allow, so the refusals are exercised too. The run passes when no answer is a server error,
every status is one the schema documents and every body matches the schema the endpoint declares. The fuzzing
changes the database; it is the test's own (flushed afterwards), so later tests and runs see none of it.

A failure prints schemathesis's report with the request to reproduce each finding (`curl ...`); run it by hand:

    .venv/bin/schemathesis run http://127.0.0.1:PORT/api/schema/ -H "Authorization: Bearer $TOKEN" \\
        --checks not_a_server_error,status_code_conformance,response_schema_conformance --seed 385
"""

import re
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from api.tokens import create_token
from tests.conftest import skip_or_fail
from tests.integration.cluster import Web, http_get, running, shared_environment
from tests.workers import test_database_url as database_url_of_tests

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

# The scopes each demo role's work needs (api/scopes.py). The member's own roles and grants still decide each action.
ROLE_SCOPES = {
    "chief": ["posts:read", "posts:write", "review", "comments", "records:read", "holds", "requests", "exports"],
    "smo": ["posts:read", "posts:write", "comments"],
    "supervisor": ["posts:read", "review", "comments"],
    "commander": ["posts:read", "posts:write", "review"],
    "custodian": ["posts:read", "records:read", "holds", "requests", "exports"],
    "member": ["posts:read", "posts:write", "comments"],
}

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
# Every role: the schema's own examples, random cases (valid and not) for each operation, and sequences that use what
# one answer returned (a new post's id) in the next request. MAX_EXAMPLES bounds the last two per operation.
PHASES = "examples,fuzzing,stateful"
MAX_EXAMPLES = 5
# The coverage phase sends each operation the boundary and invalid values the schema implies, a few thousand requests
# whatever MAX_EXAMPLES says: once, with the token whose scopes let every request past the scope check to the
# input's validation.
COVERAGE_ROLE = "chief"
SEED = 385
# What the web server's log says of every request: gunicorn's access line (deploy/gunicorn.conf.py), Django's warning
# for each 4xx and gunicorn's own notices. Left: the tracebacks of server errors, and anything unexpected.
ROUTINE_LOG_LINE = re.compile(r'^\S+ "[A-Z]+ \S* HTTP/[0-9.]+" \d{3} | WARNING django\.request | \[INFO\] ')


@contextmanager
def tasks_run_in_place():
    """The demo department is seeded as `make run` leaves it once its worker has done the work (posts published,
    records captured): the tasks the seeding sends run in this process, as in the browser tests' seeding."""
    from socialgov.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = before


def issue_tokens() -> dict[str, str]:
    """One token per role, made as the Account page makes them (the second factor just given)."""
    users = get_user_model().objects
    return {
        role: create_token(
            actor=users.get(username=role),
            name=f"schemathesis {role}",
            scopes=scopes,
            expires_at=timezone.now() + timedelta(hours=2),
            second_factor_fresh=True,
        ).secret
        for role, scopes in ROLE_SCOPES.items()
    }


def schemathesis(schema_url: str, token: str, *, phases: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            schema_url,
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--phases",
            phases,
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            # One request at a time: the findings do not depend on how requests interleave.
            "--workers",
            "1",
            "--request-timeout",
            "30",
            # Nothing remembered between runs: each run is decided by its seed alone.
            "--generation-database",
            "none",
            "--no-color",
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def throwaway_queue(settings):
    """The queue the web process sends its tasks to: no worker takes them, and with Redis it is removed after."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    yield queue
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        # The queue's list and kombu's bindings of its exchange (named after it).
        names = list(client.scan_iter(match=f"*{queue}*"))
        if names:
            client.delete(*names)


def test_every_role_gets_no_server_error_and_only_documented_answers(settings, tmp_path, throwaway_queue):
    if not SCHEMATHESIS.is_file():
        skip_or_fail("schemathesis is not installed (requirements-dev.txt)")
    started = time.monotonic()
    with tasks_run_in_place():
        call_command("seed_demo", verbosity=0)
    tokens = issue_tokens()

    env = shared_environment(
        database_url=database_url_of_tests(),
        redis_url=settings.REDIS_URL,
        SECRET_KEY=settings.SECRET_KEY,
        # The fuzzing sends hundreds of requests a minute with each token; the limit itself is tested on its own.
        API_RATE_PER_TOKEN="100000/min",
        CELERY_TASK_DEFAULT_QUEUE=throwaway_queue,
        WEB_CONCURRENCY="2",
        **({"CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", "")} if settings.REDIS_URL else {}),
    )
    findings = []
    with running(Web(env=env, cwd=tmp_path / "web")) as (web,):
        schema_url = web.url("/api/schema/")
        status, _ = http_get(schema_url)
        assert status == 200, web.describe()
        for role, token in tokens.items():
            phases = f"{PHASES},coverage" if role == COVERAGE_ROLE else PHASES
            began = time.monotonic()
            run = schemathesis(schema_url, token, phases=phases, cwd=tmp_path)
            took = time.monotonic() - began
            if run.returncode != 0:
                findings.append(
                    f"===== {role} ({', '.join(ROLE_SCOPES[role])}; {phases}): exit {run.returncode} after {took:.0f}s"
                    f"\n{run.stdout}"
                )
                if run.stderr:
                    findings.append(run.stderr)
        server_log = "\n".join(line for line in web.log().splitlines() if not ROUTINE_LOG_LINE.search(line))
    elapsed = time.monotonic() - started
    if findings:
        pytest.fail(
            "\n".join([*findings, "===== web server log", server_log, f"({elapsed:.0f}s in all)"]), pytrace=False
        )
