"""The annual review's figures (385.6) over one year: 20,000 posts, 200,000 public comments, 1,000,000 records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg_bench_review SECRET_KEY=bench HTTPS=0 STATIC_MANIFEST=0 \
        .venv/bin/python bench/annual_review.py

The database named in DATABASE_URL is dropped and created afresh, migrated, and filled with set-based SQL
(`INSERT ... SELECT generate_series`): the year 2025 with 20,000 posts (one in twenty an incident update, one in
fifty removed), 1.5 publications per post with 20 days of engagement figures each, website page views, a decided
review per post plus 2,000 returned for changes with screening findings on 30%, 200,000 comments with their
screening (5% removed or hidden, 200 threat alerts), 500 content reports at every stage, 1,000,000 records in
three series, legal holds with 10,000 held records, 20,000 records destroyed, 300 public-records requests; and
2024 at half the posts, so the comparison period has figures too. Then `compute_report(2025-01-01, 2025-12-31)`
runs in a fresh process, as a worker would, twice for the time and once more under tracemalloc; the peak RSS is
that process's own (`ru_maxrss`). The database is dropped at the end (--keep keeps it, --reuse skips building).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")

from _database import drop_database, recreate_database  # noqa: E402

YEAR, PREVIOUS = "2025", "2024"
CATEGORIES = [
    "announcement",
    "crime_prevention",
    "investigative_request",
    "community_project",
    "real_time_safety",
    "traffic",
    "press_release",
    "recruitment",
    "community_outreach",
]


def _arr(values) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def build(posts: int, comments_per_post: int, records: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from members.models import Authorization
    from posts.models import Channel, Incident
    from retention.models import RecordSeries, RetentionSchedule

    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate"] = time.perf_counter() - started
    users = get_user_model().objects
    chief = users.create(username="chief", first_name="Chief", last_name="Reyes")
    authors = [users.create(username=f"author{i}", first_name="Author", last_name=str(i)) for i in range(8)]
    supervisors = [users.create(username=f"sup{i}", first_name="Supervisor", last_name=str(i)) for i in range(4)]
    commander = users.create(username="commander")
    custodian = users.create(username="custodian")
    reporter = users.create(username="reporter")
    channels = [
        Channel.objects.create(name=name, slug=slug, kind=kind)
        for name, slug, kind in (
            ("Department website", "news", "website"),
            ("Facebook page", "facebook", "facebook"),
            ("X account", "x", "x"),
            ("Nextdoor", "nextdoor", "nextdoor"),
            ("Mastodon", "mastodon", "mastodon"),
        )
    ]
    # The channels were set up before the period.
    Channel.objects.update(created_at=f"{PREVIOUS}-01-01T00:00:00Z")
    Channel.history.update(history_date=f"{PREVIOUS}-01-01T00:00:00Z")
    for i, author in enumerate(authors):
        since = f"{PREVIOUS}-01-01T00:00:00Z"
        auth = Authorization.objects.create(
            member=author, granted_by=chief, all_channels=i < 3, valid_from=since, granted_at=since
        )
        if i >= 3:
            auth.channels.set(channels[i % 5 : i % 5 + 2])
    incidents = [
        Incident.objects.create(
            name=f"Incident {i}",
            kind="public_safety",
            commander=commander,
            social_media_officer=authors[0],
            opened_by=chief,
            opened_at=f"{PREVIOUS}-12-01T00:00:00Z",
        )  # fmt: skip
        for i in range(5)
    ]
    series = []
    for code, title in (("CW-026", "Social media content"), ("CW-027", "Comments"), ("TR-03", "Transitory")):
        s = RecordSeries.objects.create(code=code, title=title)
        RetentionSchedule.objects.create(
            series=s, version=1, period=2, unit="years", trigger="publication", action="destroy", citation=code,
            approved_by=custodian,
        )  # fmt: skip
        series.append(s)

    a_ids = _arr_int([a.pk for a in authors])
    s_ids = _arr_int([s.pk for s in supervisors])
    i_ids = _arr_int([i.pk for i in incidents])
    ch_ids = _arr_int([c.pk for c in channels])
    sr_ids = _arr_int([s.pk for s in series])
    website = channels[0].pk
    tz = "America/Los_Angeles"
    steps = [
        (
            "posts",
            # The previous year at half the volume, then the year itself; every 20th an incident update, every
            # 50th removed from public view.
            f"""
            INSERT INTO posts_post (title, body, category, status, created_at, updated_at, version, template_values,
                update_number, translation_language, translation_body, submitted_at, approval_path, approved_at,
                published_at, closed_at, closed_reason, approved_by_id, author_id, closed_by_id, incident_id,
                published_by_id, held_reasons)
            SELECT 'Bench post ' || g, 'Road work on Monroe Street this week, number ' || g,
                ({_arr(CATEGORIES)})[1 + g % 9],
                CASE WHEN g % 50 = 0 THEN 'removed' ELSE 'published' END,
                t - interval '1 day', t, 1, '{{}}'::jsonb,
                CASE WHEN g % 20 = 1 THEN g END, '', '',
                t - make_interval(mins => (CASE WHEN g % 20 = 1 THEN 5 + g % 40 ELSE 30 + (g * 37) % 1440 END)::int),
                CASE WHEN g % 20 = 1 THEN 'incident_commander' ELSE 'supervisor' END,
                t, t,
                CASE WHEN g % 50 = 0 THEN t + interval '2 days' END,
                CASE WHEN g % 50 = 0 THEN 'Outdated information' ELSE '' END,
                CASE WHEN g % 20 = 1 THEN {commander.pk} ELSE ({s_ids})[1 + g % 4] END,
                ({a_ids})[1 + g % 8],
                CASE WHEN g % 50 = 0 THEN ({s_ids})[1 + g % 4] END,
                CASE WHEN g % 20 = 1 THEN ({i_ids})[1 + g % 5] END,
                ({a_ids})[1 + g % 8], '[]'::jsonb
            FROM generate_series(1, {posts + posts // 2}) g,
                LATERAL (SELECT CASE WHEN g <= {posts // 2}
                    THEN (timestamp '{PREVIOUS}-01-01 08:00' AT TIME ZONE '{tz}')
                         + (g - 1) * (interval '365 days' / {posts // 2})
                    ELSE (timestamp '{YEAR}-01-01 08:00' AT TIME ZONE '{tz}')
                         + (g - {posts // 2} - 1) * (interval '364 days' / {posts})
                    END AS t) tt
            """,
        ),
        (
            "post channels",
            f"""
            INSERT INTO posts_post_channels (post_id, channel_id)
            SELECT p.id, ({ch_ids})[1 + p.id % 5] FROM posts_post p
            UNION ALL
            SELECT p.id, {website} FROM posts_post p WHERE p.id % 2 = 0 AND p.id % 5 <> 0
            """,
        ),
        (
            "publications",
            """
            INSERT INTO posts_publication (post_version, status, idempotency_key, external_id, url, attempts,
                last_error, last_error_code, created_at, published_at, channel_id, post_id)
            SELECT 1, 'published', md5(pc.id::text), 'ext-' || pc.id, '', 1, '', '', p.published_at, p.published_at,
                pc.channel_id, pc.post_id
            FROM posts_post_channels pc JOIN posts_post p ON p.id = pc.post_id
            """,
        ),
        (
            "engagement figures (20 days per publication, running totals)",
            f"""
            INSERT INTO posts_publicationmetric (day, reach, reactions, shares, replies, raw, publication_id)
            SELECT (pu.published_at AT TIME ZONE '{tz}')::date + 3 * k,
                CASE WHEN pu.channel_id = {website} THEN (pu.id % 300 + 10) * (k + 1) END,
                (pu.id % 50) * (k + 1), (pu.id % 7) * (k + 1) / 2, (pu.id % 11) * k / 3, '{{}}'::jsonb, pu.id
            FROM posts_publication pu CROSS JOIN generate_series(0, 19) k
            """,
        ),
        (
            "website page views",
            f"""
            INSERT INTO posts_postview (day, views, post_id)
            SELECT (pu.published_at AT TIME ZONE '{tz}')::date + k, 1 + (pu.id * (k + 3)) % 90, pu.post_id
            FROM posts_publication pu CROSS JOIN generate_series(0, 9) k WHERE pu.channel_id = {website}
            """,
        ),
        (
            "reviews",
            f"""
            INSERT INTO moderation_review (route, status, post_version, submitted_at, decided_at, note,
                decided_by_id, post_id, submitted_by_id)
            SELECT CASE WHEN p.incident_id IS NULL THEN 'supervisor' ELSE 'incident_commander' END, 'approved', 1,
                p.submitted_at, p.approved_at, '', p.approved_by_id, p.id, p.author_id
            FROM posts_post p
            UNION ALL
            SELECT 'supervisor', 'changes_requested', 1, p.submitted_at - interval '2 days',
                p.submitted_at - interval '2 days' + make_interval(hours => (1 + p.id % 30)::int), 'Change the wording',
                ({s_ids})[1 + (p.id + 1) % 4], p.id, p.author_id
            FROM posts_post p WHERE p.id % 15 = 0 AND p.incident_id IS NULL
            """,
        ),
        (
            "screening findings",
            f"""
            INSERT INTO moderation_reviewfinding (rule_id, section, severity, field, start, "end", excerpt,
                explanation, data, review_id)
            SELECT r.rule, r.section, CASE WHEN v.status = 'changes_requested' AND v.id % 3 = 0 THEN 'block'
                ELSE 'acknowledge' END, 'body', 0, 5, 'excerpt', 'explanation', '{{}}'::jsonb, v.id
            FROM moderation_review v,
                LATERAL (SELECT ({_arr(["pii.phone", "pii.address", "conduct.political", "pii.ssn", "a11y.alt_text"])})
                             [1 + v.id % 5] AS rule,
                         ({_arr(["385.5(b)", "385.5(b)", "385.5.2(b)", "385.5(b)", "WCAG 2.1 1.1.1"])})[1 + v.id % 5]
                             AS section) r
            WHERE v.id % 10 < 3
            """,
        ),
        (
            "public comments",
            f"""
            INSERT INTO posts_comment (external_id, author_name, author_email, author_handle, text, url, status,
                created_at, updated_at, removed_at, removal_reason, removal_note, channel_id, post_id, removed_by_id)
            SELECT '', 'Visitor ' || k, '', '', 'Thanks for the update ' || p.id || '-' || k, '',
                CASE WHEN k = 1 AND p.id % 2 = 0 THEN 'removed' WHEN k = 2 AND p.id % 5 = 0 THEN 'hidden'
                     WHEN k < 5 THEN 'visible' ELSE 'pending' END,
                p.published_at + make_interval(hours => (k)::int), p.published_at + make_interval(hours => (k)::int),
                CASE WHEN (k = 1 AND p.id % 2 = 0) OR (k = 2 AND p.id % 5 = 0)
                     THEN p.published_at + make_interval(hours => (k + 1 + p.id % 12)::int) END,
                CASE WHEN (k = 1 AND p.id % 2 = 0) OR (k = 2 AND p.id % 5 = 0)
                     THEN ({_arr(["obscenity", "off_topic", "personal_attack", "threat", "spam"])})[1 + p.id % 5]
                     ELSE '' END,
                '', {website}, p.id,
                CASE WHEN (k = 1 AND p.id % 2 = 0) OR (k = 2 AND p.id % 5 = 0) THEN ({a_ids})[1 + p.id % 8] END
            FROM posts_post p CROSS JOIN generate_series(1, {comments_per_post}) k
            WHERE p.published_at >= timestamp '{YEAR}-01-01' AT TIME ZONE '{tz}'
            """,
        ),
        (
            "comment screening",
            """
            INSERT INTO moderation_commentscreening (severity_rank, escalated, findings, screened_at, comment_id,
                language, threat_score)
            SELECT CASE WHEN c.id % 10 = 0 THEN 2 ELSE 0 END, c.id % 1000 = 0,
                CASE WHEN c.id % 1000 = 0
                     THEN '[{"rule_id": "comment.threat", "section": "385.5.1", "severity": "block"}]'::jsonb
                     WHEN c.id % 10 = 0
                     THEN '[{"rule_id": "comment.spam", "section": "385.5.1(a)", "severity": "acknowledge"}]'::jsonb
                     ELSE '[]'::jsonb END,
                c.created_at, c.id, 'en', 0.0
            FROM posts_comment c
            """,
        ),
        (
            "threat alerts",
            """
            INSERT INTO moderation_threatalert (created_at, acknowledged_at, acknowledged_by_id, comment_id)
            SELECT c.created_at, c.created_at + make_interval(mins => (5 + c.id % 90)::int), c.removed_by_id, c.id
            FROM posts_comment c WHERE c.id % 1000 = 0
            """,
        ),
        (
            "content reports",
            f"""
            INSERT INTO moderation_contentreport (link, section, description, status, created_at, removed_at,
                investigation_started_at, how_posted, posted_by, control_failed, resolved_at, resolution, outcome,
                post_id, reporter_id, removed_by_id, investigator_id)
            SELECT '', ({_arr(["385.5(a)", "385.5(b)", "385.5(c)", "385.5(d)", "385.5(e)", "385.5(f)", "385.5(g)"])})
                    [1 + p.id % 7], 'Reported', st.status, p.published_at + interval '1 day',
                CASE WHEN st.status IN ('removed', 'investigating', 'resolved')
                     THEN p.published_at + interval '1 day' + make_interval(hours => (1 + (p.id / 40) % 20)::int) END,
                CASE WHEN st.status IN ('investigating', 'resolved')
                     THEN p.published_at + interval '3 days' END,
                CASE WHEN st.status IN ('investigating', 'resolved')
                     THEN ({_arr(["Approved in a hurry", "Posted from a phone", "Template misused"])})[1 + p.id % 3]
                     ELSE '' END,
                CASE WHEN st.status IN ('investigating', 'resolved') THEN 'author' ELSE '' END,
                CASE WHEN st.status IN ('investigating', 'resolved')
                     THEN ({_arr(["Address rule off", "No second reviewer", "Training lapsed"])})[1 + p.id % 3]
                     ELSE '' END,
                CASE WHEN st.status IN ('resolved', 'closed')
                     THEN p.published_at + interval '1 day' + make_interval(hours => (24 + (p.id * 7) % 200)::int) END,
                CASE WHEN st.status IN ('resolved', 'closed') THEN 'Done' ELSE '' END,
                CASE WHEN st.status = 'closed' THEN 'unfounded' ELSE '' END,
                p.id, {reporter.pk},
                CASE WHEN st.status IN ('removed', 'investigating', 'resolved') THEN ({s_ids})[1 + p.id % 4] END,
                CASE WHEN st.status IN ('investigating', 'resolved') THEN ({s_ids})[1 + p.id % 4] END
            FROM posts_post p,
                LATERAL (SELECT ({_arr(["resolved", "resolved", "closed", "removed", "investigating", "open"])})
                    [1 + (p.id / 40) % 6] AS status) st
            WHERE p.id % 40 = 0 AND p.published_at >= timestamp '{YEAR}-01-01' AT TIME ZONE '{tz}'
            """,
        ),
        (
            "records",
            # 95% captured in the year, the rest in the last months of the one before; 1% not yet filed.
            f"""
            INSERT INTO retention_record (kind, source_type, source_id, source_version, captured_at, published_at,
                channel_slugs, author_username, title, text, content, sha256, status, series_id, schedule_id)
            SELECT ({
                _arr(
                    [
                        "post",
                        "comment",
                        "comment",
                        "comment",
                        "post",
                        "incident_update",
                        "removed_comment",
                        "report",
                        "metrics",
                        "comment",
                    ]
                )
            })[1 + g % 10],
                'bench.record', g, 'v1', t, t, '["news"]'::jsonb, 'author' || g % 8, 'Record ' || g,
                'Community meeting notice ' || g % 1000, '{{}}'::jsonb, md5(g::text), 'active',
                CASE WHEN g % 100 = 0 THEN NULL ELSE ({sr_ids})[1 + g % 3] END, NULL
            FROM generate_series(1, {records}) g,
                LATERAL (SELECT CASE WHEN g % 20 = 0
                    THEN (timestamp '{PREVIOUS}-10-01' AT TIME ZONE '{tz}') + (g % 90) * interval '1 day'
                    ELSE (timestamp '{YEAR}-01-01' AT TIME ZONE '{tz}') + (g - 1) * (interval '364 days' / {records})
                    END AS t) tt
            """,
        ),
        (
            "legal holds and held records",
            f"""
            INSERT INTO retention_legalhold (matter, reference, requested_by, reason, channel_slugs, people, keywords,
                status, placed_at, released_at, release_reason, custodian_id, released_by_id)
            SELECT 'Matter ' || g, '', 'City Attorney', 'Claim', '[]'::jsonb, '[]'::jsonb, '["Monroe"]'::jsonb,
                CASE WHEN g % 2 = 0 THEN 'released' ELSE 'active' END,
                (timestamp '{YEAR}-01-05' AT TIME ZONE '{tz}') + g * interval '15 days',
                CASE WHEN g % 2 = 0 THEN (timestamp '{YEAR}-01-05' AT TIME ZONE '{tz}') + g * interval '15 days'
                    + interval '30 days' END,
                CASE WHEN g % 2 = 0 THEN 'Settled' ELSE '' END, {custodian.pk},
                CASE WHEN g % 2 = 0 THEN {custodian.pk} END
            FROM generate_series(1, 20) g;
            INSERT INTO retention_heldrecord (added_at, record_id, hold_id)
            SELECT h.placed_at, r.id, h.id FROM retention_legalhold h
                JOIN retention_record r ON r.id % 20 = h.id % 20 AND r.id % 1000 < 10
            """,
        ),
        (
            "disposition",
            f"""
            INSERT INTO retention_dispositionbatch (as_of, created_at, status, closed_at, certificate_html,
                closed_by_id, certificate_pdf)
            SELECT date '{YEAR}-01-01' + g * 60,
                (timestamp '{YEAR}-01-01' AT TIME ZONE '{tz}') + g * interval '60 days', 'closed',
                (timestamp '{YEAR}-01-02' AT TIME ZONE '{tz}') + g * interval '60 days', '', {custodian.pk}, ''
            FROM generate_series(1, 5) g;
            INSERT INTO retention_dispositionitem (action, due_on, decision, decided_at, batch_id, decided_by_id,
                record_id)
            SELECT 'destroy', b.as_of, 'done', b.closed_at, b.id, {custodian.pk}, r.id
            FROM retention_dispositionbatch b JOIN retention_record r ON r.id % 5 = b.id % 5 AND r.id % 50 = 7
            """,
        ),
        (
            "public-records requests",
            f"""
            INSERT INTO retention_recordsrequest (number, requester, requester_contact, received_on, description,
                due_on, status, logged_at, closed_at, closing_note, assigned_to_id, closed_by_id, logged_by_id)
            SELECT 'PRR-{YEAR}-' || lpad(g::text, 4, '0'), 'Requester ' || g, '', d, 'Posts', d + 10,
                CASE WHEN g % 10 = 0 THEN 'open' WHEN g % 7 = 0 THEN 'closed' ELSE 'fulfilled' END,
                (d + time '09:00') AT TIME ZONE '{tz}',
                CASE WHEN g % 10 <> 0 THEN ((d + (CASE WHEN g % 9 = 0 THEN 14 ELSE 6 END)) + time '15:00')
                    AT TIME ZONE '{tz}' END,
                CASE WHEN g % 10 <> 0 THEN 'Answered' ELSE '' END, {custodian.pk},
                CASE WHEN g % 10 <> 0 THEN {custodian.pk} END, {custodian.pk}
            FROM generate_series(1, 300) g, LATERAL (SELECT date '{YEAR}-01-02' + (g * 363 / 300) AS d) dd
            """,
        ),
    ]
    counts = {}
    with connection.cursor() as cursor:
        for label, sql in steps:
            began = time.perf_counter()
            cursor.execute(sql)
            timings[label] = time.perf_counter() - began
        began = time.perf_counter()
        cursor.execute("ANALYZE")
        timings["ANALYZE"] = time.perf_counter() - began
        for table in (
            "posts_post",
            "posts_publication",
            "posts_publicationmetric",
            "posts_postview",
            "moderation_review",
            "moderation_reviewfinding",
            "posts_comment",
            "moderation_threatalert",
            "moderation_contentreport",
            "retention_record",
            "retention_heldrecord",
            "retention_dispositionitem",
            "retention_recordsrequest",
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - table names are the list above
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*) FROM posts_post WHERE published_at >= %s AND published_at < %s",
            [f"{YEAR}-01-01T08:00:00Z", f"{int(YEAR) + 1}-01-01T08:00:00Z"],
        )
        counts["posts in the year"] = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        counts["server"] = cursor.fetchone()[0].split(" on ")[0]
    timings["build total"] = time.perf_counter() - started
    return {"timings": timings, "counts": counts}


def _arr_int(values) -> str:
    return "ARRAY[" + ", ".join(str(int(v)) for v in values) + "]::bigint[]"


def measure(trace: bool) -> dict:
    """In its own process: the report over the year, timed block by block."""
    import resource

    import django

    django.setup()
    from datetime import date

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from oversight.figures import compute_report

    connection.ensure_connection()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        import tracemalloc

        tracemalloc.start()
    blocks, last = [], time.perf_counter()

    def progress(done, total, label):
        nonlocal last
        now = time.perf_counter()
        blocks.append((label, round(now - last, 2)))
        last = now

    reset_queries()
    started = last = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        data = compute_report(date(int(YEAR), 1, 1), date(int(YEAR), 12, 31), progress=progress)
    seconds = time.perf_counter() - started
    out = {
        "seconds": round(seconds, 2),
        "blocks": blocks,
        "queries": len(queries),
        "rss_before_mib": round(before / 1024, 1),
        "rss_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "json_kib": round(len(json.dumps(data)) / 1024, 1),
        "charts": sum(1 for s in data["sections"] for t in s["tables"] if t["svg"]),
        "figures": {s["key"]: {f["key"]: f["value"] for f in s["figures"]} for s in data["sections"]},
    }
    if trace:
        import tracemalloc

        out["python_heap_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return out


def _child(trace: bool) -> dict:
    args = [sys.executable, __file__, "--measure"] + (["--trace"] if trace else [])
    done = subprocess.run(args, check=True, capture_output=True, text=True, env=os.environ)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--comments-per-post", type=int, default=10)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the database as it is (built by an earlier --keep)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.trace)))
        return
    if not args.reuse:
        recreate_database()
        built = build(args.posts, args.comments_per_post, args.records)
        for label, seconds in built["timings"].items():
            print(f"build: {label}: {seconds:.1f} s")
        for label, n in built["counts"].items():
            print(f"rows: {label}: {n:,}" if isinstance(n, int) else f"{label}: {n}")
        from django.db import connections

        connections.close_all()
    try:
        runs = [_child(trace=False) for _ in range(2)]
        traced = _child(trace=True)
        print(f"cores: {os.cpu_count()}")
        for i, run in enumerate(runs, 1):
            print(
                f"run {i}: compute_report over {YEAR}: {run['seconds']:.1f} s, {run['queries']} queries, "
                f"peak RSS {run['rss_peak_mib']} MiB (after start-up {run['rss_before_mib']} MiB), "
                f"data {run['json_kib']} KiB with {run['charts']} charts"
            )
            print("  blocks: " + "; ".join(f"{label} {s:.2f} s" for label, s in run["blocks"]))
        print(
            f"under tracemalloc: {traced['seconds']:.1f} s, Python heap peak {traced['python_heap_peak_mib']} MiB, "
            f"peak RSS {traced['rss_peak_mib']} MiB"
        )
        print("figures: " + json.dumps(runs[-1]["figures"]))
    finally:
        if not args.keep:
            import django

            django.setup()
            drop_database()


if __name__ == "__main__":
    main()
