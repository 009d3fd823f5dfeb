"""Every list endpoint reads in a fixed number of queries, whether there are 10 items or 1,000.

The 1,000 are made in bulk: the volume is what is measured here, not the paths that make them one by one (those
have tests of their own). Each list is also checked for what it shows, so a count cannot hold on an empty answer."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import ApiToken
from moderation.models import CommentScreening, ContentReport, Review
from posts.models import Comment, Incident, Post
from retention.models import Export, HeldRecord, LegalHold, Record, RecordSeries, RecordsRequest, RequestRecord

pytestmark = pytest.mark.django_db

PAGE = 50  # the cursor's page (api.pagination.Cursor)

# Every JSON list starts with the token: find it, and note its use. Most then read the member's roles, once.

# The token, the roles, then the page: the posts with their authors and incidents, and their channels.
POSTS = 5
# The token, the roles, then the queue with its screening counts annotated, and the channels of its posts.
REVIEW_QUEUE = 5
# The token (every member reads incidents: no roles), then the page with the incidents' four members joined.
INCIDENTS = 3
# The token, the incident, its updates with author, approver and request joined, their channels; the roles, once.
INCIDENT_UPDATES = 6
# The token, the roles, then the page of comments with channel, post, screening and remover joined.
COMMENTS = 4
# The token, the roles, then the page of reports with reporter, remover and investigator joined.
REPORTS = 4
# The token, the roles, the channels the search may name, the page with its series, then the page's holds in force.
RECORDS = 6
# The token, the roles, then the page of holds with their records counted, and the records each picked.
HOLDS = 5
# The token, the roles, then the page of requests with their three members joined and their records counted.
RECORDS_REQUESTS = 4
# The token, the roles, then the page of exports with who started each.
EXPORTS = 4

# A page starts with the session, the member, the second factor and the roles, and ends saving the session (saved
# on every request, in a savepoint: three). The member's page reads what its navigation offers a member (six
# checks), then the tokens, each with its member.
OWN_TOKENS = 14
# The Chief's page reads the threat alerts and the audit trail's last check for its banners, then every token with
# its member and revoker.
ALL_TOKENS = 10


def _json_queries(client, path) -> tuple[int, int]:
    """The queries one GET of `path` takes, and how many items it shows (on its first page, when paged)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    return len(queries), len(body["results"] if isinstance(body, dict) else body)


def _pinned(client, path, make, *, expected: int, shown_at_1000: int, read=_json_queries):
    """`make(count, start)` adds items; the list costs `expected` queries with 10 of them and with 1,000."""
    make(10, 0)
    at_10, shown_10 = read(client, path)
    make(990, 10)
    at_1000, shown_1000 = read(client, path)
    assert (shown_10, shown_1000) == (10, shown_at_1000)
    assert (at_10, at_1000) == (expected, expected), (at_10, at_1000)


# Posts and the review queue ---------------------------------------------------------------------------------


def _posts(author, channel, count: int, *, status="draft", start=0, incident=None, **fields):
    """`count` posts made in bulk (numbered as updates when about an incident), with the dates their status needs."""
    now = timezone.now()
    made = Post.objects.bulk_create(
        Post(
            title=f"Road work {start + i}",
            body=f"Lane closures on Route {start + i} this week.",
            category="traffic",
            author=author,
            status=status,
            submitted_at=now if status == "in_review" else None,
            approved_at=now if status == "published" else None,
            published_at=now if status == "published" else None,
            incident=incident,
            update_number=start + i + 1 if incident else None,
            **fields,
        )
        for i in range(count)
    )
    Post.channels.through.objects.bulk_create(
        Post.channels.through(post_id=post.pk, channel_id=channel.pk) for post in made
    )
    if status == "in_review":
        Review.objects.bulk_create(
            Review(post=post, route=Review.Route.SUPERVISOR, post_version=1, submitted_by=author) for post in made
        )
    return made


@pytest.mark.parametrize(
    ("path", "scopes", "status", "expected", "shown"),
    [
        ("/api/v1/posts/", ("posts:read",), "draft", POSTS, PAGE),
        ("/api/v1/review-queue/", ("review",), "in_review", REVIEW_QUEUE, 1000),  # the queue is not paged
    ],
)
def test_posts_and_the_review_queue(api_as, supervisor, author, channel, path, scopes, status, expected, shown):
    def make(count, start):
        _posts(author, channel, count, status=status, start=start)

    _pinned(api_as(supervisor, *scopes), path, make, expected=expected, shown_at_1000=shown)


# Incidents --------------------------------------------------------------------------------------------------


def test_incidents(api_as, supervisor, commander, author):
    def make(count, start):
        Incident.objects.bulk_create(
            Incident(
                name=f"Brush fire {start + i}",
                kind=Incident.Kind.DISASTER,
                location=f"Hwy {start + i}",
                commander=commander,
                social_media_officer=author,
                backup_approver=supervisor,
                opened_by=supervisor,
            )
            for i in range(count)
        )

    _pinned(api_as(author, "posts:read"), "/api/v1/incidents/", make, expected=INCIDENTS, shown_at_1000=PAGE)


def test_an_incidents_updates(api_as, supervisor, commander, author, channel, incident):
    """Drafts and published updates alike: the commander reads both, and checking a draft reads nothing more."""

    def make(count, start):
        half = count // 2
        _posts(author, channel, half, start=start, incident=incident)
        published = count - half
        _posts(
            author,
            channel,
            published,
            status="published",
            start=start + half,
            incident=incident,
            approved_by=supervisor,
        )

    path = f"/api/v1/incidents/{incident.pk}/updates/"
    # Not paged: every update the caller may read.
    _pinned(api_as(commander, "posts:read"), path, make, expected=INCIDENT_UPDATES, shown_at_1000=1000)


# Comments and reports ---------------------------------------------------------------------------------------


def test_comments(api_as, team, author, channel):
    """Screened and unscreened, visible and removed: every joined row is there to be read."""
    (post,) = _posts(author, channel, 1, status="published")
    now = timezone.now()

    def make(count, start):
        made = Comment.objects.bulk_create(
            Comment(
                channel=channel,
                post=post,
                author_name=f"Visitor {start + i}",
                text=f"Is Route {start + i} open yet?",
                status=Comment.Status.REMOVED if i % 2 else Comment.Status.VISIBLE,
                removed_by=team if i % 2 else None,
                removed_at=now if i % 2 else None,
                removal_reason="personal_attack" if i % 2 else "",
            )
            for i in range(count)
        )
        CommentScreening.objects.bulk_create(
            CommentScreening(comment=comment, severity_rank=1, language="en") for comment in made[::2]
        )

    _pinned(api_as(team, "comments"), "/api/v1/comments/", make, expected=COMMENTS, shown_at_1000=PAGE)


@pytest.mark.parametrize("handler", [True, False], ids=["handler", "reporter"])
def test_reports(api_as, supervisor, member, handler):
    """The supervisor handling reports reads every one; a member reads their own."""
    now = timezone.now()

    def make(count, start):
        ContentReport.objects.bulk_create(
            ContentReport(
                reporter=member,
                link=f"https://www.facebook.com/example/posts/{start + i}",
                section=ContentReport.Section.A,
                description=f"Abusive reply number {start + i}.",
                status=ContentReport.Status.INVESTIGATING if i % 2 else ContentReport.Status.OPEN,
                removed_at=now if i % 2 else None,
                removed_by=supervisor if i % 2 else None,
                investigation_started_at=now if i % 2 else None,
                investigator=supervisor if i % 2 else None,
            )
            for i in range(count)
        )

    client = api_as(supervisor, "posts:read", "comments") if handler else api_as(member, "posts:read")
    _pinned(client, "/api/v1/reports/", make, expected=REPORTS, shown_at_1000=PAGE)


# Records, holds, requests and exports -----------------------------------------------------------------------


def _records(count: int, *, start=0, series=None):
    now = timezone.now()
    contents = [
        {"title": f"Street sweeping {start + i}", "text": f"Route {start + i} is swept on Monday."}
        for i in range(count)
    ]
    return Record.objects.bulk_create(
        Record(
            kind="post",
            source_type="posts.post",
            source_id=start + i + 1,
            source_version="1",
            published_at=now,
            channel_slugs=["news"],
            author_username="smo",
            title=content["title"],
            text=content["text"],
            content=content,
            sha256=Record.hash_of(content),
            series=series,
        )
        for i, content in enumerate(contents)
    )


def _hold(custodian) -> LegalHold:
    return LegalHold.objects.create(
        matter="Sweeping claim", requested_by="City Attorney", reason="Claim", custodian=custodian
    )


def test_records(api_as, custodian):
    """Half the records held: the holds of a page are read at once."""
    series = RecordSeries.objects.create(code="CW-026", title="Social media content")
    hold = _hold(custodian)

    def make(count, start):
        made = _records(count, start=start, series=series)
        HeldRecord.objects.bulk_create(HeldRecord(hold=hold, record=record) for record in made[::2])

    _pinned(api_as(custodian, "records:read"), "/api/v1/records/", make, expected=RECORDS, shown_at_1000=PAGE)


def test_holds(api_as, custodian, chief):
    """In force and released, each holding and having picked records."""
    records = _records(3)
    now = timezone.now()

    def make(count, start):
        made = LegalHold.objects.bulk_create(
            LegalHold(
                matter=f"Claim {start + i}",
                requested_by="City Attorney",
                reason="Claim",
                custodian=custodian,
                status=LegalHold.Status.RELEASED if i % 2 else LegalHold.Status.ACTIVE,
                released_at=now if i % 2 else None,
                released_by=chief if i % 2 else None,
                release_reason="Settled" if i % 2 else "",
            )
            for i in range(count)
        )
        HeldRecord.objects.bulk_create(HeldRecord(hold=hold, record=record) for hold in made for record in records)
        LegalHold.picked.through.objects.bulk_create(
            LegalHold.picked.through(legalhold_id=hold.pk, record_id=records[0].pk) for hold in made
        )

    _pinned(api_as(custodian, "holds"), "/api/v1/holds/", make, expected=HOLDS, shown_at_1000=PAGE)


def test_records_requests(api_as, custodian, chief):
    """Open and closed, each with a record attached."""
    (record,) = _records(1)
    today = timezone.localdate()
    now = timezone.now()

    def make(count, start):
        made = RecordsRequest.objects.bulk_create(
            RecordsRequest(
                number=f"PRR-2025-{start + i + 1}",
                requester=f"Resident {start + i}",
                received_on=today,
                due_on=today + timedelta(days=10),
                description="Posts about street sweeping.",
                assigned_to=custodian,
                logged_by=chief,
                status=RecordsRequest.Status.CLOSED if i % 2 else RecordsRequest.Status.OPEN,
                closed_at=now if i % 2 else None,
                closed_by=custodian if i % 2 else None,
                closing_note="No such records." if i % 2 else "",
            )
            for i in range(count)
        )
        RequestRecord.objects.bulk_create(
            RequestRecord(request=request, record=record, added_by=custodian) for request in made
        )

    client = api_as(custodian, "requests")
    _pinned(client, "/api/v1/records-requests/", make, expected=RECORDS_REQUESTS, shown_at_1000=PAGE)


def test_exports(api_as, custodian):
    """Queued, building and done, of a hold's records."""
    hold = _hold(custodian)
    now = timezone.now()
    statuses = [Export.Status.QUEUED, Export.Status.RUNNING, Export.Status.DONE]

    def make(count, start):
        Export.objects.bulk_create(
            Export(
                purpose=Export.Purpose.EDISCOVERY,
                reason=f"Claim {start + i}",
                hold=hold,
                status=statuses[i % 3],
                total=10,
                done=5 if i % 3 == 1 else 0,
                started_at=now if i % 3 else None,
                created_by=custodian,
            )
            for i in range(count)
        )

    _pinned(api_as(custodian, "exports"), "/api/v1/exports/", make, expected=EXPORTS, shown_at_1000=PAGE)


# API tokens: pages, not JSON --------------------------------------------------------------------------------


def _tokens(count: int, *, start, members, revoker):
    """Tokens of `members` in turn, every third revoked."""
    now = timezone.now()
    ApiToken.objects.bulk_create(
        ApiToken(
            member=members[i % len(members)],
            name=f"Dispatch link {start + i}",
            prefix=f"bulk{start + i:06d}",
            digest=f"{start + i:064x}",
            scopes=["posts:read"],
            expires_at=now + timedelta(days=30),
            revoked_at=now if i % 3 == 2 else None,
            revoked_by=revoker if i % 3 == 2 else None,
        )
        for i in range(count)
    )


def _page_queries(client, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries), response.content.decode().count("Dispatch link ")


@pytest.mark.parametrize(
    ("path", "expected"), [("/accounts/api-tokens/", OWN_TOKENS), ("/accounts/api-tokens/all/", ALL_TOKENS)]
)
def test_token_pages(signed_in, chief, member, supervisor, path, expected):
    """The member's own tokens, and every member's for the Chief; neither page is paged."""
    own = path == "/accounts/api-tokens/"
    reader = member if own else chief

    def make(count, start):
        _tokens(count, start=start, members=[member] if own else [member, supervisor], revoker=chief)

    _pinned(signed_in(reader), path, make, expected=expected, shown_at_1000=1000, read=_page_queries)
