"""System checks for deployment (`manage.py check --deploy`)."""

from django.core.checks import Tags, Warning, register

from . import storage


@register(Tags.security, deploy=True)
def records_are_write_once(app_configs=None, **kwargs):
    """With S3 configured, the records and checkpoint buckets must have Object Lock: otherwise anyone holding the
    bucket's keys can rewrite a record's media and only its hash would tell (a folder is reported by storage_check)."""
    warnings = []
    for alias in ("records", "checkpoints"):
        if not storage.is_s3(storage.get(alias)):
            continue
        try:
            status = storage.lock_status(alias)
        except Exception as exc:  # noqa: BLE001 - an unreachable store is itself worth the warning
            warnings.append(Warning(f"Could not ask the {alias} bucket about Object Lock: {exc}", id="socialgov.W010"))
            continue
        if not status.write_once:
            warnings.append(
                Warning(
                    f"The {alias} store is not write-once: {status.detail}.",
                    hint="Create the bucket with Object Lock enabled (manage.py storage_check --create-buckets "
                    "does, for a new bucket) and point S3_RECORDS_BUCKET at it.",
                    id="socialgov.W010",
                )
            )
    return warnings
