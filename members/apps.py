from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save


class MembersConfig(AppConfig):
    name = "members"

    def ready(self):
        # Imported once the app registry is ready: the receivers use the user and device models.
        from axes.signals import user_locked_out
        from django.contrib.auth import get_user_model
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from . import receivers
        from .permissions import can_grant_remote_exception, can_manage_people, register_sensitive_reach

        register_sensitive_reach(
            "people and authorizations", lambda u: can_manage_people(u) or can_grant_remote_exception(u)
        )

        User = get_user_model()
        # The roles exist after every migrate and every flush (tests), not only after the data migration.
        post_migrate.connect(receivers.ensure_roles, sender=self, dispatch_uid="members.ensure_roles")
        # However an account is disabled (page, admin, shell), its sessions end.
        post_save.connect(receivers.user_saved, sender=User, dispatch_uid="members.user_saved")
        # However roles, flags, passwords and devices change, the change is audited (385.3).
        pre_save.connect(receivers.remember_account, sender=User, dispatch_uid="members.remember_account")
        post_save.connect(receivers.audit_account, sender=User, dispatch_uid="members.audit_account")
        m2m_changed.connect(receivers.audit_roles, sender=User.groups.through, dispatch_uid="members.audit_roles")
        user_locked_out.connect(receivers.login_locked_out, dispatch_uid="members.login_locked_out")
        pre_save.connect(receivers.remember_device, sender=TOTPDevice, dispatch_uid="members.remember_device")
        post_save.connect(receivers.audit_device_saved, sender=TOTPDevice, dispatch_uid="members.device_saved")
        post_delete.connect(receivers.audit_device_deleted, sender=TOTPDevice, dispatch_uid="members.device_deleted")
