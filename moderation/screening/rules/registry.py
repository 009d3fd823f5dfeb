"""385.5(c): nothing that could compromise an ongoing investigation.

Investigators register names, numbers and descriptions tied to open cases (`ConfidentialTerm`). A post that
mentions one is blocked. Matching ignores case, accents, line breaks and punctuation ("24-01873" is
"24 01873" is "2401873") and forgives one typing slip (a wrong, missing, extra or swapped letter) in a
word of five letters or more ("Lopes" or "Lpoez" for "Lopez"). Digits must match exactly: a case number
one digit off is another case.

Findings never repeat the term: whoever reads the review may not be entitled to the registry.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone
from rapidfuzz import process
from rapidfuzz.distance import OSA

from moderation.models import ConfidentialTerm

from ..base import Finding, ScreeningContext, Severity, register
from ..normalize import normalize
from ._util import finding

SECTION = "385.5(c)"
RULE_ID = "investigation.registry"
EXCERPT = "[confidential term]"
FUZZY_MIN_LENGTH = 5

_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    id: int
    kind: str
    kind_label: str
    tokens: tuple[str, ...]
    squashed: str

    def allowance(self, index: int) -> int:
        token = self.tokens[index]
        return 1 if len(token) >= FUZZY_MIN_LENGTH and token.isalpha() else 0


def prepare(term_id: int, kind: str, kind_label: str, term: str) -> Term | None:
    tokens = tuple(_TOKEN.findall(normalize(term).text))
    if not tokens:
        return None
    return Term(term_id, kind, kind_label, tokens, "".join(tokens))


_cache: dict = {"key": None, "terms": ()}


def _cache_key():

    stats = ConfidentialTerm.objects.aggregate(
        n=Count("pk"), last=Max("pk"), withdrawn=Max("withdrawn_at"), expiry=Max("expires_on")
    )
    # Any save through the ORM (the services, the admin) adds a history row: edits in place change the key too.
    last_change = ConfidentialTerm.history.aggregate(h=Max("history_id"))["h"]
    return (timezone.localdate(), last_change, *stats.values())


def terms_in_force() -> tuple[Term, ...]:
    """In-force terms, prepared for matching; re-read whenever the registry or the date has changed."""

    key = _cache_key()
    if _cache["key"] != key:
        rows = ConfidentialTerm.objects.in_force().values_list("pk", "kind", "term")
        labels = dict(ConfidentialTerm.Kind.choices)
        terms = tuple(t for pk, kind, term in rows if (t := prepare(pk, kind, labels.get(kind, kind), term)))
        _cache.update(key=key, terms=terms)
    return _cache["terms"]


@dataclass(frozen=True)
class _Tokens:
    words: list[str]
    starts: list[int]
    ends: list[int]
    squashed: str
    # squashed offset of each token's start, and the set of offsets where a token starts or ends
    offsets: list[int]
    boundaries_start: dict[int, int]
    boundaries_end: dict[int, int]


def _tokenize(norm_text: str) -> _Tokens:
    words, starts, ends, offsets = [], [], [], []
    pos = 0
    for m in _TOKEN.finditer(norm_text):
        words.append(m.group(0))
        starts.append(m.start())
        ends.append(m.end())
        offsets.append(pos)
        pos += len(m.group(0))
    b_start = {off: i for i, off in enumerate(offsets)}
    b_end = {off + len(w): i for i, (off, w) in enumerate(zip(offsets, words, strict=True))}
    return _Tokens(words, starts, ends, "".join(words), offsets, b_start, b_end)


def find_terms(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int, Term]]:
    """(start, end, term) in the normalized text for every registry term the text mentions."""
    if not terms or not text:
        return []
    norm = normalize(text)
    toks = _tokenize(norm.text)
    if not toks.words:
        return []
    hits: dict[tuple[int, int], Term] = {}
    # Exact, whatever separates the words: search the text with all separators removed, at word boundaries.
    for term in terms:
        pos = toks.squashed.find(term.squashed)
        while pos != -1:
            first = toks.boundaries_start.get(pos)
            last = toks.boundaries_end.get(pos + len(term.squashed))
            if first is not None and last is not None:
                hits.setdefault((toks.starts[first], toks.ends[last]), term)
            pos = toks.squashed.find(term.squashed, pos + 1)
    # One slip per longer word: compare word by word, starting where the first word nearly matches.
    unique = sorted(set(toks.words))
    positions: dict[str, list[int]] = {}
    for i, w in enumerate(toks.words):
        positions.setdefault(w, []).append(i)
    for term in terms:
        if not any(term.allowance(i) for i in range(len(term.tokens))):
            continue
        n = len(term.tokens)
        first_allow = term.allowance(0)
        candidates = process.extract(term.tokens[0], unique, scorer=OSA.distance, score_cutoff=first_allow, limit=None)
        for word, _score, _idx in candidates:
            for i in positions[word]:
                if i + n > len(toks.words):
                    continue
                if all(
                    OSA.distance(toks.words[i + k], term.tokens[k], score_cutoff=term.allowance(k)) <= term.allowance(k)
                    for k in range(1, n)
                ):
                    hits.setdefault((toks.starts[i], toks.ends[i + n - 1]), term)
    return sorted((s, e, t) for (s, e), t in hits.items())


@register(RULE_ID, kinds=("post",))
def confidential_terms(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    return [
        finding(
            norm, s, e,
            rule_id=RULE_ID, section=SECTION, severity=Severity.BLOCK,
            excerpt=EXCERPT,
            explanation=f"Mentions an entry of the confidential-terms registry ({term.kind_label.lower()}) tied to "
            "an open investigation. Remove it; a registry keeper can say what it is.",
            data={"term_id": term.id},
        )
        for s, e, term in find_terms(text, terms_in_force())
    ]  # fmt: skip
