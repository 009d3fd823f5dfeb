"""How long a video runs, read from its container (MP4, QuickTime, WebM) by hachoir, which parses the container
without decoding the video and needs no external program. Platforms limit a video's length
(posts/publishing/limits.py); the length is read once, at upload, and kept on the attachment."""

import logging

from hachoir.core import config as hachoir_config
from hachoir.metadata import extractMetadata
from hachoir.parser import guessParser
from hachoir.stream import InputIOStream

log = logging.getLogger(__name__)

# hachoir reports what it cannot parse on standard output unless told to keep quiet.
hachoir_config.quiet = True


def video_seconds(fileobj) -> float | None:
    """The running time of the video in `fileobj` (seekable, binary), in seconds; None when the container does
    not say (a damaged or unusual file: the platform then decides at sending)."""
    position = fileobj.tell()
    try:
        parser = guessParser(InputIOStream(fileobj, source="upload", tags=[]))
        if parser is None:
            return None
        metadata = extractMetadata(parser)  # not `with parser`: that would close the caller's file
        duration = metadata.get("duration", None) if metadata else None
        seconds = duration.total_seconds() if duration is not None else None
        return seconds if seconds and seconds > 0 else None
    except Exception:  # a parser's failure on an odd file is not the uploader's error; the length stays unknown
        log.info("The running time of an uploaded video could not be read", exc_info=True)
        return None
    finally:
        fileobj.seek(position)


def running_time(seconds: float) -> str:
    """As people read a clock: "2 min 20 s", "45 s", "20 min"."""
    whole = int(seconds + 0.5)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
