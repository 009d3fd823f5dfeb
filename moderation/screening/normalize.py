"""One normalized view of a text for every rule, with a map back to the original characters.

Rules match on `Normalized.text` (NFKC, casefolded, accents and look-alike letters folded, zero-width and
bidi-control characters removed) and report spans in the original text through `Normalized.span`, so a
reviewer's highlight lands on exactly what the author typed, however it was disguised.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Invisible characters used to split a word so a filter misses it, and bidi controls that reorder what a
# reader sees (Trojan Source): removed before matching.
_INVISIBLE = frozenset(
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F]
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070))
    + [0x3164, 0xFEFF, 0xFFA0]
)

# Cyrillic and Greek letters that look like Latin ones. NFKC leaves them alone, so "сор" in Cyrillic would
# otherwise pass as a different word from "cop".
_CONFUSABLES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ϲ": "c",
}  # fmt: skip


@dataclass(frozen=True)
class Normalized:
    original: str
    text: str
    # index_map[i] is the index in `original` of the character that produced text[i]
    index_map: tuple[int, ...] | None  # None: text is original.lower(), character for character

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the original text that produced text[start:end]."""
        if self.index_map is None:
            return start, end
        if start >= end:
            pos = self.index_map[start] if start < len(self.index_map) else len(self.original)
            return pos, pos
        return self.index_map[start], self.index_map[end - 1] + 1

    def excerpt(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]


@lru_cache(maxsize=256)
def _fold_char(ch: str) -> str:
    if ord(ch) in _INVISIBLE or unicodedata.category(ch) == "Cf":
        return ""
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        c = _CONFUSABLES.get(c, c)
        out.extend(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))
    return "".join(out)


@lru_cache(maxsize=32)
def normalize(text: str) -> Normalized:
    """Normalize once per text; every rule in one `screen` call shares the result."""
    if text.isascii():
        return Normalized(text, text.lower(), None)
    chars: list[str] = []
    index_map: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            chars.append(ch.lower())
            index_map.append(i)
            continue
        folded = _fold_char(ch)
        chars.append(folded)
        index_map.extend([i] * len(folded))
    return Normalized(text, "".join(chars), tuple(index_map))


def fold(text: str) -> str:
    """The normalized text alone, for terms and settings compared against `Normalized.text`."""
    return normalize(text).text


_SPACE_RUN = re.compile(r"\s+")


def squash_spaces(text: str) -> str:
    return _SPACE_RUN.sub(" ", text).strip()
