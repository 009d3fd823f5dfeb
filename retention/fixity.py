"""Fixity: re-hash every kept record and every stored media file; any mismatch raises an alert."""

import hashlib

from django.utils import timezone

from core.audit import record_event
from core.notifications import notify
from members.models import Role
from posts.selectors import users_with_roles

from .models import FixityCheck, MediaBlob, Record


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
    for blob in MediaBlob.objects.all().iterator(chunk_size=500):
        check.media_checked += 1
        digest = hashlib.sha256()
        try:
            with blob.file.open("rb") as handle:
                for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError:
            mismatches.append({"media": blob.sha256, "problem": "file is missing"})
            continue
        if digest.hexdigest() != blob.sha256:
            mismatches.append({"media": blob.sha256, "problem": "file does not match its SHA-256"})
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
