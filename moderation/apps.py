from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self):
        from members.permissions import register_sensitive_reach
        from posts.signals import comment_received, post_content_changed

        from .monitoring import comment_received as screen_comment
        from .screening.access import can_manage_confidential_terms
        from .services import content_changed

        register_sensitive_reach("the confidential-terms registry", can_manage_confidential_terms)
        post_content_changed.connect(content_changed, dispatch_uid="moderation.content_changed")
        comment_received.connect(screen_comment, dispatch_uid="moderation.screen_comment")
