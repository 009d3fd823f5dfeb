"""Signals other apps react to (posts imports nothing above it)."""

from django.dispatch import Signal

# Sent inside the transaction that changed a post's content: kwargs post, actor, previous_status.
post_content_changed = Signal()
# Sent after commit: kwargs post.
post_published = Signal()
post_removed = Signal()
# Sent inside the transaction that stopped a post at the moment of sending and returned it to review: kwargs post.
post_held = Signal()
# Sent after commit: kwargs comment (the website channel's comments arrive with the publishing work).
comment_received = Signal()
# Sent inside the transaction that stored a new wording (or the deletion) of a post seen on a department account:
# kwargs version (an AccountPostVersion). Receivers capture it in that transaction, so no wording goes unrecorded.
account_post_version_seen = Signal()
