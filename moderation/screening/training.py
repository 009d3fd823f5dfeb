"""Training the screening models from the labelled corpus, deterministically, and measuring them.

The corpus (corpus/*.jsonl) holds one labelled text per line: {"text", "lang", "labels", "note"}. Files named
posts.* train the post models, comments.* the comment models. corpus/heldout/ is never read for training: it
is the split the figures in bench/screening.md are measured on.

Training is deterministic: files and lines are read in a fixed order, the solver is liblinear with a fixed seed,
folds are seeded, and every number written is rounded, so the same data gives the same bytes. The model file
records the SHA-256 of the data it came from.

Each label's threshold is chosen on out-of-fold scores of the training split, for the rule and the model
together (a text is flagged when the rule finds it or the model scores it at or above the threshold): the
lowest threshold that keeps precision at PRECISION_FLOOR, so recall is as high as precision allows.
"""

import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .base import ScreeningContext
from .classifier import JUDGEMENTS, TRAINED, model_path, with_cues
from .rules import comments, conduct
from .textprep import prepare

CORPUS = Path(__file__).parent / "corpus"
HELDOUT = CORPUS / "heldout"
FORMAT = 1
KINDS = ("post", "comment")
LABELS = {
    "post": ("pii", "guilt", "abusive", "political", "accessibility"),
    "comment": ("threat", "inflammatory", "attack", "obscene", "spam", "pii"),
}
PRECISION_FLOOR = 0.93
FOLDS = 5
C_GRID = (0.5, 1.0, 2.0, 4.0, 8.0)
WORD_FEATURES = {
    "analyzer": "word", "ngram_range": [1, 2], "min_df": 2, "sublinear_tf": True, "lowercase": False,
    "token_pattern": r"(?u)\b\w+\b",
}  # fmt: skip
CHAR_FEATURES = {"analyzer": "char_wb", "ngram_range": [2, 5], "min_df": 2, "sublinear_tf": True, "lowercase": False}


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    labels: frozenset[str]
    note: str
    source: str  # file:line

    @property
    def clean(self) -> bool:
        return not self.labels


class CorpusError(ValueError):
    pass


def corpus_files(kind: str, directory: Path = CORPUS) -> list[Path]:
    prefix = "posts" if kind == "post" else "comments"
    return sorted(p for p in directory.glob(f"{prefix}*.jsonl") if p.is_file())


def load(kind: str, *, heldout: bool = False, directory: Path | None = None) -> list[Example]:
    if kind not in KINDS:
        raise CorpusError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    base = directory or (HELDOUT if heldout else CORPUS)
    examples = []
    for path in corpus_files(kind, base):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise CorpusError(f"{where}: not valid JSON ({error.msg})")
            labels = item.get("labels")
            if not isinstance(item.get("text"), str) or not isinstance(labels, list):
                raise CorpusError(f'{where}: needs a "text" string and a "labels" list')
            unknown = set(labels) - set(LABELS[kind])
            if unknown:
                raise CorpusError(f"{where}: unknown label(s) {', '.join(sorted(unknown))} for {kind}s")
            if item.get("lang") not in ("en", "es"):
                raise CorpusError(f'{where}: "lang" must be "en" or "es"')
            if not str(item.get("note", "")).strip():
                raise CorpusError(f'{where}: every text needs a "note" saying why it is labelled so')
            examples.append(Example(item["text"], item["lang"], frozenset(labels), item["note"], where))
    return examples


def data_sha256(kind: str, directory: Path = CORPUS) -> str:
    digest = hashlib.sha256()
    for path in corpus_files(kind, directory):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# The rules each model works beside ------------------------------------------------------------------------


def pattern_rules(kind: str) -> dict[str, list]:
    """label → the pattern functions of the rules for that judgement (pure functions: no database)."""

    if kind == "post":
        return {
            "guilt": [conduct.guilt_or_innocence],
            "abusive": [conduct.abusive_language],
            "political": [conduct.political_activity, conduct.private_business],
        }
    return {
        "threat": [comments.threat],
        "inflammatory": [comments.inflammatory],
        "attack": [comments.personal_attack],
        "obscene": [comments.obscenity],
        "spam": [comments.spam],
    }


def rule_flags(kind: str, texts: list[str]) -> dict[str, np.ndarray]:
    context = ScreeningContext()
    return {
        label: np.array([any(rule(t, context) for rule in rules) for t in texts], dtype=bool)
        for label, rules in pattern_rules(kind).items()
    }


# Training -----------------------------------------------------------------------------------------------


def _vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    def build(params):
        p = dict(params)
        p["ngram_range"] = tuple(p["ngram_range"])
        return TfidfVectorizer(**p, dtype=np.float64)

    return build(WORD_FEATURES), build(CHAR_FEATURES)


def _classifier(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", solver="liblinear", random_state=0, max_iter=5000)


def _threshold(
    scores: np.ndarray, rules: np.ndarray, truth: np.ndarray, beta: float = 0.5
) -> tuple[float, float, float]:
    """(threshold, precision, recall) on out-of-fold scores for rule-or-model, as described above. Where no
    threshold reaches the precision floor, the one with the best F-beta: beta 0.5 weighs precision (a supervisor's
    time), 1 weighs both alike (threats, where a miss costs more)."""
    best = None
    for t in np.unique(np.round(np.concatenate([scores, [0.5]]), 3)):
        if not 0.2 <= t <= 0.97:
            continue
        flagged = rules | (scores >= t)
        tp = int(np.sum(flagged & truth))
        fp = int(np.sum(flagged & ~truth))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / int(truth.sum()) if truth.sum() else 1.0
        b2 = beta * beta
        f_beta = (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0
        key = (precision >= PRECISION_FLOOR, recall if precision >= PRECISION_FLOOR else f_beta, t)
        if best is None or key > best[0]:
            best = (key, float(t), precision, recall)
    return best[1], round(best[2], 4), round(best[3], 4)


def train(kind: str, *, directory: Path = CORPUS, log=print) -> dict:
    from scipy.sparse import hstack
    from sklearn.model_selection import StratifiedKFold

    examples = load(kind, directory=directory)
    texts = [prepare(e.text) for e in examples]
    word, char = _vectorizers()
    x = hstack([word.fit_transform([with_cues(t) for t in texts]), char.fit_transform(texts)]).tocsr()
    flags = rule_flags(kind, [e.text for e in examples])
    heads = {}
    for judgement in JUDGEMENTS[kind]:
        label = judgement.label
        y = np.array([label in e.labels for e in examples], dtype=bool)
        if y.sum() < FOLDS:
            raise CorpusError(f"{kind}s: only {int(y.sum())} examples labelled {label!r}; need at least {FOLDS}")
        folds = list(StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=0).split(np.zeros(len(y)), y))
        best = None
        for c in C_GRID:
            oof = np.zeros(len(y))
            for fit_idx, score_idx in folds:
                model = _classifier(c).fit(x[fit_idx], y[fit_idx])
                oof[score_idx] = model.predict_proba(x[score_idx])[:, 1]
            threshold, precision, recall = _threshold(oof, flags[label], y, beta=1.0 if judgement.escalate else 0.5)
            key = (precision >= PRECISION_FLOOR, recall, precision, -c)
            if best is None or key > best[0]:
                best = (key, c, threshold, precision, recall)
        _key, c, threshold, precision, recall = best
        model = _classifier(c).fit(x, y)
        heads[label] = {
            "C": c,
            "threshold": threshold,
            "intercept": round(float(model.intercept_[0]), 6),
            "weights": [round(float(w), 6) for w in model.coef_[0]],
            "cross_validated": {"precision": precision, "recall": recall, "positives": int(y.sum())},
        }
        log(f"{kind}.{label}: C={c} threshold={threshold} cross-validated precision={precision} recall={recall}")
    return {
        "format": FORMAT,
        "kind": kind,
        "data_sha256": data_sha256(kind, directory),
        "examples": len(examples),
        "features": [
            {"params": WORD_FEATURES, "vocabulary": list(word.get_feature_names_out()),
             "idf": [round(float(v), 6) for v in word.idf_]},
            {"params": CHAR_FEATURES, "vocabulary": list(char.get_feature_names_out()),
             "idf": [round(float(v), 6) for v in char.idf_]},
        ],
        "heads": heads,
    }  # fmt: skip


def serialize(model: dict) -> bytes:
    """The model file's bytes: sorted JSON, gzip with no name or time in its header."""
    raw = json.dumps(model, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as f:
        f.write(raw)
    return buffer.getvalue()


def write(kind: str, *, output: Path = TRAINED, directory: Path = CORPUS, log=print) -> Path:
    path = model_path(kind, output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(serialize(train(kind, directory=directory, log=log)))
    return path


# Measuring ------------------------------------------------------------------------------------------------

# Which findings count for which corpus label: a text is flagged for a label when screening returns any finding
# of one of its rules. Readability and alt text are not labels of the corpus (the first is advice, the second
# needs attachments).
LABEL_RULES = {
    "post": {
        "pii": ("pii.",),
        "guilt": ("conduct.guilt",),
        "abusive": ("conduct.abusive",),
        "political": ("conduct.political", "conduct.business"),
        "accessibility": ("a11y.hashtag_case", "a11y.emoji_only", "a11y.link_text", "a11y.all_caps"),
    },
    "comment": {
        "threat": ("comment.threat",),
        "inflammatory": ("comment.inflammatory",),
        "attack": ("comment.personal_attack",),
        "obscene": ("comment.obscenity",),
        "spam": ("comment.spam",),
        "pii": ("pii.",),
    },
}


def labels_found(kind: str, findings) -> set[str]:
    found = set()
    for label, prefixes in LABEL_RULES[kind].items():
        if any(f.rule_id == p or (p.endswith(".") and f.rule_id.startswith(p)) for f in findings for p in prefixes):
            found.add(label)
    return found


def measure(kind: str, examples: list[Example], screen_fn) -> dict:
    """Precision and recall per label and language, and the share of clean texts flagged for any label.
    `screen_fn(text, kind)` returns findings (the real `screen`, with its database)."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    clean = {"all": [0, 0]}
    misses = []
    for example in examples:
        found = labels_found(kind, screen_fn(example.text, kind))
        for lang in ("all", example.lang):
            if example.clean:
                c = clean.setdefault(lang, [0, 0])
                c[0] += 1
                c[1] += bool(found)
            for label in LABEL_RULES[kind]:
                c = counts.setdefault((label, lang), {"tp": 0, "fp": 0, "fn": 0, "n": 0})
                expected = label in example.labels
                c["n"] += expected
                if expected and label in found:
                    c["tp"] += 1
                elif label in found:
                    c["fp"] += 1
                elif expected:
                    c["fn"] += 1
        for label in (example.labels ^ found) if True else ():
            if lang == example.lang:
                misses.append((("FN" if label in example.labels else "FP"), label, example.source, example.text))
    rows = {}
    for (label, lang), c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
        rows[(label, lang)] = {**c, "precision": precision, "recall": recall}
    return {"rows": rows, "clean": {k: {"texts": v[0], "flagged": v[1]} for k, v in clean.items()}, "misses": misses}
