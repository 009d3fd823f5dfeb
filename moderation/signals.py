"""Signals moderation sends for apps above it (retention) to react to, without moderation importing them."""

from django.dispatch import Signal

# Sent inside the transaction that stores a tip (385.5.3(c)), with `tip`: a receiver's failure stores nothing.
tip_received = Signal()
