"""Writing and verifying the audit chain. Services call `record_event`; nothing else writes AuditEvent."""

import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.ipv6 import clean_ipv6_address

from .context import current_api_token, current_client_ip
from .models import GENESIS_HASH, AuditEvent

# Any constant: the advisory lock that serializes appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 385_0001


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite runs write transactions one at a time (IMMEDIATE mode), which is the same guarantee.


def _describe(obj) -> tuple[str, str, str]:
    """(type, id, name) of what an event is about. The name says what kind of thing and which one ("post #12"),
    never its content: the trail cannot be edited, so a headline or a commenter's name in it would outlive the
    record's destruction (385.7). Members are named by their username."""
    if obj is None:
        return "", "", ""
    meta = getattr(obj, "_meta", None)
    object_type = meta.label_lower if meta else type(obj).__name__.lower()
    pk = str(getattr(obj, "pk", "") or "")
    if meta is not None and meta.label_lower == get_user_model()._meta.label_lower:
        return object_type, pk, obj.get_username()[:200]
    name = f"{meta.verbose_name} #{pk}" if meta is not None else type(obj).__name__
    return object_type, pk, name[:200]


def _field_max(name: str) -> int:
    return AuditEvent._meta.get_field(name).max_length


def _text(value, field: str) -> str:
    """As the database keeps it: no NUL characters (PostgreSQL refuses them), cut to the column's length."""
    return str(value or "").replace("\x00", "")[: _field_max(field)]


def normalize_ip(value, *, vendor: str | None = None) -> str | None:
    """The address as the database stores and returns it: None for empty or unparseable values (a Unix socket,
    a proxy's placeholder); IPv6 as Django writes it (compressed, lower-case, no zone index), and on PostgreSQL
    as its inet type gives it back, which writes an IPv4-compatible address (::a.b.c.d) with its last 32 bits
    dotted."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).strip().split("%", 1)[0])
    except ValueError:
        return None
    if address.version == 4:
        return str(address)
    text = clean_ipv6_address(str(address))
    if (vendor or connection.vendor) == "postgresql":
        words = [int.from_bytes(address.packed[i : i + 2], "big") for i in range(0, 16, 2)]
        if words[:6] == [0] * 6 and words[6] != 0:
            return f"::{ipaddress.IPv4Address(address.packed[12:])}"
    return text


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


def _json(details) -> dict:
    """Details as the JSON column gives them back: plain JSON types, string keys, no NUL characters."""
    return _without_nul(json.loads(json.dumps(details or {}, default=str)))


def record_event(actor, verb: str, obj=None, *, details: dict | None = None, ip: str | None = None) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction. Every value is normalised to what the
    database will store before it is hashed, so an untouched trail always verifies."""
    object_type, object_id, object_repr = _describe(obj)
    user = actor if getattr(actor, "pk", None) else None
    api_token = current_api_token.get()
    if api_token is not None:
        details = {**(details or {}), "api_token": api_token}
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        event = AuditEvent(
            seq=(last.seq + 1) if last else 1,
            created_at=datetime.now(UTC),
            actor=user,
            actor_repr=_text(
                user.get_username() if user else (actor if isinstance(actor, str) else "system"), "actor_repr"
            ),
            verb=_text(verb, "verb"),
            object_type=_text(object_type, "object_type"),
            object_id=_text(object_id, "object_id"),
            object_repr=_text(object_repr, "object_repr"),
            ip=normalize_ip(ip if ip is not None else current_client_ip.get()),
            details=_json(details),
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


# What a problem found in the trail says happened to it.
ALTERED = "altered"  # a row's content no longer matches its hash
INSERTED = "inserted"  # a row that does not link to the one before it, or repeats a sequence number
# Sequence numbers absent in the middle of the trail, or events a checkpoint recorded that are gone: the trail
# ends before the checkpoint's seq, or that seq now holds another hash (cut back and written again).
MISSING = "missing"
CHECKPOINT = "checkpoint"  # a checkpoint file that cannot be trusted (altered, unsigned, unreadable)


@dataclass(frozen=True)
class TrailProblem:
    """One thing wrong with the trail, named by the sequence numbers it concerns (`seq` to `last_seq`)."""

    kind: str
    reason: str
    seq: int | None = None
    last_seq: int | None = None
    event_id: int | None = None

    @property
    def seqs(self) -> str:
        if self.seq is None:
            return ""
        if self.last_seq is not None and self.last_seq != self.seq:
            return f"seq {self.seq}-{self.last_seq}"
        return f"seq {self.seq}"

    def __str__(self):
        where = f"event id {self.event_id} ({self.seqs})" if self.event_id is not None else self.seqs
        return f"{self.kind} {where}: {self.reason}" if where else f"{self.kind}: {self.reason}"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "seq": self.seq,
            "last_seq": self.last_seq,
            "event_id": self.event_id,
            "reason": self.reason,
            "text": str(self),
        }


def walk_chain(*, chunk_size: int = 2000):
    """Every event in sequence order with what its own place in the chain shows to be wrong: the sequence
    number (a gap: rows deleted; a repeat: a row inserted), the link to the event before it (a row inserted, or
    the one before rewritten with a new hash) and its content (the row altered). Yields (event, problems)."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    for event in AuditEvent.objects.order_by("seq", "pk").iterator(chunk_size=chunk_size):
        # Re-read timestamps in UTC so the canonical form matches what was hashed.
        event.created_at = event.created_at.astimezone(UTC)
        problems = []
        if event.seq < expected_seq:
            problems.append(
                TrailProblem(
                    INSERTED,
                    f"repeats sequence number {event.seq}: a row was inserted",
                    seq=event.seq,
                    event_id=event.pk,
                )
            )
        elif event.seq > expected_seq:
            # The missing numbers are named; this row's link to a row that is gone says nothing more.
            problems.append(
                TrailProblem(
                    MISSING,
                    f"sequence jumps from {expected_seq - 1} to {event.seq} at event id {event.pk}: "
                    "rows were deleted or inserted",
                    seq=expected_seq,
                    last_seq=event.seq - 1,
                )
            )
        elif event.prev_hash != prev_hash:
            before = f"seq {expected_seq - 1}" if expected_seq > 1 else "the start of the trail"
            problems.append(
                TrailProblem(
                    INSERTED,
                    f"does not link to {before}, the event before it: a row was inserted, or the one before it "
                    "replaced or altered",
                    seq=event.seq,
                    event_id=event.pk,
                )
            )
        if event.compute_hash() != event.hash:
            problems.append(
                TrailProblem(
                    ALTERED,
                    "its content no longer matches its hash: the row was altered",
                    seq=event.seq,
                    event_id=event.pk,
                )
            )
        yield event, problems
        if event.seq >= expected_seq:
            prev_hash = event.hash
            expected_seq = event.seq + 1


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the chain in order; report the first row whose link, sequence or content does not hold."""
    prev_hash = GENESIS_HASH
    count = 0
    for event, problems in walk_chain(chunk_size=chunk_size):
        if problems:
            return ChainReport(count, prev_hash, ChainBreak(event.pk, event.seq, problems[0].reason))
        prev_hash = event.hash
        count += 1
    return ChainReport(count, prev_hash, None)
