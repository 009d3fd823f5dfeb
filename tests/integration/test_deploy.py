"""The deployment as it runs: deploy/bin's scripts started as production starts them, each in a folder of its own.

Two beats against one Redis: one holds the lock and sends, the other sends nothing until the first dies, then takes
over within the lock's time. A beat outlives Redis restarting empty. The migrate, web and worker scripts run each from
a folder of its own and meet only in the database and Redis. And the files that describe the deployment agree with
the code: compose.yaml starts only scripts that exist, env.example names every variable the product reads.
"""

import ast
import json
import re
import socket
import stat
import subprocess
import time
from datetime import timedelta

import pytest
import redis
import yaml
from django.core.management import get_commands
from django.db import connection

from tests.conftest import skip_or_fail
from tests.integration.cluster import BIN, ROOT, Beat, Migrate, Web, Worker, http_get, running, shared_environment
from tests.redis_server import RedisServer, redis_server_installed
from tests.s3_server import bucket_names, s3_environment
from tests.workers import test_database_url as database_url_of_tests
from tests.workers import wait_for

DEPLOY = ROOT / "deploy"
# The shortest lock settings allow (three ticks of five seconds), so that a takeover is quick to see.
BEAT_LOCK_SECONDS = 15
BEAT_TICK_SECONDS = 5
PROBE_TASK = "deploy_test.every_second"


@pytest.fixture
def deployment_services(settings, transactional_db, tmp_path):
    """PostgreSQL (the test database) and a Redis server of this test's own; yields that Redis."""
    if connection.vendor != "postgresql":
        skip_or_fail("the deployment's processes share PostgreSQL (DATABASE_URL); SQLite serves one machine only")
    if not settings.REDIS_URL:
        skip_or_fail("the deployment's processes share Redis (REDIS_URL); without it beat is Celery's own, one only")
    if not redis_server_installed():
        skip_or_fail("redis-server is not installed")
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def beat_environment(server: RedisServer, queue: str) -> dict:
    return shared_environment(
        database_url=database_url_of_tests(),
        redis_url=server.url(),
        BEAT_LOCK_SECONDS=BEAT_LOCK_SECONDS,
        CELERY_TASK_DEFAULT_QUEUE=queue,
    )


def add_probe_entry(settings, redis_url: str):
    """A periodic task due every second, added to the schedule in Redis the way RedBeat documents for entries made
    at run time, so that which beat sends is seen within seconds rather than at the next minute."""
    from celery import Celery
    from celery.schedules import schedule
    from redbeat import RedBeatSchedulerEntry

    app = Celery("deploy-test", set_as_current=False)
    app.conf.update(redbeat_redis_url=redis_url, redbeat_key_prefix=settings.CELERY_REDBEAT_KEY_PREFIX)
    RedBeatSchedulerEntry(
        "deploy-test-every-second", PROBE_TASK, schedule(timedelta(seconds=1), app=app), app=app
    ).save()


def sent_by(client: redis.Redis, queue: str) -> list[int]:
    """The pid of the process that sent each probe message waiting in the queue, oldest first."""
    pids = []
    for raw in reversed(client.lrange(queue, 0, -1)):  # the transport pushes on the left
        headers = json.loads(raw)["headers"]
        if headers["task"] == PROBE_TASK:
            # Celery names the sender gen<pid>@<host>.
            pids.append(int(re.match(r"gen(\d+)@", headers["origin"]).group(1)))
    return pids


def lock_holder(client: redis.Redis, settings) -> str | None:
    value = client.get(settings.CELERY_REDBEAT_LOCK_KEY)
    return value.decode() if value else None


def holder_name(process) -> str:
    return f"{socket.gethostname()}:{process.pid}:"


@pytest.mark.integration
@pytest.mark.postgres
def test_of_two_beats_one_sends_and_the_other_takes_over_when_it_dies(deployment_services, settings, tmp_path):
    server = deployment_services
    client = redis.Redis.from_url(server.url())
    queue = "deploy-test"
    env = beat_environment(server, queue)
    first, second = Beat(env=env, cwd=tmp_path / "beat-1"), Beat(env=env, cwd=tmp_path / "beat-2")

    with running(first, second):
        assert (first.state(), second.state()) == ("holder", "standby")
        assert lock_holder(client, settings).startswith(holder_name(first))

        add_probe_entry(settings, server.url())
        started = time.monotonic()
        assert wait_for(lambda: len(sent_by(client, queue)) >= 5, timeout=30), first.describe()
        sent = sent_by(client, queue)
        # Every probe came from the holder, once per second at most: the standby sent nothing, not even late.
        assert set(sent) == {first.pid}
        assert len(sent) <= time.monotonic() - started + 2
        assert second.state() == "standby"

        # The holder's machine dies: nothing releases the lock, it expires, and the standby takes it.
        first.kill()
        died = time.monotonic()
        second.wait_until(lambda: second.state() == "holder", BEAT_LOCK_SECONDS + 3 * BEAT_TICK_SECONDS, "takeover")
        took_over_after = time.monotonic() - died
        assert took_over_after <= BEAT_LOCK_SECONDS + 2 * BEAT_TICK_SECONDS
        assert lock_holder(client, settings).startswith(holder_name(second))

        # It carries on the same schedule (kept in Redis, not in the dead beat's folder), where the first left it.
        before = len(sent_by(client, queue))
        assert wait_for(lambda: len(sent_by(client, queue)) >= before + 3, timeout=15), second.describe()
        sent = sent_by(client, queue)
        assert sent == sorted(sent, key=lambda pid: pid == second.pid), "the two beats' sends interleave"
        assert set(sent) == {first.pid, second.pid}

        # A clean stop releases the lock at once, so that a standby need not wait for it to expire.
        assert second.stop() == 0
        assert lock_holder(client, settings) is None
        assert "Traceback" not in first.log() + second.log()


@pytest.mark.integration
@pytest.mark.postgres
def test_beat_outlives_redis_restarting_empty_and_installs_the_schedule_again(deployment_services, settings, tmp_path):
    server = deployment_services
    client = redis.Redis.from_url(server.url())
    schedule_key = settings.CELERY_REDBEAT_KEY_PREFIX + ":schedule"
    with running(Beat(env=beat_environment(server, "deploy-test"), cwd=tmp_path / "beat")) as (beat,):
        assert client.zcard(schedule_key) == len(settings.CELERY_BEAT_SCHEDULE)

        server.stop()
        beat.wait_for_log(r"Redis cannot be reached", timeout=3 * BEAT_TICK_SECONDS)
        server.start()  # same port, nothing in it: no lock, no schedule
        client = redis.Redis.from_url(server.url())

        assert wait_for(lambda: (lock_holder(client, settings) or "").startswith(holder_name(beat)), timeout=30), (
            beat.describe()
        )
        assert wait_for(lambda: client.zcard(schedule_key) == len(settings.CELERY_BEAT_SCHEDULE), timeout=10)
        assert beat.running()


@pytest.mark.integration
@pytest.mark.postgres
def test_migrate_web_and_worker_scripts_run_each_from_a_folder_of_its_own(deployment_services, s3_endpoint, tmp_path):
    bucket, records_bucket = bucket_names()
    env = shared_environment(
        database_url=database_url_of_tests(),
        redis_url=deployment_services.url(),
        s3=s3_environment(s3_endpoint, bucket, records_bucket),
    )
    # A release: migrate once. The test database is current, so this checks the script: static files collected into
    # its own folder, and the buckets created, the records bucket with Object Lock.
    migrate = Migrate(env=env, cwd=tmp_path / "migrate").run()
    assert (tmp_path / "migrate" / "static" / "favicon.svg").is_file(), migrate.describe()
    if "storage_check" in get_commands():
        assert f"Created bucket {records_bucket}" in migrate.log(), migrate.describe()
        assert "not write-once" not in migrate.log(), migrate.describe()

    web, worker = Web(env=env, cwd=tmp_path / "web"), Worker(env=env, cwd=tmp_path / "worker")
    with running(web, worker):
        status, body = http_get(web.url("/healthz"))
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        # The access log keeps the path, never the query: searches of records put people's names there.
        http_get(web.url("/healthz?q=Jane+Roe"))
        web.wait_for_log(r'"GET /healthz HTTP/1.1" 200', timeout=10)
        assert "Jane" not in web.log()

        # The worker takes a task from the shared Redis and runs it against the shared database.
        result = celery_client(deployment_services.url()).send_task(
            "core.tasks.send_pending_notifications_task", queue=worker.queue
        )
        assert result.get(timeout=30) == 0, worker.describe()
    # SIGTERM, as a deploy sends it: each finishes what it was doing and exits cleanly.
    assert (web.process.returncode, worker.process.returncode) == (0, 0), web.describe() + worker.describe()


def celery_client(redis_url: str):
    """A Celery client of the deployment's Redis (the test process's own app uses the suite's Redis)."""
    from celery import Celery

    app = Celery("deploy-test", set_as_current=False)
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_serializer="json", accept_content=["json"])
    return app


# The files that describe the deployment agree with the code --------------------------------------------------


def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_starts_each_product_process_with_its_deploy_script():
    services = compose()["services"]
    app_services = {name: service for name, service in services.items() if "build" in service}
    assert set(app_services) == {"web", "worker", "beat", "migrate"}
    for name, service in app_services.items():
        # The image has the project at /app: each service runs the script the tests start.
        assert service["command"] == [f"/app/deploy/bin/{name}"]
        script = BIN / name
        assert script.is_file() and script.stat().st_mode & stat.S_IXUSR, f"{script} missing or not executable"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert services["migrate"]["restart"] == "no"
    assert {"postgres", "redis", "s3"} <= set(services)
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'CMD ["/app/deploy/bin/web"]' in dockerfile
    assert (DEPLOY / "gunicorn.conf.py").is_file()


def test_deploy_scripts_parse():
    for script in sorted(BIN.iterdir()):
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script}: {result.stderr}"


def variables_read_by(path) -> set[str]:
    """The environment variables a Python file reads: os.environ.get/[...], the env_* helpers, env="..." arguments."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            reads = called in {"env_bool", "env_int", "env_list", "_int"} or (
                called == "get" and ast.unparse(func.value) == "os.environ"
            )
            if reads and node.args and isinstance(node.args[0], ast.Constant):
                names.add(node.args[0].value)
            names.update(k.value.value for k in node.keywords if k.arg == "env" and isinstance(k.value, ast.Constant))
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return names


def test_env_example_names_every_variable_the_product_reads():
    named = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", (DEPLOY / "env.example").read_text(), re.MULTILINE))
    read = variables_read_by(ROOT / "socialgov" / "settings.py") | variables_read_by(DEPLOY / "gunicorn.conf.py")
    for script in BIN.iterdir():
        read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)[:}]", script.read_text()))
    # The scripts extend these for Python; they are not the product's configuration.
    read -= {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}
    # Found by boto3, not by our code, but every machine with S3 needs them (or a role).
    read |= {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    assert len(read) > 60, "the parser found too few variables to be reading settings.py"
    assert sorted(read - named) == []
