"""The learned layer beside the rules: one linear model per judgement (threats, attacks, guilt statements, ...)
over word and character n-grams of the de-disguised text (textprep.py).

Rules stay where a pattern is the truth (Social Security numbers, phone numbers, the registry). Where judgement
is needed, people write the same thing in a thousand ways, and a pattern written against a few examples misses
most of them; a model trained on a labelled corpus (corpus/) generalises further. Each model is a file in
trained/, written by `python manage.py train_screening` from the corpus, with the SHA-256 of the data it came
from. Nothing is downloaded at run time.

A model's finding says it comes from a model, gives its score and the threshold, and names the words that
weighed most, so a supervisor can see why; it carries the same rule id and policy section as the rule for that
judgement, so turning a rule off in the screening settings turns its model off too.
"""

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .base import Finding, Severity
from .cues import cue_tokens, describe
from .textprep import prepare

TRAINED = Path(__file__).parent / "trained"


@dataclass(frozen=True)
class Judgement:
    """One label of the corpus, the rule id its findings carry, and how it is shown."""

    label: str
    rule_id: str
    section: str
    severity: str
    explanation: str
    escalate: bool = False
    also: tuple[str, ...] = ()  # other rules of the same judgement: when one of them found it, the model is quiet

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return (self.rule_id, *self.also)


JUDGEMENTS: dict[str, tuple[Judgement, ...]] = {
    "post": (
        Judgement("guilt", "conduct.guilt", "385.5.2(b)", Severity.ACKNOWLEDGE,
                  "Reads as a statement about a suspect's guilt or innocence, or about a pending prosecution. "
                  "Say what happened and who was arrested; leave guilt to the court."),
        Judgement("abusive", "conduct.abusive", "385.5(a)", Severity.BLOCK,
                  "Reads as abusive, discriminatory, inflammatory or sexually explicit."),
        Judgement("political", "conduct.political", "385.5.2(b)", Severity.BLOCK,
                  "Reads as political activity (candidates, ballot measures, parties, campaigns) or promotion "
                  "of a private business.", also=("conduct.business",)),
    ),
    "comment": (
        Judgement("threat", "comment.threat", "385.5.1", Severity.BLOCK,
                  "Reads as a threat against the community or public employees: hide the comment and alert "
                  "the Social Media Officer and a supervisor now.", escalate=True),
        Judgement("inflammatory", "comment.inflammatory", "385.5.1", Severity.ACKNOWLEDGE,
                  "Reads as inflammatory: hostility against a group of people."),
        Judgement("attack", "comment.personal_attack", "385.5.1(a)", Severity.ACKNOWLEDGE,
                  "Reads as a personal attack on a person: the department may remove personal attacks."),
        Judgement("obscene", "comment.obscenity", "385.5.1(a)", Severity.ACKNOWLEDGE,
                  "Reads as obscene or sexual: the department may remove obscenities."),
        Judgement("spam", "comment.spam", "385.5.1(a)", Severity.ACKNOWLEDGE,
                  "Reads as spam, unrelated advertising or a scam: the department may remove off-topic comments."),
    ),
}  # fmt: skip


def judgement_for(kind: str, rule_id: str) -> Judgement | None:
    return next((j for j in JUDGEMENTS.get(kind, ()) if j.rule_id == rule_id), None)


def model_path(kind: str, directory: Path | None = None) -> Path:
    return (directory or TRAINED) / f"{kind}.json.gz"


class Model:
    """One kind's feature space (word and character n-grams with their idf) and a linear head per label."""

    def __init__(self, data: dict):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.data = data
        self.kind = data["kind"]
        self.data_sha256 = data["data_sha256"]
        self.vectorizers = []
        names: list[str] = []
        for part in data["features"]:
            vectorizer = TfidfVectorizer(vocabulary=part["vocabulary"], **part["params"])
            vectorizer.idf_ = np.asarray(part["idf"], dtype=np.float64)
            self.vectorizers.append(vectorizer)
            names.extend(part["vocabulary"])
        self.names = names
        self.char_index = _offsets(data["features"])
        heads = data["heads"]
        self.labels = list(heads)
        self.weights = np.asarray([heads[label]["weights"] for label in self.labels], dtype=np.float64).T
        self.intercepts = np.asarray([heads[label]["intercept"] for label in self.labels], dtype=np.float64)
        self.thresholds = {label: heads[label]["threshold"] for label in self.labels}

    def features(self, prepared: str):
        from scipy.sparse import hstack

        word, char = self.vectorizers
        return hstack([word.transform([with_cues(prepared)]), char.transform([prepared])]).tocsr()

    def scores(self, text: str) -> dict[str, float]:
        return dict(zip(self.labels, self._scores(self.features(prepare(text))), strict=True))

    def _scores(self, x) -> np.ndarray:
        logits = np.asarray(x @ self.weights).ravel() + self.intercepts
        return 1.0 / (1.0 + np.exp(-logits))

    def explain(self, text: str, label: str, limit: int = 5, *, prepared: str | None = None, x=None) -> list[str]:
        """The words of the text that pushed this label's score up most, strongest first."""
        prepared = prepare(text) if prepared is None else prepared
        x = self.features(prepared) if x is None else x
        column = self.labels.index(label)
        contribution = {int(i): float(v) * self.weights[int(i), column] for i, v in zip(x.indices, x.data, strict=True)}
        word_vectorizer, char_vectorizer = self.vectorizers
        per_word: dict[str, float] = {}
        # Word and word-pair features: a pair's weight is shared by its two words.
        words = word_vectorizer.build_tokenizer()(with_cues(prepared))
        seen: set[int] = set()
        for n in (1, 2):
            for i in range(len(words) - n + 1):
                index = word_vectorizer.vocabulary_.get(" ".join(words[i : i + n]))
                if index is None or index in seen:
                    continue
                seen.add(index)
                for word in words[i : i + n]:
                    per_word[word] = per_word.get(word, 0.0) + contribution.get(index, 0.0) / n
        # Character features belong to the whitespace-separated word they were cut from.
        owners: dict[int, set[str]] = {}
        analyzer = char_vectorizer.build_analyzer()
        for chunk in set(prepared.split()):
            word = chunk.strip(".,;:!?¡¿()[]\"'")
            for gram in analyzer(chunk):
                index = char_vectorizer.vocabulary_.get(gram)
                if index is not None and word:
                    owners.setdefault(index + self.char_index, set()).add(word)
        for index, owner in owners.items():
            share = contribution.get(index, 0.0) / len(owner)
            for word in owner:
                per_word[word] = per_word.get(word, 0.0) + share
        ranked = sorted((w for w, v in per_word.items() if v > 0), key=lambda w: (-per_word[w], w))
        return [describe(w) if w.startswith("zzcue") else w for w in ranked[:limit]]

    def findings(self, text: str, *, skip: frozenset[str] = frozenset()) -> tuple[dict[str, float], list[Finding]]:
        """Every label's score, and a finding for each label at or above its threshold (except those in
        `skip`, which a rule already found)."""
        if not (text or "").strip():
            return {label: 0.0 for label in self.labels}, []
        prepared = prepare(text)
        x = self.features(prepared)
        scores = dict(zip(self.labels, self._scores(x), strict=True))
        found = []
        for judgement in JUDGEMENTS[self.kind]:
            score, threshold = scores[judgement.label], self.thresholds[judgement.label]
            if judgement.label in skip or score < threshold:
                continue
            top = self.explain(text, judgement.label, prepared=prepared, x=x)
            words = ", ".join(f"“{w}”" for w in top)
            found.append(
                Finding(
                    rule_id=judgement.rule_id,
                    section=judgement.section,
                    severity=str(judgement.severity),
                    start=-1,
                    end=-1,
                    excerpt=", ".join(top),
                    explanation=f"{judgement.explanation} The screening model scores it {score:.2f} (it flags at "
                    f"{threshold:.2f})" + (f"; the words that weighed most: {words}." if words else "."),
                    escalate=judgement.escalate,
                    data={
                        "source": "model",
                        "model": f"{self.kind}.{judgement.label}",
                        "score": round(float(score), 4),
                        "threshold": threshold,
                        "words": top,
                        "data_sha256": self.data_sha256,
                    },
                )
            )
        return {k: round(float(v), 4) for k, v in scores.items()}, found


def with_cues(prepared: str) -> str:
    """What the word features read: the prepared text and its cue tokens (cues.py)."""
    cues = cue_tokens(prepared)
    return f"{prepared} {cues}" if cues else prepared


def _offsets(parts: list[dict]) -> int:
    """Where the character features start in the stacked feature vector (after the word features)."""
    return len(parts[0]["vocabulary"])


@lru_cache(maxsize=4)
def load(kind: str, directory: str | None = None) -> Model | None:
    path = model_path(kind, Path(directory) if directory else None)
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return Model(json.load(f))
