"""The audit trail's daily verification: its result kept, and a failure made known to the Chief of Police and
the records custodian (an e-mail when it finds a new problem, a banner on every page while the trail fails)."""

from django.db import transaction
from django.urls import reverse

from core.audit import record_event
from core.checkpoints import latest_verification, store_verification, verify_trail
from core.models import AuditVerification
from core.notifications import notify
from posts.selectors import users_with_roles

from .permissions import AUDIT_ALERT_ROLES

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


def verify_audit_trail() -> AuditVerification:
    """Verify the trail against its checkpoints and keep the result. A failure e-mails the Chief and the records
    custodian when it finds a problem the run before did not (a problem already reported is not e-mailed again
    each day; the banner stays while the trail fails)."""
    report = verify_trail()  # read outside the transaction: a long walk must not hold SQLite's write lock
    with transaction.atomic():
        previous = latest_verification()
        verification = store_verification(report)
        record_event(
            "system",
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
