"""Quality of screening on a labelled corpus written the way a reviewer labels posts and comments.

Each line of corpus/posts.jsonl and corpus/comments.jsonl is {"text": ..., "expect": [rule groups]}; the
registry terms the corpus assumes are in corpus/registry.json. Scoring is per text and rule group: a group
the reviewer expects and screening reports is a true positive, and so on.
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from moderation.models import ConfidentialTerm
from moderation.screening import screen
from moderation.screening.rules import registry as registry_rule

CORPUS = Path(__file__).parent / "corpus"

GROUPS = {
    "pii": "pii",
    "investigation": "registry",
    "conduct.guilt": "guilt",
    "conduct.abusive": "abusive",
    "conduct.political": "political",
    "conduct.business": "business",
    "conduct.personal_use": "personal_use",
    "comment.threat": "threat",
    "comment.inflammatory": "inflammatory",
    "comment.obscenity": "obscenity",
    "comment.personal_attack": "personal_attack",
    "comment.spam": "spam",
}
# Accessibility rules are measured by their own tests: their answers are facts of the text, not judgments.
RECALL_TARGETS = {"pii": 0.95, "registry": 0.95, "threat": 0.9}
PRECISION_TARGET = 0.9


def group_of(rule_id: str) -> str | None:
    for prefix, group in GROUPS.items():
        if rule_id == prefix or rule_id.startswith(prefix + "."):
            return group
    return None


def load(name):
    with open(CORPUS / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture
def seeded_registry(db, supervisor, settings):
    settings.SCREENING_DEPARTMENT_EMAIL_DOMAINS = ["indio.gov"]
    data = json.loads((CORPUS / "registry.json").read_text(encoding="utf-8"))
    today = timezone.localdate()
    for entry in data["in_force"]:
        ConfidentialTerm.objects.create(
            term=entry["term"], kind=entry["kind"], case_number=entry["case_number"],
            expires_on=today + timedelta(days=90), created_by=supervisor,
        )  # fmt: skip
    for entry in data["withdrawn"]:
        ConfidentialTerm.objects.create(
            term=entry["term"], kind=entry["kind"], case_number=entry["case_number"],
            expires_on=today + timedelta(days=90), created_by=supervisor, withdrawn_at=timezone.now(),
            withdrawn_by=supervisor,
        )  # fmt: skip
    for entry in data["expired"]:
        ConfidentialTerm.objects.create(
            term=entry["term"], kind=entry["kind"], case_number=entry["case_number"],
            expires_on=today - timedelta(days=1), created_by=supervisor,
        )  # fmt: skip
    registry_rule._cache.update(key=None, terms=())


def score(items, kind):
    counts: dict[str, dict[str, int]] = {}
    misses = []
    for item in items:
        expected = set(item["expect"])
        found = {g for f in screen(item["text"], kind=kind) if (g := group_of(f.rule_id))}
        for group in expected | found:
            c = counts.setdefault(group, {"tp": 0, "fp": 0, "fn": 0})
            if group in expected and group in found:
                c["tp"] += 1
            elif group in found:
                c["fp"] += 1
                misses.append(f"FP {group}: {item['text'][:90]}")
            else:
                c["fn"] += 1
                misses.append(f"FN {group}: {item['text'][:90]}")
    return counts, misses


def report(title, counts):
    lines = [f"{title}: group        precision  recall   tp  fp  fn"]
    for group, c in sorted(counts.items()):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        lines.append(f"  {group:<16} {p:9.3f} {r:7.3f} {c['tp']:4d} {c['fp']:3d} {c['fn']:3d}")
    return "\n".join(lines)


def _ratio(a, b):
    return a / b if b else 1.0


def test_corpus_is_big_enough():
    assert len(load("posts.jsonl")) >= 150
    assert len(load("comments.jsonl")) >= 150


@pytest.mark.usefixtures("seeded_registry")
def test_precision_and_recall_per_rule_group(capsys):
    posts, post_misses = score(load("posts.jsonl"), "post")
    comments, comment_misses = score(load("comments.jsonl"), "comment")
    with capsys.disabled():
        print()
        print(report("posts", posts))
        print(report("comments", comments))
        for line in post_misses + comment_misses:
            print("  ", line)
    merged: dict[str, dict[str, int]] = {}
    for counts in (posts, comments):
        for group, c in counts.items():
            m = merged.setdefault(group, {"tp": 0, "fp": 0, "fn": 0})
            for k in m:
                m[k] += c[k]
    for group, target in RECALL_TARGETS.items():
        c = merged[group]
        assert _ratio(c["tp"], c["tp"] + c["fn"]) >= target, f"recall of {group} below {target}"
    tp = sum(c["tp"] for c in merged.values())
    fp = sum(c["fp"] for c in merged.values())
    assert _ratio(tp, tp + fp) >= PRECISION_TARGET, "overall precision below target"
