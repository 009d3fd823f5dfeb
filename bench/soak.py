"""Chaos soak: the whole publishing flow under load while workers, Redis and PostgreSQL are killed and restarted.

    .venv/bin/python bench/soak.py                      # 600 s at 1,000 posts a minute (seed 385)
    .venv/bin/python bench/soak.py --seconds 60 --rate 300 --json /tmp/soak.json

Everything runs on this machine, shared by nothing else: a PostgreSQL cluster of its own (initdb into a temporary
folder, a free port), a redis-server, a moto S3 server (the records bucket with Object Lock), and a webhook
receiver that stands for a platform (tests/publishing/fakes.py: it answers a repeated Idempotency-Key with the
first answer and counts every request). deploy/bin/migrate prepares the database and the buckets; the demo
department is loaded; then two web processes (deploy/bin/web), two workers and a beat (deploy/bin/worker,
deploy/bin/beat) start, each in a temporary folder of its own, sharing only PostgreSQL, Redis and S3.

Load, paced at --rate posts a minute for --seconds: each post is drafted, submitted, approved by a supervisor and
published to the department website and the webhook channel. A share of the posts (--http-share) goes through the
web processes' own forms with logged-in sessions (two-factor passed with the demo TOTP secret); the rest call the
same services from this process against the same database, since four HTTP round trips per post at 1,000 posts a
minute do not fit on two cores beside everything else. Every --media-every'th post carries a photo (stored in S3).
Public comments (--comments-per-post on average) are always sent through the public comment form over HTTP.
Delivery to the channels and capture as records are the workers' work, as in production.

Chaos, at moments drawn from --seed: a worker killed with SIGKILL (its whole process group) and started again;
Redis stopped and started again (it keeps nothing on disk, so queued messages are lost); PostgreSQL stopped (a
fast shutdown, or an immediate one that needs crash recovery) and started again. Each at least once.

Then the soak drains: it runs the sweepers that beat would run (publications, captures) every few seconds itself,
until every approved post is delivered and captured or --drain-timeout passes, and checks:

  - no post lost: every approved post published, on every one of its channels (Publication rows);
  - none published twice: one Publication per post version and channel, one item per post version at the
    receiver, and every repeated request for a key explained by an interrupted delivery;
  - every published post captured once per version, every comment once (Record rows);
  - every record's hash verifies (Record.verify()), the fixity check passes (media read back from S3);
  - the audit chain verifies (manage.py verify_audit).

It prints a summary (and writes it as JSON with --json) and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import base64
import functools
import io
import json
import os
import queue
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.soak_infra import PostgresServer, postgres_bin_dir  # noqa: E402 - the path above makes these importable
from tests.integration.cluster import (  # noqa: E402
    Beat,
    Migrate,
    ProcessFailed,
    Web,
    Worker,
    own_folders,
    shared_environment,
)
from tests.publishing.fakes import fake_in_subprocess  # noqa: E402
from tests.redis_server import RedisServer, redis_server_installed  # noqa: E402
from tests.s3_server import S3Server, bucket_names, moto_server_command, s3_environment  # noqa: E402

WEBHOOK_SECRET = "soak-webhook-signing-secret-0123456789abcdef"
CHAOS_KINDS = ("worker_kill", "redis_restart", "postgres_restart")
WORKER_CONCURRENCY = 2
COMMENT_THREADS = 2
BODY = (
    "Road work on {street} Street block {n} is finished and all lanes are open again. "
    "Thank you for your patience while crews repaired the water line."
)
STREETS = ("Elm", "Oak", "Jackson", "Monroe", "Palm", "Cedar", "Miles", "Dune")


def missing_programs() -> list[str]:
    """What the soak needs from the machine; an empty list when it can run."""
    missing = []
    if postgres_bin_dir() is None:
        missing.append("PostgreSQL server programs (initdb, pg_ctl)")
    if not redis_server_installed():
        missing.append("redis-server")
    if moto_server_command() is None:
        missing.append("moto_server (requirements-dev.txt: moto[server])")
    return missing


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600, help="how long the load runs (600)")
    parser.add_argument("--rate", type=float, default=1000, help="posts started per minute (1000)")
    parser.add_argument("--seed", type=int, default=385, help="seed of the chaos moments and the load's choices")
    parser.add_argument("--threads", type=int, default=6, help="threads driving posts (6)")
    parser.add_argument("--http-share", type=float, default=0.1, help="share of posts made through the web forms")
    parser.add_argument("--comments-per-post", type=float, default=0.5, help="public comments per post (0.5)")
    parser.add_argument("--media-every", type=int, default=20, help="every n-th post carries a photo (20)")
    parser.add_argument("--chaos-each", type=int, default=0, help="events of each kind (default: 1 per 200 s, >= 1)")
    parser.add_argument("--lease", type=int, default=30, help="PUBLISH_LEASE_SECONDS of every process (30)")
    parser.add_argument("--drain-timeout", type=float, default=300, help="longest wait for the queues to drain")
    parser.add_argument("--json", type=Path, help="write the summary here as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders (logs) afterwards")
    return parser.parse_args(argv)


STARTED = time.monotonic()


def log(message: str):
    # Seconds since the start: Django sets the process's time zone to the department's when it loads.
    print(f"[{time.monotonic() - STARTED:7.1f} s] {message}", flush=True)


class Transient(Exception):
    """A step that failed because something it needs is away (a 5xx, a refused connection): try again."""


# The database errors a step meets while PostgreSQL is stopped or restarting; set once Django is loaded.
DB_ERRORS: tuple = ()


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.tag = f"{args.seed}-{random.Random().getrandbits(24):06x}"
        self.folder = Path(tempfile.mkdtemp(prefix="soak-"))
        self.stack = ExitStack()
        self.lock = threading.Lock()
        self.counts = Counter()
        self.step_times = defaultdict(list)
        self.db_samples: list[tuple[int, int]] = []
        self.errors = Counter()
        self.unexpected: list[str] = []
        self.chaos: list[dict] = []
        self.workers: list[Worker] = []
        self.webs: list[Web] = []
        self.beat = None
        self.t0 = 0.0
        self.load_end = 0.0
        self.deadline = 0.0
        self.stopping = threading.Event()
        self.comments_closed = threading.Event()
        self.local = threading.local()
        self.sessions = {}
        self.login_lock = threading.Lock()
        self.totp_steps_used = {}

    # Services ------------------------------------------------------------------------------------------------

    def start_services(self):
        log(f"soak {self.tag}: folder {self.folder}")
        self.pg = PostgresServer()
        self.stack.callback(self.pg.destroy)
        self.pg.init()
        log(f"PostgreSQL on port {self.pg.port} ({self.pg.folder})")
        self.redis = RedisServer(self.folder / "redis")
        self.redis.start()
        self.stack.callback(self.redis.stop)
        log(f"Redis on port {self.redis.port}")
        (self.folder / "s3").mkdir()
        self.s3 = S3Server(self.folder / "s3")
        self.s3.start()
        self.stack.callback(self.s3.stop)
        log(f"S3 (moto) at {self.s3.endpoint}")
        self.receiver = self.stack.enter_context(fake_in_subprocess("webhook", secret=WEBHOOK_SECRET))
        log(f"webhook receiver at {self.receiver.url}")

        from cryptography.fernet import Fernet

        bucket, records_bucket = bucket_names()
        self.env = shared_environment(
            database_url=self.pg.url(),
            redis_url=self.redis.url(0),
            s3=s3_environment(self.s3.endpoint, bucket, records_bucket),
            CREDENTIALS_KEY=Fernet.generate_key().decode(),
            # A killed worker's claim is reconciled after the lease; the default (300 s) would outlast a short run.
            PUBLISH_LEASE_SECONDS=self.args.lease,
            # Every comment comes from 127.0.0.1 here; the per-address hourly limit is not what is being tested.
            COMMENT_RATE_PER_HOUR=1_000_000,
            # Approvals and comments notify people by e-mail: written to each process's own folder, since no
            # mail server runs here (an unreachable one would make every notification a failing, retried task).
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            LOG_LEVEL="INFO",
        )

    def configure_django(self):
        """This process becomes one more machine of the deployment: same database, Redis, buckets and key."""
        cwd = self.folder / "driver"
        folders = own_folders(cwd)
        for key in ("SOCIALGOV_VAR_DIR", "MEDIA_ROOT", "TMPDIR"):
            Path(folders[key]).mkdir(parents=True, exist_ok=True)
        os.environ.update(self.env)
        os.environ.update(folders)
        # This process runs the sweepers itself while draining: pending work is sent again at once.
        os.environ["PUBLISH_SWEEP_AFTER_SECONDS"] = "0"
        os.environ["LOG_LEVEL"] = "ERROR"
        os.environ["DJANGO_SETTINGS_MODULE"] = "socialgov.settings"
        import django

        django.setup()
        global DB_ERRORS
        from django.db import InterfaceError, OperationalError

        DB_ERRORS = (OperationalError, InterfaceError)

    def prepare_database(self):
        started = time.monotonic()
        # The static files would land in migrate's own folder, which no web process reads: skip collecting them.
        Migrate(env={**self.env, "STATIC_COLLECTED_AT_BUILD": "1"}, cwd=self.folder / "migrate").run()
        log(f"deploy/bin/migrate (schema, static files, buckets): {time.monotonic() - started:.1f} s")
        from django.core.management import call_command

        started = time.monotonic()
        call_command("seed_demo", stdout=io.StringIO())
        self._seed_channels()
        log(f"seed_demo and the webhook channel: {time.monotonic() - started:.1f} s")

    def _seed_channels(self):
        from django.contrib.auth import get_user_model

        from posts.models import Channel
        from posts.publishing.credential_services import set_channel_credentials
        from posts.services import save_channel

        users = get_user_model().objects.in_bulk(["chief", "smo", "supervisor"], field_name="username")
        self.smo, self.supervisor = users["smo"], users["supervisor"]
        hook = save_channel(
            actor=users["chief"],
            name="City alerts",
            kind="webhook",
            api_base_url=f"{self.receiver.url}/hook",
        )
        set_channel_credentials(actor=users["chief"], channel=hook, credentials={"secret": WEBHOOK_SECRET})
        self.channels = [Channel.objects.get(slug="news"), hook]

    def start_processes(self):
        started = time.monotonic()
        worker_env = {**self.env, "WORKER_CONCURRENCY": str(WORKER_CONCURRENCY)}
        self.webs = [Web(env=self.env, cwd=self.folder / f"web{i}") for i in (1, 2)]
        # Every worker consumes the product's default queue, which web, beat and this process send to.
        self.workers = [Worker(env=worker_env, cwd=self.folder / f"worker{i}", queue="socialgov") for i in (1, 2)]
        self.beat = Beat(env=self.env, cwd=self.folder / "beat")
        processes = [*self.webs, *self.workers, self.beat]
        for process in processes:
            self.stack.callback(process.stop)
            process.start()
        for process in processes:
            process.wait_ready(timeout=120)
        log(f"2 web, 2 workers and beat ready: {time.monotonic() - started:.1f} s")

    # Load ----------------------------------------------------------------------------------------------------

    def count(self, key: str, n: int = 1):
        with self.lock:
            self.counts[key] += n

    def timed(self, what: str, seconds: float):
        with self.lock:
            self.step_times[what].append(seconds)

    def note_error(self, what: str, exc: BaseException):
        with self.lock:
            self.errors[f"{what}: {type(exc).__name__}"] += 1

    def retrying(self, what: str, step):
        """Run `step` until it succeeds; an outage (database errors, 5xx, refused connections) waits and tries
        again until the run's deadline. Anything else is a finding and is reported, then retried a few times."""
        from django.db import connection

        unexpected = 0
        pause = 0.2
        while True:
            try:
                started = time.perf_counter()
                result = step()
                self.timed(what, time.perf_counter() - started)
                return result
            except (Transient, *DB_ERRORS) as exc:
                self.note_error(what, exc)
                connection.close()
            except Exception as exc:  # noqa: BLE001 - reported in the summary, not hidden
                self.note_error(what, exc)
                connection.close()
                unexpected += 1
                if unexpected == 1:
                    with self.lock:
                        self.unexpected.append(f"{what}: {''.join(traceback.format_exception_only(exc)).strip()}")
                if unexpected >= 5:
                    raise
            if time.monotonic() > self.deadline:
                raise TimeoutError(f"{what}: still failing at the end of the drain")
            time.sleep(pause)
            pause = min(pause * 2, 2.0)

    def drive(self, jobs: queue.Queue):
        from django.db import connection

        while True:
            n = jobs.get()
            if n is None:
                break
            try:
                self.one_post(n)
            except Exception as exc:  # noqa: BLE001 - counted; the checks find what it left undone
                self.count("posts_given_up")
                with self.lock:
                    self.unexpected.append(f"post {n} given up: {type(exc).__name__}: {exc}")
            finally:
                connection.close()

    def one_post(self, n: int):
        from django.db import close_old_connections

        from posts.models import Post

        close_old_connections()
        via_http = self.rng_for(n).random() < self.args.http_share
        self.count("posts_started")
        self.count("posts_via_http" if via_http else "posts_via_services")
        # Zero-padded: some bare numbers are slogans the screening blocks, as it should (1312, in a 10-minute run).
        title = f"Soak {self.tag} {n:05d}: {STREETS[n % len(STREETS)]} Street reopened"
        body = BODY.format(street=STREETS[n % len(STREETS)], n=f"{n:05d}")
        post_id = self.retrying("draft", lambda: self.draft(n, title, body, via_http))
        S = Post.Status
        for _ in range(20):
            status = self.retrying("read", lambda: Post.objects.values_list("status", flat=True).get(pk=post_id))
            if status == S.PUBLISHED:
                break
            step = {
                S.DRAFT: "submit",
                S.CHANGES_REQUESTED: "submit",
                S.IN_REVIEW: "approve",
                S.APPROVED: "publish",
            }.get(status)
            if step is None:
                raise RuntimeError(f"post {post_id} is {status}; the soak does not expect that")
            self.retrying(step, lambda step=step: self.act(step, post_id, via_http))
        else:
            raise RuntimeError(f"post {post_id} never reached published")
        self.count("posts_published_by_driver")
        # Comments go to the website once the worker has put the post there; the comment threads wait for it.
        for i in range(self.comments_for(n)):
            self.comment_queue.put((time.monotonic() + 2, post_id, title, n, i))

    def rng_for(self, n: int) -> random.Random:
        # Each post's choices come from the seed and its number, whatever thread runs it and whenever.
        return random.Random(self.args.seed * 1_000_003 + n)

    def comments_for(self, n: int) -> int:
        share = self.args.comments_per_post
        whole, part = int(share), share - int(share)
        return whole + (1 if self.rng_for(n).random() < part else 0)

    def draft(self, n: int, title: str, body: str, via_http: bool) -> int:
        from posts.models import Post

        # An answer lost in an outage may hide a draft that was made: find it by its title before making another.
        found = Post.objects.filter(title=title).values_list("pk", flat=True).first()
        if found:
            return found
        if via_http:
            answer = self.http("smo", "post", "/posts/new/", n, data={
                "title": title, "body": body, "category": "traffic",
                "channels": [c.pk for c in self.channels], "action": "submit",
            })  # fmt: skip
            match = re.search(r"/posts/(\d+)/", answer.headers.get("Location", ""))
            if answer.status_code != 302 or not match:
                raise Transient(f"drafting answered {answer.status_code}")
            return int(match.group(1))
        from posts import services as posts

        post = posts.create_post(actor=self.smo, title=title, body=body, category="traffic", channels=self.channels)
        if self.args.media_every and n % self.args.media_every == 0:
            self.attach_photo(post, n)
        return post.pk

    def attach_photo(self, post, n: int):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        from posts import services as posts

        buffer = io.BytesIO()
        # A different picture per post, so each is a media blob of its own in the records bucket.
        Image.new("RGB", (16, 16), ((n * 7) % 256, (n * 13) % 256, (n // 256) % 256)).save(buffer, "PNG")
        upload = SimpleUploadedFile(f"soak-{n}.png", buffer.getvalue(), content_type="image/png")
        posts.add_attachment(actor=self.smo, post=post, uploaded=upload, alt_text="A road sign saying Road open.")
        self.count("photos")

    def act(self, step: str, post_id: int, via_http: bool):
        from core.errors import DomainError
        from moderation import services as moderation
        from posts import services as posts
        from posts.models import Post

        if via_http:
            user, path, data = {
                "submit": ("smo", f"/posts/{post_id}/submit/", {}),
                "approve": ("supervisor", f"/review/{post_id}/", {"action": "approve", "note": ""}),
                "publish": ("smo", f"/posts/{post_id}/publish/", {}),
            }[step]
            answer = self.http(user, "post", path, post_id, data=data)
            if answer.status_code != 302:
                raise Transient(f"{step} answered {answer.status_code}")
            return
        post = Post.objects.get(pk=post_id)
        try:
            if step == "submit":
                moderation.submit_for_review(actor=self.smo, post=post)
            elif step == "approve":
                moderation.approve_post(actor=self.supervisor, post=post)
            else:
                posts.publish_post(actor=self.smo, post=post)
        except DomainError as exc:
            # After a lost answer the step may already be done; the caller reads the status again. Any other
            # refusal would repeat forever, so it is reported.
            with self.lock:
                self.errors[f"{step}: refused ({getattr(exc, 'code', '')})"] += 1

    # HTTP ----------------------------------------------------------------------------------------------------

    def web_url(self, n: int, path: str) -> str:
        return self.webs[n % len(self.webs)].url(path)

    def session(self, user: str):
        import requests

        with self.login_lock:
            if user not in self.sessions:
                self.sessions[user] = {"session": requests.Session(), "generation": 0, "signed_in": False}
            return self.sessions[user]

    def http(self, user: str, method: str, path: str, n: int, *, data=None):
        """A request as `user` (signed in, two-factor passed) or anonymously (user None), to one of the two web
        processes. A refused connection or a 5xx is Transient; a redirect to the login page signs in again."""
        import requests

        entry = self.session(user)
        if not entry["signed_in"]:
            self.sign_in(user, entry, n)
        session = entry["session"]
        token = session.cookies.get("csrftoken", "")
        try:
            answer = session.request(
                method,
                self.web_url(n, path),
                data={**(data or {}), "csrfmiddlewaretoken": token},
                allow_redirects=False,
                timeout=30,
            )
        except requests.RequestException as exc:
            raise Transient(type(exc).__name__) from None
        if answer.status_code >= 500:
            raise Transient(f"HTTP {answer.status_code}")
        if answer.status_code in (302, 303) and "/accounts/login/" in answer.headers.get("Location", ""):
            entry["signed_in"] = False
            raise Transient("signed out")
        if answer.status_code == 403:
            # A CSRF refusal after the cookie changed: sign in again.
            entry["signed_in"] = False
            raise Transient("HTTP 403")
        return answer

    def sign_in(self, user: str, entry: dict, n: int):
        """Log in through the form and give the demo TOTP code when asked. A code is accepted once per 30 s
        step and user, so a second sign-in within the same step waits for the next one."""
        import requests
        from django.conf import settings
        from django_otp.oath import totp

        with self.login_lock:
            if entry["signed_in"]:
                return
            session = entry["session"]
            try:
                session.get(self.web_url(n, "/accounts/login/"), timeout=30)
                answer = session.post(
                    self.web_url(n, "/accounts/login/"),
                    data={
                        "username": user,
                        "password": settings.DEMO_PASSWORD,
                        "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                        "next": "/",
                    },
                    allow_redirects=False,
                    timeout=30,
                )
                if answer.status_code != 302:
                    raise Transient(f"login answered {answer.status_code}")
                home = session.get(self.web_url(n, "/"), allow_redirects=False, timeout=30)
                if home.status_code in (302, 303) and "/accounts/login/verify/" in home.headers.get("Location", ""):
                    step = int(time.time() // 30)
                    if self.totp_steps_used.get(user, -1) >= step:
                        time.sleep(30 - time.time() % 30 + 0.5)
                    step = int(time.time() // 30)
                    key = base64.b32decode(settings.DEMO_TOTP_SECRET)
                    verify = self.web_url(n, "/accounts/login/verify/")
                    session.get(verify, timeout=30)
                    answer = session.post(
                        verify,
                        data={
                            "token": f"{totp(key):06d}",
                            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                            "next": "/",
                        },
                        allow_redirects=False,
                        timeout=30,
                    )
                    self.totp_steps_used[user] = step
                    if answer.status_code != 302:
                        raise Transient(f"two-factor answered {answer.status_code}")
                elif home.status_code != 200:
                    raise Transient(f"dashboard answered {home.status_code}")
            except requests.RequestException as exc:
                raise Transient(type(exc).__name__) from None
            entry["signed_in"] = True
            entry["generation"] += 1
            self.count("logins")

    def send_comments(self):
        """A comment thread: each comment once its post is on the website (its page answers 200), until the
        queue is closed and empty."""
        from django.db import connection

        while True:
            try:
                item = self.comment_queue.get(timeout=0.5)
            except queue.Empty:
                if self.comments_closed.is_set():
                    break
                continue
            not_before, post_id, title, n, i = item
            wait = not_before - time.monotonic()
            if wait > 0:
                time.sleep(min(wait, 1.0))
            try:
                sent = self.retrying("comment", functools.partial(self.comment, post_id, title, n, i))
            except Exception as exc:  # noqa: BLE001 - counted; the checks count what was stored
                self.count("comments_given_up")
                with self.lock:
                    self.unexpected.append(f"comment on post {post_id} given up: {type(exc).__name__}: {exc}")
                continue
            finally:
                connection.close()
            if not sent:
                if time.monotonic() > self.deadline:
                    self.count("comments_given_up")
                else:
                    self.comment_queue.put((time.monotonic() + 3, post_id, title, n, i))

    def comment(self, post_id: int, title: str, n: int, i: int) -> bool:
        """One public comment through the website's form, as a visitor: the post's page first, which sets the
        CSRF cookie. False while the page is not there yet (the website's publication is still on its way)."""
        import requests

        from posts.publishing.adapters.website import public_slug

        session = getattr(self.local, "visitor", None)
        if session is None:
            session = self.local.visitor = requests.Session()
        path = f"/news/{public_slug(post_id, title)}/"
        text = f"Thank you for the update about block {n}, comment {i}."
        try:
            page = session.get(self.web_url(n + i, path), timeout=30)
            if page.status_code >= 500:
                raise Transient(f"post page answered {page.status_code}")
            if page.status_code == 404:
                self.count("comment_pages_not_there_yet")
                return False
            answer = session.post(
                self.web_url(n + i, path),
                data={
                    "name": f"Neighbour {n}",
                    "email": "",
                    "text": text,
                    "website": "",
                    "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                },
                allow_redirects=False,
                timeout=30,
            )
        except requests.RequestException as exc:
            raise Transient(type(exc).__name__) from None
        if answer.status_code >= 500:
            raise Transient(f"comment answered {answer.status_code}")
        self.count("comments_sent")
        if answer.status_code in (302, 303):
            self.count("comments_accepted")
        else:
            self.count(f"comments_answered_{answer.status_code}")
        return True

    # Chaos ---------------------------------------------------------------------------------------------------

    def chaos_plan(self) -> list[tuple[float, str]]:
        """Moments spread over the run, one per slot, so events never overlap and the last one leaves time to
        recover before the load stops."""
        each = self.args.chaos_each or max(1, int(self.args.seconds // 200))
        kinds = [kind for kind in CHAOS_KINDS for _ in range(each)]
        self.rng.shuffle(kinds)
        start, end = 0.08 * self.args.seconds, 0.8 * self.args.seconds
        slot = (end - start) / len(kinds)
        return [(start + i * slot + self.rng.uniform(0, slot * 0.5), kind) for i, kind in enumerate(kinds)]

    def run_chaos(self, plan):
        for at, kind in plan:
            while time.monotonic() - self.t0 < at:
                if self.stopping.wait(0.2):
                    return
            event = {"kind": kind, "at_s": round(time.monotonic() - self.t0, 1)}
            try:
                getattr(self, f"chaos_{kind}")(event)
            except Exception as exc:  # noqa: BLE001 - a failed recovery is reported and fails the run
                event["error"] = f"{type(exc).__name__}: {exc}"
            event["recovered_at_s"] = round(time.monotonic() - self.t0, 1)
            with self.lock:
                self.chaos.append(event)
            log(f"chaos: {event}")

    def chaos_worker_kill(self, event):
        index = self.rng.randrange(len(self.workers))
        worker = self.workers[index]
        ready_before = worker.log().count(" ready.")
        worker.kill()
        down = self.rng.uniform(1, 5)
        event.update(worker=f"worker{index + 1}", signal="SIGKILL", down_s=round(down, 1))
        time.sleep(down)
        worker.start()
        worker.wait_until(lambda: worker.log().count(" ready.") > ready_before, 120, "worker ready again")

    def chaos_redis_restart(self, event):
        down = self.rng.uniform(3, 10)
        event.update(down_s=round(down, 1))
        self.redis.stop()
        time.sleep(down)
        self.redis.start()

    def chaos_postgres_restart(self, event):
        mode = self.rng.choice(["fast", "immediate"])
        down = self.rng.uniform(3, 10)
        event.update(mode=mode, down_s=round(down, 1))
        self.pg.stop(mode)
        time.sleep(down)
        self.pg.start()
        if not self.pg.wait_ready(60):
            raise RuntimeError(f"PostgreSQL did not come back:\n{self.pg.log_tail()}")

    def sample_database(self):
        """Once a second during the load: how many sessions are running a query, and how many of them wait for
        the audit chain's advisory lock (every audited write takes it until its transaction commits)."""
        import psycopg2

        conn = None
        while not self.stopping.wait(1.0):
            try:
                if conn is None or conn.closed:
                    conn = psycopg2.connect(self.pg.url(), connect_timeout=1)
                    conn.autocommit = True
                with conn.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FILTER (WHERE state = 'active'), "
                        "count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory') "
                        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                    active, advisory = cursor.fetchone()
                with self.lock:
                    self.db_samples.append((active, advisory))
            except psycopg2.Error:
                conn = None
        if conn is not None:
            conn.close()

    # The run -------------------------------------------------------------------------------------------------

    def run_load(self):
        args = self.args
        jobs: queue.Queue = queue.Queue(maxsize=args.threads * 2)
        self.t0 = time.monotonic()
        self.load_end = self.t0 + args.seconds
        self.deadline = self.load_end + args.drain_timeout
        self.comment_queue = queue.Queue()
        threads = [threading.Thread(target=self.drive, args=(jobs,), daemon=True) for _ in range(args.threads)]
        commenters = [threading.Thread(target=self.send_comments, daemon=True) for _ in range(COMMENT_THREADS)]
        for thread in threads + commenters:
            thread.start()
        plan = self.chaos_plan()
        log("chaos plan: " + ", ".join(f"{kind} at {at:.0f} s" for at, kind in plan))
        chaos = threading.Thread(target=self.run_chaos, args=(plan,), daemon=True)
        chaos.start()
        threading.Thread(target=self.sample_database, daemon=True).start()
        interval = 60.0 / args.rate
        n = 0
        next_report = self.t0 + 30
        while True:
            due = self.t0 + n * interval
            now = time.monotonic()
            if due >= self.load_end:
                break
            if due > now:
                time.sleep(due - now)
            try:
                jobs.put(n, timeout=max(0.0, self.load_end - time.monotonic()))
            except queue.Full:
                break
            n += 1
            # When the threads fall behind the queue is full and put() waits: those posts start late, which the
            # achieved rate shows.
            if time.monotonic() >= next_report:
                next_report += 30
                log(
                    f"{time.monotonic() - self.t0:.0f} s: {n} posts queued, {self.counts['posts_published_by_driver']} "
                    f"published by the driver, {self.counts['comments_accepted']} comments"
                )
        load_seconds = time.monotonic() - self.t0
        # Posts queued but not started when the time is up are not part of the run.
        while True:
            try:
                jobs.get_nowait()
            except queue.Empty:
                break
            n -= 1
        self.counts["posts_queued"] = n
        log(f"load stopped after {load_seconds:.0f} s; {n} posts started; waiting for the chaos to end")
        self.stopping.set()
        chaos.join()
        for _ in threads:
            jobs.put(None)
        self.threads, self.commenters = threads, commenters
        self.load_seconds = load_seconds

    def drain(self) -> dict:
        """Let the driver's threads finish the posts and comments they started, and run the sweepers that beat
        runs every minute or five here every few seconds, until every approved post is delivered and captured
        and every comment captured, or --drain-timeout passes."""
        from django.db import close_old_connections

        from posts.publishing import services as publishing
        from retention import services as retention
        from retention.bulk_capture import archive_published_batched

        started = time.monotonic()
        limit = started + self.args.drain_timeout
        outstanding = queued = None
        while time.monotonic() < limit:
            if not any(t.is_alive() for t in self.threads):
                self.comments_closed.set()
            threads_busy = sum(t.is_alive() for t in (*self.threads, *self.commenters))
            try:
                close_old_connections()
                outstanding = self.outstanding()
                if not threads_busy and not any(outstanding.values()):
                    break
                queued = self.queued_messages()
                # Only once the workers have worked through what is queued: what is still outstanding then is
                # work a lost message left. Sweeping earlier would queue every pending delivery again each time.
                if queued is not None and queued < 10:
                    publishing.sweep()
                    archive_published_batched()
                    retention.archive_published(posts_and_comments=False)
                    self.count("drain_sweeps")
            except DB_ERRORS as exc:
                self.note_error("drain", exc)
            log(f"draining: {threads_busy} driver threads busy, {queued} messages queued, {outstanding}")
            time.sleep(5)
        self.driver_done_s = time.monotonic() - self.t0
        return {"seconds": round(time.monotonic() - started, 1), "outstanding_at_end": outstanding}

    def queued_messages(self) -> int | None:
        """Messages waiting in the workers' queue (a Redis list named after it); None while Redis is away."""
        import redis

        try:
            return redis.Redis.from_url(self.redis.url(0), socket_timeout=2).llen("socialgov")
        except redis.RedisError:
            return None

    def soak_posts(self):
        from posts.models import Post

        return Post.objects.filter(title__startswith=f"Soak {self.tag} ")

    def outstanding(self) -> dict:
        from posts.models import Comment, Publication
        from retention.models import Record

        posts = self.soak_posts()
        published = dict(posts.filter(status="published").values_list("pk", "version"))
        captured = set(
            Record.objects.filter(source_type="posts.post", source_id__in=list(published)).values_list(
                "source_id", "source_version"
            )
        )
        comments = set(Comment.objects.filter(post__in=posts).values_list("pk", flat=True))
        comments_captured = set(
            Record.objects.filter(
                source_type="posts.comment", source_id__in=list(comments), source_version="received"
            ).values_list("source_id", flat=True)
        )
        return {
            "approved_not_published": posts.filter(status="approved").count(),
            "publications_not_delivered": Publication.objects.filter(post__in=posts)
            .exclude(status=Publication.Status.PUBLISHED)
            .count(),
            "posts_not_captured": sum(1 for pk, v in published.items() if (pk, f"v{v}") not in captured),
            "comments_not_captured": len(comments - comments_captured),
        }

    # Checks --------------------------------------------------------------------------------------------------

    def check(self) -> tuple[list[dict], dict]:
        from django.core.management import CommandError, call_command
        from django.db import close_old_connections
        from django.db.models import Count

        from posts.models import Comment, Post, Publication
        from retention.fixity import run_fixity_check
        from retention.models import Record

        close_old_connections()
        checks = []

        def check(name, ok, detail):
            checks.append({"check": name, "ok": bool(ok), "detail": detail})

        posts = list(self.soak_posts().prefetch_related("channels", "publications"))
        approved = [p for p in posts if p.approved_at is not None or p.status == Post.Status.PUBLISHED]
        not_published = [p.pk for p in approved if p.status != Post.Status.PUBLISHED]
        missing_channels = []
        for post in approved:
            delivered = {
                pub.channel_id
                for pub in post.publications.all()
                if pub.post_version == post.version and pub.status == Publication.Status.PUBLISHED
            }
            if {c.pk for c in post.channels.all()} - delivered:
                missing_channels.append(post.pk)
        check(
            "no post lost: every approved post published on all its channels",
            not not_published and not missing_channels,
            f"{len(approved)} approved; {len(not_published)} not published {not_published[:10]}; "
            f"{len(missing_channels)} missing a channel {missing_channels[:10]}",
        )

        twice = (
            Publication.objects.filter(post__in=self.soak_posts())
            .values("post_id", "channel_id", "post_version")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        check("one Publication row per post version and channel", not twice, f"{len(twice)} with more than one")

        state = self.receiver.state()
        deliveries = state["deliveries"]
        soak_ids = {p.pk for p in posts}
        items = Counter(
            (d["payload"]["post_id"], d["payload"]["version"])
            for d in deliveries
            if d["payload"]["post_id"] in soak_ids
        )
        doubled = {key: n for key, n in items.items() if n > 1}
        hook = self.channels[1]
        keys = dict(
            Publication.objects.filter(post__in=self.soak_posts(), channel=hook, status="published").values_list(
                "idempotency_key", "post_id"
            )
        )
        received_keys = {d["idempotency_key"] for d in deliveries}
        check(
            "published once at the platform: one item (Idempotency-Key) per post version",
            not doubled and set(keys) <= received_keys,
            f"{len(items)} items for {len(keys)} delivered webhook publications; {len(doubled)} post versions "
            f"with more than one item {list(doubled)[:5]}; {len(set(keys) - received_keys)} publications "
            "marked delivered that the receiver never got",
        )
        repeats = sum(state["repeats"].values())
        # A delivery whose answer was never recorded is sent again under the same key after the lease: at most one
        # per worker child in flight when a worker was killed or the database went away.
        kills = sum(1 for e in self.chaos if e["kind"] == "worker_kill")
        stops = sum(1 for e in self.chaos if e["kind"] == "postgres_restart")
        bound = kills * WORKER_CONCURRENCY + stops * WORKER_CONCURRENCY * len(self.workers)
        check(
            "repeated requests for a key only after an interrupted delivery",
            repeats <= bound,
            f"{state['sends']} requests, {len(deliveries)} distinct keys, {repeats} repeats (bound {bound}: "
            f"{kills} worker kills, {stops} database stops × {WORKER_CONCURRENCY} children × 2 workers)",
        )

        published = {p.pk: p.version for p in posts if p.status == Post.Status.PUBLISHED}
        records = Counter(
            Record.objects.filter(source_type="posts.post", source_id__in=list(published)).values_list(
                "source_id", "source_version"
            )
        )
        uncaptured = [pk for pk, v in published.items() if records[(pk, f"v{v}")] == 0]
        check(
            "every published post captured exactly once per version",
            not uncaptured and all(n == 1 for n in records.values()),
            f"{len(published)} published, {sum(records.values())} post records; {len(uncaptured)} without a "
            f"record of their version {uncaptured[:10]}; {sum(1 for n in records.values() if n > 1)} doubled",
        )
        comment_ids = list(Comment.objects.filter(post__in=self.soak_posts()).values_list("pk", flat=True))
        comment_records = Counter(
            Record.objects.filter(
                source_type="posts.comment", source_id__in=comment_ids, source_version="received"
            ).values_list("source_id", flat=True)
        )
        check(
            "every comment captured exactly once",
            all(comment_records[pk] == 1 for pk in comment_ids),
            f"{len(comment_ids)} comments, {sum(comment_records.values())} comment records",
        )

        bad = [r.pk for r in Record.objects.only("pk", "content", "sha256").iterator(chunk_size=2000) if not r.verify()]
        check(
            "every record's hash verifies",
            not bad,
            f"{Record.objects.count()} records; {len(bad)} do not match {bad[:10]}",
        )

        fixity = run_fixity_check()
        check(
            "fixity check (records and media read back from S3)",
            not fixity.mismatches and fixity.media_checked > 0,
            f"{fixity.checked} records, {fixity.media_checked} media blobs, {len(fixity.mismatches)} mismatches "
            f"{fixity.mismatches[:3]}",
        )

        out = io.StringIO()
        try:
            call_command("verify_audit", stdout=out)
            audit_ok, audit_detail = True, out.getvalue().strip()
        except CommandError as exc:
            audit_ok, audit_detail = False, str(exc)[:2000]
        check("audit chain verifies (verify_audit)", audit_ok, audit_detail)

        figures = {
            "posts": len(posts),
            "approved": len(approved),
            "published": len(published),
            "comments_stored": len(comment_ids),
            "webhook_requests": state["sends"],
            "webhook_items": len(deliveries),
            "webhook_repeats": repeats,
            "website_publications": Publication.objects.filter(
                post__in=self.soak_posts(), channel=self.channels[0], status="published"
            ).count(),
            "post_records": sum(records.values()),
            "comment_records": sum(comment_records.values()),
            "media_blobs_checked": fixity.media_checked,
        }
        return checks, figures

    def processes_alive(self) -> dict:
        return {p.cwd.name: p.running() for p in (*self.webs, *self.workers, self.beat)}

    def close(self):
        from django.db import connections

        connections.close_all()
        self.stack.close()
        if self.args.keep:
            log(f"kept {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    missing = missing_programs()
    if missing:
        print("cannot run the soak; missing: " + ", ".join(missing), file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    wall = time.monotonic()
    soak = Soak(args)
    summary = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "seed": args.seed,
        "rate_target_per_min": args.rate,
        "seconds": args.seconds,
        "load_average_before": [round(x, 2) for x in load_before],
    }
    failed = True
    try:
        soak.start_services()
        soak.configure_django()
        soak.prepare_database()
        soak.start_processes()
        summary["setup_s"] = round(time.monotonic() - wall, 1)
        soak.run_load()
        summary["load_s"] = round(soak.load_seconds, 1)
        summary["drain"] = soak.drain()
        summary["driver_done_s"] = round(soak.driver_done_s, 1)
        summary["processes_alive"] = soak.processes_alive()
        checks, figures = soak.check()
        summary["figures"] = figures
        summary["checks"] = checks
        failed = not all(c["ok"] for c in checks) or any("error" in e for e in soak.chaos)
        summary["chaos_kinds_done"] = sorted({e["kind"] for e in soak.chaos})
        if set(summary["chaos_kinds_done"]) != set(CHAOS_KINDS):
            failed = True
    except (ProcessFailed, RuntimeError, KeyboardInterrupt) as exc:
        summary["error"] = f"{type(exc).__name__}: {exc}"
        log(summary["error"])
    finally:
        summary["driver"] = dict(soak.counts)
        minutes = summary.get("load_s", 0) / 60
        summary["posts_started_per_min"] = round(soak.counts["posts_started"] / minutes, 1) if minutes else 0
        summary["step_ms"] = {
            step: {"n": len(times), "median": round(statistics.median(times) * 1000, 1)}
            for step, times in sorted(soak.step_times.items())
        }
        if soak.db_samples:
            summary["database_sessions_during_load"] = {
                "samples": len(soak.db_samples),
                "running_a_query_mean": round(statistics.mean(a for a, _ in soak.db_samples), 2),
                "waiting_for_audit_chain_lock_mean": round(statistics.mean(w for _, w in soak.db_samples), 2),
            }
        summary["errors_met"] = dict(soak.errors.most_common())
        summary["unexpected"] = soak.unexpected[:50]
        summary["chaos"] = soak.chaos
        summary["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        summary["wall_s"] = round(time.monotonic() - wall, 1)
        summary["ok"] = not failed
        try:
            soak.close()
        except Exception as exc:  # noqa: BLE001 - tearing down must not hide the summary
            summary["teardown_error"] = f"{type(exc).__name__}: {exc}"
    print_summary(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, default=str))
    return 0 if summary["ok"] else 1


def print_summary(summary: dict):
    print("\n== chaos soak summary ==")
    for key in ("command", "seed", "setup_s", "load_s", "driver_done_s", "posts_started_per_min", "wall_s"):
        print(f"{key}: {summary.get(key)}")
    print(f"load average before / after: {summary['load_average_before']} / {summary['load_average_after']}")
    print(f"driver: {summary['driver']}")
    print(f"driver steps (successful tries, ms): {summary['step_ms']}")
    print(f"database sessions during the load: {summary.get('database_sessions_during_load')}")
    print(f"figures: {summary.get('figures')}")
    print(f"drain: {summary.get('drain')}")
    print("chaos:")
    for event in summary["chaos"]:
        print(f"  {event}")
    print(f"errors met and retried: {summary['errors_met']}")
    for line in summary["unexpected"]:
        print(f"  unexpected: {line}")
    for check in summary.get("checks", []):
        print(f"[{'ok' if check['ok'] else 'FAIL'}] {check['check']}: {check['detail']}")
    if "error" in summary:
        print(f"ERROR: {summary['error']}")
    print("RESULT: " + ("ok" if summary["ok"] else "FAILED"))


if __name__ == "__main__":
    sys.exit(main())
