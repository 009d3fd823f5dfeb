"""Celery finds an app's tasks in its `tasks` module; each area of oversight defines its own."""

from .audit_trail_tasks import *  # noqa: F403
from .review_tasks import *  # noqa: F403
from .training_tasks import *  # noqa: F403
