"""Signed checkpoints of the audit trail, and the verification that compares the trail with them.

The hash chain shows a row altered or inserted in the middle of the trail, but not the newest rows deleted (the
chain that is left is whole), nor a trail rewritten from some row on with fresh hashes. A checkpoint closes that
gap: the newest event's sequence number and hash, and the time, signed with HMAC-SHA256 under
AUDIT_CHECKPOINT_KEY (a key the database does not hold) and written as a new file in AUDIT_CHECKPOINT_DIR. Files
are only ever added: each is created exclusively (O_EXCL) under a name that sorts by sequence number and time
(`checkpoint-<seq, 12 digits>-<UTC time>.json`), and none is rewritten. With S3 configured they go to the records
bucket instead (the `checkpoints` store), each written by a conditional PUT and locked with Object Lock for
AUDIT_CHECKPOINT_LOCK_DAYS, so not even the bucket's owner can remove one. Nothing is written while the trail is
empty (there is nothing to vouch for), nor when a checkpoint already names the newest event.

Verification walks the chain and compares it with every valid checkpoint: an event whose hash differs from the one
a checkpoint recorded, or a checkpoint beyond the newest event (the trail was cut back), is reported by sequence
number. A checkpoint file that is unsigned, altered or unreadable is reported and not trusted.

Without AUDIT_CHECKPOINT_KEY the key is derived from SECRET_KEY (for its own purpose, so it is not a key Django
uses for anything else); production should set a separate key, so that the server's SECRET_KEY alone cannot sign.
"""

import contextlib
import fnmatch
import hashlib
import hmac
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from botocore.exceptions import ClientError
from django.conf import settings

from . import storage
from .audit import CHECKPOINT, MISSING, TrailProblem, walk_chain
from .models import GENESIS_HASH, AuditEvent, AuditVerification

FORMAT = "socialgov-audit-checkpoint/1"
_TIME_FORMAT = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^checkpoint-(?P<seq>\d{12})-(?P<time>\d{8}T\d{12}Z)\.json$")
_GLOB = "checkpoint-*.json"
_DERIVED_KEY_PURPOSE = b"socialgov.core.checkpoints: audit checkpoint signature key"
_MAX_FILE_BYTES = 64 * 1024
# Problems listed in one report; beyond that they are counted.
PROBLEM_LIMIT = 200


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    written_at: datetime
    name: str

    @property
    def written(self) -> str:
        return self.written_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class CheckpointScan:
    valid: list[Checkpoint] = field(default_factory=list)  # oldest first
    problems: list[TrailProblem] = field(default_factory=list)


@dataclass(frozen=True)
class TrailReport:
    count: int
    head: str
    head_seq: int
    checkpoint: Checkpoint | None  # the newest valid checkpoint
    checkpoints: int  # valid checkpoints compared
    problems: tuple[TrailProblem, ...]
    more: int  # problems found beyond those listed

    @property
    def ok(self) -> bool:
        return not self.problems and not self.more

    def summary(self) -> str:
        """The problems by kind, each with its sequence numbers: "altered seq 3; missing seq 6-7"."""
        by_kind = defaultdict(list)
        for problem in self.problems:
            if problem.seq is not None:
                by_kind[problem.kind].append(problem.seqs)
        parts = [f"{kind} {', '.join(dict.fromkeys(labels))}" for kind, labels in by_kind.items()]
        untrusted = sum(1 for problem in self.problems if problem.seq is None)
        if untrusted:
            parts.insert(0, f"{untrusted} checkpoint file(s) not trusted")
        if self.more:
            parts.append(f"{self.more} more problem(s) not listed")
        return "; ".join(parts)


# Keys and signatures ---------------------------------------------------------------------------------------


def _derived_key(secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), _DERIVED_KEY_PURPOSE, hashlib.sha256).digest()


def signing_keys() -> list[bytes]:
    """The keys a checkpoint may be signed with, the one that signs first. AUDIT_CHECKPOINT_KEY holds one key or
    several, comma-separated, to rotate (new first); unset, the key is derived from SECRET_KEY (and, so that
    rotating SECRET_KEY does not disown the checkpoints already written, from SECRET_KEY_FALLBACKS)."""
    configured = [k.strip() for k in str(getattr(settings, "AUDIT_CHECKPOINT_KEY", "") or "").split(",")]
    keys = [k.encode("utf-8") for k in configured if k]
    if keys:
        return keys
    secret_keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_derived_key(secret) for secret in secret_keys if secret]


def uses_separate_key() -> bool:
    return bool(str(getattr(settings, "AUDIT_CHECKPOINT_KEY", "") or "").strip())


def _signed_content(seq: int, digest: str, written_at: datetime) -> bytes:
    content = {"format": FORMAT, "seq": seq, "hash": digest, "written_at": written_at.isoformat()}
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _signature(key: bytes, content: bytes) -> str:
    return hmac.new(key, content, hashlib.sha256).hexdigest()


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _store():
    return storage.get("checkpoints")


def _on_s3() -> bool:
    return storage.is_s3(_store())


def checkpoint_location(name: str = "") -> str:
    """Where checkpoints are kept (or one of them), for messages: a folder, or an S3 bucket and prefix."""
    if _on_s3():
        store = _store()
        return f"s3://{store.bucket_name}/{'/'.join(p for p in (store.location, name) if p)}"
    return str(checkpoint_dir() / name) if name else str(checkpoint_dir())


# Writing ---------------------------------------------------------------------------------------------------


def _create_exclusively(name: str, data: bytes) -> None:
    """Create `name` holding `data`; FileExistsError if it exists. On S3 a conditional PUT into the Object Lock
    bucket, locked for AUDIT_CHECKPOINT_LOCK_DAYS; in a folder, a file created exclusively, read-only and synced."""
    if _on_s3():
        storage.write_once(
            _store(),
            name,
            data,
            retain_until=datetime.now(UTC) + timedelta(days=settings.AUDIT_CHECKPOINT_LOCK_DAYS),
            mode=settings.RECORDS_LOCK_MODE,
            content_type="application/json",
        )
        return
    folder = checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _create_file(folder / name, data)


def _create_file(path: Path, data: bytes) -> None:
    """Create `path` holding `data`; fails if it exists. A file this call could not finish is removed (it is its
    own, never one that was there before)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    except BaseException:
        os.close(descriptor)
        path.unlink(missing_ok=True)
        raise
    os.close(descriptor)
    # The new name survives a crash too; not every platform or filesystem syncs a folder (the file itself is).
    with contextlib.suppress(OSError):
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def write_checkpoint(*, now: datetime | None = None) -> tuple[Checkpoint | None, bool]:
    """Sign and write the newest event's (seq, hash, time) as a new file. Returns the checkpoint that names the
    newest event and whether it was written now: (None, False) while the trail is empty, (that checkpoint, False)
    when a valid one already names the newest event. Raises OSError when the file cannot be written."""
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    if head is None:
        return None, False
    seq, digest = head
    existing = _checkpoint_of(seq, digest)
    if existing is not None:
        return existing, False
    written_at = (now or datetime.now(UTC)).astimezone(UTC)
    key = signing_keys()[0]
    for _ in range(5):
        name = f"checkpoint-{seq:012d}-{written_at.strftime(_TIME_FORMAT)}.json"
        content = _signed_content(seq, digest, written_at)
        body = {**json.loads(content), "signature": _signature(key, content)}
        try:
            _create_exclusively(name, (json.dumps(body, sort_keys=True) + "\n").encode("utf-8"))
        except FileExistsError:
            written_at += timedelta(microseconds=1)  # another writer took this instant; never overwrite it
            continue
        return Checkpoint(seq, digest, written_at, name), True
    raise FileExistsError(f"checkpoint names for seq {seq} at {written_at.isoformat()} are all taken")


# Reading ---------------------------------------------------------------------------------------------------


class _Untrusted(Exception):
    pass


def _load(name: str) -> Checkpoint:
    match = _NAME.match(name)
    if not match:
        raise _Untrusted("is not named as checkpoints are")
    try:
        with _store().open(name, "rb") as handle:
            raw = handle.read(_MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _Untrusted(f"cannot be read ({type(exc).__name__})") from exc
    try:
        body = json.loads(raw) if len(raw) <= _MAX_FILE_BYTES else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise _Untrusted("is not a checkpoint (not the JSON this server writes)")
    signature = body.get("signature")
    if not isinstance(signature, str) or not signature:
        raise _Untrusted("is not signed")
    seq, digest, written = body.get("seq"), body.get("hash"), body.get("written_at")
    try:
        if body.get("format") != FORMAT or not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise ValueError
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ValueError
        written_at = datetime.fromisoformat(written)
        if written_at.tzinfo is None:
            raise ValueError
    except (TypeError, ValueError) as exc:
        raise _Untrusted("is not a checkpoint (a field is missing or not as this server writes it)") from exc
    content = _signed_content(seq, digest, written_at)
    if not any(hmac.compare_digest(_signature(key, content), signature) for key in signing_keys()):
        raise _Untrusted(
            "has a signature that does not verify: the file was altered, or signed with a key this server "
            "does not hold (AUDIT_CHECKPOINT_KEY)"
        )
    named_time = datetime.strptime(match["time"], _TIME_FORMAT).replace(tzinfo=UTC)
    if int(match["seq"]) != seq or named_time != written_at.astimezone(UTC):
        raise _Untrusted(f"is named for another checkpoint than the one it holds (seq {seq}): it was renamed")
    return Checkpoint(seq, digest, written_at, name)


def _names(*, newest_first: bool, pattern: str = _GLOB) -> list[str]:
    if _on_s3():
        _folders, files = _store().listdir("")
        return sorted((n for n in files if fnmatch.fnmatchcase(n, pattern)), reverse=newest_first)
    folder = checkpoint_dir()
    if not folder.is_dir():
        if folder.exists():
            raise NotADirectoryError(20, "not a folder", str(folder))
        return []
    return sorted((p.name for p in folder.glob(pattern)), reverse=newest_first)


def _untrusted(name: str, why: str) -> TrailProblem:
    return TrailProblem(CHECKPOINT, f"the checkpoint file {name} {why}; it is not trusted")


def read_checkpoints() -> CheckpointScan:
    """Every checkpoint file: the valid ones (oldest first), and a problem for each one that cannot be trusted."""
    scan = CheckpointScan()
    try:
        paths = _names(newest_first=False)
    except (OSError, ClientError) as exc:
        why = getattr(exc, "strerror", None) or exc.__class__.__name__
        scan.problems.append(
            TrailProblem(CHECKPOINT, f"the checkpoint folder {checkpoint_location()} cannot be read ({why})")
        )
        return scan
    for path in paths:
        try:
            scan.valid.append(_load(path))
        except _Untrusted as untrusted:
            scan.problems.append(_untrusted(path, str(untrusted)))
    return scan


def _checkpoint_of(seq: int, digest: str) -> Checkpoint | None:
    """A valid checkpoint that already names this event, if there is one."""
    try:
        names = _names(newest_first=True, pattern=f"checkpoint-{seq:012d}-*.json")
    except NotADirectoryError:
        return None
    for path in names:
        try:
            checkpoint = _load(path)
        except _Untrusted:
            continue
        if checkpoint.hash == digest:
            return checkpoint
    return None


def latest_checkpoint() -> Checkpoint | None:
    """The newest checkpoint whose signature verifies (files that do not are passed over)."""
    try:
        paths = _names(newest_first=True)
    except (OSError, ClientError):
        return None
    for path in paths:
        try:
            return _load(path)
        except _Untrusted:
            continue
    return None


# Verifying -------------------------------------------------------------------------------------------------


def verify_trail(*, chunk_size: int = 2000, limit: int = PROBLEM_LIMIT) -> TrailReport:
    """Walk the whole chain and compare it with every valid checkpoint; report every problem found (the first
    `limit` of them listed, the rest counted), each by sequence number."""
    scan = read_checkpoints()
    expected = defaultdict(list)
    for checkpoint in scan.valid:
        expected[checkpoint.seq].append(checkpoint)
    problems: list[TrailProblem] = []
    more = 0

    def found(problem: TrailProblem):
        nonlocal more
        if len(problems) < limit:
            problems.append(problem)
        else:
            more += 1

    for problem in scan.problems:
        found(problem)
    count, head, head_seq = 0, GENESIS_HASH, 0
    for event, event_problems in walk_chain(chunk_size=chunk_size):
        count += 1
        for problem in event_problems:
            found(problem)
        for checkpoint in expected.get(event.seq, ()):
            if checkpoint.hash != event.hash:
                found(
                    TrailProblem(
                        MISSING,
                        f"the event the checkpoint written {checkpoint.written} recorded here is gone: this seq "
                        "now has another hash (the trail was cut back and written again, or rewritten up to here)",
                        seq=event.seq,
                        event_id=event.pk,
                    )
                )
        if event.seq >= head_seq:
            head_seq, head = event.seq, event.hash
    newest = max(scan.valid, key=lambda c: (c.seq, c.written_at), default=None)
    if newest is not None and newest.seq > head_seq:
        ends = f"ends at seq {head_seq}" if head_seq else "holds no event"
        found(
            TrailProblem(
                MISSING,
                f"the checkpoint written {newest.written} recorded the trail through seq {newest.seq}, but the "
                f"database {ends}: the newest events were deleted",
                seq=head_seq + 1,
                last_seq=newest.seq,
            )
        )
    # Problems in trail order; problems with checkpoint files (no seq) first.
    problems.sort(key=lambda p: (p.seq is not None, p.seq or 0))
    return TrailReport(count, head, head_seq, newest, len(scan.valid), tuple(problems), more)


def store_verification(report: TrailReport) -> AuditVerification:
    """Keep the result of a verification (the daily one, for the audit integrity page and its alerts)."""
    newest = report.checkpoint
    return AuditVerification.objects.create(
        ok=report.ok,
        events=report.count,
        checked_through_seq=report.head_seq,
        checkpoint_seq=newest.seq if newest else None,
        checkpoint_written_at=newest.written_at if newest else None,
        checkpoints=report.checkpoints,
        problems=[p.as_dict() for p in report.problems],
        more_problems=report.more,
    )


def latest_verification() -> AuditVerification | None:
    return AuditVerification.objects.order_by("-ran_at", "-pk").first()


def recent_verifications(limit: int = 30) -> list[AuditVerification]:
    return list(AuditVerification.objects.order_by("-ran_at", "-pk")[:limit])
