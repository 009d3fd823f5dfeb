"""The audit trail's verification: its result kept, and a failure made known to the Chief of Police and the
records custodian (an e-mail when it finds a new problem, a banner on every page while the trail fails). It runs
daily by beat and whenever a reader of the trail asks for it (oversight.audit_trail)."""

from django.db import transaction
from django.urls import reverse

from core.audit import record_event
from core.checkpoints import latest_verification, store_verification, verify_trail
from core.models import AuditEvent, AuditVerification
from core.notifications import notify
from members.models import Role
from posts.selectors import users_with_roles

# Who hears that the audit trail failed its verification. socialgov.permissions holds the same pair for the
# banner; it cannot be imported from there (socialgov sits above oversight), and a test keeps the two equal.
AUDIT_ALERT_ROLES = (Role.CHIEF, Role.CUSTODIAN)

# What a reader's request for a verification is recorded as; the verification that follows answers it.
VERIFICATION_REQUESTED = "audit.verification_requested"

_PROBLEMS_IN_MAIL = 20


def _same_problem(found: dict, known: dict) -> bool:
    """The same kind of problem at overlapping sequence numbers (a trail cut back at seq 12 is still the same
    problem when the next event is written at 12); problems without a seq (checkpoint files) by their text."""
    if found["kind"] != known["kind"]:
        return False
    if found["seq"] is None or known["seq"] is None:
        return found["text"] == known["text"]
    return found["seq"] <= (known["last_seq"] or known["seq"]) and known["seq"] <= (found["last_seq"] or found["seq"])


def _new_problems(verification: AuditVerification, previous: AuditVerification | None) -> list[dict]:
    if previous is None or previous.ok:
        return verification.problems
    return [p for p in verification.problems if not any(_same_problem(p, k) for k in previous.problems)]


def verify_audit_trail(*, requested_by=None) -> AuditVerification:
    """Verify the trail against its checkpoints and keep the result. A failure e-mails the Chief and the records
    custodian when it finds a problem the run before did not (a problem already reported is not e-mailed again
    each day; the banner stays while the trail fails). The verification's event names the member who asked for
    it, or the system for the daily run, so the trail says who caused each one."""
    report = verify_trail()  # read outside the transaction: a long walk must not hold SQLite's write lock
    with transaction.atomic():
        previous = latest_verification()
        verification = store_verification(report)
        record_event(
            requested_by or "system",
            "audit.verified",
            verification,
            details={
                "ok": verification.ok,
                "checked_through_seq": verification.checked_through_seq,
                "checkpoint_seq": verification.checkpoint_seq,
                "problems": len(verification.problems) + verification.more_problems,
            },
        )
        if not verification.ok and _new_problems(verification, previous):
            listed = [p["text"] for p in verification.problems]
            lines = [f"- {text}" for text in listed[:_PROBLEMS_IN_MAIL]]
            hidden = len(listed) - len(lines) + verification.more_problems
            if hidden:
                lines.append(f"- and {hidden} more")
            notify(
                users_with_roles(*AUDIT_ALERT_ROLES),
                event="audit.verification_failed",
                subject="Audit trail verification failed",
                body=(
                    f"The audit trail's verification of {verification.ran_at:%Y-%m-%d %H:%M} UTC found problems "
                    f"(events read through seq {verification.checked_through_seq}):\n\n" + "\n".join(lines)
                ),
                url=reverse("audit_integrity"),
            )
    return verification


def answers(verification: AuditVerification | None, request: AuditEvent | None) -> bool:
    """Whether `verification` answers `request`: it read the trail through the request's own event, so it saw
    everything the reader could have seen when asking."""
    return request is None or (verification is not None and verification.checked_through_seq >= request.seq)


def verify_requested_audit_trail(*, request_seq: int) -> AuditVerification | None:
    """Answer the request recorded at `request_seq` by verifying the trail now. Safe to run twice or late: a
    request already answered (by an earlier run, or by the daily verification when the message was lost) is not
    verified again, and the one that answered it is returned. None when no such request is recorded."""
    request = AuditEvent.objects.filter(seq=request_seq, verb=VERIFICATION_REQUESTED).select_related("actor").first()
    if request is None:
        return None
    answered = AuditVerification.objects.filter(checked_through_seq__gte=request.seq).order_by("ran_at", "pk").first()
    if answered is not None:
        return answered
    return verify_audit_trail(requested_by=request.actor)
