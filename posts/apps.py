from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"

    def ready(self):
        from django.db.models.signals import post_save

        from .public_views import clear_site_stamp

        for model in ("Post", "Publication", "Comment"):
            post_save.connect(clear_site_stamp, sender=f"posts.{model}", dispatch_uid=f"posts.stamp.{model}")
