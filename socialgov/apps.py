from django.apps import AppConfig


class SocialgovConfig(AppConfig):
    """The top floor: settings, URLs, the Celery app, the dashboard and navigation, and seed_demo (the one
    place allowed to know every app). Its migrations only hand its former models over to `core`."""

    name = "socialgov"
    verbose_name = "socialgov"
