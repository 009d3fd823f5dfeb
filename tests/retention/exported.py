"""Export packages as the tests read them: out of the exports store, as a download would, never by a path in it."""

import shutil
from pathlib import Path

from core import storage


def fetch(export, folder: Path) -> Path:
    """A copy of the export's package in `folder` (the test's own), read from the exports store."""
    target = folder / "fetched" / export.file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    with storage.get("exports").open(export.file_name, "rb") as source, open(target, "wb") as sink:
        shutil.copyfileobj(source, sink, 1 << 20)
    return target


def stored(export) -> bool:
    """Whether the exports store still has the package (any version of it, on S3)."""
    return bool(storage.versions(storage.get("exports"), export.file_name))
