"""Policy-aware screening of posts and public comments.

One entry point: `screen(text, kind="post"|"comment", context=...) -> list[Finding]`. Rules are small,
separate and registered (`@register`); each returns the findings it makes for one text.
"""

from .base import Finding, Screening, ScreeningContext, Severity, register, rules_for, screen, screen_text

__all__ = ["Finding", "Screening", "ScreeningContext", "Severity", "register", "rules_for", "screen", "screen_text"]
