"""What every rule needs: the shared normalized text and one way to turn a match into a Finding."""

import re
from collections.abc import Iterable

from django.conf import settings

from ..base import Finding
from ..normalize import Normalized, normalize

EXCERPT_LIMIT = 160


def setting(name: str, default):
    """A screening setting from Django settings (SCREENING_<NAME>), overridable per call in context.extra."""
    return getattr(settings, f"SCREENING_{name}", default)


def finding(
    norm: Normalized,
    start: int,
    end: int,
    *,
    rule_id: str,
    section: str,
    severity: str,
    explanation: str,
    excerpt: str | None = None,
    escalate: bool = False,
    data: dict | None = None,
) -> Finding:
    """A finding whose span is in the original text, for a match at [start, end) of the normalized text."""
    s, e = norm.span(start, end)
    if excerpt is None:
        excerpt = norm.original[s:e]
        if len(excerpt) > EXCERPT_LIMIT:
            excerpt = excerpt[: EXCERPT_LIMIT - 1] + "…"
    return Finding(
        rule_id=rule_id,
        section=section,
        severity=str(severity),
        start=s,
        end=e,
        excerpt=excerpt,
        explanation=explanation,
        escalate=escalate,
        data=data or {},
    )


def whole_text(rule_id: str, section: str, severity: str, explanation: str, excerpt: str = "", **kw) -> Finding:
    return Finding(rule_id, section, str(severity), -1, -1, excerpt, explanation, **kw)


def matches(pattern: re.Pattern, text: str) -> Iterable[re.Match]:
    return pattern.finditer(normalize(text).text)


def words(*alternatives: str) -> str:
    """A regex alternation of phrases whose spaces match any run of spaces or punctuation."""
    parts = sorted(alternatives, key=len, reverse=True)
    return "(?:" + "|".join(p.replace(" ", r"[\s\W_]+") for p in parts) + ")"
