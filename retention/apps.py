from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"

    def ready(self):
        from posts.signals import comment_received, post_published, post_removed

        from . import receivers

        post_published.connect(receivers.post_published, dispatch_uid="retention.post_published")
        post_removed.connect(receivers.post_removed, dispatch_uid="retention.post_removed")
        comment_received.connect(receivers.comment_received, dispatch_uid="retention.comment_received")
