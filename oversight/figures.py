"""The figures of the annual review of social media use (385.6): the resources being used, the effectiveness of the
content, unauthorized or inappropriate content, the resolution of issues, and the records kept (385.7).

`compute_report(start, end)` returns plain data (numbers, strings, lists) that can be stored, signed and rendered
again unchanged. Every count and percentile is computed by the database over the period's rows; Python only handles
the small results (and, on SQLite, which has no percentile function, the durations a percentile needs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.models import AuditEvent
from members.models import Authorization
from moderation.models import CommentScreening, ContentReport, Review, ReviewFinding, ThreatAlert
from moderation.monitoring import REMOVAL_REASONS
from posts.models import Category, Channel, Comment, Incident, Post, PostView, Publication, PublicationMetric
from retention.models import (
    DispositionItem,
    HeldRecord,
    LegalHold,
    Record,
    RecordKind,
    RecordsRequest,
    RetentionSchedule,
)

from . import charts

HEADINGS = {
    "resources": "Resources being used",
    "effectiveness": "Effectiveness of the content",
    "inappropriate": "Unauthorized or inappropriate content",
    "resolution": "Resolution of issues",
    "records": "Records",
}
SECTIONS = {
    "resources": "385.6",
    "effectiveness": "385.6",
    "inappropriate": "385.6",
    "resolution": "385.6",
    "records": "385.7",
}
HOUR, MINUTE, DAY = 3600.0, 60.0, 86400.0
DECISIONS = (Review.Status.APPROVED, Review.Status.CHANGES_REQUESTED, Review.Status.REJECTED)
ENGAGEMENT_NOTE = (
    "Platforms report running totals; a publication's figure for a period is how much its total grew in that period "
    "(engagement = reactions + shares + replies). Channels whose platform reports no figures do not appear."
)
# Free-text answers (how content got posted, which control failed) are grouped as written; the longest tail is
# folded into one row so the table stays readable.
FREE_TEXT_ROWS = 15

Progress = Callable[[int, int, str], None]


# The period -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def lo(self) -> datetime:
        return datetime.combine(self.start, clock.min, tzinfo=timezone.get_default_timezone())

    @property
    def hi(self) -> datetime:
        """Exclusive upper bound: midnight after the last day."""
        return datetime.combine(self.end + timedelta(days=1), clock.min, tzinfo=timezone.get_default_timezone())

    def before(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - (self.end - self.start), end)

    def within(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.lo, f"{field}__lt": self.hi})

    def days(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    def months(self) -> list[tuple[str, date, date]]:
        """(label "YYYY-MM", first day, last day) of each calendar month the period touches, clipped to it."""
        out, first = [], self.start
        while first <= self.end:
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            last = min(following - timedelta(days=1), self.end)
            out.append((f"{first:%Y-%m}", first, last))
            first = following
        return out


# Percentiles ------------------------------------------------------------------------------------------------


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate `percentile_cont(f) WITHIN GROUP (ORDER BY expr)` (linear interpolation
    between the two nearest values)."""

    function = "PERCENTILE_CONT"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"PERCENTILE_CONT(%s) WITHIN GROUP (ORDER BY {sql})", (self.fraction, *params)


class EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"
    output_field = FloatField()


def percentile(values: list[float], fraction: float) -> float | None:
    """The same interpolation as percentile_cont, over values already sorted."""
    if not values:
        return None
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _rounded(seconds: float | None, unit: float) -> float | None:
    return None if seconds is None else round(seconds / unit, 1)


def durations(queryset, since: str, until: str, *, group: tuple[str, ...] = (), unit: float = HOUR) -> dict:
    """{group values: (count, median, p90)} of `until - since` over the queryset's rows, in `unit`s.

    On PostgreSQL the database computes the percentiles; SQLite has no percentile function, so the durations are
    streamed (embedded default: a small department's data)."""
    queryset = queryset.filter(**{f"{since}__isnull": False, f"{until}__isnull": False}).order_by()
    if connection.vendor == "postgresql":
        seconds = EpochSeconds(ExpressionWrapper(F(until) - F(since), output_field=DurationField()))
        measures = {"n": Count("pk"), "p50": PercentileCont(seconds, 0.5), "p90": PercentileCont(seconds, 0.9)}
        if not group:
            row = queryset.aggregate(**measures)
            return {(): (row["n"], _rounded(row["p50"], unit), _rounded(row["p90"], unit))} if row["n"] else {}
        return {
            tuple(row[g] for g in group): (row["n"], _rounded(row["p50"], unit), _rounded(row["p90"], unit))
            for row in queryset.values(*group).annotate(**measures)
        }
    collected: dict[tuple, list[float]] = defaultdict(list)
    for row in queryset.values_list(*group, since, until).iterator(chunk_size=2000):
        collected[tuple(row[: len(group)])].append((row[-1] - row[-2]).total_seconds())
    out = {}
    for key, values in collected.items():
        values.sort()
        out[key] = (len(values), _rounded(percentile(values, 0.5), unit), _rounded(percentile(values, 0.9), unit))
    return out


# Building blocks of the data --------------------------------------------------------------------------------


def figure(key: str, label: str, value) -> dict:
    return {"key": key, "label": label, "value": value}


def table(
    key: str,
    title: str,
    columns: list[str],
    rows: list[list],
    *,
    chart: str | None = None,
    chart_columns: list[str] | None = None,
    note: str = "",
) -> dict:
    if chart and not rows:
        chart = None
    t = {
        "key": key,
        "title": title,
        "columns": columns,
        "rows": rows,
        "chart": chart,
        "chart_columns": (chart_columns or columns[1:2]) if chart else [],
        "summary": "",
        "note": note,
        "svg": "",
    }
    t["summary"] = summarize(t)
    return t


def _fmt(value) -> str:
    if isinstance(value, bool) or value is None:
        return "none" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def summarize(t: dict) -> str:
    """One sentence a reader who cannot see the chart gets instead: the largest values, by name."""
    title, rows = t["title"], t["rows"]
    if not rows:
        return f"{title}: nothing in the period."
    column = (t.get("chart_columns") or t["columns"][1:2] or [None])[0]
    index = t["columns"].index(column) if column in t["columns"] else None
    numeric = [r for r in rows if index is not None and isinstance(r[index], int | float)]
    if not numeric:
        return f"{title}: {len(rows)} rows."
    if t.get("chart") == "line":
        high = max(numeric, key=lambda r: r[index])
        low = min(numeric, key=lambda r: r[index])
        return (
            f"{title}, {column.lower()} from {rows[0][0]} to {rows[-1][0]}: "
            f"highest in {high[0]} ({_fmt(high[index])}), lowest in {low[0]} ({_fmt(low[index])})."
        )
    if len(numeric) == 1:
        return f"{title}, {column.lower()}: {numeric[0][0]} ({_fmt(numeric[0][index])})."
    top = sorted(numeric, key=lambda r: -r[index])[:3]
    named = [f"{r[0]} ({_fmt(r[index])})" for r in top]
    listed = ", ".join(named[:-1]) + f" and {named[-1]}"
    return f"{title}, by {column.lower()}: the largest are {listed}, of {len(rows)}."


def section(key: str, figures: list[dict], tables: list[dict]) -> dict:
    return {"key": key, "heading": HEADINGS[key], "section": SECTIONS[key], "figures": figures, "tables": tables}


def _person(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def _people(ids: Iterable[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=set(ids))
    return {u.pk: _person(u.first_name, u.last_name, u.get_username()) for u in users}


def _change(now, before) -> float | None:
    if not isinstance(now, int | float) or not isinstance(before, int | float) or not before:
        return None
    return round((now - before) * 100.0 / before, 1)


def _sql_of(queryset) -> tuple[str, tuple]:
    """A queryset's SQL and parameters, already adapted to the database (dates and times as it stores them)."""
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _folded(counted: list[tuple[str, int]], *, other: str = "Other answers") -> list[list]:
    rows = [[label, n] for label, n in counted[:FREE_TEXT_ROWS]]
    rest = sum(n for _label, n in counted[FREE_TEXT_ROWS:])
    if rest:
        rows.append([other, rest])
    return rows


# Resources being used ---------------------------------------------------------------------------------------


def _channels_at(moment: datetime) -> dict[int, tuple[str, bool]]:
    """{channel id: (name, active)} as each channel stood at `moment`, from its history."""
    state: dict[int, tuple[str, bool]] = {}
    for row in (
        Channel.history.filter(history_date__lt=moment)
        .order_by("id", "history_date", "history_id")
        .values("id", "name", "is_active", "history_type")
    ):
        if row["history_type"] == "-":
            state.pop(row["id"], None)
        else:
            state[row["id"]] = (row["name"], row["is_active"])
    # A channel written without history (a bulk load) stands as it is now.
    with_history = Channel.history.values("id").distinct()
    for pk, name, is_active in (
        Channel.objects.filter(created_at__lt=moment)
        .exclude(pk__in=with_history)
        .values_list("pk", "name", "is_active")
    ):
        state.setdefault(pk, (name, is_active))
    return state


def _covers(auth: Authorization, channel_id: int, channel_sets: dict[int, set[int]]) -> bool:
    return auth.all_channels or channel_id in channel_sets.get(auth.pk, set())


def resources(p: Period) -> dict:
    channels = _channels_at(p.hi)
    names = {c.pk: c.name for c in Channel.objects.all()}
    for pk, (name, _active) in channels.items():
        names.setdefault(pk, name)
    active = sorted(pk for pk, (_n, is_active) in channels.items() if is_active)

    # Authorizations are a handful of rows per member: read them whole.
    auths = list(Authorization.objects.filter(granted_at__lt=p.hi).order_by("pk"))
    through = Authorization.channels.through
    channel_sets: dict[int, set[int]] = defaultdict(set)
    for auth_id, channel_id in through.objects.filter(authorization__in=[a.pk for a in auths]).values_list(
        "authorization_id", "channel_id"
    ):
        channel_sets[auth_id].add(channel_id)

    def in_force(a: Authorization, at: datetime) -> bool:
        return (
            (a.revoked_at is None or a.revoked_at >= at)
            and a.valid_from < at
            and (a.valid_until is None or a.valid_until >= at)
        )

    published = dict(
        Publication.objects.filter(p.within("published_at"))
        .values_list("channel_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("channel_id", "n")
    )
    named_channels = set().union(*channel_sets.values()) if channel_sets else set()
    shown = sorted(set(active) | set(published) | named_channels, key=lambda pk: names[pk])
    auth_rows = []
    members_at_end = set()
    for pk in shown:
        covering = [a for a in auths if _covers(a, pk, channel_sets)]
        at_end = {a.member_id for a in covering if in_force(a, p.hi)}
        members_at_end |= at_end
        auth_rows.append(
            [
                names[pk],
                len(at_end),
                len({a.member_id for a in covering if p.lo <= a.granted_at < p.hi}),
                len({a.member_id for a in covering if a.revoked_at and p.lo <= a.revoked_at < p.hi}),
                len(
                    {
                        a.member_id
                        for a in covering
                        if a.valid_until
                        and p.lo <= a.valid_until < p.hi
                        and not (a.revoked_at and a.revoked_at < a.valid_until)
                    }
                ),
                published.get(pk, 0),
            ]
        )

    posts = Post.objects.filter(p.within("published_at")).order_by()
    by_member = list(
        posts.values("author_id", "author__first_name", "author__last_name", "author__username")
        .annotate(n=Count("pk"), updates=Count("pk", filter=Q(incident__isnull=False)))
        .order_by("-n", "author__username")
    )
    by_category = dict(posts.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))

    decided = Review.objects.filter(p.within("decided_at"), status__in=DECISIONS)
    overall = durations(decided, "submitted_at", "decided_at").get((), (0, None, None))
    by_route = durations(decided, "submitted_at", "decided_at", group=("route",))
    load = list(
        decided.filter(route=Review.Route.SUPERVISOR)
        .values("decided_by_id")
        .annotate(
            approved=Count("pk", filter=Q(status=Review.Status.APPROVED)),
            changes=Count("pk", filter=Q(status=Review.Status.CHANGES_REQUESTED)),
            rejected=Count("pk", filter=Q(status=Review.Status.REJECTED)),
            n=Count("pk"),
        )
        .order_by("-n", "decided_by_id")
    )
    load_times = durations(
        decided.filter(route=Review.Route.SUPERVISOR), "submitted_at", "decided_at", group=("decided_by_id",)
    )
    people = _people(r["decided_by_id"] for r in load)

    incident_reviews = decided.filter(route=Review.Route.INCIDENT_COMMANDER, status=Review.Status.APPROVED)
    incident_overall = durations(incident_reviews, "submitted_at", "decided_at", unit=MINUTE).get((), (0, None, None))
    incident_times = durations(
        incident_reviews, "submitted_at", "decided_at", group=("post__incident_id",), unit=MINUTE
    )
    updates_published = dict(
        posts.filter(incident__isnull=False)
        .values_list("incident_id")
        .annotate(n=Count("pk"))
        .values_list("incident_id", "n")
    )
    incident_ids = {k[0] for k in incident_times} | set(updates_published)
    incidents = {i.pk: i for i in Incident.objects.filter(pk__in=incident_ids)}

    route_label = dict(Review.Route.choices)
    return section(
        "resources",
        [
            figure("active_channels", "Active channels at the end of the period", len(active)),
            figure("authorized_members", "Members authorized to post at the end of the period", len(members_at_end)),
            figure(
                "authorizations_granted",
                "Authorizations to post granted in the period",
                sum(1 for a in auths if p.lo <= a.granted_at < p.hi),
            ),
            figure(
                "authorizations_revoked",
                "Authorizations to post revoked in the period",
                sum(1 for a in auths if a.revoked_at and p.lo <= a.revoked_at < p.hi),
            ),
            figure("posts_published", "Posts published", sum(r["n"] for r in by_member)),
            figure("incident_updates", "Incident updates published", sum(updates_published.values())),
            figure("review_decisions", "Review decisions", overall[0]),
            figure("review_median_hours", "Median time in review (hours, submission to decision)", overall[1]),
            figure("review_p90_hours", "90th percentile of time in review (hours)", overall[2]),
            figure(
                "incident_approval_median_minutes",
                "Median time to approve an incident update (minutes)",
                incident_overall[1],
            ),
            figure(
                "incident_approval_p90_minutes",
                "90th percentile of time to approve an incident update (minutes)",
                incident_overall[2],
            ),
        ],
        [
            table(
                "authorized_by_channel",
                "Authorized members and posts by channel",
                [
                    "Channel",
                    "Authorized members at period end",
                    "Granted in the period",
                    "Revoked in the period",
                    "Expired in the period",
                    "Publications",
                ],
                auth_rows,
                chart="bar",
                chart_columns=["Authorized members at period end", "Publications"],
            ),
            table(
                "posts_by_member",
                "Posts published by member",
                ["Member", "Posts published", "Of which incident updates"],
                [
                    [
                        _person(r["author__first_name"], r["author__last_name"], r["author__username"]),
                        r["n"],
                        r["updates"],
                    ]
                    for r in by_member
                ],
                chart="bar",
            ),
            table(
                "posts_by_category",
                "Posts published by category (385.4)",
                ["Category", "Posts published"],
                [[label, by_category[value]] for value, label in Category.choices if by_category.get(value)],
                chart="bar",
            ),
            table(
                "review_time_by_route",
                "Time in review, submission to decision",
                ["Route", "Decisions", "Median (hours)", "90th percentile (hours)"],
                [[route_label[k[0]], *by_route[k]] for k in sorted(by_route)],
            ),
            table(
                "review_load",
                "Supervisors' review load",
                ["Reviewer", "Approved", "Changes requested", "Rejected", "Decisions", "Median (hours)"],
                [
                    [
                        people.get(r["decided_by_id"], "(unknown)"),
                        r["approved"],
                        r["changes"],
                        r["rejected"],
                        r["n"],
                        load_times.get((r["decided_by_id"],), (0, None, None))[1],
                    ]
                    for r in load
                ],
                chart="bar",
                chart_columns=["Decisions"],
            ),
            table(
                "incident_updates",
                "Incident updates and their time to approval (385.4.1)",
                ["Incident", "Updates published", "Updates approved", "Median (minutes)", "90th percentile (minutes)"],
                [
                    [
                        str(incidents[pk]) if pk in incidents else f"Incident #{pk}",
                        updates_published.get(pk, 0),
                        *incident_times.get((pk,), (0, None, None)),
                    ]
                    for pk in sorted(incident_ids)
                ],
            ),
        ],
    )


# Effectiveness of the content -------------------------------------------------------------------------------


def _growth_cte(p: Period) -> tuple[str, list]:
    """SQL of `d(pub, bucket, reach, reactions, shares, replies)`: how much each publication's running totals grew
    in each month of the period (bucket 1..n); bucket 0 holds what they stood at before it."""
    months = p.months()
    cases = " ".join("WHEN m.day <= %s THEN " + str(i + 1) for i, _m in enumerate(months))
    params: list = [p.start.isoformat(), *[last.isoformat() for _label, _first, last in months]]
    metric = PublicationMetric._meta.db_table
    measures = ("reach", "reactions", "shares", "replies")
    running = ", ".join(
        f"MAX({m}) OVER (PARTITION BY pub ORDER BY bucket ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS {m}"
        for m in measures
    )
    grown = ", ".join(
        f"COALESCE({m}, 0) - COALESCE(LAG({m}) OVER (PARTITION BY pub ORDER BY bucket), 0) AS {m}" for m in measures
    )
    sql = (
        "WITH b AS ("  # noqa: S608  # nosec B608 - table names from the models; values are parameters
        f" SELECT m.publication_id AS pub, CASE WHEN m.day < %s THEN 0 {cases} END AS bucket,"
        " MAX(m.reach) AS reach, MAX(m.reactions) AS reactions, MAX(m.shares) AS shares, MAX(m.replies) AS replies"
        f" FROM {metric} m WHERE m.day <= %s GROUP BY 1, 2"
        f"), r AS (SELECT pub, bucket, {running} FROM b"
        f"), d AS (SELECT pub, bucket, {grown} FROM r)"
    )
    return sql, [*params, p.end.isoformat()]


def engagement(p: Period) -> dict:
    """Growth of the running totals in the period: by channel, by category and by month (one query), and the
    top and bottom five posts published in the period (one query)."""
    cte, params = _growth_cte(p)
    publication, post = Publication._meta.db_table, Post._meta.db_table
    rows = _fetch(
        f"{cte} SELECT pu.channel_id, po.category, d.bucket, SUM(d.reach), SUM(d.reactions), SUM(d.shares),"  # noqa: S608  # nosec B608
        f" SUM(d.replies) FROM d JOIN {publication} pu ON pu.id = d.pub JOIN {post} po ON po.id = pu.post_id"
        " WHERE d.bucket > 0 GROUP BY pu.channel_id, po.category, d.bucket",
        params,
    )
    by_channel: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_month: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for channel_id, category, bucket, *values in rows:
        for target in (by_channel[channel_id], by_category[category], by_month[int(bucket)]):
            for i, v in enumerate(values):
                target[i] += int(v or 0)
    total = [sum(v[i] for v in by_channel.values()) for i in range(4)]

    in_period_sql, in_period_params = _sql_of(Post.objects.filter(p.within("published_at")).values("pk"))
    ranked = _fetch(
        f"{cte}, per_post AS (SELECT pu.post_id AS post_id,"  # noqa: S608  # nosec B608
        " SUM(d.reactions + d.shares + d.replies) AS engagement,"
        f" SUM(d.reach) AS reach FROM d JOIN {publication} pu ON pu.id = d.pub"
        f" WHERE d.bucket > 0 AND pu.post_id IN ({in_period_sql}) GROUP BY pu.post_id),"
        " ranked AS (SELECT post_id, engagement, reach,"
        " ROW_NUMBER() OVER (ORDER BY engagement DESC, post_id) AS top,"
        " ROW_NUMBER() OVER (ORDER BY engagement ASC, post_id) AS bottom FROM per_post)"
        " SELECT post_id, engagement, reach, top, bottom FROM ranked WHERE top <= 5 OR bottom <= 5",
        [*params, *in_period_params],
    )
    return {
        "by_channel": dict(by_channel),
        "by_category": dict(by_category),
        "by_month": dict(by_month),
        "total": total,
        "ranked": [(pid, int(e or 0), int(r or 0), top, bottom) for pid, e, r, top, bottom in ranked],
    }


def _headline(p: Period, grown: dict) -> dict:
    """The figures compared with the previous period."""
    reach, reactions, shares, replies = grown["total"]
    return {
        "posts_published": Post.objects.filter(p.within("published_at")).count(),
        "publications": Publication.objects.filter(p.within("published_at")).count(),
        "reach": reach,
        "reactions": reactions,
        "shares": shares,
        "replies": replies,
        "engagement": reactions + shares + replies,
        "website_views": PostView.objects.filter(p.days("day")).aggregate(n=Sum("views"))["n"] or 0,
        "comments_received": Comment.objects.filter(p.within("created_at")).count(),
    }


HEADLINE_LABELS = {
    "posts_published": "Posts published",
    "publications": "Publications (a post on one channel)",
    "reach": "Reach",
    "reactions": "Reactions",
    "shares": "Shares",
    "replies": "Replies",
    "engagement": "Engagement (reactions + shares + replies)",
    "website_views": "Website page views",
    "comments_received": "Public comments received",
}


def _measure_row(label, values: list[int]) -> list:
    reach, reactions, shares, replies = values
    return [label, reach, reactions, shares, replies, reactions + shares + replies]


MEASURE_COLUMNS = ["Reach", "Reactions", "Shares", "Replies", "Engagement"]


def effectiveness(p: Period, comparison: Period, progress: Callable[[str], None]) -> dict:
    grown = engagement(p)
    now = _headline(p, grown)
    progress("Engagement in the period")
    before = _headline(comparison, engagement(comparison))
    progress("Engagement in the previous period")

    names = dict(Channel.objects.values_list("pk", "name"))
    category_label = dict(Category.choices)
    months = p.months()
    views_by_month = []
    for label, first, last in months:
        n = PostView.objects.filter(day__gte=first, day__lte=last).aggregate(n=Sum("views"))["n"] or 0
        views_by_month.append([label, n])
    most_viewed = list(
        PostView.objects.filter(p.days("day"))
        .values("post_id", "post__title")
        .annotate(n=Sum("views"))
        .order_by("-n", "post_id")[:5]
    )

    ranked = grown["ranked"]
    titles = {post.pk: post for post in Post.objects.filter(pk__in=[r[0] for r in ranked]).select_related("incident")}

    def post_rows(order: int) -> list[list]:
        chosen = sorted((r for r in ranked if r[order] <= 5), key=lambda r: r[order])
        return [
            [
                str(titles[pid]) if pid in titles else f"Post #{pid}",
                timezone.localdate(titles[pid].published_at).isoformat() if pid in titles else "",
                category_label.get(titles[pid].category, "") if pid in titles else "",
                reach,
                engagement_,
            ]
            for pid, engagement_, reach, *_ranks in chosen
        ]

    post_columns = ["Post", "Published", "Category", "Reach", "Engagement"]
    return section(
        "effectiveness",
        [
            figure("reach", "Reach", now["reach"]),
            figure("engagement", "Engagement (reactions + shares + replies)", now["engagement"]),
            figure("website_views", "Website page views", now["website_views"]),
            figure(
                "engagement_change_percent",
                "Change in engagement from the previous period (%)",
                _change(now["engagement"], before["engagement"]),
            ),
        ],
        [
            table(
                "engagement_by_channel",
                "Engagement and reach by channel",
                ["Channel", *MEASURE_COLUMNS],
                sorted(
                    (_measure_row(names.get(k, f"Channel #{k}"), v) for k, v in grown["by_channel"].items()),
                    key=lambda r: (-r[-1], r[0]),
                ),
                chart="bar",
                chart_columns=["Engagement"],
                note=ENGAGEMENT_NOTE,
            ),
            table(
                "engagement_by_category",
                "Engagement and reach by category (385.4)",
                ["Category", *MEASURE_COLUMNS],
                [
                    _measure_row(label, grown["by_category"][value])
                    for value, label in Category.choices
                    if value in grown["by_category"]
                ],
                chart="bar",
                chart_columns=["Engagement"],
                note=ENGAGEMENT_NOTE,
            ),
            table(
                "engagement_by_month",
                "Engagement and reach by month",
                ["Month", *MEASURE_COLUMNS],
                [
                    _measure_row(label, grown["by_month"].get(i + 1, [0, 0, 0, 0]))
                    for i, (label, _f, _l) in enumerate(months)
                ],
                chart="line",
                chart_columns=["Engagement", "Reach"],
                note=ENGAGEMENT_NOTE,
            ),
            table(
                "top_posts",
                "The five posts of the period with the most engagement",
                post_columns,
                post_rows(3),
                note="Posts published in the period; engagement summed over their channels, up to the period's end.",
            ),
            table(
                "bottom_posts",
                "The five posts of the period with the least engagement",
                post_columns,
                post_rows(4),
                note="Among posts published in the period on channels that report figures.",
            ),
            table(
                "website_views_by_month",
                "Website page views by month",
                ["Month", "Page views"],
                views_by_month,
                chart="line",
                note="Counted per day on the department website, without cookies or trackers.",
            ),
            table(
                "most_viewed",
                "The five most viewed posts on the department website",
                ["Post", "Page views"],
                [[r["post__title"], r["n"]] for r in most_viewed],
            ),
            table(
                "comparison",
                "Comparison with the previous period",
                ["Figure", "This period", "Previous period", "Change (%)"],
                [[HEADLINE_LABELS[k], now[k], before[k], _change(now[k], before[k])] for k in HEADLINE_LABELS],
                note=f"Previous period: {comparison.start.isoformat()} to {comparison.end.isoformat()}.",
            ),
        ],
    )


# Unauthorized or inappropriate content ----------------------------------------------------------------------


def _comment_findings(p: Period) -> list[tuple[str, str, int]]:
    """(rule, section, comments) of the screening findings on the period's public comments."""
    screening = CommentScreening._meta.db_table
    comments_sql, comments_params = _sql_of(Comment.objects.filter(p.within("created_at")).values("pk"))
    if connection.vendor == "postgresql":
        elements = f"{screening} s CROSS JOIN LATERAL jsonb_array_elements(s.findings) f(value)"
        rule, where = "f.value->>'rule_id'", "f.value->>'section'"
    else:
        elements = f"{screening} s, json_each(s.findings) f"
        rule, where = "json_extract(f.value, '$.rule_id')", "json_extract(f.value, '$.section')"
    rows = _fetch(
        f"SELECT {rule}, {where}, COUNT(DISTINCT s.comment_id) FROM {elements}"  # noqa: S608  # nosec B608
        f" WHERE s.comment_id IN ({comments_sql}) GROUP BY {rule}, {where}",
        comments_params,
    )
    return sorted(((r or "", s or "", int(n)) for r, s, n in rows), key=lambda r: (-r[2], r[0], r[1]))


def inappropriate(p: Period) -> dict:
    findings = ReviewFinding.objects.filter(p.within("review__submitted_at")).order_by()
    by_rule = list(
        findings.values("rule_id", "section")
        .annotate(
            n=Count("pk"),
            posts=Count("review__post_id", distinct=True),
            blocking=Count("pk", filter=Q(severity="block", exception__isnull=True)),
            cleared=Count("pk", filter=Q(exception__isnull=False)),
        )
        .order_by("-n", "rule_id", "section")
    )
    blocked = findings.filter(severity="block", exception__isnull=True).values("review__post_id").distinct().count()
    stopped = set()
    for object_id, details in AuditEvent.objects.filter(
        p.within("created_at"), verb="post.returned_to_review", details__has_key="held_at_send"
    ).values_list("object_id", "details"):
        if any(str(r.get("code", "")).startswith("screening") for r in details.get("held_at_send") or []):
            stopped.add(object_id)

    report_section = Subquery(
        ContentReport.objects.filter(post=OuterRef("pk"), removed_at__isnull=False)
        .order_by("removed_at", "pk")
        .values("section")[:1]
    )
    removed_posts = dict(
        Post.objects.filter(p.within("closed_at"), status=Post.Status.REMOVED)
        .annotate(report_section=report_section)
        .values_list("report_section")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("report_section", "n")
    )
    section_label = dict(ContentReport.Section.choices)
    post_removal_rows = [
        [section_label[value], removed_posts[value]] for value in ContentReport.Section.values if value in removed_posts
    ]
    if removed_posts.get(None):
        post_removal_rows.append(
            ["Removed without a content report (reason recorded on the post)", removed_posts[None]]
        )

    moderated = (
        Comment.objects.filter(p.within("removed_at"), status__in=[Comment.Status.REMOVED, Comment.Status.HIDDEN])
        .values("removal_reason")
        .annotate(
            removed=Count("pk", filter=Q(status=Comment.Status.REMOVED)),
            hidden=Count("pk", filter=Q(status=Comment.Status.HIDDEN)),
        )
        .order_by()
    )
    moderated = {r["removal_reason"]: r for r in moderated}
    comment_rows = [
        [label, moderated[code]["removed"], moderated[code]["hidden"]]
        for code, label in REMOVAL_REASONS.items()
        if code in moderated
    ] + [
        [code or "(no reason)", r["removed"], r["hidden"]]
        for code, r in sorted(moderated.items())
        if code not in REMOVAL_REASONS
    ]

    reports = ContentReport.objects.filter(p.within("created_at")).order_by()
    reports_by_section = dict(reports.values_list("section").annotate(n=Count("pk")).values_list("section", "n"))

    def answers(field: str) -> list[tuple[str, int]]:
        return list(
            reports.exclude(**{field: ""})
            .values_list(field)
            .annotate(n=Count("pk"))
            .order_by("-n", field)
            .values_list(field, "n")
        )

    alerts = ThreatAlert.objects.filter(p.within("created_at")).order_by()
    alerts_by_channel = list(
        alerts.values("comment__channel__name").annotate(n=Count("pk")).order_by("-n", "comment__channel__name")
    )
    comment_findings = _comment_findings(p)
    received = Comment.objects.filter(p.within("created_at"))
    flagged = CommentScreening.objects.filter(comment__in=received.values("pk"), severity_rank__gte=2).count()

    return section(
        "inappropriate",
        [
            figure("screening_findings", "Screening findings on submitted posts", sum(r["n"] for r in by_rule)),
            figure("posts_blocked", "Posts whose approval screening blocked", blocked),
            figure(
                "posts_stopped_at_sending", "Approved posts screening stopped at the moment of sending", len(stopped)
            ),
            figure("posts_removed", "Posts removed from public view", sum(removed_posts.values())),
            figure(
                "comments_removed",
                "Public comments removed from public view",
                sum(r["removed"] for r in moderated.values()),
            ),
            figure("comments_hidden", "Public comments hidden", sum(r["hidden"] for r in moderated.values())),
            figure("comments_flagged", "Public comments screening flagged for the team", flagged),
            figure("content_reports", "Content reports filed (385.5)", sum(reports_by_section.values())),
            figure("threat_alerts", "Threats in public comments (alerts raised, 385.5.1)", alerts.count()),
        ],
        [
            table(
                "findings_by_rule",
                "Screening findings on submitted posts, by rule and section",
                ["Rule", "Section", "Findings", "Posts", "Blocking", "Reviewed as not a violation"],
                [[r["rule_id"], r["section"], r["n"], r["posts"], r["blocking"], r["cleared"]] for r in by_rule],
                chart="bar",
                chart_columns=["Findings"],
                note="A post submitted again after changes is screened again; Posts counts each post once.",
            ),
            table(
                "comment_findings_by_rule",
                "Screening findings on public comments, by rule and section",
                ["Rule", "Section", "Comments"],
                [list(r) for r in comment_findings],
            ),
            table(
                "post_removals_by_reason",
                "Posts removed from public view, by the part of 385.5 reported",
                ["Reason", "Posts removed"],
                post_removal_rows,
                chart="bar",
            ),
            table(
                "comment_removals_by_reason",
                "Public comments removed or hidden, by reason (385.5.1(a))",
                ["Reason", "Removed", "Hidden"],
                comment_rows,
                chart="bar",
                chart_columns=["Removed"],
            ),
            table(
                "reports_by_section",
                "Content reports by the part of 385.5 the content breaks",
                ["Section", "Reports"],
                [
                    [section_label[v], reports_by_section[v]]
                    for v in ContentReport.Section.values
                    if v in reports_by_section
                ],
                chart="bar",
            ),
            table(
                "reports_by_cause",
                "Content reports by cause: how the content got posted",
                ["How it got posted", "Reports"],
                _folded(answers("how_posted")),
                note="As the investigating supervisor recorded it; reports not yet investigated are not counted.",
            ),
            table(
                "reports_by_control",
                "Content reports by the control that failed",
                ["Control that failed", "Reports"],
                _folded(answers("control_failed")),
                note="As the investigating supervisor recorded it; reports not yet investigated are not counted.",
            ),
            table(
                "threats_by_channel",
                "Threat alerts by channel",
                ["Channel", "Alerts"],
                [[r["comment__channel__name"], r["n"]] for r in alerts_by_channel],
            ),
        ],
    )


# Resolution of issues ---------------------------------------------------------------------------------------


def _open_at(moment: datetime) -> list[list]:
    """What was still open at `moment`, rebuilt from each item's own timestamps."""
    filed = ContentReport.objects.filter(created_at__lt=moment).exclude(resolved_at__lt=moment)
    awaiting_removal = filed.exclude(removed_at__lt=moment)
    removed = filed.filter(removed_at__lt=moment)
    awaiting_investigation = removed.exclude(investigation_started_at__lt=moment)
    investigating = removed.filter(investigation_started_at__lt=moment)
    alerts = ThreatAlert.objects.filter(created_at__lt=moment).exclude(acknowledged_at__lt=moment)
    reviews = Review.objects.filter(submitted_at__lt=moment).exclude(decided_at__lt=moment)
    moment_day = timezone.localdate(moment) - timedelta(days=1)
    requests = RecordsRequest.objects.filter(received_on__lte=moment_day).exclude(closed_at__lt=moment)
    holds = LegalHold.objects.filter(placed_at__lt=moment).exclude(released_at__lt=moment)
    return [
        ["Content reports awaiting removal of the content", awaiting_removal.count()],
        ["Content reports whose cause is not yet investigated", awaiting_investigation.count()],
        ["Content reports under investigation", investigating.count()],
        ["Threat alerts not yet acknowledged", alerts.count()],
        ["Posts awaiting a review decision", reviews.count()],
        ["Public-records requests open", requests.count()],
        ["Public-records requests open and past their due date", requests.filter(due_on__lt=moment_day).count()],
        ["Legal holds in force", holds.count()],
    ]


def resolution(p: Period, previous: dict | None) -> dict:
    reports = ContentReport.objects.all()
    to_removal = durations(reports.filter(p.within("removed_at")), "created_at", "removed_at").get((), (0, None, None))
    to_resolution = durations(reports.filter(p.within("resolved_at")), "created_at", "resolved_at").get(
        (), (0, None, None)
    )
    by_outcome = durations(
        reports.filter(p.within("resolved_at"), status__in=["resolved", "closed"]),
        "created_at",
        "resolved_at",
        group=("status", "outcome"),
    )
    outcome_label = {
        ("resolved", ""): "Removed, cause investigated, resolved",
        ("closed", ContentReport.Outcome.UNFOUNDED): "Closed without removal: unfounded",
        ("closed", ContentReport.Outcome.KEPT): "Closed without removal: resolved without removing the content",
    }
    alerts = durations(
        ThreatAlert.objects.filter(p.within("created_at")), "created_at", "acknowledged_at", unit=MINUTE
    ).get((), (0, None, None))
    comments = durations(
        Comment.objects.filter(p.within("removed_at"), status=Comment.Status.REMOVED), "created_at", "removed_at"
    ).get((), (0, None, None))
    open_rows = _open_at(p.hi)
    tables = [
        table(
            "report_times",
            "Time from report to removal and to resolution",
            ["Step", "Reports", "Median (hours)", "90th percentile (hours)"],
            [
                ["Report to removal from public view", *to_removal],
                ["Report to resolution or closing", *to_resolution],
            ],
        ),
        table(
            "reports_by_outcome",
            "Content reports resolved in the period, by outcome",
            ["Outcome", "Reports", "Median (hours)", "90th percentile (hours)"],
            [[outcome_label.get(k, " ".join(k)), *by_outcome[k]] for k in sorted(by_outcome)],
            chart="bar",
            chart_columns=["Reports"],
        ),
        table(
            "other_response_times",
            "Time to act on threats and on comments removed",
            ["Item", "Count", "Median", "90th percentile"],
            [
                ["Threat alert to acknowledgement (minutes)", *alerts],
                ["Public comment to its removal (hours)", *comments],
            ],
        ),
        table(
            "open_at_end",
            "Open at the end of the period",
            ["Item", "Open"],
            open_rows,
        ),
    ]
    recommendations = (previous or {}).get("recommendations") or []
    if recommendations:
        tables.append(
            table(
                "previous_recommendations",
                "Recommendations of the previous report and what became of each",
                ["Recommendation", "What became of it"],
                [[str(r.get("text", "")), str(r.get("follow_up", "") or "")] for r in recommendations],
            )
        )
    return section(
        "resolution",
        [
            figure("report_to_removal_median_hours", "Median time from report to removal (hours)", to_removal[1]),
            figure("report_to_removal_p90_hours", "90th percentile, report to removal (hours)", to_removal[2]),
            figure(
                "report_to_resolution_median_hours", "Median time from report to resolution (hours)", to_resolution[1]
            ),
            figure("report_to_resolution_p90_hours", "90th percentile, report to resolution (hours)", to_resolution[2]),
            figure("reports_resolved", "Content reports resolved or closed", to_resolution[0]),
            figure("open_at_end", "Items open at the end of the period", sum(r[1] for r in open_rows[:6])),
        ],
        tables,
    )


# Records ----------------------------------------------------------------------------------------------------


def records(p: Period) -> dict:
    captured = Record.objects.filter(p.within("captured_at")).order_by()
    by_series = list(captured.values("series__code", "series__title").annotate(n=Count("pk")).order_by("series__code"))
    by_kind = dict(captured.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    placed = LegalHold.objects.filter(p.within("placed_at")).count()
    released = LegalHold.objects.filter(p.within("released_at")).count()
    in_force = LegalHold.objects.filter(placed_at__lt=p.hi).exclude(released_at__lt=p.hi)
    held_records = (
        HeldRecord.objects.filter(hold__in=in_force.values("pk"), added_at__lt=p.hi)
        .values("record_id")
        .distinct()
        .count()
    )
    carried_out = dict(
        DispositionItem.objects.filter(p.within("batch__closed_at"), decision=DispositionItem.Decision.DONE)
        .values_list("action")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("action", "n")
    )

    closed_on = TruncDate("closed_at", tzinfo=timezone.get_default_timezone())
    answered = (
        RecordsRequest.objects.filter(p.within("closed_at"))
        .annotate(closed_on=closed_on)
        .values("status")
        .annotate(
            on_time=Count("pk", filter=Q(closed_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(closed_on__gt=F("due_on"))),
        )
        .order_by()
    )
    answered = {r["status"]: r for r in answered}
    status_label = dict(RecordsRequest.Status.choices)
    on_time = sum(r["on_time"] for r in answered.values())
    late = sum(r["late"] for r in answered.values())
    received = RecordsRequest.objects.filter(p.days("received_on")).count()
    destroy, transfer = RetentionSchedule.Action.DESTROY, RetentionSchedule.Action.TRANSFER
    kind_label = dict(RecordKind.choices)
    return section(
        "records",
        [
            figure("records_captured", "Records captured", sum(r["n"] for r in by_series)),
            figure("holds_placed", "Legal holds placed", placed),
            figure("holds_released", "Legal holds released", released),
            figure("holds_in_force", "Legal holds in force at the end of the period", in_force.count()),
            figure("records_held", "Records under legal hold at the end of the period", held_records),
            figure(
                "records_destroyed", "Records destroyed under their retention schedule", carried_out.get(destroy, 0)
            ),
            figure("records_transferred", "Records transferred to the permanent archive", carried_out.get(transfer, 0)),
            figure("requests_received", "Public-records requests received", received),
            figure("requests_on_time", "Public-records requests answered on time", on_time),
            figure("requests_late", "Public-records requests answered late", late),
        ],
        [
            table(
                "records_by_series",
                "Records captured by series",
                ["Series", "Records captured"],
                [
                    [f"{r['series__code']} {r['series__title']}" if r["series__code"] else "Not yet filed", r["n"]]
                    for r in by_series
                ],
                chart="bar",
            ),
            table(
                "records_by_kind",
                "Records captured by kind",
                ["Kind", "Records captured"],
                [[label, by_kind[value]] for value, label in RecordKind.choices if by_kind.get(value)]
                + [[value, n] for value, n in sorted(by_kind.items()) if value not in kind_label],
            ),
            table(
                "requests",
                "Public-records requests answered in the period",
                ["Outcome", "On time", "Late"],
                [
                    [status_label[s], answered[s]["on_time"], answered[s]["late"]]
                    for s in (RecordsRequest.Status.FULFILLED, RecordsRequest.Status.CLOSED)
                    if s in answered
                ],
                note="On time: closed on or before the statutory due date, in the department's time zone.",
            ),
        ],
    )


# The report -------------------------------------------------------------------------------------------------


def compute_report(start: date, end: date, *, previous: dict | None = None, progress: Progress | None = None) -> dict:
    """Every figure of the annual review for the days start..end (inclusive, in the site's time zone), with the
    same figures for the period of the same length just before it. `previous`: the data of the previous report,
    whose recommendations are followed up. `progress(done, total, label)` is called after each block of work."""
    if end < start:
        raise ValueError("The period ends before it starts.")
    p = Period(start, end)
    comparison = p.before()
    total, done = 7, 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, label)

    sections = [resources(p)]
    step(HEADINGS["resources"])
    sections.append(effectiveness(p, comparison, step))
    sections.append(inappropriate(p))
    step(HEADINGS["inappropriate"])
    sections.append(resolution(p, previous))
    step(HEADINGS["resolution"])
    sections.append(records(p))
    step(HEADINGS["records"])
    for s in sections:
        for t in s["tables"]:
            if t["chart"]:
                t["svg"] = charts.svg(t)
    step("Charts")
    return {
        "period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "comparison_start": comparison.start.isoformat(),
            "comparison_end": comparison.end.isoformat(),
        },
        "sections": sections,
    }


def to_csv_rows(data: dict) -> Iterator[list]:
    """Every figure and every table cell of a report, one CSV row each: section, figure or table, row, column,
    value. A table's row is named by its first cell."""
    yield ["section", "item", "row", "column", "value"]
    for s in data.get("sections", []):
        for f in s.get("figures", []):
            yield [s["key"], f["key"], f["label"], "value", "" if f["value"] is None else f["value"]]
        for t in s.get("tables", []):
            columns = t["columns"]
            for row in t["rows"]:
                for column, cell in zip(columns[1:], row[1:], strict=False):
                    yield [s["key"], t["key"], row[0], column, "" if cell is None else cell]
