"""Screening rules, one small registered function each, grouped by the part of policy 385 they enforce.

Importing this package registers every rule (base.py imports it on first use).
"""

from . import accessibility, comments, conduct, personal, professionalism, registry, security  # noqa: F401
