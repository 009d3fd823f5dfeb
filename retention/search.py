"""Searching the records (385.5.1(a), 385.7): the custodian finds what a request, a hold or an export needs.

On PostgreSQL the words are matched against a stored, GIN-indexed tsvector of each record's title (weighted A)
and text (B) — see migration 0009 — ranked with `ts_rank`, and highlighted with `ts_headline` for the rows
shown. SQLite has no such index: there every word must appear in the title or text, newest first, and the
highlighting is done here.

Search parameters travel as a plain JSON-safe dict (`query_params`) so that an export or an attachment made
from a search can later resolve exactly the same records with `filter_records`.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from math import ceil
from operator import and_

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce, Replace
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThan
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from posts.models import Channel

from .models import HeldRecord, LegalHold, Record, RecordKind, RecordSeries, RecordsRequest, RequestRecord

SEARCH_CONFIG = "english"  # the text search configuration the stored column was built with (migration 0009)

# Ranking every match of a very common word would read hundreds of thousands of rows for each page. Only the
# newest RANK_LIMIT matches are ranked and paged (the page says so); exports and "attach all" take every match.
# At a million records 1,000 keeps a page well under 100 ms; 5,000 did not (bench/search.py, bench/README.md).
RANK_LIMIT = 1_000

# `legal_hold` and `records_request` rather than "hold" and "request": the attach form posts its target request
# as "request" alongside these, and an export link takes "hold"/"request" to mean a whole hold or request.
PARAM_NAMES = (
    "q",
    "phrase",
    "series",
    "channel",
    "kind",
    "author",
    "date_from",
    "date_to",
    "held",
    "legal_hold",
    "removed",
    "status",
    "records_request",
)
ANY_STATUS = "any"

# ts_headline marks matches with these; they are turned into <mark> only after the text has been escaped.
_START, _STOP = "\x02", "\x03"
# ts_headline drops whatever its parser takes for an HTML tag; a record's text is shown as published, so its angle
# brackets go in as private-use characters and come back out, escaped.
_LT, _GT = "\ue000", "\ue001"


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def backend_label() -> str:
    if full_text_available():
        return "Full-text search (PostgreSQL): word forms match (“closed” finds “closing”), best matches first."
    return "Simple matching — no ranking (SQLite): every word must appear as written, newest first."


# The form ------------------------------------------------------------------------------------------------------


class _DateInput(forms.DateInput):
    input_type = "date"


class RecordSearchForm(forms.Form):
    q = forms.CharField(
        label="Words",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text='Every word must appear. Put a phrase in "quotes", write -word to leave a word out, '
        "or “or” between words to accept either. Very common words (the, and, of) are ignored.",
    )
    phrase = forms.CharField(
        label="Exact phrase",
        required=False,
        max_length=200,
        help_text="Exactly these words in this order, as written (capitals aside).",
    )
    series = forms.ModelChoiceField(
        label="Series", required=False, empty_label="Any series", queryset=RecordSeries.objects.order_by("code")
    )
    channel = forms.ChoiceField(label="Channel", required=False)
    kind = forms.ChoiceField(label="Kind of record", required=False, choices=[("", "Any kind"), *RecordKind.choices])
    author = forms.CharField(label="Author (username or commenter's name)", required=False, max_length=150)
    date_from = forms.DateField(
        label="Published from",
        required=False,
        widget=_DateInput,
        help_text="The publication date, or the capture date where there is none. YYYY-MM-DD.",
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, for example 2026-03-01."},
    )
    date_to = forms.DateField(
        label="Published to",
        required=False,
        widget=_DateInput,
        help_text="Inclusive. YYYY-MM-DD.",
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, for example 2026-03-31."},
    )
    held = forms.BooleanField(label="Only records under a legal hold in force", required=False)
    legal_hold = forms.ModelChoiceField(
        label="Legal hold", required=False, empty_label="Any or none", queryset=LegalHold.objects.order_by("-placed_at")
    )
    removed = forms.BooleanField(label="Only records of content removed from public view", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        initial=Record.Status.ACTIVE,
        choices=[*Record.Status.choices, (ANY_STATUS, "Any status")],
    )
    records_request = forms.ModelChoiceField(
        label="Public-records request",
        required=False,
        empty_label="Any or none",
        queryset=RecordsRequest.objects.order_by("-received_on", "-pk"),
    )

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            ("", "Any channel"),
            *Channel.objects.order_by("name").values_list("slug", "name"),
        ]
        self.fields["legal_hold"].label_from_instance = lambda h: f"{h.matter} ({h.get_status_display().lower()})"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "“Published to” must not be before “Published from”.")
        return data


def query_params(cleaned_data: dict) -> dict:
    """The search as a JSON-safe dict (ids, ISO dates; empty criteria left out), for `Export.query`, links and
    hidden inputs. `filter_records` accepts it as it is."""
    params = {}
    for name in PARAM_NAMES:
        value = cleaned_data.get(name)
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, str):
            value = value.strip()
        if value not in (None, "", False):
            params[name] = value
    params["status"] = params.get("status") or Record.Status.ACTIVE
    return params


def encoded_params(params: dict) -> list[tuple[str, str]]:
    """The search as name/value pairs with the form's own field names, for a query string or hidden inputs."""
    return [(name, "1" if value is True else str(value)) for name, value in params.items() if name in PARAM_NAMES]


# Reading the parameters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Criteria:
    q: str = ""
    phrase: str = ""
    series: int | None = None
    channel: str = ""
    kind: str = ""
    author: str = ""
    date_from: date | None = None
    date_to: date | None = None
    held: bool = False
    legal_hold: int | None = None
    removed: bool = False
    status: str = Record.Status.ACTIVE
    records_request: int | None = None


def _as_id(value) -> int | None:
    if value in (None, ""):
        return None
    return int(value.pk if hasattr(value, "pk") else value)


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


def _criteria(params) -> _Criteria:
    """Accepts a form's cleaned_data or the saved JSON form of it; raises ValueError on a malformed value."""
    if isinstance(params, _Criteria):
        return params
    get = params.get
    return _Criteria(
        q=(get("q") or "").strip(),
        phrase=(get("phrase") or "").strip(),
        series=_as_id(get("series")),
        channel=(get("channel") or "").strip(),
        kind=(get("kind") or "").strip(),
        author=(get("author") or "").strip(),
        date_from=_as_date(get("date_from")),
        date_to=_as_date(get("date_to")),
        held=_as_bool(get("held")),
        legal_hold=_as_id(get("legal_hold")),
        removed=_as_bool(get("removed")),
        status=(get("status") or Record.Status.ACTIVE),
        records_request=_as_id(get("records_request")),
    )


# Words: websearch syntax, read the same way on SQLite -----------------------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def _parse_words(q: str) -> tuple[list[list[str]], list[str]]:
    """Groups of alternatives that must each appear (“a or b” is one group), and terms that must not."""
    required, excluded, joining = [], [], False
    for minus, quoted, bare in _TOKEN.findall(q):
        if bare.lower() == "or":
            joining = bool(required)
            continue
        negative = minus == "-" or (bare.startswith("-") and len(bare) > 1)
        term = (quoted if quoted or minus else bare.removeprefix("-") if negative else bare).strip()
        if not term:
            continue
        if negative:
            excluded.append(term)
        elif joining:
            required[-1].append(term)
        else:
            required.append([term])
        joining = False
    return required, excluded


def _contains(term: str) -> Q:
    return Q(title__icontains=term) | Q(text__icontains=term)


# PostgreSQL expressions -----------------------------------------------------------------------------------------


class StoredSearchVector(Expression):
    """The generated `search_vector` column of retention_record (migration 0009), which the model does not
    declare. Resolved to a column of the query's own table alias, so it stays correct inside subqueries."""

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        from django.contrib.postgres.search import SearchVectorField

        field = SearchVectorField()
        field.set_attributes_from_name("search_vector")
        return Col(query.get_initial_alias(), field)


def _search_query(value: str, search_type: str):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(value, config=SEARCH_CONFIG, search_type=search_type)


def _matches(query):
    from django.contrib.postgres.search import SearchVectorExact

    return SearchVectorExact(StoredSearchVector(), query)


def _tsquery(criteria: _Criteria):
    parts = []
    if criteria.q:
        parts.append(_search_query(criteria.q, "websearch"))
    if criteria.phrase:
        parts.append(_search_query(criteria.phrase, "phrase"))
    return reduce(and_, parts) if parts else None


class _JsonListHas(Func):
    """SQLite: the JSON list in the column holds the value (`__contains` on a JSONField is PostgreSQL-only)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        value, value_params = compiler.compile(self.source_expressions[1])
        # Both parts are SQL the compiler produced, with their values as parameters.
        sql = f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = {value})"  # noqa: S608  # nosec B608
        return sql, (*column_params, *value_params)


# Selectors ---------------------------------------------------------------------------------------------------

WHEN = Coalesce("published_at", "captured_at")  # what "published" and "newest" mean for a record
NEWEST = (WHEN.desc(), F("pk").desc())  # matches the retention_record_newest index on PostgreSQL


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_records(params) -> QuerySet[Record]:
    """Every record the search takes in, unordered: for exports and "attach all results". `params` is a form's
    cleaned_data or `query_params(...)` of it (as saved in `Export.query`)."""
    criteria = _criteria(params)
    records = Record.objects.all()
    if criteria.status != ANY_STATUS:
        records = records.filter(status=criteria.status)
    full_text = full_text_available()
    if criteria.q:
        if full_text:
            records = records.filter(_matches(_search_query(criteria.q, "websearch")))
        else:
            required, excluded = _parse_words(criteria.q)
            for alternatives in required:
                records = records.filter(reduce(lambda a, b: a | b, (_contains(t) for t in alternatives)))
            for term in excluded:
                records = records.exclude(_contains(term))
    if criteria.phrase:
        records = records.filter(_contains(criteria.phrase))
        if full_text:
            # The index finds the candidates; the icontains above keeps only the exact wording. A phrase of stop
            # words alone has no lexemes for the index, and then the exact match decides alone.
            query = _search_query(criteria.phrase, "phrase")
            no_lexemes = Exact(Func(query, function="numnode", output_field=IntegerField()), 0)
            records = records.filter(_matches(query) | no_lexemes)
    if criteria.series:
        records = records.filter(series_id=criteria.series)
    if criteria.channel:
        if full_text:
            records = records.filter(channel_slugs__contains=[criteria.channel])
        else:
            records = records.filter(_JsonListHas(F("channel_slugs"), Value(criteria.channel)))
    if criteria.kind:
        records = records.filter(kind=criteria.kind)
    if criteria.author:
        records = records.filter(author_username=criteria.author)
    if criteria.date_from:
        records = records.filter(GreaterThanOrEqual(WHEN, _day_start(criteria.date_from)))
    if criteria.date_to:
        records = records.filter(LessThan(WHEN, _day_start(criteria.date_to + timedelta(days=1))))
    if criteria.held:
        records = records.filter(
            Exists(HeldRecord.objects.filter(record=OuterRef("pk"), hold__status=LegalHold.Status.ACTIVE))
        )
    if criteria.legal_hold:
        records = records.filter(Exists(HeldRecord.objects.filter(record=OuterRef("pk"), hold_id=criteria.legal_hold)))
    if criteria.removed:
        records = records.filter(Q(kind=RecordKind.REMOVED_COMMENT) | Q(source_version__endswith=":removed"))
    if criteria.records_request:
        records = records.filter(
            Exists(RequestRecord.objects.filter(record=OuterRef("pk"), request_id=criteria.records_request))
        )
    return records.order_by()


def search_records(params) -> QuerySet[Record]:
    """The records of the search in the order the page shows them: best matches first on PostgreSQL (the title
    counts more than the text; ties newest first), otherwise newest first. On PostgreSQL at most RANK_LIMIT
    records — the newest matches — are ranked and returned (see `is_capped`)."""
    criteria = _criteria(params)
    records = filter_records(criteria)
    if not full_text_available():
        return records.select_related("series").defer("content").order_by(*NEWEST)
    from django.contrib.postgres.search import SearchRank

    newest_matches = records.order_by(*NEWEST).values("pk")[:RANK_LIMIT]
    results = Record.objects.filter(pk__in=newest_matches).select_related("series").defer("content")
    query = _tsquery(criteria)
    if query is None:
        return results.order_by(*NEWEST)
    return results.annotate(rank=SearchRank(StoredSearchVector(), query)).order_by("-rank", *NEWEST)


def is_capped(count: int) -> bool:
    """Whether a count of `search_records` stopped at the limit, i.e. more records may match than are listed."""
    return full_text_available() and count >= RANK_LIMIT


class _CountedPaginator(Paginator):
    """A paginator told its count, which came with the page's own rows."""

    def __init__(self, count: int, per_page: int):
        super().__init__([], per_page)
        self.__dict__["count"] = count


def result_page(params, number, per_page: int) -> Page:
    """One page of `search_records` and its count, read in one query: ranking the matches is the costly part,
    and counting them separately would do it twice. An out-of-range page number gives the last page."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    results = search_records(params).annotate(matches=Window(Count("*")))

    def rows_of(page_number):
        start = (page_number - 1) * per_page
        return list(results[start : start + per_page])

    rows = rows_of(number)
    if rows:
        count = rows[0].matches
    else:
        count = results.count() if number > 1 else 0
        number = max(1, ceil(count / per_page))
        rows = rows_of(number) if count else []
    return Page(rows, number, _CountedPaginator(count, per_page))


def holds_in_force(records) -> dict[int, list[LegalHold]]:
    """The holds in force that hold each of these records (by membership), in one query."""
    found: dict[int, list[LegalHold]] = {}
    memberships = (
        HeldRecord.objects.filter(record_id__in=[r.pk for r in records], hold__status=LegalHold.Status.ACTIVE)
        .select_related("hold")
        .order_by("hold__placed_at")
    )
    for membership in memberships:
        found.setdefault(membership.record_id, []).append(membership.hold)
    return found


# Snippets ----------------------------------------------------------------------------------------------------

SNIPPET_CHARS = 240


def snippets(records, params) -> dict[int, SafeString]:
    """A short, escaped excerpt of each record's text with the matches inside <mark>, for the rows shown only."""
    records = list(records)
    criteria = _criteria(params)
    query = _tsquery(criteria) if full_text_available() else None
    if query is None or not records:
        terms = _highlight_terms(criteria)
        return {r.pk: _highlight(r.text, terms) for r in records}
    from django.contrib.postgres.search import SearchHeadline

    literal = Replace(Replace(F("text"), Value("<"), Value(_LT)), Value(">"), Value(_GT))
    headline = SearchHeadline(
        literal,
        query,
        config=SEARCH_CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    found = dict(
        Record.objects.filter(pk__in=[r.pk for r in records])
        .annotate(headline=headline)
        .values_list("pk", "headline")
        .order_by()
    )
    return {r.pk: _marked(found.get(r.pk) or "") for r in records}


_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)


def _marked(headline: str) -> SafeString:
    escaped = _MARKED.sub(r"<mark>\1</mark>", escape(headline))
    escaped = escaped.replace(_START, "").replace(_STOP, "").replace(_LT, "&lt;").replace(_GT, "&gt;")
    # Reviewed: escaped above.
    return mark_safe(escaped)  # noqa: S308  # nosec B308, B703


def _highlight_terms(criteria: _Criteria) -> list[str]:
    required, _ = _parse_words(criteria.q)
    return [term for group in required for term in group] + ([criteria.phrase] if criteria.phrase else [])


def _highlight(text: str, terms: list[str]) -> SafeString:
    text = text or ""
    pattern = (
        re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
        if terms
        else None
    )
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > SNIPPET_CHARS // 3:
        start = first.start() - SNIPPET_CHARS // 3
        if (space := text.find(" ", start, first.start())) != -1:
            start = space + 1
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text) and (space := text.rfind(" ", start, end)) > start:
        end = space
    window = text[start:end]
    pieces, position = [], 0
    for match in pattern.finditer(window) if pattern else ():
        pieces.append(escape(window[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(window[position:]))
    snippet = ("… " if start else "") + "".join(pieces) + (" …" if end < len(text) else "")
    # Reviewed: every piece is escaped or is a <mark>.
    return mark_safe(snippet)  # noqa: S308  # nosec B308, B703
