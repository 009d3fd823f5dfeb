"""The copy of a video the website serves: the uploaded file with its metadata blanked (where it was filmed, on what
device, by whom), byte for byte the same otherwise.

Phones write the place a video was taken into its metadata (MP4 and QuickTime: a `©xyz` location in the `udta`
box, or XMP in a `uuid` box; WebM: `Tags`). The website does not re-encode video, so instead of rewriting the file
each metadata box keeps its place and size and becomes padding: in MP4 and QuickTime a `free` box of zeros, in WebM a
`Void` element of zeros. Nothing moves, so the offsets that point into the media data stay right and the video plays
as before.
"""

from __future__ import annotations

import struct

# MP4 / QuickTime (ISO base media file format) ---------------------------------------------------------------

# Boxes that only hold other boxes, walked to reach the metadata inside them.
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"moof", b"traf", b"mvex"}
# Boxes that hold metadata: user data (the `©xyz` location, device, author), the metadata box (iTunes-style tags,
# Apple's location keys), XMP; and `uuid` boxes at the top or in `moov` (XMP and makers' own data; deeper down a
# `uuid` box can be part of the media, such as a fragment's encryption data, and is left alone).
_METADATA = {b"udta", b"meta", b"XMP_"}


def _blank(data: bytearray, start: int, header: int, end: int, kind: bytes) -> None:
    data[start + 4 : start + 8] = kind
    data[start + header : end] = bytes(end - start - header)


def _walk_boxes(data: bytearray, start: int, end: int, *, parent: bytes) -> int:
    """Blank the metadata boxes between `start` and `end`; returns how many were blanked."""
    blanked = 0
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1:
            if position + 16 > end:
                break
            size = struct.unpack_from(">Q", data, position + 8)[0]
            header = 16
        elif size == 0:
            size = end - position  # to the end of the file
        if size < header or position + size > end:
            break  # not a box this reader understands: leave the rest as it is
        box_end = position + size
        if kind in _METADATA or (kind == b"uuid" and parent in (b"", b"moov")):
            _blank(data, position, header, box_end, b"free")
            blanked += 1
        elif kind in _CONTAINERS:
            blanked += _walk_boxes(data, position + header, box_end, parent=kind)
        position = box_end
    return blanked


def _is_iso_media(data: bytes) -> bool:
    return len(data) >= 12 and data[4:8] in (b"ftyp", b"moov", b"wide", b"free", b"mdat", b"skip")


# WebM (Matroska) ---------------------------------------------------------------------------------------------

_EBML = 0x1A45DFA3
_SEGMENT = 0x18538067
_TAGS = 0x1254C367
_VOID = 0xEC


def _vint(data: bytes, position: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-size integer at `position`: (value, length). The ID keeps its marker bit; a size does not."""
    first = data[position]
    length = 1
    mask = 0x80
    while length <= 8 and not first & mask:
        mask >>= 1
        length += 1
    if length > 8 or position + length > len(data):
        raise ValueError("not an EBML number")
    value = first if keep_marker else first & (mask - 1)
    for byte in data[position + 1 : position + length]:
        value = (value << 8) | byte
    return value, length


def _void_header(total: int) -> bytes:
    """A Void element's header whose element fills exactly `total` bytes (ID 1 byte + 8-byte size)."""
    payload = total - 9
    return bytes([_VOID, 0x01]) + payload.to_bytes(7, "big")


def _blank_webm(data: bytearray) -> int:
    position, blanked = 0, 0
    while position < len(data):
        element, id_length = _vint(data, position, keep_marker=True)
        size, size_length = _vint(data, position + id_length, keep_marker=False)
        body = position + id_length + size_length
        if element == _SEGMENT:
            end = min(len(data), body + size) if size != (1 << (7 * size_length)) - 1 else len(data)
            child = body
            while child < end:
                child_id, child_id_length = _vint(data, child, keep_marker=True)
                child_size, child_size_length = _vint(data, child + child_id_length, keep_marker=False)
                child_end = child + child_id_length + child_size_length + child_size
                if child_end > end:
                    break
                if child_id == _TAGS and child_end - child >= 9:
                    data[child:child_end] = _void_header(child_end - child) + bytes(child_end - child - 9)
                    blanked += 1
                child = child_end
            return blanked
        position = body + size
    return blanked


def stripped(data: bytes) -> bytes:
    """The video with its metadata blanked; the same length, the media untouched. A file neither reader knows is
    returned as it is (the upload check only lets MP4, QuickTime and WebM in)."""
    copy = bytearray(data)
    if _is_iso_media(data):
        _walk_boxes(copy, 0, len(copy), parent=b"")
    elif len(data) >= 4 and struct.unpack_from(">I", data, 0)[0] == _EBML:
        try:
            _blank_webm(copy)
        except (ValueError, IndexError):
            return bytes(data)
    return bytes(copy)
