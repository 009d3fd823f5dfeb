"""Incidents and their updates through the API (385.4.1): the same services, refusals and audit trail as the
incident pages, and answers that match the published schema."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker

from core.errors import DomainError
from core.models import AuditEvent
from posts import services as posts
from posts.models import Incident, Post

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.4.1")]

UPDATE = {
    "body": "Evacuation of Palm Canyon Drive south of Hwy 111 is lifted. Residents may return from 6 pm.",
    "channels": ["news"],
}


@pytest.fixture(scope="module")
def openapi():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def assert_matches_schema(openapi, response, path: str, method: str = "get"):
    """The answer is what the schema promises for this path, method and status."""
    answer = openapi["paths"][path][method]["responses"][str(response.status_code)]
    shape = answer["content"]["application/json"]["schema"]
    # The answer's schema refers to the document's components: validate against it as part of the document.
    document = {"allOf": [shape], "components": openapi["components"]}
    OAS30ReadValidator(document, format_checker=oas30_format_checker).validate(response.json())


def refusal_of(service, **kwargs) -> DomainError:
    """What the service itself answers: the API must give the same code and section."""
    with pytest.raises(DomainError) as refused:
        service(**kwargs)
    return refused.value


def same_refusal(response, error: DomainError):
    body = response.json()
    assert response.status_code == error.status, body
    assert (body["code"], body["section"]) == (error.code, error.section)


def test_the_officer_drafts_an_update_and_the_commander_reads_it(openapi, api_as, author, commander, incident):
    officer = api_as(author, "posts:read", "posts:write")
    created = officer.post(f"/api/v1/incidents/{incident.pk}/updates/", UPDATE)
    assert created.status_code == 201, created.json()
    assert_matches_schema(openapi, created, "/api/v1/incidents/{id}/updates/", "post")
    update = created.json()
    assert update["incident"] == incident.pk and update["update_number"] == 1 and update["status"] == "draft"
    assert update["title"] == "Brush fire — update" and update["category"] == "real_time_safety"

    second = officer.post(f"/api/v1/incidents/{incident.pk}/updates/", {**UPDATE, "title": "Road reopened"})
    assert second.status_code == 201 and second.json()["update_number"] == 2

    # The commander, who approves them, reads the drafts; the numbering is the incident's.
    listed = api_as(commander, "posts:read").get(f"/api/v1/incidents/{incident.pk}/updates/")
    assert listed.status_code == 200
    assert_matches_schema(openapi, listed, "/api/v1/incidents/{id}/updates/")
    assert [u["update_number"] for u in listed.json()] == [1, 2]

    event = AuditEvent.objects.get(verb="post.created", object_id=str(update["id"]))
    assert event.details["api_token"] == officer.token.pk and event.details["incident"] == incident.pk


def test_a_member_reads_only_published_updates_and_an_unknown_incident_is_404(api_as, author, member, incident):
    api_as(author, "posts:write").post(f"/api/v1/incidents/{incident.pk}/updates/", UPDATE)
    reader = api_as(member, "posts:read")
    assert reader.get(f"/api/v1/incidents/{incident.pk}/updates/").json() == []
    assert reader.get(f"/api/v1/incidents/{incident.pk}/").json()["name"] == "Brush fire"
    missing = reader.get(f"/api/v1/incidents/{incident.pk + 1000}/updates/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    for not_an_id in ("abc", "9" * 30):
        assert reader.get(f"/api/v1/incidents/{not_an_id}/").json()["code"] == "not_found"


def test_a_member_who_may_not_draft_is_refused_as_by_the_service(api_as, member, incident, channel):
    refusal = refusal_of(
        posts.create_post,
        actor=member,
        title="Brush fire — update",
        body=UPDATE["body"],
        category="real_time_safety",
        channels=[channel],
        incident=incident,
    )
    response = api_as(member, "posts:write").post(f"/api/v1/incidents/{incident.pk}/updates/", UPDATE)
    same_refusal(response, refusal)
    assert not Post.objects.exists()


def test_the_commander_closes_the_incident_and_no_update_is_added_after(openapi, api_as, author, commander, incident):
    closed = api_as(commander, "posts:write").post(f"/api/v1/incidents/{incident.pk}/close/")
    assert closed.status_code == 200, closed.json()
    assert_matches_schema(openapi, closed, "/api/v1/incidents/{id}/close/", "post")
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]

    refused = api_as(author, "posts:write").post(f"/api/v1/incidents/{incident.pk}/updates/", UPDATE)
    assert refused.status_code == 400 and refused.json()["field"] == "incident"
    assert not Post.objects.exists()

    again = api_as(commander, "posts:write").post(f"/api/v1/incidents/{incident.pk}/close/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"

    reopened = api_as(commander, "posts:write").post(f"/api/v1/incidents/{incident.pk}/reopen/", {"reason": "Flare-up"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "active"


def test_opening_and_handing_over_command_follow_the_services(
    openapi, api_as, supervisor, supervisor2, member, author, commander
):
    opened = api_as(supervisor, "posts:write").post(
        "/api/v1/incidents/",
        {"name": "Water main break", "kind": "public_safety", "commander": "commander", "social_media_officer": "smo"},
    )
    assert opened.status_code == 201, opened.json()
    assert_matches_schema(openapi, opened, "/api/v1/incidents/", "post")
    incident = Incident.objects.get(pk=opened.json()["id"])
    assert incident.opened_by == supervisor and incident.commander == commander

    # The officer cannot also be the commander: the policy's refusal, as the service gives it.
    refusal = refusal_of(
        posts.transfer_command, actor=commander, incident=incident, commander=author, reason="Shift change"
    )
    refused = api_as(commander, "posts:write").post(
        f"/api/v1/incidents/{incident.pk}/transfer-command/", {"commander": "smo", "reason": "Shift change"}
    )
    same_refusal(refused, refusal)
    assert refused.json()["section"] == "385.4.1"

    handed = api_as(commander, "posts:write").post(
        f"/api/v1/incidents/{incident.pk}/transfer-command/", {"commander": "supervisor2", "reason": "Shift change"}
    )
    assert handed.status_code == 200 and handed.json()["commander"] == "supervisor2"

    # A member opens no incident (385.4.1), whatever the token.
    refusal = refusal_of(
        posts.open_incident,
        actor=member,
        name="X",
        kind="other",
        location="",
        commander=commander,
        social_media_officer=author,
    )
    attempt = api_as(member, "posts:write").post(
        "/api/v1/incidents/", {"name": "X", "kind": "other", "commander": "commander", "social_media_officer": "smo"}
    )
    same_refusal(attempt, refusal)
    assert Incident.objects.count() == 1


def test_a_token_without_the_scope_is_refused_and_nothing_changes(api_as, author, commander, incident):
    reader = api_as(author, "posts:read")
    response = reader.post(f"/api/v1/incidents/{incident.pk}/updates/", UPDATE)
    assert response.status_code == 403 and "posts:write" in response.json()["detail"]
    closing = api_as(commander, "posts:read").post(f"/api/v1/incidents/{incident.pk}/close/")
    assert closing.status_code == 403
    assert not Post.objects.exists()
    incident.refresh_from_db()
    assert incident.status == "active"
    assert api_as(author, "comments").get("/api/v1/incidents/").status_code == 403


def _open(supervisor, commander, author, n):
    for i in range(n):
        posts.open_incident(
            actor=supervisor,
            name=f"Incident {i}",
            kind="traffic",
            location="",
            commander=commander,
            social_media_officer=author,
        )


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.json()
    return len(queries)


def test_the_incident_list_costs_the_same_queries_for_2_and_12(openapi, api_as, supervisor, commander, author):
    reader = api_as(author, "posts:read")
    _open(supervisor, commander, author, 2)
    few = _queries(reader, "/api/v1/incidents/")
    _open(supervisor, commander, author, 10)
    response = reader.get("/api/v1/incidents/?status=active")
    assert len(response.json()["results"]) == 12
    assert_matches_schema(openapi, response, "/api/v1/incidents/")
    assert _queries(reader, "/api/v1/incidents/") == few


def test_the_update_list_costs_the_same_queries_for_2_and_12(api_as, author, commander, incident, channel):
    reader = api_as(commander, "posts:read")

    def draft(n):
        for _ in range(n):
            posts.create_post(
                actor=author,
                title="Road update",
                body=UPDATE["body"],
                category="traffic",
                channels=[channel],
                incident=incident,
            )

    draft(2)
    few = _queries(reader, f"/api/v1/incidents/{incident.pk}/updates/")
    draft(10)
    assert len(reader.get(f"/api/v1/incidents/{incident.pk}/updates/").json()) == 12
    assert _queries(reader, f"/api/v1/incidents/{incident.pk}/updates/") == few
