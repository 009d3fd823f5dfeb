"""Tasks of the audit trail viewer."""

from celery import shared_task

from .integrity import verify_requested_audit_trail


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def verify_requested_audit_trail_task(request_seq: int) -> dict:
    """Verify the trail for the reader whose request is the event at `request_seq`. Idempotent: a request already
    answered is not verified again. A lost message is answered by the next daily verification."""
    verification = verify_requested_audit_trail(request_seq=request_seq)
    if verification is None:
        return {"request_seq": request_seq, "verified": False}
    return {"request_seq": request_seq, "ok": verification.ok, "checked_through_seq": verification.checked_through_seq}
