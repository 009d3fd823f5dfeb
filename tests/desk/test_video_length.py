"""A video longer than a platform takes is refused before approval (385.5(g)), like one too large: X takes 2 min
20 s, a Facebook Page video sent in one request 20 minutes. The running time is read from the file's container at
upload and shown on the post page."""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import PolicyViolation
from moderation import services as review
from posts import services as posts
from posts.models import Post
from posts.video import running_time, video_seconds
from tests.factories import ChannelFactory
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5(g)")]


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_lasting(seconds: float, *, timescale: int = 600, brand: bytes = b"isom", version: int = 0) -> bytes:
    """An ISO base media file (MP4, or QuickTime with brand "qt  ") whose movie header says it runs `seconds`."""
    ftyp = _box(b"ftyp", brand + struct.pack(">I", 512) + brand + b"mp41")
    units = round(seconds * timescale)
    if version == 0:
        times = struct.pack(">IIII", 0, 0, timescale, units)
    else:
        times = struct.pack(">QQIQ", 0, 0, timescale, units)
    rest = struct.pack(">IH", 0x00010000, 0x0100) + bytes(10)
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = _box(b"mvhd", bytes([version, 0, 0, 0]) + times + rest + matrix + bytes(24) + struct.pack(">I", 2))
    return ftyp + _box(b"moov", mvhd) + _box(b"mdat", bytes(range(256)) * 4)


def upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data, content_type="video/mp4")


@pytest.fixture
def x_channel(db):
    return ChannelFactory(name="X account", slug="x", kind="x")


@pytest.fixture
def facebook_channel(db):
    return ChannelFactory(name="Facebook Page", slug="facebook", kind="facebook")


def test_the_running_time_is_read_from_the_container():
    assert video_seconds(io.BytesIO(mp4_lasting(185.5))) == pytest.approx(185.5)
    assert video_seconds(io.BytesIO(mp4_lasting(31, timescale=90000, version=1))) == pytest.approx(31)
    assert video_seconds(io.BytesIO(mp4_lasting(12, brand=b"qt  "))) == pytest.approx(12)
    # A file whose container does not say is not given a length.
    assert video_seconds(io.BytesIO(mp4_lasting(12)[:40])) is None
    assert video_seconds(io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + bytes(300))) is None
    assert [running_time(s) for s in (45, 140, 185.5, 1200)] == ["45 s", "2 min 20 s", "3 min 6 s", "20 min"]


def test_a_video_longer_than_x_takes_is_refused_at_approval_and_facebook_takes_it(
    author, supervisor, x_channel, facebook_channel, signed_in
):
    post = draft(author, [x_channel, facebook_channel], body="Cadets at the range this morning.")
    clip = posts.add_attachment(actor=author, post=post, uploaded=upload("range.mp4", mp4_lasting(185)))
    assert clip.duration_seconds == pytest.approx(185)

    page = signed_in(author).get(f"/posts/{post.pk}/")
    assert "range.mp4 (Video, 1.1\xa0KB, 3 min 5 s)" in page.content.decode()

    review.submit_for_review(actor=author, post=post)
    with pytest.raises(PolicyViolation) as refused:
        review.approve_post(actor=supervisor, post=post)
    assert refused.value.section == "385.5(g)"
    assert "X account: range.mp4 runs 3 min 5 s; X takes videos up to 2 min 20 s." in str(refused.value)
    assert "Facebook" not in str(refused.value)
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW

    alone = draft(author, [facebook_channel], body="Cadets at the range this morning.")
    posts.add_attachment(actor=author, post=alone, uploaded=upload("range.mp4", mp4_lasting(185)))
    review.submit_for_review(actor=author, post=alone)
    assert review.approve_post(actor=supervisor, post=alone).status in {Post.Status.APPROVED, Post.Status.PUBLISHED}


def test_facebook_refuses_a_video_longer_than_one_request_carries(author, supervisor, facebook_channel):
    post = draft(author, [facebook_channel], body="The full council meeting.")
    posts.add_attachment(actor=author, post=post, uploaded=upload("council.mp4", mp4_lasting(25 * 60)))
    review.submit_for_review(actor=author, post=post)
    with pytest.raises(PolicyViolation, match="council.mp4 runs 25 min; Facebook takes videos up to 20 min"):
        review.approve_post(actor=supervisor, post=post)


def test_a_video_whose_length_is_unknown_is_left_to_the_platform(author, supervisor, x_channel):
    post = draft(author, [x_channel], body="Cadets at the range this morning.")
    clip = posts.add_attachment(
        actor=author, post=post, uploaded=upload("range.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(300))
    )
    assert clip.duration_seconds is None
    review.submit_for_review(actor=author, post=post)
    assert review.approve_post(actor=supervisor, post=post).status in {Post.Status.APPROVED, Post.Status.PUBLISHED}
