"""AuditEvent and Notification now belong to `core` (core 0001 takes them over); no table changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("socialgov", "0003_notification"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="notification", name="recipient"),
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="Notification"),
            ],
        ),
    ]
