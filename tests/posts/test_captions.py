"""Captions for a video (WCAG 2.1 1.2.2): attached with it through the service and the post page, refused for
anything but WebVTT text on a video, and screened like every other text the public reads (385.5)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import InvalidInput
from moderation import services as review
from moderation.screening import services as screening
from moderation.screening.rules import registry as registry_rule
from posts import services as posts
from posts.models import Attachment
from tests.posts.factories import draft
from tests.website.test_media import MP4

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5(c)")]
VTT = b"WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nWelcome to National Night Out.\n\nNOTE not shown\nan aside\n"


def video(name="night-out.mp4"):
    return SimpleUploadedFile(name, MP4, content_type="video/mp4")


def vtt(data=VTT, name="night-out.vtt"):
    return SimpleUploadedFile(name, data, content_type="text/vtt")


def test_a_video_takes_its_captions_and_their_words_are_what_the_public_reads(author, channel):
    post = draft(author, [channel])
    clip = posts.add_attachment(actor=author, post=post, uploaded=video(), captions=vtt())
    clip.refresh_from_db()
    assert clip.captions.name.endswith(".vtt")
    assert clip.captions_text() == "Welcome to National Night Out."


@pytest.mark.parametrize(
    ("uploaded", "captions", "message"),
    [
        (
            lambda: SimpleUploadedFile("flyer.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF"),
            vtt,
            "go with a video",
        ),
        (video, lambda: vtt(b"1\n00:00:00.000 --> 00:00:02.000\nHello\n"), "WebVTT"),
        (video, lambda: vtt(b"WEBVTT\n\n\xff\xfe bad"), "UTF-8"),
    ],
)
def test_captions_that_are_not_webvtt_for_a_video_are_refused_and_nothing_is_attached(
    author, channel, uploaded, captions, message
):
    post = draft(author, [channel])
    with pytest.raises(InvalidInput) as refused:
        posts.add_attachment(actor=author, post=post, uploaded=uploaded(), captions=captions())
    assert refused.value.field == "captions" and message in str(refused.value)
    assert not Attachment.objects.filter(post=post).exists()


def test_a_registry_name_in_the_captions_blocks_approval(author, channel, supervisor):
    registry_rule._cache.update(key=None, terms=())
    screening.add_confidential_term(
        actor=supervisor,
        term="Dana Whitfield",
        kind="witness",
        case_number="26-2210",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    post = draft(author, [channel])
    words = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nThanks to Dana Whitfield for the footage.\n"
    posts.add_attachment(actor=author, post=post, uploaded=video(), captions=vtt(words))
    submitted = review.submit_for_review(actor=author, post=post)
    finding = submitted.findings.get(rule_id="investigation.registry")
    assert finding.field == "captions" and finding.blocks
    registry_rule._cache.update(key=None, terms=())


def test_captions_are_attached_through_the_post_page(author, channel, signed_in):
    post = draft(author, [channel])
    client = signed_in(author)
    client.post(f"/posts/{post.pk}/attachments/", {"file": video(), "captions": vtt()})
    clip = Attachment.objects.get(post=post)
    assert clip.kind == "video" and clip.captions_text() == "Welcome to National Night Out."
