"""What the dashboards show of oversight: each role's own work, a few rows each."""

from members.models import Role
from members.permissions import has_role

from .review_models import AnnualReview, ReviewerAppointment
from .training import suspended_by_training_count


def oversight_work(user) -> dict:
    work = {}
    if has_role(user, Role.CHIEF, Role.DESIGNEE):
        reports = AnnualReview.objects.select_related("appointment__reviewer")
        work["reviews_to_sign"] = list(reports.filter(status=AnnualReview.Status.SUBMITTED)[:5])
        work["signed_reviews"] = list(reports.filter(status=AnnualReview.Status.SIGNED)[:5])
        work["suspended_by_training"] = suspended_by_training_count()
    appointments = list(
        ReviewerAppointment.objects.filter(reviewer=user).prefetch_related("reports").order_by("-period_end")[:3]
    )
    if appointments:
        work["my_review_appointments"] = appointments
    return work
