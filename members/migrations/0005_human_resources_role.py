"""The Human Resources role: opens hiring processes and their vetting checklists (385.5.4(d))."""

from django.db import migrations

ROLE = "Human Resources"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0004_investigator_role")]

    operations = [migrations.RunPython(create_role, remove_role)]
