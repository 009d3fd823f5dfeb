"""A database of the previous layout (the audit log and the outbox in `socialgov`) migrates forward to `core`
with every row, its hash chain, and the permissions granted on the moved models."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.audit import record_event
from core.models import AuditEvent, Notification

PREVIOUS_LAYOUT = [("socialgov", "0003_notification"), ("core", None)]


def _migrate(targets):
    """Migrate the test database to `targets` and return the app registry as it was there."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    apps_moved = {app for app, _ in targets}
    state = [n for n in loader.graph.leaf_nodes() if n[0] not in apps_moved] + [t for t in targets if t[1]]
    return loader.project_state(state).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_populated_database_of_the_previous_layout_migrates_forward(django_user_model):
    member = django_user_model.objects.create_user("officer", "officer@police.example.gov", "x" * 16)
    try:
        old_apps = _migrate(PREVIOUS_LAYOUT)
        assert old_apps.get_model("socialgov", "AuditEvent")._meta.db_table == "socialgov_auditevent"
        with pytest.raises(LookupError):
            old_apps.get_model("core", "AuditEvent")

        # Rows written while the models lived in socialgov: the outbox through the old model, the audit
        # chain through the service (same table), and a permission a group was granted on the old model.
        OldNotification = old_apps.get_model("socialgov", "Notification")
        OldNotification.objects.create(recipient_id=member.pk, event="post.approved", subject="Approved", body="b")
        for n in range(3):
            record_event(member, "test.before_move", member, details={"n": n})
        ContentType = old_apps.get_model("contenttypes", "ContentType")
        Permission = old_apps.get_model("auth", "Permission")
        old_type, _ = ContentType.objects.get_or_create(app_label="socialgov", model="auditevent")
        permission, _ = Permission.objects.get_or_create(
            content_type=old_type, codename="view_auditevent", defaults={"name": "Can view audit event"}
        )
        auditors = Group.objects.create(name="Auditors")
        auditors.permissions.add(permission.pk)
    finally:
        _migrate(_leaves())

    assert list(Notification.objects.values_list("event", "recipient_id")) == [("post.approved", member.pk)]
    assert AuditEvent.objects.filter(verb="test.before_move").count() == 3
    call_command("verify_audit")  # exits non-zero (SystemExit) if the chain does not verify
    assert set(Group.objects.get(name="Auditors").permissions.values_list("content_type__app_label", "codename")) == {
        ("core", "view_auditevent")
    }
    auditors.user_set.add(member)
    assert django_user_model.objects.get(pk=member.pk).has_perm("core.view_auditevent")
