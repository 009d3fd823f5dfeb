"""Screening rules. Each is small, registered, and tested on its own."""

import re

from .base import Finding, ScreeningContext, Severity, register

_GUILT = re.compile(
    r"\b(the guilty (?:man|woman|person|party|suspect)|we know (?:he|she|they) did it|will be convicted)\b",
    re.IGNORECASE,
)


@register("conduct.guilt", kinds=("post",))
def guilt_or_innocence(text: str, context: ScreeningContext) -> list[Finding]:
    """385.5.2(b): no statements about the guilt or innocence of a suspect, or pending prosecutions."""
    return [
        Finding(
            rule_id="conduct.guilt",
            section="385.5.2(b)",
            severity=Severity.ACKNOWLEDGE,
            start=m.start(),
            end=m.end(),
            excerpt=m.group(0),
            explanation="States or implies a suspect's guilt, or comments on a pending prosecution.",
        )
        for m in _GUILT.finditer(text)
    ]
