"""Moderation pages, one module per area: post_pages, review, monitoring, reports."""
