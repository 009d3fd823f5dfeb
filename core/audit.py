"""Writing and verifying the audit chain. Services call `record_event`; nothing else writes AuditEvent."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction

from .context import current_client_ip
from .models import GENESIS_HASH, AuditEvent

# Any constant: the advisory lock that serializes appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 385_0001


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite runs write transactions one at a time (IMMEDIATE mode), which is the same guarantee.


def _describe(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = getattr(obj, "_meta", None)
    object_type = meta.label_lower if meta else type(obj).__name__.lower()
    return object_type, str(getattr(obj, "pk", "") or ""), str(obj)[:200]


def record_event(actor, verb: str, obj=None, *, details: dict | None = None, ip: str | None = None) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    object_type, object_id, object_repr = _describe(obj)
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        event = AuditEvent(
            seq=(last.seq + 1) if last else 1,
            created_at=datetime.now(UTC),
            actor=user,
            actor_repr=(user.get_username() if user else (actor if isinstance(actor, str) else "system"))[:150],
            verb=verb,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            ip=ip if ip is not None else current_client_ip.get(),
            details=details or {},
            prev_hash=last.hash if last else GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    seq: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    count: int
    head: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the chain in order; report the first row whose link, sequence or content does not hold."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        # Re-read timestamps in UTC so the canonical form matches what was hashed.
        event.created_at = event.created_at.astimezone(UTC)
        if event.seq != expected_seq:
            reason = f"sequence jumps from {expected_seq - 1} to {event.seq}: rows were deleted or inserted"
            return ChainReport(count, prev_hash, ChainBreak(event.pk, event.seq, reason))
        if event.prev_hash != prev_hash:
            reason = "does not link to the event before it: a row was deleted, inserted or altered before it"
            return ChainReport(count, prev_hash, ChainBreak(event.pk, event.seq, reason))
        if event.compute_hash() != event.hash:
            reason = "its content no longer matches its hash: the row was altered"
            return ChainReport(count, prev_hash, ChainBreak(event.pk, event.seq, reason))
        prev_hash = event.hash
        expected_seq += 1
        count += 1
    return ChainReport(count, prev_hash, None)
