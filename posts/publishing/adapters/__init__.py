"""Each module registers one channel kind's adapter."""

from . import website  # noqa: F401
