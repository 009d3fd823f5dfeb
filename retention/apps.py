from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"

    def ready(self):
        from members.permissions import register_sensitive_reach
        from posts.signals import account_post_version_seen, comment_received, post_published, post_removed

        from . import receivers
        from .permissions import can_keep_records, can_view_records

        register_sensitive_reach("records and exports", lambda u: can_keep_records(u) or can_view_records(u))

        post_published.connect(receivers.post_published, dispatch_uid="retention.post_published")
        post_removed.connect(receivers.post_removed, dispatch_uid="retention.post_removed")
        comment_received.connect(receivers.comment_received, dispatch_uid="retention.comment_received")
        account_post_version_seen.connect(
            receivers.account_post_version_seen, dispatch_uid="retention.account_post_version_seen"
        )
