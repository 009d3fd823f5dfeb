"""Object permissions: `posts.post_to_channel` goes, `posts.approve_incident_updates` comes.

Who may post is decided from the authorizations themselves (members.permissions.can_post_for_department), which
start and expire by date; the per-channel permission rows were a copy of them, so they and the permission are
deleted. An incident's Incident Commander holds `approve_incident_updates` on that incident while it is active
(385.4.1): the commanders of incidents active now receive it here, later ones from posts.services.
"""

from django.db import migrations

APPROVE = "approve_incident_updates"
APPROVE_NAME = "May approve updates about this incident (385.4.1)"


def delete_post_to_channel(apps, schema_editor):
    db = schema_editor.connection.alias
    Permission = apps.get_model("auth", "Permission")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")
    stale = list(
        Permission.objects.using(db)
        .filter(content_type__app_label="posts", content_type__model="channel", codename="post_to_channel")
        .values_list("pk", flat=True)
    )
    UserObjectPermission.objects.using(db).filter(permission_id__in=stale).delete()
    GroupObjectPermission.objects.using(db).filter(permission_id__in=stale).delete()
    Permission.objects.using(db).filter(pk__in=stale).delete()


def grant_to_commanders(apps, schema_editor):
    db = schema_editor.connection.alias
    Incident = apps.get_model("posts", "Incident")
    # Every incident: a commander keeps deciding the updates about it that were pending when it closed.
    active = list(Incident.objects.using(db).values_list("pk", "commander_id"))
    if not active:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    content_type, _ = ContentType.objects.using(db).get_or_create(app_label="posts", model="incident")
    permission, _ = Permission.objects.using(db).get_or_create(
        content_type=content_type, codename=APPROVE, defaults={"name": APPROVE_NAME}
    )
    for incident_pk, commander_pk in active:
        UserObjectPermission.objects.using(db).get_or_create(
            user_id=commander_pk, permission=permission, content_type=content_type, object_pk=str(incident_pk)
        )


def revoke_approve_incident_updates(apps, schema_editor):
    db = schema_editor.connection.alias
    Permission = apps.get_model("auth", "Permission")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")
    granted = list(
        Permission.objects.using(db)
        .filter(content_type__app_label="posts", content_type__model="incident", codename=APPROVE)
        .values_list("pk", flat=True)
    )
    UserObjectPermission.objects.using(db).filter(permission_id__in=granted).delete()
    GroupObjectPermission.objects.using(db).filter(permission_id__in=granted).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('posts', '0007_post_live_index'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('guardian', '0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='channel',
            options={'ordering': ['name']},
        ),
        migrations.AlterModelOptions(
            name='incident',
            options={
                'ordering': ['-opened_at'],
                'permissions': [('approve_incident_updates', 'May approve updates about this incident (385.4.1)')],
            },
        ),
        migrations.RunPython(delete_post_to_channel, migrations.RunPython.noop),
        migrations.RunPython(grant_to_commanders, revoke_approve_incident_updates),
    ]
