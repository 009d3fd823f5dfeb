"""The audit log and the notifications outbox, moved here from `socialgov` without moving a row: the state
changes, the tables (socialgov_auditevent, socialgov_notification) and their triggers stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old, new):
    # Permissions granted on these models (to groups or members) follow them to their new app.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=["auditevent", "notification"]).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "socialgov", "core")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "core", "socialgov")


STATE = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(max_length=64)),
                ('subject', models.CharField(max_length=200)),
                ('body', models.TextField()),
                ('url', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('sent_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('last_error', models.CharField(blank=True, max_length=300)),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'socialgov_notification',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField(editable=False, unique=True)),
                ('created_at', models.DateTimeField(db_index=True, editable=False)),
                ('actor_repr', models.CharField(blank=True, help_text="Username at the time, or 'system'.", max_length=150)),
                ('verb', models.CharField(db_index=True, max_length=64)),
                ('object_type', models.CharField(blank=True, db_index=True, max_length=100)),
                ('object_id', models.CharField(blank=True, db_index=True, max_length=64)),
                ('object_repr', models.CharField(blank=True, max_length=200)),
                ('ip', models.GenericIPAddressField(blank=True, null=True)),
                ('details', models.JSONField(blank=True, default=dict)),
                ('prev_hash', models.CharField(editable=False, max_length=64)),
                ('hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'socialgov_auditevent',
                'ordering': ['seq'],
                'indexes': [models.Index(fields=['object_type', 'object_id', 'seq'], name='socialgov_a_object__7b5423_idx')],
            },
        ),
]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The tables (and the audit table's append-only triggers) were created there; they stay as they are.
        ("socialgov", "0003_notification"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=STATE,
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]

