"""Checking a delivered export: is every file in the ZIP intact, and does the bag inside validate?

Every problem names the file it is about: a member damaged inside the ZIP (its CRC-32 no longer matches), a
payload or tag file whose SHA-256 differs from its manifest (with both digests), a file missing or not listed,
a Payload-Oxum that does not add up, a required file absent.
"""

import hashlib
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import bagit

from .bag import REQUIRED_FILES


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    records: int = 0
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_zip(path) -> list[str]:
    """The problems with an export ZIP; an empty list means it verifies."""
    return verify_package(path).problems


def verify_package(path, *, workdir=None) -> Verification:
    result = Verification()
    path = Path(path)
    if not path.is_file():
        result.problems.append(f"{path}: no such file")
        return result
    if not zipfile.is_zipfile(path):
        result.problems.append(f"{path}: not a ZIP file")
        return result
    with tempfile.TemporaryDirectory(prefix="verify-export-", dir=workdir) as tmp:
        try:
            damaged = _extract(path, Path(tmp), result.problems)
        except (zipfile.BadZipFile, OSError) as exc:
            result.problems.append(f"{path.name}: the ZIP cannot be read ({exc})")
            return result
        root = _bag_root(Path(tmp))
        if root is None:
            result.problems.append(f"{path.name}: no bagit.txt at the top of the ZIP or of its one folder")
            return result
        _check_bag(root, result, damaged)
    return result


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and "\\" not in name and ".." not in parts and ":" not in parts[0]


def _extract(path: Path, target: Path, problems: list[str]) -> set[str]:
    """Extract every member that reads back intact; report the others. Returns their names relative to the
    bag (so the bag check does not report them a second time as missing)."""
    damaged = set()
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        prefix = _common_folder([m.filename for m in members])
        for member in members:
            name = member.filename
            if not _safe(name):
                problems.append(f"{name}: unsafe path in the ZIP; not extracted")
                continue
            out = target / name
            out.parent.mkdir(parents=True, exist_ok=True)
            try:
                # Reading a member to its end checks its CRC-32: one altered byte in the ZIP shows up here.
                with archive.open(member) as source, open(out, "wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
            except Exception as exc:  # noqa: BLE001 - zlib, CRC and truncation errors all mean "damaged"
                out.unlink(missing_ok=True)
                problems.append(f"{name}: damaged inside the ZIP ({_why(exc)})")
                damaged.add(name[len(prefix) :] if prefix and name.startswith(prefix) else name)
    return damaged


def _why(exc: Exception) -> str:
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return "its CRC-32 does not match its content"
    if isinstance(exc, zlib.error):
        return f"its compressed data cannot be decompressed: {exc}"
    if isinstance(exc, EOFError):
        return "its compressed data ends too early"
    return f"{type(exc).__name__}: {exc}"


def _common_folder(names: list[str]) -> str:
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        return tops.pop() + "/"
    return ""


def _bag_root(tmp: Path) -> Path | None:
    if (tmp / "bagit.txt").is_file():
        return tmp
    folders = [p for p in tmp.iterdir() if p.is_dir()]
    if len(folders) == 1 and (folders[0] / "bagit.txt").is_file():
        return folders[0]
    return None


def _detail(detail) -> tuple[str, str]:
    if isinstance(detail, bagit.ChecksumMismatch):
        return detail.path, (
            f"{detail.path}: {detail.algorithm} checksum mismatch (expected {detail.expected}, found {detail.found})"
        )
    if isinstance(detail, bagit.FileMissing):
        return detail.path, f"{detail.path}: listed in the manifest but missing from the package"
    if isinstance(detail, bagit.UnexpectedFile):
        return detail.path, f"{detail.path}: in the package but not listed in any manifest"
    return getattr(detail, "path", ""), str(detail)


def _file_by_file(bag: bagit.Bag) -> list[tuple[str, str]]:
    """What bagit stops short of saying when the Payload-Oxum or completeness check fails first: which files
    are missing, unlisted or altered."""
    found = []
    only_in_manifest, only_on_disk = bag.compare_manifests_with_fs()
    found += [_detail(bagit.FileMissing(p)) for p in only_in_manifest]
    found += [_detail(bagit.UnexpectedFile(p)) for p in only_on_disk]
    for rel, hashes in bag.entries.items():
        expected = hashes.get("sha256")
        file = Path(bag.path) / rel
        if not expected or not file.is_file():
            continue
        digest = hashlib.sha256()
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != expected.lower():
            found.append(_detail(bagit.ChecksumMismatch(rel, "sha256", expected.lower(), digest.hexdigest())))
    return found


def _check_bag(root: Path, result: Verification, damaged: set[str]):
    problems = result.problems
    for required in REQUIRED_FILES:
        if not (root / required).is_file() and required not in damaged:
            problems.append(f"{required}: required file missing from the package")
    try:
        bag = bagit.Bag(str(root))
    except bagit.BagError as exc:
        problems.append(f"bagit.txt: not a valid bag ({exc})")
        return
    result.files = len(bag.entries)
    result.records = _record_count(root, bag, problems, damaged)
    try:
        bag.validate(processes=1)
        return
    except bagit.BagValidationError as exc:
        details = [_detail(d) for d in exc.details]
        if not exc.details or not any(isinstance(d, bagit.ChecksumMismatch) for d in exc.details):
            # A member damaged in the ZIP already explains a Payload-Oxum that no longer adds up.
            if not exc.details and not damaged:
                problems.append(f"bag-info.txt: {exc.message}")
            # Completeness or Payload-Oxum failed first, so bagit did not go on to compare checksums.
            details += _file_by_file(bag)
    except bagit.BagError as exc:
        problems.append(f"{root.name}: {exc}")
        return
    reported = set()
    for rel, message in details:
        if rel in damaged or (rel, message) in reported:
            continue
        reported.add((rel, message))
        problems.append(message)


def _record_count(root: Path, bag: bagit.Bag, problems: list[str], damaged: set[str]) -> int:
    jsonl = root / "data" / "records.jsonl"
    if not jsonl.is_file():
        return 0
    with open(jsonl, "rb") as handle:
        lines = sum(1 for line in handle if line.strip())
    declared = bag.info.get("Record-Count")
    if (
        declared is not None
        and str(declared).isdigit()
        and int(declared) != lines
        and "data/records.jsonl" not in damaged
    ):
        problems.append(f"data/records.jsonl: holds {lines} records but bag-info.txt says Record-Count {declared}")
    return lines
