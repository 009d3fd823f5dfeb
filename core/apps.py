from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground every app stands on: audit chain, domain errors, history stamping, notifications outbox,
    request context and network helpers. It imports no other app of the product."""

    name = "core"
    verbose_name = "core"

    def ready(self):
        from . import (  # noqa: F401  (connected once the app registry is ready)
            checks,  # deploy checks
            signals,  # login audit receivers
        )
