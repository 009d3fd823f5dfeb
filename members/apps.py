from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class MembersConfig(AppConfig):
    name = "members"

    def ready(self):
        from .receivers import ensure_roles

        # The roles exist after every migrate and every flush (tests), not only after the data migration.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="members.ensure_roles")

        # However an account is disabled (page, admin, shell), its sessions end.
        from django.contrib.auth import get_user_model

        from .receivers import user_saved

        post_save.connect(user_saved, sender=get_user_model(), dispatch_uid="members.user_saved")
