"""Fixtures the moderation tests share."""

import pytest

from moderation import services as review
from posts import services as posts
from tests.posts.factories import draft


@pytest.fixture
def live(author, channel, supervisor, django_capture_on_commit_callbacks):
    """Publish through the real services; the post's record is captured on commit."""

    def publish(**overrides):
        args = {
            "title": "Help us find a silver sedan",
            "body": "Detectives ask anyone who saw a silver sedan near the park on Friday evening to send a tip.",
            "category": "investigative_request",
        }
        args.update(overrides)
        post = draft(author, [channel], **args)
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        post.refresh_from_db()
        return post

    return publish
