"""Publishing: one adapter per channel kind, a Publication per (post version, channel), exactly once."""
