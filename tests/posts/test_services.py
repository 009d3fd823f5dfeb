from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import InvalidInput, PermissionRefused, PolicyViolation
from core.models import AuditEvent, Notification
from posts import services as posts
from posts.models import Attachment, Channel, Post, PostRequest
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db


def counts():
    return (Post.objects.count(), Attachment.objects.count(), AuditEvent.objects.count())


class TestDraftBadInput:
    @pytest.mark.policy("385.4")
    @pytest.mark.parametrize(
        "field,override,message",
        [
            ("body", {"body": "   "}, "The body is empty"),
            ("category", {"category": ""}, "Choose a category from 385.4"),
            ("category", {"category": "gossip"}, "Choose a category from 385.4"),
            ("title", {"title": ""}, "Give the post a headline"),
            ("channels", {"channels": []}, "Choose at least one channel"),
            ("scheduled_for", {"scheduled_for": "past"}, "in the past"),
            ("translation_language", {"translation_body": "Hola", "translation_language": ""}, "language"),
        ],
    )
    def test_refused_naming_the_field_and_nothing_saved(self, author, channel, field, override, message):
        if override.get("scheduled_for") == "past":
            override = {"scheduled_for": timezone.now() - timedelta(minutes=5)}
        before = counts()
        channels = override.pop("channels", [channel])
        with pytest.raises(InvalidInput) as refused:
            draft(author, channels, **override)
        assert refused.value.field == field
        assert message in refused.value.message
        assert counts() == before

    def test_unknown_channel_is_named(self, channel):
        with pytest.raises(InvalidInput) as refused:
            posts.resolve_channels(["news", "myspace"])
        assert refused.value.field == "channels" and "myspace" in refused.value.message

    def test_inactive_channel_is_refused(self, author, channel, chief):
        posts.save_channel(actor=chief, channel=channel, is_active=False)
        with pytest.raises(InvalidInput) as refused:
            draft(author, [channel])
        assert refused.value.field == "channels"

    @pytest.mark.policy("385.3")
    def test_member_without_authorization_is_sent_to_post_requests(self, member, channel):
        with pytest.raises(PermissionRefused) as refused:
            draft(member, [channel])
        assert "post request" in refused.value.message


class TestEditing:
    def test_stale_form_is_refused_and_keeps_the_other_edit(self, author, channel, supervisor):
        post = draft(author, [channel])
        opened = post.version
        posts.update_post(
            actor=supervisor,
            post=post,
            expected_version=opened,
            title="Theirs",
            body="Their text",
            category=post.category,
            channels=[channel],
        )
        with pytest.raises(posts.StaleEdit) as refused:
            posts.update_post(
                actor=author,
                post=post,
                expected_version=opened,
                title="Mine",
                body="My text",
                category=post.category,
                channels=[channel],
            )
        assert "Someone else changed this post" in refused.value.message
        post.refresh_from_db()
        assert (post.title, post.body, post.version) == ("Theirs", "Their text", opened + 1)

    def test_every_revision_is_kept(self, author, channel):
        post = draft(author, [channel])
        for n in range(3):
            posts.update_post(
                actor=author,
                post=post,
                expected_version=post.version,
                title=post.title,
                body=f"Version {n}",
                category=post.category,
                channels=[channel],
            )
            post.refresh_from_db()
        bodies = [h.body for h in post.history.order_by("history_id")]
        assert {"Version 0", "Version 1", "Version 2"} <= set(bodies)
        assert post.history.filter(history_user=author).exists()


class TestAttachments:
    def test_image_is_checked_by_content_and_needs_alt_text(self, author, channel, png_upload):
        post = draft(author, [channel])
        with pytest.raises(InvalidInput) as refused:
            posts.add_attachment(actor=author, post=post, uploaded=png_upload, alt_text="")
        assert refused.value.field == "alt_text"
        attachment = posts.add_attachment(actor=author, post=post, uploaded=png_upload, alt_text="A red square")
        assert attachment.kind == "image" and attachment.content_type == "image/png" and len(attachment.sha256) == 64

    def test_content_not_matching_its_name_is_refused(self, author, channel):
        post = draft(author, [channel])
        fake = SimpleUploadedFile("flyer.jpg", b"MZ\x90\x00 this is a Windows program", content_type="image/jpeg")
        before = counts()
        with pytest.raises(InvalidInput) as refused:
            posts.add_attachment(actor=author, post=post, uploaded=fake, alt_text="Flyer")
        assert refused.value.field == "file" and "by its content" in refused.value.message
        assert counts() == before

    def test_png_named_as_pdf_is_refused(self, author, channel, png_upload):
        post = draft(author, [channel])
        png_upload.name = "report.pdf"
        with pytest.raises(InvalidInput) as refused:
            posts.add_attachment(actor=author, post=post, uploaded=png_upload, alt_text="x")
        assert "its content is image/png" in refused.value.message

    def test_oversize_file_is_refused(self, author, channel, png_upload, settings):
        settings.ATTACHMENT_MAX_BYTES = 10
        post = draft(author, [channel])
        with pytest.raises(InvalidInput) as refused:
            posts.add_attachment(actor=author, post=post, uploaded=png_upload, alt_text="x")
        assert refused.value.field == "file" and "larger than" in refused.value.message


class TestChannels:
    @pytest.mark.policy("385.5.1(a)")
    def test_channel_page_knows_which_notices_are_missing(self, chief, channel):
        assert len(channel.missing_disclaimers()) == 3
        posts.save_channel(actor=chief, channel=channel, disclaimer_opinions=True, disclaimer_public_records=True)
        channel.refresh_from_db()
        assert channel.missing_disclaimers() == [Channel.DISCLAIMERS[1][1]]
        event = AuditEvent.objects.get(verb="channel.changed")
        assert event.details == {"disclaimer_opinions": True, "disclaimer_public_records": True}

    @pytest.mark.parametrize("kind", ["instagram", "nextdoor", "youtube", "nixle", "other"])
    def test_a_channel_type_it_cannot_publish_to_is_refused(self, chief, kind):
        with pytest.raises(InvalidInput) as refused:
            posts.save_channel(actor=chief, name="City page", kind=kind)
        assert refused.value.field == "kind" and "Posted by hand" in refused.value.message
        assert not Channel.objects.filter(name="City page").exists()

    def test_the_channel_form_offers_only_types_it_publishes_to(self, chief, signed_in):
        page = signed_in(chief).get("/channels/new/").content.decode()
        for kind in ("website", "mastodon", "facebook", "x", "webhook", "manual"):
            assert f'value="{kind}"' in page, kind
        for kind in ("instagram", "nextdoor", "youtube", "nixle"):
            assert f'value="{kind}"' not in page, kind

    def test_team_member_cannot_manage_channels(self, team, channel):
        with pytest.raises(PermissionRefused):
            posts.save_channel(actor=team, channel=channel, is_active=False)


@pytest.mark.policy("385.3")
class TestPostRequests:
    def test_member_asks_team_converts_and_requester_is_credited(self, member, team, chief, channel):
        from members.services import grant_authorization

        grant_authorization(actor=chief, member=team, channels=[channel])
        request = posts.create_post_request(
            actor=member, text="Lost dog found near the station.", reason="Reunite the owner"
        )
        assert Notification.objects.filter(event="post_request.created", recipient=team).exists()
        post = posts.convert_post_request(
            actor=team,
            request=request,
            title="Found dog",
            category="community_outreach",
            channels=[channel],
            body=request.text,
        )
        request.refresh_from_db()
        assert request.status == PostRequest.Status.CONVERTED and post.request == request
        assert Notification.objects.filter(event="post_request.converted", recipient=member).exists()

    def test_a_requests_attachments_are_carried_into_the_draft(self, member, team, chief, channel, png_upload):
        from members.services import grant_authorization

        grant_authorization(actor=chief, member=team, channels=[channel])
        png_upload.name = "found-dog.png"
        photo = png_upload
        request = posts.create_post_request(
            actor=member, text="Lost dog found near the station.", reason="Reunite the owner", files=[photo]
        )
        original = request.attachments.get()
        convert = dict(
            actor=team, request=request, title="Found dog", category="community_outreach", channels=[channel],
            body=request.text,
        )  # fmt: skip
        with pytest.raises(InvalidInput) as undescribed:
            posts.convert_post_request(**convert)
        assert undescribed.value.field == f"alt_text_{original.pk}"
        request.refresh_from_db()
        assert request.status == PostRequest.Status.OPEN and not Post.objects.exists()

        post = posts.convert_post_request(**convert, alt_texts={original.pk: "A brown dog on a leash at the desk"})
        carried = post.attachments.get()
        assert (carried.original_name, carried.kind, carried.size) == ("found-dog.png", "image", original.size)
        assert carried.alt_text == "A brown dog on a leash at the desk"
        with carried.file.open("rb") as a, original.file.open("rb") as b:
            assert a.read() == b.read()
        assert carried.file.name != original.file.name  # the draft's own copy
        assert carried.uploaded_by == member  # credited to who sent it

    def test_the_request_page_asks_for_each_images_alt_text_when_converting(
        self, member, team, chief, channel, png_upload, signed_in
    ):
        from members.services import grant_authorization

        grant_authorization(actor=chief, member=team, channels=[channel])
        png_upload.name = "found-dog.png"
        request = posts.create_post_request(actor=member, text="Dog found.", reason="Owner", files=[png_upload])
        original = request.attachments.get()
        client = signed_in(team)
        page = client.get(f"/requests/{request.pk}/").content.decode()
        assert f'<label for="id_alt_text_{original.pk}">Alt text for “found-dog.png”' in page
        done = client.post(
            f"/requests/{request.pk}/",
            {
                "action": "convert", "title": "Found dog", "body": "Dog found.", "category": "community_outreach",
                "channels": [channel.pk], f"alt_text_{original.pk}": "A brown dog at the front desk",
            },
        )  # fmt: skip
        assert done.status_code == 302
        assert Post.objects.get().attachments.get().alt_text == "A brown dog at the front desk"

    def test_decline_needs_a_reason_and_tells_the_requester(self, member, team):
        request = posts.create_post_request(actor=member, text="Please post my yard sale", reason="Money")
        with pytest.raises(InvalidInput):
            posts.decline_post_request(actor=team, request=request, reason="")
        posts.decline_post_request(actor=team, request=request, reason="Private business (385.5.2(b))")
        request.refresh_from_db()
        assert request.status == PostRequest.Status.DECLINED
        assert Notification.objects.filter(event="post_request.declined", recipient=member).exists()

    def test_only_the_team_handles_requests(self, member, supervisor):
        request = posts.create_post_request(actor=member, text="x", reason="y")
        with pytest.raises(PermissionRefused):
            posts.decline_post_request(actor=supervisor, request=request, reason="no")


@pytest.mark.policy("385.5.2(b)")
class TestMediaPermission:
    def test_recorded_permission_lets_the_attachment_through(self, author, channel, supervisor, png_upload):
        from moderation import services as review

        permission = posts.record_media_permission(
            actor=author,
            description="Academy graduation photos",
            granted_by_name="Chief Reyes",
            granted_on=timezone.localdate(),
            document=SimpleUploadedFile("permission.pdf", b"%PDF-1.4\n%signed\n", content_type="application/pdf"),
        )
        post = draft(author, [channel])
        posts.add_attachment(
            actor=author,
            post=post,
            uploaded=png_upload,
            alt_text="Graduates",
            shows_department_activity=True,
            media_permission=permission,
        )
        review.submit_for_review(actor=author, post=post)
        post.refresh_from_db()
        review.approve_post(actor=supervisor, post=post)
        post.refresh_from_db()
        assert post.status == Post.Status.APPROVED

    def test_future_dated_permission_is_refused(self, author):
        with pytest.raises(InvalidInput) as refused:
            posts.record_media_permission(
                actor=author,
                description="x",
                granted_by_name="y",
                granted_on=timezone.localdate() + timedelta(days=2),
                document=SimpleUploadedFile("p.pdf", b"%PDF-1.4"),
            )
        assert refused.value.field == "granted_on"


def test_policy_violation_message_carries_its_section():
    error = PolicyViolation("385.3", "Needs supervisor approval")
    assert str(error) == "Needs supervisor approval (385.3)"
