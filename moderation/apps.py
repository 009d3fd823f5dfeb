from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self):
        from posts.signals import post_content_changed

        from .services import content_changed

        post_content_changed.connect(content_changed, dispatch_uid="moderation.content_changed")
