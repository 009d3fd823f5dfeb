"""The embedded default's broker (core/broker.py) hands a worker only whole messages. Kombu's own filesystem
writer fails the same test (a worker takes a file before it is written and drops it), which is why the product
does not use it."""

import importlib
from contextlib import contextmanager
from queue import Empty

import pytest
from django.conf import settings
from kombu import Connection
from kombu.utils import json as kombu_json

from core.broker import Transport


@contextmanager
def writer_and_reader(transport: str, folder):
    """Two connections to one queue folder: a sender's and a worker's channel."""
    folder.mkdir()
    (folder.parent / f"{folder.name}-done").mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "processed_folder": f"{folder}-done",
        "store_processed": False,
    }
    with (
        Connection("filesystem://", transport=transport, transport_options=options) as sender,
        Connection("filesystem://", transport=transport, transport_options=options) as worker,
    ):
        yield sender.default_channel, worker.default_channel


@pytest.mark.parametrize(
    ("transport", "module"),
    [("core.broker:Transport", "core.broker"), ("filesystem", "kombu.transport.filesystem")],
    ids=["socialgov", "kombu"],
)
def test_what_a_worker_finds_while_a_message_is_being_written(transport, module, tmp_path, monkeypatch):
    """The moment between creating a message's file and writing it, made to happen every time: the writer's
    serialisation is where a worker looks at the folder. The product's transport shows the worker nothing yet;
    Kombu's shows it an empty file, which it takes and cannot read: the message is lost. (If Kombu's case starts
    failing, Kombu has fixed its writer and core/broker.py can go.)"""
    seen_meanwhile = []

    def dumps_while_a_worker_looks(payload):
        try:
            seen_meanwhile.append(reader._get("race"))
        except (Empty, ValueError) as exc:
            seen_meanwhile.append(exc)
        return kombu_json.dumps(payload)

    with writer_and_reader(transport, tmp_path / "queue") as (writer, reader):
        monkeypatch.setattr(importlib.import_module(module), "dumps", dumps_while_a_worker_looks)
        writer._put("race", {"body": "Water main repair"})
        monkeypatch.undo()
        [meanwhile] = seen_meanwhile
        if transport == "filesystem":
            assert isinstance(meanwhile, ValueError)  # it read an empty file: nothing to decode
            with pytest.raises(Empty):
                reader._get("race")  # and took it: the message is gone
        else:
            assert isinstance(meanwhile, Empty)
            assert reader._get("race") == {"body": "Water main repair"}
    assert not list((tmp_path / "queue").iterdir()), "nothing is left in the folder, not even a partial file"


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="with REDIS_URL set, Redis is the broker")
def test_the_embedded_default_sends_its_tasks_through_it():
    from socialgov.celery import app

    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, Transport)
