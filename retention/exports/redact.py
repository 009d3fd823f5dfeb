"""The redacted copy of a record that a public release carries (385.5.1(a)).

Personal information and confidential-registry terms are found with the screening rules that guard posts
(385.5(b), 385.5(c)); the custodian adds spans of their own. Each withheld span is replaced by a visible marker
citing its exemption and logged (where, why, which exemption, its length and the SHA-256 of the withheld
text, never the text). Only the exported copy changes: the record and its hash stay as captured.

The rule functions are called directly rather than through `screen()`: that reads the supervisors' on/off
choices for reviewing posts with a query per text, and a rule switched off because it nags reviewers must not
let personal information out in a release. The registry is read once per export for the same reason.
"""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.text import slugify

from moderation.screening.base import ScreeningContext, rules_for
from moderation.screening.normalize import normalize
from moderation.screening.rules.registry import find_terms, terms_in_force

from ..models import Redaction

REGISTRY_RULE = "investigation.registry"

# What each automatic finding withholds, in the words a requester reads in the redaction log.
REASONS = {
    "pii.ssn": "Social Security number",
    "pii.dob": "Date of birth of a private person",
    "pii.phone": "Phone number of a private person",
    "pii.email": "E-mail address of a private person",
    "pii.licence": "Driver's licence number",
    "pii.plate": "Licence plate number",
    "pii.address": "Home address",
    "pii.juvenile": "Name of a juvenile",
    REGISTRY_RULE: "Name, number or description tied to an open investigation",
}

# Identifiers, codes and timestamps, not free text. Screening them only damages the package: a media digest is
# full of digit runs the phone detector would take for numbers, and the renditions link media by that digest.
SKIP_KEYS = frozenset(
    {
        "sha256",
        "content_type",
        "status",
        "route",
        "severity",
        "rule",
        "section",
        "category",
        "approval_path",
        "translation_language",
        "channel",
        "channels",
        "kind",
        "version",
        "at",
        "day",
        "stage",
    }
)
SKIP_SUFFIXES = ("_at", "_on")

# Which category a merged span is logged under when two kinds of finding overlap: the stronger exemption wins.
PRECEDENCE = {Redaction.Category.CONFIDENTIAL: 3, Redaction.Category.PICKED: 2, Redaction.Category.PERSONAL: 1}


def marker(exemption: str) -> str:
    return f"[REDACTED — {exemption}]"


def _skipped(key) -> bool:
    return isinstance(key, str) and (key in SKIP_KEYS or key.endswith(SKIP_SUFFIXES))


def walk_strings(value, path: str = "content"):
    """(location, string) for every string in the captured content that may hold free text."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if not _skipped(key):
                yield from walk_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_strings(item, f"{path}[{index}]")


@lru_cache(maxsize=1024)
def _pattern(needle: str, ignore_case: bool) -> re.Pattern:
    """`needle` as a whole word or phrase: "Ann" is withheld, "Announcement" is not."""
    body = re.escape(needle)
    if re.match(r"\w", needle[:1]):
        body = r"(?<!\w)" + body
    if re.match(r"\w", needle[-1:]):
        body += r"(?!\w)"
    return re.compile(body, re.IGNORECASE if ignore_case else 0)


def occurrences(text: str, needle: str, *, ignore_case: bool = False):
    return [m.span() for m in _pattern(needle, ignore_case).finditer(text)] if needle else []


def record_contains(record, text: str) -> bool:
    """Whether the text occurs (as a word or phrase) anywhere the exported copy shows of this record."""
    values = [record.title or "", record.text or "", record.author_username or ""]
    values += [value for _path, value in walk_strings(record.content or {})]
    return any(occurrences(value, text) for value in values)


def slug_form(text: str) -> str | None:
    """How the text appears in a link made from it ("Blue bicycle" in /news/12-found-a-blue-bicycle/)."""
    slug = slugify(text)
    return slug if len(slug) >= 3 and slug != text.lower() else None


@dataclass
class Span:
    start: int
    end: int
    category: str
    rule_id: str
    reason: str
    exemption: str


class Redactor:
    """Redacts the strings of one export's records and collects the log. Build one per export."""

    def __init__(self, export, *, automatic: bool, picked: list[dict]):

        self.export = export
        self.automatic = automatic
        self.picked = defaultdict(list)
        for span in picked:
            self.picked[int(span["record"])].append(span)
        self.rules = [(rule_id, rule) for rule_id, rule in rules_for("post") if rule_id.startswith("pii.")]
        self.terms = terms_in_force() if automatic else ()
        self.context = ScreeningContext()
        self.exemptions = settings.REDACTION_EXEMPTIONS
        self.pending: list[Redaction] = []
        self.count = 0

    # Finding spans ------------------------------------------------------------------------------------

    def _found(self, text: str) -> list[Span]:
        spans = []
        personal = self.exemptions["personal"]
        for rule_id, rule in self.rules:
            for f in rule(text, self.context):
                if 0 <= f.start < f.end:
                    spans.append(
                        Span(
                            f.start,
                            f.end,
                            Redaction.Category.PERSONAL,
                            rule_id,
                            REASONS.get(rule_id, "Personal information"),
                            personal,
                        )
                    )
        if self.terms:
            norm = normalize(text)
            confidential = self.exemptions["confidential"]
            for start, end, _term in find_terms(text, self.terms):
                # The registry matches on the normalized text; the redaction must land on what was written.
                s, e = norm.span(start, end)
                if s < e:
                    spans.append(
                        Span(s, e, Redaction.Category.CONFIDENTIAL, REGISTRY_RULE, REASONS[REGISTRY_RULE], confidential)
                    )
        return spans

    def redact_unit(self, record_id: int, slots: list[tuple[str, str]]) -> dict[str, str]:
        """Redact the strings of one record: `slots` are (location, text); returns {location: redacted text}
        for the locations that changed, and queues their log rows."""
        found: dict[str, list[Span]] = {location: [] for location, _ in slots}
        # Text to withhold wherever it appears in the record, with whether to ignore case (for link forms).
        withheld: dict[tuple[str, bool], Span] = {}
        for pick in self.picked.get(record_id, ()):
            span = Span(0, 0, Redaction.Category.PICKED, "", pick["reason"], pick["exemption"])
            withheld[(pick["text"], False)] = span
        for location, text in slots:
            if self.automatic and len(text) >= 4:
                for span in self._found(text):
                    found[location].append(span)
                    withheld.setdefault((text[span.start : span.end], False), span)
        # What was found in one place is withheld everywhere in the record: a finding's excerpt, an earlier
        # revision or a review comment repeats it where the detector lacks the context ("DOB") to see it, and a
        # link made from a title repeats it in slug form.
        for (needle, _), source in list(withheld.items()):
            if slug := slug_form(needle):
                withheld.setdefault((slug, True), source)
        for location, text in slots:
            for (needle, ignore_case), source in withheld.items():
                for s, e in occurrences(text, needle, ignore_case=ignore_case):
                    found[location].append(Span(s, e, source.category, source.rule_id, source.reason, source.exemption))
        changed = {}
        for location, text in slots:
            spans = self._merge(found[location])
            if not spans:
                continue
            out, last = [], 0
            for span in spans:
                out.append(text[last : span.start])
                out.append(marker(span.exemption))
                last = span.end
                self._log(record_id, location, text[span.start : span.end], span)
            out.append(text[last:])
            changed[location] = "".join(out)
        return changed

    @staticmethod
    def _merge(spans: list[Span]) -> list[Span]:
        merged: list[Span] = []
        for span in sorted(spans, key=lambda s: (s.start, -s.end)):
            if merged and span.start < merged[-1].end:
                last = merged[-1]
                winner = span if PRECEDENCE[span.category] > PRECEDENCE[last.category] else last
                rules = ",".join(dict.fromkeys(r for r in (*last.rule_id.split(","), span.rule_id) if r))
                merged[-1] = Span(
                    last.start, max(last.end, span.end), winner.category, rules[:60], winner.reason, winner.exemption
                )
            else:
                merged.append(Span(span.start, span.end, span.category, span.rule_id, span.reason, span.exemption))
        return merged

    def _log(self, record_id: int, location: str, withheld: str, span: Span):
        self.count += 1
        self.pending.append(
            Redaction(
                export_id=self.export.pk,
                record_id=record_id,
                location=location[:200],
                category=span.category,
                rule_id=span.rule_id,
                reason=span.reason[:300],
                exemption=span.exemption[:300],
                length=len(withheld),
                span_sha256=hashlib.sha256(withheld.encode("utf-8")).hexdigest(),
            )
        )

    def flush(self) -> list[Redaction]:
        """Store the queued log rows; returns them (for the package's redaction log)."""
        rows, self.pending = self.pending, []
        if rows:
            Redaction.objects.bulk_create(rows)
        return rows


def redact_record(redactor: Redactor, row: dict, children: list[dict]) -> None:
    """Redact, in place, an exported record (`row`, as written to records.jsonl) and the comments shown with it.
    Locations in the log are paths into the record as exported: `title`, `text`, `content.body`, ..."""
    slots = [("title", row["title"]), ("text", row["text"]), ("author", row["author"])]
    slots += list(walk_strings(row["content"]))
    changed = redactor.redact_unit(row["id"], [(loc, value) for loc, value in slots if value])
    if changed:
        for location in ("title", "text", "author"):
            if location in changed:
                row[location] = changed[location]
        _apply(row["content"], "content", changed)
    for child in children:
        shown = [("text", child["text"]), ("title", child["title"]), ("author", child["author"])]
        changed = redactor.redact_unit(
            child["id"], [(f"{loc} (shown with record #{row['id']})", value) for loc, value in shown if value]
        )
        for loc, _value in shown:
            key = f"{loc} (shown with record #{row['id']})"
            if key in changed:
                child[loc] = changed[key]


def _apply(value, path: str, changed: dict[str, str]):
    """Put the redacted strings back at their paths in the (copied) content."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}"
            if isinstance(item, str):
                if where in changed:
                    value[key] = changed[where]
            elif not _skipped(key):
                _apply(item, where, changed)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if isinstance(item, str):
                if where in changed:
                    value[index] = changed[where]
            else:
                _apply(item, where, changed)
