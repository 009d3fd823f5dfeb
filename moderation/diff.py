"""A word-level diff a reviewer can read: removed words struck out, added words marked."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\S+\s*|\s+")


def word_diff(old: str, new: str) -> SafeString:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f'<del><span class="visually-hidden">removed: </span>{escape("".join(a[i1:i2]))}</del>')
        if op in ("insert", "replace"):
            out.append(f'<ins><span class="visually-hidden">added: </span>{escape("".join(b[j1:j2]))}</ins>')
    # Reviewed: every piece of text above is escaped.
    return mark_safe("".join(out))  # noqa: S308  # nosec B308, B703
