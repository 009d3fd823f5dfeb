"""Records search over N records (default 1,000,000) on the database in DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_bench_search SECRET_KEY=bench HTTPS=0 \
        STATIC_MANIFEST=0 .venv/bin/python bench/search.py --records 1000000

Builds the records once (seeded, so every run builds the same text; a re-run only adds what is missing): posts,
incident updates, comments, removals, reports and engagement figures whose words follow a Zipf distribution
over a vocabulary of about 4,000 words (English stop words first, then department words, then rarer made-up
words), with a few set sentences reused the way real announcements are. 1% of them go under a legal hold and
200 are attached to a public-records request.

Then times the search page's own work for a mix of searches — form, `result_page` (the first page of 25 of
`search_records` with its count), `snippets` and `holds_in_force` — and the whole page (the view, template
included) for the same searches, and prints median / p95 / max per kind of search and overall.
"""

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")

import django  # noqa: E402

django.setup()

SOURCE_TYPE = "bench.search"

STOP_WORDS = (
    "the of and to a in is for on that with at by this from be are as it or will an was please our have not you".split()
)
DEPARTMENT_WORDS = (
    "police street closed traffic community officers residents avenue department safety park road closure "
    "incident meeting public information report vehicle downtown crews fire weather update detour lanes "
    "event school collision suspect investigation station patrol neighborhood emergency detectives highway "
    "pedestrians bicycle lost dog found property theft burglary scam warning phone call chief sergeant "
    "volunteers festival parade fireworks water power outage heat shelter cooling center evacuation smoke "
    "flood rain wind storm crosswalk signal construction repaving sidewalk bridge intersection library city "
    "council hall budget hiring academy recruits training badge ceremony award honor memorial anniversary "
    "youth league coffee cop donation drive toys food bank holiday celebration graduation summer camp pool "
    "beach trail hike lake canal desert mountain valley north south east west central boulevard lane drive "
    "court place circle plaza market square station terminal airport bus train transit parking permit "
    "ticket citation speed enforcement impaired driving checkpoint seatbelt helmet child seat inspection "
    "missing person endangered senior located safely thanks everyone help sharing tips anonymous hotline "
    "nonemergency number dispatch response time arrest charges booked jail court hearing victim witness "
    "camera footage doorbell video description male female wearing shirt jacket hat backpack fled foot "
    "direction last seen contact detective unit case bulletin advisory alert notice reminder tonight "
    "tomorrow morning afternoon evening weekend monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december"
).split()
SET_SENTENCES = [
    "Monroe Street is closed between Avenue 44 and Highway 111 until further notice.",
    "Please avoid the area and use alternate routes while crews work.",
    "National Night Out brings neighbors and officers together at Miles Avenue Park.",
    "If you have information about this incident call the tip line.",
    "Cooling centers are open at the senior center and the library.",
    "Coffee with a Cop is this Saturday morning downtown.",
    "The department is hiring police officers and dispatchers.",
    "A boil water notice is in effect for the north side.",
]
KINDS = [("post", 60), ("incident_update", 5), ("comment", 28), ("removed_comment", 2), ("report", 1), ("metrics", 4)]
CHANNEL_SETS = [["news"], ["facebook"], ["news", "facebook"], ["x"], ["news", "facebook", "x"]]
AUTHORS = ["smo", "team", "chief", "supervisor", "commander", "pio1", "pio2", "pio3"]
SYLLABLES = "ka ro ven ti sul mar den bo li quen far tal mi ser nor pa ge dru lo fen va rin co tus bel".split()
START = datetime(2019, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=7 * 365)


def vocabulary(size: int = 4000) -> list[str]:
    """Stop words, then department words, then made-up words; the order is the Zipf rank."""
    rng = random.Random(385)
    words = list(STOP_WORDS) + list(dict.fromkeys(DEPARTMENT_WORDS))
    made_up = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in made_up:
            made_up.add(word)
            words.append(word)
    return words


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**s
        cumulative.append(total)
    return cumulative


class Builder:
    def __init__(self, total: int):
        from retention.models import Record

        self.hash_of = Record.hash_of
        self.words = vocabulary()
        self.cumulative = zipf_weights(len(self.words))
        self.total = total
        self.commenters = [
            f"{a} {b}"
            for a in ("Ann", "Ben", "Cruz", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo")
            for b in ("Diaz", "Khan", "Lopez", "Moss", "Park", "Reed", "Shaw", "Tran", "Webb", "Young")
        ]

    def sentence(self, rng, length):
        picked = rng.choices(self.words, cum_weights=self.cumulative, k=length)
        return " ".join(picked).capitalize() + "."

    def text(self, rng, kind):
        if kind == "metrics":
            return ""
        parts, words = [], rng.randint(12, 90) if kind != "comment" else rng.randint(5, 40)
        while words > 0:
            length = min(words, rng.randint(6, 18))
            parts.append(self.sentence(rng, length))
            words -= length
        if kind in ("post", "incident_update") and rng.random() < 0.08:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(SET_SENTENCES))
        return " ".join(parts)

    def row(self, i, series, schedule):
        rng = random.Random(i)
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        version = "v1:removed" if kind == "post" and rng.random() < 0.02 else "v1"
        captured = START + SPAN * (i / self.total) + timedelta(seconds=rng.randint(0, 600))
        published = None if rng.random() < 0.03 else captured - timedelta(minutes=rng.randint(1, 90))
        if kind in ("comment", "removed_comment"):
            author = rng.choice(self.commenters)
            title = f"Comment by {author}"
        elif kind == "metrics":
            author, title = "", f"Engagement on news, {captured:%Y-%m-%d}"
        else:
            author = rng.choice(AUTHORS)
            title = self.sentence(rng, rng.randint(3, 8))[:-1]
        channels = rng.choice(CHANNEL_SETS)
        content = {"bench": i}
        return {
            "kind": kind,
            "source_type": SOURCE_TYPE,
            "source_id": i,
            "source_version": version,
            "captured_at": captured,
            "published_at": published,
            "channel_slugs": channels,
            "author_username": author,
            "title": title,
            "text": self.text(rng, kind),
            "content": content,
            "sha256": self.hash_of(content),
            "series_id": series,
            "schedule_id": schedule,
            "status": "active",
        }


def build(total: int, builder: Builder | None = None):
    """Records 0 .. total-1 under SOURCE_TYPE, the missing ones; `builder` makes the rows (default Builder(total))."""
    from django.db import connection

    from retention.models import Record, RecordSeries

    have = Record.objects.filter(source_type=SOURCE_TYPE).count()
    if have >= total:
        return 0, 0.0
    series = RecordSeries.objects.get(code="CW-026")
    schedule = series.current_schedule()
    builder = builder or Builder(total)
    columns = [
        "kind",
        "source_type",
        "source_id",
        "source_version",
        "captured_at",
        "published_at",
        "channel_slugs",
        "author_username",
        "title",
        "text",
        "content",
        "sha256",
        "series_id",
        "schedule_id",
        "status",
    ]
    start = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    migration = __import__("retention.migrations.0009_record_search", fromlist=["PG_INDEXES"])
    if postgres and total - have > 100_000:
        # Loading is several times faster without the search indexes; they are rebuilt exactly as the migration
        # builds them.
        with connection.cursor() as cursor:
            for name in migration.PG_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
    existing = set(Record.objects.filter(source_type=SOURCE_TYPE).values_list("source_id", flat=True)) if have else ()
    chunk = []
    for i in range(total):
        if i in existing:
            continue
        chunk.append(builder.row(i, series.pk, schedule.pk))
        if len(chunk) == 20_000:
            _insert(chunk, columns, postgres)
            chunk = []
            print(f"  {i + 1:,} / {total:,} built", file=sys.stderr)
    if chunk:
        _insert(chunk, columns, postgres)
    if postgres:
        with connection.cursor() as cursor:
            for statement in migration.PG_INDEXES.values():
                cursor.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
            cursor.execute("VACUUM ANALYZE retention_record")
    return total - have, time.perf_counter() - start


def _insert(rows, columns, postgres):
    import json

    from django.db import connection

    from retention.models import Record

    if not postgres:
        Record.objects.bulk_create([Record(**row) for row in rows], batch_size=500)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(
            [
                json.dumps(row[c])
                if c in ("channel_slugs", "content")
                else ("\\N" if row[c] is None else row[c].isoformat() if isinstance(row[c], datetime) else row[c])
                for c in columns
            ]
        )
    buffer.seek(0)
    with connection.cursor() as cursor:
        sql = f"COPY retention_record ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        cursor.copy_expert(sql, buffer)


def holds_and_request():
    from django.contrib.auth import get_user_model
    from django.db.models import F

    from retention.models import HeldRecord, LegalHold, Record, RecordsRequest, RequestRecord

    custodian = get_user_model().objects.get(username="custodian")
    hold = LegalHold.objects.filter(matter="Bench search").first()
    if hold is None:
        hold = LegalHold.objects.create(
            matter="Bench search", requested_by="Bench", reason="Bench", custodian=custodian
        )
        ids = (
            Record.objects.filter(source_type=SOURCE_TYPE)
            .annotate(m=F("source_id") % 100)
            .filter(m=7)
            .values_list("pk", flat=True)
        )
        HeldRecord.objects.bulk_create([HeldRecord(hold=hold, record_id=pk) for pk in ids.iterator()], batch_size=5000)
    request = RecordsRequest.objects.filter(number="BENCH-1").first()
    if request is None:
        today = datetime.now(UTC).date()
        request = RecordsRequest.objects.create(
            number="BENCH-1",
            requester="Bench",
            received_on=today,
            description="Bench",
            due_on=today + timedelta(days=10),
            assigned_to=custodian,
            logged_by=custodian,
        )
        ids = Record.objects.filter(source_type=SOURCE_TYPE, source_id__lt=200_000, source_id__gte=199_800)
        RequestRecord.objects.bulk_create([RequestRecord(request=request, record=r, added_by=custodian) for r in ids])
    return hold, request


def searches(hold, request):
    words = vocabulary()
    common = words[len(STOP_WORDS) : len(STOP_WORDS) + 6]  # "police", "street", ... ~10-20% of records
    middling = words[len(STOP_WORDS) + 120 : len(STOP_WORDS) + 126]
    rare = words[3500:3506]  # made-up words near the tail
    year = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
    return [
        ("rare word", [{"q": w} for w in rare]),
        ("middling word", [{"q": w} for w in middling]),
        ("common word", [{"q": w} for w in common]),
        (
            "two words",
            [
                {"q": f"{common[0]} {middling[1]}"},
                {"q": f"{common[1]} {common[2]}"},
                {"q": f"{rare[0]} {common[3]}"},
                {"q": f"{middling[2]} {middling[3]}"},
            ],
        ),
        (
            "websearch syntax",
            [
                {"q": '"street is closed" -detour'},
                {"q": f"{common[0]} or {rare[1]}"},
                {"q": f"{common[1]} -{common[0]}"},
            ],
        ),
        (
            "exact phrase",
            [
                {"phrase": "Monroe Street is closed"},
                {"phrase": "Coffee with a Cop"},
                {"phrase": "call the tip line", "q": "information"},
                {"phrase": "boil water notice"},
            ],
        ),
        (
            "words + filters",
            [
                {"q": common[0], "kind": "comment"},
                {"q": rare[2], "channel": "x"},
                {"q": common[1], **year},
                {"q": middling[4], "author": "smo"},
                {"q": common[2], "held": True},
                {"q": common[3], "removed": True},
                {"q": middling[5], "series": "CW-026", "channel": "facebook", **year},
            ],
        ),
        (
            "filters only",
            [
                {"kind": "incident_update"},
                {"channel": "x", **year},
                {"held": True},
                {"legal_hold": hold.pk},
                {"records_request": request.pk},
                {"author": "chief"},
                {"status": "any"},
                {"status": "active"},
            ],
        ),
    ]


def search_functions(custodian, series: int):
    """(do_search, do_page): the search page's own work for a set of parameters, and the whole page."""
    from django.http import QueryDict
    from django.test import RequestFactory

    from retention.search import RecordSearchForm, holds_in_force, query_params, result_page, snippets
    from retention.search_views import PAGE_SIZE
    from retention.search_views import search as search_page

    factory = RequestFactory()

    def as_query(params):
        query = QueryDict(mutable=True)
        for name, value in params.items():
            query[name] = "1" if value is True else str(series if name == "series" else value)
        return query

    def do_search(params):
        form = RecordSearchForm(as_query(params))
        assert form.is_valid(), form.errors
        cleaned = query_params(form.cleaned_data)
        page = result_page(cleaned, 1, PAGE_SIZE)
        records = list(page.object_list)
        snippets(records, cleaned)
        holds_in_force(records)
        return page.paginator.count

    def do_page(params):
        http = factory.get("/records/search/", as_query(params))
        http.user = custodian
        response = search_page(http)
        assert response.status_code == 200
        return len(response.content)

    return do_search, do_page


def time_searches(mix, runs: int, do_search, do_page):
    """Yield (label, cases, what, counts, timings in ms) for each kind of search, "search" then "page"."""
    for label, cases in mix:
        for what, run in (("search", do_search), ("page", do_page)):
            timings, counts = [], []
            for params in cases:
                counts.append(do_search(params) if what == "search" else 0)
                run(params)  # warm-up
                for _ in range(runs):
                    started = time.perf_counter()
                    run(params)
                    timings.append((time.perf_counter() - started) * 1000)
            yield label, cases, what, counts, timings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each search")
    args = parser.parse_args()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from retention.models import Record, RecordSeries
    from retention.search import RANK_LIMIT, backend_label

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    inserted, seconds = build(args.records)
    hold, request = holds_and_request()
    custodian = get_user_model().objects.get(username="custodian")
    series = RecordSeries.objects.get(code="CW-026").pk
    do_search, do_page = search_functions(custodian, series)

    total = Record.objects.count()
    version = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = f" {cursor.fetchone()[0]}"
    print(
        f"database: {connection.vendor}{version}; cores: {os.cpu_count()}; records: {total:,}; "
        f"rank limit {RANK_LIMIT:,}; {backend_label()}"
    )
    if inserted:
        print(f"built {inserted:,} records in {seconds:.0f} s (COPY, then the search indexes and VACUUM ANALYZE)")
    overall = {"search": [], "page": []}
    print(f"\n| searches | kind | matches (counted, capped at {RANK_LIMIT:,}) | median ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for label, cases, what, counts, timings in time_searches(searches(hold, request), args.runs, do_search, do_page):
        overall[what] += timings
        matches = f"{min(counts):,}–{max(counts):,}" if what == "search" else ""
        timings.sort()
        print(
            f"| {label} ({len(cases)}) | {what} | {matches} | {statistics.median(timings):.1f} | "
            f"{timings[int(len(timings) * 0.95) - 1]:.1f} | {timings[-1]:.1f} |"
        )
    for what, timings in overall.items():
        timings.sort()
        print(
            f"| all ({len(timings)} runs) | {what} | | {statistics.median(timings):.1f} | "
            f"{timings[int(len(timings) * 0.95) - 1]:.1f} | {timings[-1]:.1f} |"
        )


if __name__ == "__main__":
    main()
