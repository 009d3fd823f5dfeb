"""A BagIt bag (RFC 8493, SHA-256 manifests) written straight into a ZIP.

Each file goes into the ZIP once and is hashed on its way in, so no file of the bag is written to disk by itself,
read back to be hashed, then read again to be zipped (as `bagit.make_bag` and `zipfile.write` over a folder did):
for 20,000 records that was 60,000 reads and writes of small files and most of the time after writing. What the
ZIP holds unpacks to a bag `bagit.py --validate` accepts: bagit.txt first (a reader streaming the ZIP knows at
once what it holds), the payload under data/, then bag-info.txt with its Payload-Oxum, the tag files, the
manifest and the tag manifest covering every tag file.

Memory stays flat: payload manifest lines go to a file in the staging folder as they are made; what grows is the
ZIP's central directory (zipfile keeps a small entry per member until it writes the directory at the end).
"""

import hashlib
import re
import shutil
import time
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

BAGIT_TXT = b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
BLOCK = 1 << 20
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Deflate level for text (HTML, JSON Lines, CSV). Level 1 runs about three times as fast as zip's default 6 on
# these files, for a ZIP about a fifth larger; media and PDFs are already compressed and are stored as they are.
TEXT_LEVEL = 1


def _encode_name(name: str) -> str:
    # As bagit writes manifest paths: a line break in a name would end the line.
    return name.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


class _Member:
    """A file being written into the ZIP: hashed and counted as it goes."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.handle.write(data)


class BagZip:
    """Write a bag into the ZIP at `path`, every member under the folder `root`. The caller adds the payload,
    then calls `finish` with the bag-info fields and the tag files; `close` (also on failure) ends the ZIP."""

    def __init__(self, path: Path, root: str, *, staging: Path, text_level: int = TEXT_LEVEL):
        self.path = path
        self.root = root
        self.text_level = text_level
        self.when = time.localtime()[:6]
        self.zip = zipfile.ZipFile(path, "w", allowZip64=True)
        self.manifest_path = staging / f"{MANIFEST}.part"
        self.manifest = open(self.manifest_path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self.octets = 0
        self.files = 0
        # bagit.txt first, through zipfile's own writestr: the ZIP then knows it was written to and writes its
        # central directory on close, including the members `_bytes` adds by itself.
        self.zip.writestr(self._info("bagit.txt", compress=True), BAGIT_TXT)
        self.tags: list[tuple[str, str]] = [(hashlib.sha256(BAGIT_TXT).hexdigest(), "bagit.txt")]

    # Members ---------------------------------------------------------------------------------------------------

    def _info(self, name: str, *, compress: bool, size: int = 0) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.root}/{name}", self.when)
        info.external_attr = 0o644 << 16
        info.file_size = size  # a hint: zipfile chooses ZIP64 headers for a member that may pass 4 GiB
        if compress:
            info.compress_type = zipfile.ZIP_DEFLATED
            # zipfile reads the level of a member it opens for writing from the ZipInfo (compress_level since 3.13).
            setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", self.text_level)
        else:
            info.compress_type = zipfile.ZIP_STORED
        return info

    def _bytes(self, name: str, data: bytes, *, compress: bool) -> str:
        """Add a member from memory, its header written once, complete. (zipfile.writestr writes a blank header,
        the data, then seeks back to rewrite the header and forward again: three writes and two seeks a member,
        a fifth of an export's time when there is a file per record.) zipfile still writes the central directory,
        from the entries added to it here, when the ZIP is closed."""
        info = self._info(name, compress=compress)
        if compress:
            # A window no larger than the file, and a smaller hash table: the same bytes out for a file of a few
            # kilobytes, in half the time (most of it went to setting up zlib's 256 KB of state per member).
            window = max(9, min(15, (len(data) - 1).bit_length()))
            deflate = zlib.compressobj(self.text_level, zlib.DEFLATED, -window, 6)
            body = deflate.compress(data) + deflate.flush()
        else:
            body = data
        info.file_size, info.compress_size, info.CRC = len(data), len(body), zlib.crc32(data)
        archive = self.zip
        info.header_offset = archive.start_dir  # where zipfile leaves the file between members
        archive.fp.write(info.FileHeader())
        archive.fp.write(body)
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        archive.start_dir = archive.fp.tell()
        return hashlib.sha256(data).hexdigest()

    @contextmanager
    def _stream(self, name: str, *, compress: bool, size: int = 0):
        with self.zip.open(self._info(name, compress=compress, size=size), "w", force_zip64=size == 0) as handle:
            member = _Member(handle)
            yield member

    def _payload(self, name: str, digest: str, size: int):
        self.manifest.write(f"{digest}  {_encode_name(name)}\n")
        self.octets += size
        self.files += 1

    def add_payload(self, name: str, data: bytes, *, compress: bool = True) -> str:
        """Add a payload file (`name` under data/) from memory; returns its SHA-256. (Compressing in a thread of
        its own while the next record is made was measured slower: the two threads spent more on the interpreter
        lock than zlib saved by running beside it.)"""
        digest = self._bytes(name, data, compress=compress)
        self._payload(name, digest, len(data))
        return digest

    @contextmanager
    def payload_stream(self, name: str, *, compress: bool, size: int = 0):
        """Add a payload file written piece by piece (`.write(bytes)`); its SHA-256 is `.digest` afterwards."""
        with self._stream(name, compress=compress, size=size) as member:
            yield member
        self._payload(name, member.digest.hexdigest(), member.size)

    def add_payload_file(self, name: str, path: Path, *, compress: bool = True) -> str:
        """Add a payload file from the staging folder, hashing it as it is copied in."""
        with open(path, "rb") as source, self.payload_stream(name, compress=compress, size=path.stat().st_size) as m:
            shutil.copyfileobj(source, m, BLOCK)
        return m.digest.hexdigest()

    def add_tag(self, name: str, data: bytes):
        self.tags.append((self._bytes(name, data, compress=True), name))

    def add_tag_file(self, name: str, path: Path):
        with open(path, "rb") as source, self._stream(name, compress=True, size=path.stat().st_size) as member:
            shutil.copyfileobj(source, member, BLOCK)
        self.tags.append((member.digest.hexdigest(), name))

    # The end of the bag ----------------------------------------------------------------------------------------

    @property
    def payload_oxum(self) -> str:
        return f"{self.octets}.{self.files}"

    def bag_info(self, info: dict) -> bytes:
        """bag-info.txt as bagit writes it: fields sorted, one line each, line breaks in values removed."""
        lines = []
        for key in sorted(info):
            values = info[key] if isinstance(info[key], list) else [info[key]]
            lines += [f"{key}: {LINE_BREAK.sub('', str(value))}\n" for value in values]
        return "".join(lines).encode("utf-8")

    def finish(self, info: dict, tags: list[tuple[str, bytes | Path]]):
        """Write bag-info.txt (with the Payload-Oxum), the tag files, the manifest and the tag manifest."""
        self.add_tag("bag-info.txt", self.bag_info({**info, "Payload-Oxum": self.payload_oxum}))
        for name, content in tags:
            if isinstance(content, Path):
                self.add_tag_file(name, content)
            else:
                self.add_tag(name, content)
        self.manifest.close()
        self.add_tag_file(MANIFEST, self.manifest_path)
        self._bytes(TAG_MANIFEST, "".join(f"{d} {n}\n" for d, n in self.tags).encode("utf-8"), compress=True)
        self.close()

    def close(self):
        if not self.manifest.closed:
            self.manifest.close()
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
