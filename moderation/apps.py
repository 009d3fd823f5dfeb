from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self):
        from members.permissions import register_sensitive_reach
        from posts.publishing.checks import register_send_check
        from posts.signals import comment_received, post_content_changed, post_held

        from .monitoring import comment_received as screen_comment
        from .screening.access import can_manage_confidential_terms
        from .services import approver_refusals, content_changed, held_at_send, screening_refusals
        from .tips import can_read_tips

        register_sensitive_reach("the confidential-terms registry", can_manage_confidential_terms)
        register_sensitive_reach("tips to investigators", can_read_tips)
        post_content_changed.connect(content_changed, dispatch_uid="moderation.content_changed")
        post_held.connect(held_at_send, dispatch_uid="moderation.held_at_send")
        register_send_check("screening", screening_refusals)
        register_send_check("approval", approver_refusals)
        comment_received.connect(screen_comment, dispatch_uid="moderation.screen_comment")
