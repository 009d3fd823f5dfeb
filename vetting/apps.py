from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "vetting"
    verbose_name = "Background vetting (385.5.4(d))"

    def ready(self):
        from members.permissions import register_sensitive_reach

        from . import permissions

        # Whoever can see a candidate's vetting file signs in with a second factor.
        register_sensitive_reach("candidate vetting", permissions.can_open_vetting)
