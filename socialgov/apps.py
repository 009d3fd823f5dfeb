from django.apps import AppConfig


class SocialgovConfig(AppConfig):
    name = "socialgov"
    verbose_name = "socialgov core"

    def ready(self):
        from . import signals  # noqa: F401  (login audit receivers)
