from celery import shared_task

from oversight.integrity import verify_audit_trail


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def verify_audit_trail_task() -> dict:
    """Daily: verify the audit trail against its checkpoints; a failure alerts the Chief and the custodian."""
    verification = verify_audit_trail()
    return {"ok": verification.ok, "checked_through_seq": verification.checked_through_seq}
