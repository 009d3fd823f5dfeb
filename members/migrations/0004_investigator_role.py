"""The Investigator role: reads the tips the public sends (385.5.3(c))."""

from django.db import migrations

ROLE = "Investigator"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0003_accounts_in_the_app")]

    operations = [migrations.RunPython(create_role, remove_role)]
