"""Fixity: re-hash every kept record and every stored media file; any mismatch raises an alert."""

import contextlib
import hashlib

from botocore.exceptions import ClientError
from django.utils import timezone

from core import storage as stores
from core.audit import record_event
from core.notifications import notify
from members.models import Role
from posts.selectors import users_with_roles

from .models import FixityCheck, MediaBlob, Record


def _media_problem(blob: MediaBlob) -> str:
    """Read the stored object back (on S3, the very version captured) and compare it with its SHA-256; on S3 also
    check that the name still serves that version (a newer one means someone wrote over it)."""
    storage, digest = blob.file.storage, hashlib.sha256()
    try:
        with contextlib.closing(stores.open_version(storage, blob.file.name, blob.version)) as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except (OSError, ClientError):
        return "file is missing"
    if digest.hexdigest() != blob.sha256:
        return "file does not match its SHA-256"
    if blob.version and stores.latest_version(storage, blob.file.name) != blob.version:
        return "another version was written over it (the captured version is intact)"
    return ""


def run_fixity_check() -> FixityCheck:
    check = FixityCheck.objects.create()
    mismatches = []
    for record in (
        Record.objects.filter(status=Record.Status.ACTIVE)
        .only("pk", "content", "sha256", "status")
        .iterator(chunk_size=2000)
    ):
        check.checked += 1
        if not record.verify():
            mismatches.append({"record": record.pk, "problem": "content does not match its SHA-256"})
    for blob in MediaBlob.objects.filter(disposed_at__isnull=True).iterator(chunk_size=500):
        check.media_checked += 1
        problem = _media_problem(blob)
        if problem:
            mismatches.append({"media": blob.sha256, "version": blob.version, "problem": problem})
    check.mismatches, check.finished_at = mismatches, timezone.now()
    check.save()
    record_event(
        "system",
        "fixity.checked",
        check,
        details={"records": check.checked, "media": check.media_checked, "mismatches": len(mismatches)},
    )
    if mismatches:
        notify(
            users_with_roles(Role.CUSTODIAN),
            event="fixity.mismatch",
            subject="Fixity check found problems",
            body="\n".join(str(m) for m in mismatches[:50]),
            url="/records/",
        )
    return check
