"""Records search (385.7): full-text with ranking on PostgreSQL, simple matching on SQLite, the filters the
custodian needs for requests, holds and exports, and the page that lists the results."""

import itertools
import json
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from moderation import services as review
from posts import services as posts
from posts.publishing.intake import receive_comment
from retention import search
from retention.holds import place_hold, release_hold
from retention.models import (
    Record,
    RecordSeries,
    RecordsRequest,
    RequestRecord,
)
from retention.search import RecordSearchForm, filter_records, query_params, search_records, snippets
from retention.services import capture_comment, capture_post
from tests.conftest import skip_or_fail
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.1(a)")]

_numbers = itertools.count(1)


def needs_full_text():
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL full-text search")


def when(days_ago: int, hour: int = 12) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def make_record(
    *,
    title="",
    text="",
    kind="post",
    channels=("news",),
    author="smo",
    published=None,
    captured=None,
    version="v1",
    series=None,
    status=Record.Status.ACTIVE,
):
    number = next(_numbers)
    content = {"title": title, "text": text, "n": number}
    captured = captured or timezone.now()
    return Record.objects.create(
        kind=kind,
        source_type="tests.search",
        source_id=number,
        source_version=version,
        captured_at=captured,
        published_at=published,
        channel_slugs=list(channels),
        author_username=author,
        title=title,
        text=text,
        content=content,
        sha256=Record.hash_of(content),
        series=series,
        status=status,
    )


def found(params) -> list[int]:
    return [r.pk for r in search_records(params)]


def matching(params) -> set[int]:
    return set(filter_records(params).values_list("pk", flat=True))


@pytest.fixture
def searcher(custodian, signed_in):
    client = signed_in(custodian)

    def get(**params):
        return client.get(reverse("retention:search"), params)

    return get


# Finding captured content ------------------------------------------------------------------------------------


def test_published_post_and_its_comment_are_found_through_capture(author, channel, supervisor, series):
    post = draft(author, [channel], title="Park repairs", body="Miles Avenue Park is closed for repairs this weekend.")
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    posts.publish_post(actor=author, post=post)
    record, _ = capture_post(post.pk)
    comment = receive_comment(channel=channel, post=post, author_name="Ann Diaz", text="Which gate stays open?")
    comment_record, _ = capture_comment(comment.pk)

    assert found({"q": "repairs"}) == [record.pk]
    assert found({"q": "gate"}) == [comment_record.pk]
    assert found({"author": "Ann Diaz"}) == [comment_record.pk]
    assert found({"series": series.pk, "kind": "post"}) == [record.pk]
    assert found({"q": "repairs", "kind": "comment"}) == []


# Ranking, syntax and phrases ----------------------------------------------------------------------------------


def test_term_in_the_title_outranks_one_mention_in_the_text():
    needs_full_text()
    in_title = make_record(title="Parade route", text="Streets close at noon.", published=when(10))
    in_text = make_record(title="Weekend notice", text="The parade starts downtown.", published=when(1))
    make_record(title="Unrelated", text="Nothing about it.", published=when(0))

    assert found({"q": "parade"}) == [in_title.pk, in_text.pk]


def test_equal_ranks_are_newest_first_and_word_forms_match():
    needs_full_text()
    older = make_record(title="Update", text="Lanes are closing on Monroe.", published=when(5))
    newer = make_record(title="Update", text="Lanes are closed on Monroe.", published=when(2))
    unpublished = make_record(title="Update", text="Lanes closed on Monroe.", captured=when(3))

    assert found({"q": "closed"}) == [newer.pk, unpublished.pk, older.pk]


def test_websearch_syntax_quotes_exclusion_and_or():
    closure = make_record(text="Road closure on Main Street tonight.", published=when(3))
    reversed_words = make_record(text="The closure of the road is over.", published=when(2))
    parade = make_record(text="Parade with fireworks after dark.", published=when(1))
    quiet_parade = make_record(text="Parade without noise.", published=when(0))

    assert found({"q": '"road closure"'}) == [closure.pk]
    assert set(found({"q": "road closure"})) == {closure.pk, reversed_words.pk}
    assert found({"q": "parade -fireworks"}) == [quiet_parade.pk]
    assert set(found({"q": "fireworks or noise"})) == {parade.pk, quiet_parade.pk}


def test_exact_phrase_keeps_only_the_exact_wording():
    exact = make_record(text="Monroe Street is closed until Friday.", published=when(3))
    make_record(text="Monroe Street was closed last year.", published=when(2))
    make_record(text="Closed: Monroe Street.", published=when(1))
    stop_words = make_record(text="There is nothing to be done.", published=when(0))

    assert found({"phrase": "monroe street is closed"}) == [exact.pk]
    assert found({"phrase": "to be"}) == [stop_words.pk]
    assert found({"phrase": "Monroe Street is closed", "q": "Friday"}) == [exact.pk]
    assert found({"phrase": "Monroe Street is closed", "q": "tonight"}) == []


def test_simple_matching_needs_every_word_and_lists_newest_first(monkeypatch, searcher):
    """What SQLite does; forced here so the same behaviour is checked on PostgreSQL too."""
    monkeypatch.setattr(search, "full_text_available", lambda: False)
    older = make_record(title="Parade", text="Parade route downtown.", published=when(9))
    newer = make_record(title="Notice", text="Route of the parade changed.", published=when(1))
    only_parade = make_record(title="Parade", text="Only one of the words.", published=when(0))

    assert found({"q": "parade route"}) == [newer.pk, older.pk]
    assert found({"q": "PARADE -downtown"}) == [only_parade.pk, newer.pk]
    page = searcher(q="parade route")
    assert "Simple matching — no ranking (SQLite)" in page.content.decode()
    assert "newest first" in page.content.decode()


def test_sqlite_is_labelled_as_simple_matching_and_postgresql_as_ranked(searcher):
    page = searcher(q="anything").content.decode()
    if connection.vendor == "postgresql":
        assert "Full-text search (PostgreSQL)" in page and "Simple matching" not in page
    else:
        assert "Simple matching — no ranking (SQLite)" in page


# Filters ------------------------------------------------------------------------------------------------------


def test_each_filter(custodian, series):
    other_series = RecordSeries.objects.create(code="TR-C", title="Transitory", substantive=False, transitory_item="c")
    post = make_record(
        title="Post", text="Road work", channels=["news", "facebook"], series=series, author="smo", published=when(40)
    )
    comment = make_record(
        kind="comment",
        title="Comment by Ann",
        text="Road work again",
        channels=["facebook"],
        author="Ann Diaz",
        series=series,
        published=when(20),
    )
    removed_comment = make_record(
        kind="removed_comment",
        title="Comment by Ben",
        text="Rude words",
        channels=["x"],
        author="Ben Moss",
        published=when(10),
    )
    removal = make_record(
        title="Removed from public view: Post",
        text="Wrong date",
        version="v2:removed",
        series=other_series,
        published=when(5),
    )
    captured_only = make_record(
        kind="report", title="Report", text="Road work complaint", channels=[], captured=when(15)
    )
    destroyed = make_record(title="", text="", status=Record.Status.DESTROYED, published=when(800))
    transferred = make_record(title="Old", text="Archive", status=Record.Status.TRANSFERRED, published=when(900))
    kept = {post.pk, comment.pk, removed_comment.pk, removal.pk, captured_only.pk}

    assert matching({}) == kept
    assert matching({"series": series.pk}) == {post.pk, comment.pk}
    assert matching({"series": other_series}) == {removal.pk}
    assert matching({"channel": "facebook"}) == {post.pk, comment.pk}
    assert matching({"channel": "x"}) == {removed_comment.pk}
    assert matching({"channel": "face"}) == set()
    assert matching({"kind": "comment"}) == {comment.pk}
    assert matching({"author": "Ann Diaz"}) == {comment.pk}
    day = timezone.localdate()
    assert matching({"date_from": day - timedelta(days=20), "date_to": day - timedelta(days=10)}) == {
        comment.pk,
        removed_comment.pk,
        captured_only.pk,
    }
    assert matching({"date_from": (day - timedelta(days=5)).isoformat()}) == {removal.pk}
    assert matching({"date_to": (day - timedelta(days=40)).isoformat()}) == {post.pk}
    assert matching({"removed": True}) == {removed_comment.pk, removal.pk}
    assert matching({"status": "destroyed"}) == {destroyed.pk}
    assert matching({"status": "transferred"}) == {transferred.pk}
    assert matching({"status": "any"}) == kept | {destroyed.pk, transferred.pk}

    in_force = place_hold(
        actor=custodian, matter="Claim 7", requested_by="City Attorney", reason="Claim", records=[post, comment]
    )
    released = place_hold(
        actor=custodian, matter="Old claim", requested_by="City Attorney", reason="Claim", records=[removal]
    )
    release_hold(actor=custodian, hold=released, reason="Settled")
    assert matching({"held": True}) == {post.pk, comment.pk}
    assert matching({"legal_hold": in_force.pk}) == {post.pk, comment.pk}
    assert matching({"legal_hold": released.pk}) == {removal.pk}

    request = RecordsRequest.objects.create(
        number="PRR-1",
        requester="A reporter",
        received_on=day,
        description="Road work",
        due_on=day + timedelta(days=10),
        assigned_to=custodian,
        logged_by=custodian,
    )
    RequestRecord.objects.create(request=request, record=comment, added_by=custodian)
    assert matching({"records_request": request.pk}) == {comment.pk}
    assert matching({"records_request": request.pk, "q": "road"}) == {comment.pk}
    assert matching({"q": "road", "channel": "facebook", "held": True}) == {post.pk, comment.pk}


def test_saved_search_resolves_the_same_records_even_as_a_subquery(custodian, series):
    wanted = make_record(text="Parade downtown", channels=["x"], series=series, published=when(3))
    make_record(text="Parade uptown", channels=["news"], series=series, published=when(3))
    make_record(text="Parade downtown", channels=["x"], series=series, published=when(30))
    form = RecordSearchForm(
        {
            "q": "parade",
            "channel": "x",
            "series": str(series.pk),
            "status": "active",
            "date_from": (timezone.localdate() - timedelta(days=7)).isoformat(),
            "held": "",
        }
    )
    form.fields["channel"].choices = [("x", "X account")]
    assert form.is_valid(), form.errors
    saved = json.loads(json.dumps(query_params(form.cleaned_data)))

    assert saved == {
        "q": "parade",
        "channel": "x",
        "series": series.pk,
        "status": "active",
        "date_from": (timezone.localdate() - timedelta(days=7)).isoformat(),
    }
    assert matching(form.cleaned_data) == matching(saved) == {wanted.pk}
    assert list(Record.objects.filter(pk__in=filter_records(saved)).values_list("pk", flat=True)) == [wanted.pk]
    assert list(Record.objects.filter(pk__in=search_records(saved).values("pk")).values_list("pk", flat=True)) == [
        wanted.pk
    ]


# Snippets -----------------------------------------------------------------------------------------------------


def test_snippets_mark_the_matches_and_escape_the_text(searcher):
    record = make_record(title="Alert <b>now</b>", text='Beware: <script>alert("x")</script> the parade & fair.')
    marked = snippets([record], {"q": "parade"})[record.pk]

    assert "<mark>parade</mark>" in marked
    assert "&lt;script&gt;" in marked and "<script>" not in marked and "&amp;" in marked

    page = searcher(q="parade").content.decode()
    assert "<mark>parade</mark>" in page
    assert "&lt;script&gt;alert" in page and "<script>alert" not in page
    assert "Alert &lt;b&gt;now&lt;/b&gt;" in page


def test_python_snippets_escape_before_marking_and_mark_phrases(monkeypatch):
    monkeypatch.setattr(search, "full_text_available", lambda: False)
    record = make_record(text="x" * 400 + " a <i>Road closure</i> &amp; road CLOSURE then more " + "y " * 200)
    marked = snippets([record], {"q": "amp", "phrase": "road closure"})[record.pk]

    assert marked.startswith("… ") and marked.endswith(" …")
    assert "&lt;i&gt;<mark>Road closure</mark>&lt;/i&gt;" in marked
    assert "<mark>road CLOSURE</mark>" in marked
    assert "&amp;<mark>amp</mark>;" in marked


# The page -----------------------------------------------------------------------------------------------------


def test_a_member_without_a_records_role_is_refused(member, signed_in, client):
    make_record(text="Parade")
    assert signed_in(member).get(reverse("retention:search"), {"q": "parade"}).status_code == 403
    assert client.get(reverse("retention:search"), {"q": "parade"}).status_code == 302


def test_bad_dates_are_field_errors_and_nothing_is_searched(searcher):
    make_record(text="Parade")
    page = searcher(q="parade", date_from="notadate")
    html = page.content.decode()
    assert page.status_code == 200 and page.context["form"].errors == {
        "date_from": ["Enter a date as YYYY-MM-DD, for example 2026-03-01."]
    }
    assert "Enter a date as YYYY-MM-DD" in html and 'aria-invalid="true"' in html
    assert not page.context["searched"] and "Results" not in html

    backwards = searcher(date_from="2026-03-10", date_to="2026-03-01")
    assert backwards.context["form"].errors == {"date_to": ["“Published to” must not be before “Published from”."]}


def test_results_page_lets_the_custodian_attach_or_export(searcher, custodian, series, channel):
    day = timezone.localdate()
    record = make_record(title="Parade route", text="Parade downtown", series=series, published=when(2))
    hold = place_hold(actor=custodian, matter="Claim 7", requested_by="City Attorney", reason="Claim", records=[record])
    open_request = RecordsRequest.objects.create(
        number="PRR-9",
        requester="A reporter",
        received_on=day,
        description="Parades",
        due_on=day + timedelta(days=10),
        assigned_to=custodian,
        logged_by=custodian,
    )
    RecordsRequest.objects.create(
        number="PRR-OLD",
        requester="Someone",
        received_on=day,
        description="Old",
        due_on=day,
        assigned_to=custodian,
        logged_by=custodian,
        status="closed",
        closing_note="Done",
    )
    page = searcher(q="parade", channel="news", request_for=str(open_request.pk))
    html = page.content.decode()

    assert f'<input type="checkbox" name="record" value="{record.pk}" id="pick-{record.pk}">' in html
    assert f'<label for="pick-{record.pk}" class="visually-hidden">Select record #{record.pk}</label>' in html
    assert f'action="{reverse("retention:attach_to_request")}"' in html
    assert '<label for="attach-request">Request</label>' in html
    attach_select = html[html.index('<select id="attach-request"') :]
    attach_select = attach_select[: attach_select.index("</select>")]
    assert f'<option value="{open_request.pk}" selected>PRR-9' in attach_select and "PRR-OLD" not in attach_select
    assert '<input type="hidden" name="q" value="parade">' in html
    assert '<input type="hidden" name="channel" value="news">' in html
    assert '<input type="hidden" name="next" value="/records/search/?q=parade&amp;channel=news&amp;request_for=' in html
    assert 'name="scope" value="selected">Attach selected</button>' in html
    assert 'name="scope" value="all">Attach all results</button>' in html
    assert f'href="{reverse("retention:export_new")}?q=parade&amp;channel=news&amp;status=active"' in html
    assert f'href="{reverse("retention:record", args=[record.pk])}"' in html
    assert f'href="{reverse("retention:hold", args=[hold.pk])}">Claim 7</a>' in html
    assert "CW-026" in html and "news" in html and when(2).strftime("%Y-%m-%d") in html
    assert "1 record matches" in html


def test_viewers_who_do_not_keep_records_see_results_without_attaching(chief, signed_in):
    make_record(text="Parade downtown")
    html = signed_in(chief).get(reverse("retention:search"), {"q": "parade"}).content.decode()
    assert "1 record matches" in html
    assert 'name="record"' not in html and "Attach selected" not in html and "Start export" not in html


def test_results_are_paged_25_at_a_time(searcher):
    records = [make_record(text=f"Parade notice {i}", published=when(i)) for i in range(30)]
    first, second = searcher(q="parade"), searcher(q="parade", page="2")
    assert first.context["page"].paginator.count == 30
    assert [r.record.pk for r in first.context["results"]] == [r.pk for r in records[:25]]
    assert [r.record.pk for r in second.context["results"]] == [r.pk for r in records[25:]]
    assert "30 records match" in first.content.decode()
    beyond, garbled = searcher(q="parade", page="9"), searcher(q="parade", page="two")
    assert beyond.context["page"].number == 2 and len(beyond.context["results"]) == 5
    assert garbled.context["page"].number == 1 and len(garbled.context["results"]) == 25


def test_very_common_words_rank_only_the_newest_matches_and_say_so(monkeypatch, searcher):
    needs_full_text()
    monkeypatch.setattr(search, "RANK_LIMIT", 3)
    records = [make_record(title="Parade" if i == 4 else "", text="parade", published=when(i)) for i in range(5)]
    page = searcher(q="parade")

    assert [r.record.pk for r in page.context["results"]] == [records[0].pk, records[1].pk, records[2].pk]
    assert "3 or more records match. Only the newest 3 are ranked and listed" in page.content.decode()
    assert matching({"q": "parade"}) == {r.pk for r in records}


@pytest.mark.parametrize("query", [{"q": "parade"}, {"kind": "post"}])
def test_the_page_makes_the_same_number_of_queries_for_10_and_60_results(searcher, custodian, series, query):
    def queries_for(count):
        author = f"author{count}"
        held = make_record(text="parade held", author=author, series=series, published=when(0))
        place_hold(
            actor=custodian, matter=f"Claim {count}", requested_by="City Attorney", reason="Claim", records=[held]
        )
        for i in range(count - 1):
            make_record(text=f"parade {i}", author=author, series=series, published=when(i + 1))
        with CaptureQueriesContext(connection) as queries:
            page = searcher(**query, author=author)
        assert page.status_code == 200 and len(page.context["results"]) == min(count, 25)
        assert page.context["results"][0].holds[0].matter == f"Claim {count}"
        return len(queries)

    # Session, user, device, roles, navigation (5, one whether the member has a part in vetting), the audit trail's
    # latest verification (the custodian's banner),
    # channels, series, holds and requests for the form; the page with its count, its holds, the open requests;
    # saving the session (3). PostgreSQL adds the highlighted snippets.
    expected = 20 + (1 if connection.vendor == "postgresql" and "q" in query else 0)
    assert queries_for(10) == queries_for(60) == expected


def test_filters_fold_away_unless_one_is_in_use_or_wrong(searcher):
    def filters_open(**params):
        page = searcher(**params).content.decode()
        assert '<details class="filters"' in page
        return '<details class="filters" open>' in page

    assert not filters_open()
    assert not filters_open(q="fire")
    assert filters_open(q="fire", kind="comment")
    assert filters_open(status="destroyed")
    assert filters_open(q="fire", date_from="notadate")
