"""The embedded default's message broker: Kombu's filesystem transport, with every message whole before a worker
can see it.

Kombu's own writer creates the message file under its final name and only then writes into it. A worker polling
the folder in another process can move and read the file in between, get an empty message and drop it (reported
as celery/kombu#1551); the task is lost until a sweeper sends it again. Here a message is written under a name no
worker reads, flushed to disk, and renamed into place: a rename within one folder is atomic, so a worker finds
either nothing or the whole message.

Its broker URL is "socialgov-filesystem://" (settings, when no REDIS_URL is set); `register()`, called where the
Celery app is made, tells Kombu which transport that is."""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

# Kombu reads only files named "<time>_<id>.<queue>.msg": a name starting with a dot is never one of them.
PARTIAL_PREFIX = ".partial-"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` on `queue`, visible to workers only once it is complete."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, PARTIAL_PREFIX + name)
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
                f.flush()
                os.fsync(f.fileno())
            os.replace(partial, final)
        except OSError as exc:
            try:
                os.unlink(partial)
            except OSError:
                pass
            raise ChannelError(f"Cannot add a message for queue {queue!r} to {self.data_folder_out!r}") from exc


class Transport(filesystem.Transport):
    Channel = Channel


SCHEME = "socialgov-filesystem"


def register() -> None:
    TRANSPORT_ALIASES[SCHEME] = f"{__name__}:Transport"
