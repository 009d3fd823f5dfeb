"""Stored files: a folder on this machine by default, S3 when configured, always through Django's storage API.

Four stores are configured in settings.STORAGES (see there): `default` (attachments and the like), `records`
(captured media, certificates), `exports` and `checkpoints`. Code never reads a file by its path on disk, so a
file written by one machine is read by any other.

On S3 the records and checkpoints bucket has Object Lock: what is written there is written once (a conditional
PUT that fails if the name is taken), locked until a date (COMPLIANCE or GOVERNANCE mode) and may carry a legal
hold; S3 itself then refuses to delete or shorten it, whoever asks. The functions below are the only place that
speaks to S3 beyond the storage API. On a folder they do what a folder can: files are created exclusively and
made read-only, and locks and holds are recorded by the caller but not enforced by anything (`lock_status` says
so, and `manage.py storage_check` warns).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class SettingFolderStorage(FileSystemStorage):
    """A folder named by a setting, read each time it is used, so changing the setting (as tests do) moves it."""

    def __init__(self, setting: str = "MEDIA_ROOT", **kwargs):
        self._setting = setting
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(getattr(settings, self._setting))

    @property
    def location(self):
        return os.path.abspath(self.base_location)


class ObjectLocked(Exception):
    """The storage refused to delete or change an object because of its lock or legal hold."""


def get(alias: str) -> Storage:
    return storages[alias]


# S3 answers each request in tens of milliseconds wherever it runs, so many small objects go several at a time.
_POOL_SIZE = 8
_pool = None
_pool_lock = threading.Lock()


def each(function, items, *, storage: Storage) -> list:
    """`[function(item) for item in items]`, several at a time when `storage` is S3 (a folder is faster one by one).
    The threads are kept for the process's life, so each keeps its S3 connection."""
    items = list(items)
    if not is_s3(storage) or len(items) < 2:
        return [function(item) for item in items]
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=_POOL_SIZE, thread_name_prefix="storage")
    return list(_pool.map(function, items))


def is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def _client(storage: Storage):
    return storage.connection.meta.client


def _key(storage: Storage, name: str) -> str:
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(name))


def _error_code(exc) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    # A retention date ends at the end of that day, UTC: the record is kept through the whole day.
    return datetime.combine(value, time(23, 59, 59), tzinfo=UTC)


@dataclass(frozen=True)
class Written:
    name: str
    version: str  # the object version on S3; "" on a folder


def write_once(
    storage: Storage,
    name: str,
    content: bytes | BinaryIO,
    *,
    retain_until: date | datetime | None = None,
    mode: str | None = None,
    content_type: str = "application/octet-stream",
) -> Written:
    """Write `name` once: FileExistsError if something is already stored under it. On S3 the object is locked
    until `retain_until` in `mode` (COMPLIANCE or GOVERNANCE) when one is given."""
    if is_s3(storage):
        from botocore.exceptions import ClientError

        extra = {}
        if retain_until is not None:
            extra = {
                "ObjectLockMode": (mode or settings.RECORDS_LOCK_MODE).upper(),
                "ObjectLockRetainUntilDate": _as_datetime(retain_until),
            }
        body = content if isinstance(content, bytes | bytearray) else content.read()
        try:
            response = _client(storage).put_object(
                Bucket=storage.bucket_name,
                Key=_key(storage, name),
                Body=body,
                ContentType=content_type,
                IfNoneMatch="*",
                **extra,
            )
        except ClientError as exc:
            if _error_code(exc) in {"PreconditionFailed", "ConditionalRequestConflict"}:
                raise FileExistsError(name) from exc
            raise
        return Written(name, response.get("VersionId", "") or "")
    path = storage.path(name)  # the folder store, which has paths; S3 returned above
    os.makedirs(os.path.dirname(path), exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(descriptor, "wb") as handle:
        if isinstance(content, bytes | bytearray):
            handle.write(content)
        else:
            for chunk in iter(lambda: content.read(1 << 20), b""):
                handle.write(chunk)
    return Written(name, "")


def extend_lock(storage: Storage, name: str, *, version: str, retain_until: date | datetime, mode: str) -> bool:
    """Lock the object version until `retain_until`, or leave it if it is already locked at least that long: a lock
    is never shortened (S3 refuses it in COMPLIANCE mode; here it is not even asked). True when it changed."""
    if not is_s3(storage):
        return False
    client, key = _client(storage), _key(storage, name)
    wanted = _as_datetime(retain_until)
    head = client.head_object(Bucket=storage.bucket_name, Key=key, **({"VersionId": version} if version else {}))
    current = head.get("ObjectLockRetainUntilDate")
    if current is not None and current >= wanted:
        return False
    client.put_object_retention(
        Bucket=storage.bucket_name,
        Key=key,
        **({"VersionId": version} if version else {}),
        Retention={"Mode": mode.upper(), "RetainUntilDate": wanted},
    )
    return True


def set_legal_hold(storage: Storage, name: str, *, version: str, on: bool) -> bool:
    """Place or remove an Object Lock legal hold on the object version. False where the store has none."""
    if not is_s3(storage):
        return False
    _client(storage).put_object_legal_hold(
        Bucket=storage.bucket_name,
        Key=_key(storage, name),
        **({"VersionId": version} if version else {}),
        LegalHold={"Status": "ON" if on else "OFF"},
    )
    return True


@dataclass(frozen=True)
class ObjectVersion:
    version: str
    size: int
    latest: bool


def versions(storage: Storage, name: str) -> list[ObjectVersion]:
    """Every stored version of `name` (delete markers left out); on a folder, the file itself if it is there."""
    if not is_s3(storage):
        return [ObjectVersion("", storage.size(name), True)] if storage.exists(name) else []
    key = _key(storage, name)
    found = []
    paginator = _client(storage).get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=key):
        for item in page.get("Versions", []):
            if item["Key"] == key:
                found.append(ObjectVersion(item["VersionId"], item["Size"], bool(item.get("IsLatest"))))
    return found


def delete_versions(storage: Storage, name: str) -> list[str]:
    """Delete every version of `name` (and its delete markers). ObjectLocked, naming the version, when the store
    refuses one because of its lock or hold; the versions deleted before it stay deleted. Returns the versions
    deleted ("" for a file in a folder)."""
    if not is_s3(storage):
        if storage.exists(name):
            path = storage.path(name)
            os.chmod(path, 0o644)  # written read-only by write_once
            storage.delete(name)
            return [""]
        return []
    from botocore.exceptions import ClientError

    client, key, deleted = _client(storage), _key(storage, name), []
    paginator = client.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=key):
        for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
            if item["Key"] != key:
                continue
            try:
                client.delete_object(Bucket=storage.bucket_name, Key=key, VersionId=item["VersionId"])
            except ClientError as exc:
                if _error_code(exc) in {"AccessDenied", "InvalidRequest"}:
                    raise ObjectLocked(f"{name} version {item['VersionId']}: {_error_code(exc)}") from exc
                raise
            if "Size" in item:
                deleted.append(item["VersionId"])
    return deleted


def open_version(storage: Storage, name: str, version: str = "") -> BinaryIO:
    """The stored bytes of `name` (a given version on S3), streamed."""
    if is_s3(storage) and version:
        response = _client(storage).get_object(Bucket=storage.bucket_name, Key=_key(storage, name), VersionId=version)
        return response["Body"]
    return storage.open(name, "rb")


def latest_version(storage: Storage, name: str) -> str:
    """The version S3 serves for `name` now ("" on a folder, or when nothing is there)."""
    if not is_s3(storage):
        return ""
    from botocore.exceptions import ClientError

    try:
        head = _client(storage).head_object(Bucket=storage.bucket_name, Key=_key(storage, name))
    except ClientError:
        return ""
    return head.get("VersionId", "") or ""


def download_url(storage: Storage, name: str, *, filename: str, seconds: int) -> str | None:
    """A short-lived presigned address for downloading `name` as `filename`; None where the store has none."""
    if not is_s3(storage) or seconds <= 0:
        return None
    return _client(storage).generate_presigned_url(
        "get_object",
        Params={
            "Bucket": storage.bucket_name,
            "Key": _key(storage, name),
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
        },
        ExpiresIn=seconds,
    )


@dataclass(frozen=True)
class LockStatus:
    alias: str
    where: str
    write_once: bool
    detail: str


def lock_status(alias: str) -> LockStatus:
    """Whether the store `alias` keeps what is written there write-once, and why (for storage_check)."""
    storage = get(alias)
    if not is_s3(storage):
        if alias in ("records", "checkpoints"):
            detail = (
                "a folder on this machine: anyone with disk access can rewrite or delete its files; only the "
                "SHA-256 in the database would show it (set S3_BUCKET for Object Lock)"
            )
        else:
            detail = "a folder on this machine: only processes on this machine can use it (set S3_BUCKET for more)"
        return LockStatus(alias, f"folder {getattr(storage, 'location', '?')}", False, detail)
    from botocore.exceptions import ClientError

    where = f"s3://{storage.bucket_name}/{storage.location}".rstrip("/")
    if alias not in ("records", "checkpoints"):
        # Attachments and packages are deleted when their time comes (removal, expiry): no lock is wanted there.
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)  # reachable, or it raises
        return LockStatus(alias, where, False, "a bucket every machine shares (no lock wanted here)")
    try:
        config = _client(storage).get_object_lock_configuration(Bucket=storage.bucket_name)
    except ClientError as exc:
        return LockStatus(alias, where, False, f"no Object Lock on bucket {storage.bucket_name} ({_error_code(exc)})")
    enabled = config.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled") == "Enabled"
    return LockStatus(
        alias,
        where,
        enabled,
        "Object Lock enabled" if enabled else f"Object Lock is not enabled on bucket {storage.bucket_name}",
    )


def create_buckets() -> list[str]:
    """Create the configured buckets that do not exist yet, the records bucket with Object Lock (which S3 allows
    only when a bucket is created). For a first deployment and for tests; returns the buckets created."""
    created = []
    wanted = {}
    for alias in ("default", "exports", "records", "checkpoints"):
        storage = get(alias)
        if is_s3(storage):
            locked = alias in {"records", "checkpoints"}
            wanted[storage.bucket_name] = wanted.get(storage.bucket_name, False) or locked
    if not wanted:
        return created
    from botocore.exceptions import ClientError

    client = _client(get("default"))
    for bucket, locked in sorted(wanted.items()):
        try:
            client.head_bucket(Bucket=bucket)
            continue
        except ClientError:
            pass
        options = {"ObjectLockEnabledForBucket": True} if locked else {}
        if settings.S3_REGION and settings.S3_REGION != "us-east-1":
            options["CreateBucketConfiguration"] = {"LocationConstraint": settings.S3_REGION}
        client.create_bucket(Bucket=bucket, **options)
        if not locked:
            client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        created.append(bucket)
    return created


def stores(*, bucket: str, records_bucket: str, endpoint_url: str | None, region: str, presigned_seconds: int) -> dict:
    """settings.STORAGES for the four stores: folders named by settings without a bucket, S3 with one."""
    if not bucket:

        def folder(setting: str) -> dict:
            return {"BACKEND": "core.storage.SettingFolderStorage", "OPTIONS": {"setting": setting}}

        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "records": folder("MEDIA_ROOT"),
            "exports": folder("EXPORT_ROOT"),
            "checkpoints": folder("AUDIT_CHECKPOINT_DIR"),
        }

    def s3(bucket_name: str, location: str) -> dict:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket_name,
                "location": location,
                "endpoint_url": endpoint_url,
                "region_name": region,
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": presigned_seconds or 300,
                "signature_version": "s3v4",
                "addressing_style": "path" if endpoint_url else None,
            },
        }

    return {
        "default": s3(bucket, "media"),
        "records": s3(records_bucket, ""),
        "exports": s3(bucket, "exports"),
        "checkpoints": s3(records_bucket, "audit-checkpoints"),
    }


class _Store(LazyObject):
    """A store looked up by alias when first used, and again after settings.STORAGES changes (as default_storage
    is): a model field evaluates its storage once, at import."""

    def __init__(self, alias: str):
        super().__init__()
        self.__dict__["_alias"] = alias

    def _setup(self):
        self._wrapped = storages[self.__dict__["_alias"]]


_records = _Store("records")


@receiver(setting_changed)
def _stores_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _records._wrapped = empty


def records_store() -> Storage:
    """The records store, for a model field's `storage=` (a callable, so migrations do not freeze the backend)."""
    return _records
