"""Where packages are kept and media are read from: the stores of core.storage, never a path on disk, so the
worker that builds a package, the web process that hands it out and the sweeper that deletes it may each run on
a different machine.

A package is assembled in the worker's own staging folder (its scratch space) and, once whole, stored in the
`exports` store under its name: moved into the folder store, uploaded to S3 in parts (boto3's multipart upload,
a few parts in memory at a time whatever the package's size).
"""

from pathlib import Path
from typing import BinaryIO

from django.core.files import File

from core import storage

EXPORTS = "exports"
# What S3 answers for an object or version that is not there.
NOT_THERE = {"NoSuchKey", "NoSuchVersion", "404", "NotFound"}


def exports_store():
    return storage.get(EXPORTS)


def store_of(model, field: str):
    """The store a model's file field keeps its files in, as configured now: the field's storage is a callable
    (core.storage.records_store), and calling it again sees the settings of this process rather than those of
    the moment the model class was made."""
    found = model._meta.get_field(field)
    storage_callable = getattr(found, "_storage_callable", None)
    return storage_callable() if callable(storage_callable) else found.storage


def open_stored(store, name: str, version: str = "") -> BinaryIO:
    """The stored bytes of `name`, streamed as they are read: on S3 one object version (the given one, else the
    latest); FileNotFoundError when nothing is stored under that name. (The storage API's own S3 file downloads
    the whole object into memory before the first read.)"""
    if storage.is_s3(store):
        from botocore.exceptions import ClientError

        version = version or storage.latest_version(store, name)
        if version:
            try:
                return storage.open_version(store, name, version)
            except ClientError as exc:
                if str(exc.response.get("Error", {}).get("Code", "")) in NOT_THERE:
                    raise FileNotFoundError(f"{name} version {version}") from exc
                raise
    return store.open(name, "rb")


class _Staged(File):
    """The finished package in the staging folder: the folder store moves it into place rather than copying it."""

    def __init__(self, handle, *, name: str, path: Path):
        super().__init__(handle, name=name)
        self._path = path

    def temporary_file_path(self) -> str:
        return str(self._path)


def store_package(path: Path, name: str) -> str:
    """Store the package at `path` (in the staging folder) in the exports store as `name`; returns the name it is
    stored under. Whatever an earlier attempt stored under that name (a build that died after storing and before
    it was recorded) is deleted first: only a finished export is ever handed out, so nothing there is delivered."""
    store = exports_store()
    storage.delete_versions(store, name)
    with open(path, "rb") as handle:
        return store.save(name, _Staged(handle, name=name, path=path))


def delete_package(name: str) -> list[str]:
    """Delete the package `name` from the exports store, every version of it on S3 (a delete marker alone would
    leave the bytes in the bucket). Returns the versions deleted."""
    if not name:
        return []
    return storage.delete_versions(exports_store(), name)


def package_exists(name: str) -> bool:
    return bool(name) and exports_store().exists(name)


def download_address(name: str, *, filename: str, seconds: int) -> str | None:
    """A short-lived address the browser downloads the package from directly (S3), or None where the store gives
    none (a folder, or presigned addresses turned off): then the web process streams it."""
    return storage.download_url(exports_store(), name, filename=filename, seconds=seconds)
