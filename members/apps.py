from django.apps import AppConfig
from django.db.models.signals import post_save


class MembersConfig(AppConfig):
    name = "members"

    def ready(self):
        from .receivers import channel_saved

        # A new channel is covered at once by every active all-channels authorization.
        post_save.connect(channel_saved, sender="posts.Channel", dispatch_uid="members.channel_saved")
