"""385.4.1: an incident's Incident Commander holds `posts.approve_incident_updates` on it while it is active,
and the approval decision for its updates reads that object permission."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from guardian.shortcuts import assign_perm, remove_perm

from core.errors import PermissionRefused, PolicyViolation
from moderation import services as review
from moderation.models import Review
from moderation.permissions import can_decide, decision_refusals, incidents_approvable_by
from posts import services as posts
from posts.models import Post
from tests.factories import UserFactory
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.4.1")]

PERM = "posts.approve_incident_updates"
S = Post.Status


@pytest.fixture
def other_member(db):
    """Same role as the commander fixture (Member), but commands nothing."""
    user = UserFactory(username="other_member")
    user.groups.add(Group.objects.get(name="Member"))
    return user


@pytest.fixture
def update(incident, author, channel):
    post = draft(author, [channel], incident=incident, body="Evacuation warning east of Jackson St.")
    review.submit_for_review(actor=author, post=post)
    post.refresh_from_db()
    return post


def snapshot(post):
    post.refresh_from_db()
    pending = Review.objects.get(post=post, status=Review.Status.PENDING)
    return (post.status, post.version, post.approved_by_id, pending.status, pending.decided_by_id)


class TestGrant:
    def test_the_commander_holds_it_from_the_moment_the_incident_opens(self, incident, commander):
        assert commander.has_perm(PERM, incident)
        assert list(incidents_approvable_by(commander)) == [incident]

    def test_another_member_with_the_same_role_does_not(self, incident, commander, other_member):
        assert set(commander.groups.values_list("name", flat=True)) == set(
            other_member.groups.values_list("name", flat=True)
        )
        assert not other_member.has_perm(PERM, incident)
        assert not incidents_approvable_by(other_member).exists()

    def test_nobody_else_on_the_incident_holds_it(self, incident, supervisor, author):
        assert not supervisor.has_perm(PERM, incident)
        assert not author.has_perm(PERM, incident)

    def test_it_is_for_that_incident_only(self, incident, supervisor, other_member, author, commander):
        second = posts.open_incident(
            actor=supervisor,
            name="Water main break",
            kind="public_safety",
            location="Fred Waring Dr",
            commander=other_member,
            social_media_officer=author,
        )
        assert not commander.has_perm(PERM, second)
        assert not other_member.has_perm(PERM, incident)
        assert list(incidents_approvable_by(other_member)) == [second]

    def test_the_commander_still_decides_updates_pending_when_the_incident_closes(
        self, incident, commander, supervisor
    ):
        posts.close_incident(actor=supervisor, incident=incident)
        assert commander.has_perm(PERM, incident)
        assert list(incidents_approvable_by(commander)) == [incident]

    def test_a_refused_close_leaves_it_in_place(self, incident, commander, other_member):
        with pytest.raises(PermissionRefused):
            posts.close_incident(actor=other_member, incident=incident)
        assert commander.has_perm(PERM, incident)


class TestApprovalDecision:
    def test_the_commander_approves_and_the_update_is_published(self, update, commander):
        assert can_decide(commander, update)
        review.approve_post(actor=commander, post=update)
        update.refresh_from_db()
        assert update.status == S.PUBLISHED and update.approved_by == commander

    def test_a_member_with_the_same_role_is_refused_and_nothing_changes(self, update, other_member):
        assert not can_decide(other_member, update)
        before = snapshot(update)
        with pytest.raises(PolicyViolation) as refused:
            review.approve_post(actor=other_member, post=update)
        assert refused.value.section == "385.4.1" and refused.value.code == "not_commander"
        assert snapshot(update) == before

    def test_the_decision_reads_the_object_permission(self, update, commander, other_member):
        incident = update.incident
        remove_perm(PERM, commander, incident)
        assert [r.code for r in decision_refusals(commander, update)] == ["not_commander"]
        assign_perm(PERM, other_member, incident)
        assert decision_refusals(other_member, update) == []

    def test_holding_it_does_not_let_the_author_approve_their_own_update(self, update, author):
        assign_perm(PERM, author, update.incident)
        assert "own_post" in [r.code for r in decision_refusals(author, update)]
        before = snapshot(update)
        with pytest.raises(PolicyViolation):
            review.approve_post(actor=author, post=update)
        assert snapshot(update) == before

    def test_a_disabled_commander_is_refused(self, update, commander):
        commander.is_active = False
        commander.save(update_fields=["is_active"])
        assert [r.code for r in decision_refusals(commander, update)] == ["not_signed_in"]

    def test_a_superuser_who_is_not_the_commander_is_refused(self, update, django_user_model):
        root = django_user_model.objects.create_superuser("root", "root@police.example.gov", "x" * 16)
        assert root.has_perm(PERM, update.incident)  # has_perm alone would let every superuser approve
        assert [r.code for r in decision_refusals(root, update)] == ["not_commander"]
        before = snapshot(update)
        with pytest.raises(PolicyViolation):
            review.approve_post(actor=root, post=update)
        assert snapshot(update) == before


class TestExistingDatabases:
    def test_the_migration_grants_it_to_each_incident_s_commander_and_nobody_else(
        self, incident, commander, supervisor, other_member, author
    ):
        closed = posts.open_incident(
            actor=supervisor,
            name="Power outage",
            kind="public_safety",
            location="",
            commander=other_member,
            social_media_officer=author,
        )
        posts.close_incident(actor=supervisor, incident=closed)
        remove_perm(PERM, commander, incident)  # as in a database that predates the permission
        migration = importlib.import_module("posts.migrations.0008_incident_approvers_replace_channel_permission")
        schema_editor = SimpleNamespace(connection=connection)

        migration.grant_to_commanders(apps, schema_editor)
        migration.grant_to_commanders(apps, schema_editor)

        assert commander.has_perm(PERM, incident) and other_member.has_perm(PERM, closed)
        assert not other_member.has_perm(PERM, incident) and not commander.has_perm(PERM, closed)
        assert list(incidents_approvable_by(commander)) == [incident]
