"""Each module registers one channel kind's adapter."""

from . import facebook, mastodon, webhook, website, x  # noqa: F401
