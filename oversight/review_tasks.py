"""Tasks of the annual review (385.6); they live beside the services they call."""

from .review import generate_annual_review_task, sweep_annual_reviews_task

__all__ = ["generate_annual_review_task", "sweep_annual_reviews_task"]
