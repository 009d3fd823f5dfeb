from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"

    def ready(self):
        from django.db.models.signals import post_save

        from members.permissions import register_sensitive_reach

        from .permissions import can_manage_channels
        from .public_views import clear_site_stamp

        register_sensitive_reach("channel credentials", can_manage_channels)

        for model in ("Post", "Publication", "Comment"):
            post_save.connect(clear_site_stamp, sender=f"posts.{model}", dispatch_uid=f"posts.stamp.{model}")
