from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

from django.db import models

from moderation.models import ScreeningRuleSetting

from . import language


class Severity(models.TextChoices):
    INFO = "info", "Information"
    ACKNOWLEDGE = "acknowledge", "Needs acknowledgement"
    BLOCK = "block", "Blocks approval"


SEVERITY_ORDER = {Severity.INFO: 0, Severity.ACKNOWLEDGE: 1, Severity.BLOCK: 2}


@dataclass(frozen=True)
class Finding:
    rule_id: str  # e.g. "pii.ssn"
    section: str  # the policy section, e.g. "385.5(b)"
    severity: str  # a Severity value
    start: int  # span in the text screened; -1/-1 for a finding about the whole text
    end: int
    excerpt: str  # what was found; never a confidential-registry term in the clear
    explanation: str  # plain words for the reviewer
    escalate: bool = False  # e.g. a threat: alert people at once
    data: dict = field(default_factory=dict)  # rule-specific, e.g. {"term_id": 12}
    field: str = ""  # which text of a post it is in ("title", "body", "translation", "alt_text", "file_name")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ScreeningContext:
    """What rules may need besides the text: attachments (kind, alt text), title, language ("" = detect it)."""

    attachments: list[dict] = field(default_factory=list)
    title: str = ""
    language: str = ""
    extra: dict = field(default_factory=dict)


Rule = Callable[[str, ScreeningContext], list[Finding]]
_RULES: dict[str, list[tuple[str, Rule]]] = {"post": [], "comment": []}


def register(rule_id: str, *, kinds: tuple[str, ...] = ("post",)):
    def decorator(func: Rule) -> Rule:
        for kind in kinds:
            _RULES[kind].append((rule_id, func))
        return func

    return decorator


def rules_for(kind: str) -> list[tuple[str, Rule]]:
    if kind not in _RULES:
        raise ValueError(f"kind must be one of {sorted(_RULES)}, not {kind!r}")
    _load_rules()
    return list(_RULES[kind])


def _load_rules():
    from . import rules  # noqa: F401  (cycle: each rule module imports this one; they register on first use)


def rule_ids(kind: str | None = None) -> list[str]:
    """Every registered rule id (for one kind, or all), in registration order, without repeats."""
    _load_rules()
    kinds = [kind] if kind else list(_RULES)
    seen: dict[str, None] = {}
    for k in kinds:
        for rule_id, _rule in _RULES[k]:
            seen.setdefault(rule_id, None)
    return list(seen)


def rule_settings() -> dict[str, tuple[bool, str]]:
    """Supervisors' choices, read fresh on every call so a change applies to the very next screening."""

    return {
        rule_id: (enabled, severity)
        for rule_id, enabled, severity in ScreeningRuleSetting.objects.values_list("rule_id", "enabled", "severity")
    }


def _with_severity(finding: Finding, severity: str) -> Finding:
    if not severity or severity == finding.severity:
        return finding
    return replace(finding, severity=severity)


@dataclass(frozen=True)
class Screening:
    findings: list[Finding]
    scores: dict[str, float]  # each model's score for the text, by label ("threat": 0.93)
    language: str


def screen(text: str, kind: str = "post", context: ScreeningContext | dict | None = None) -> list[Finding]:
    return screen_text(text, kind, context).findings


def screen_text(text: str, kind: str = "post", context: ScreeningContext | dict | None = None) -> Screening:
    """Rules first; then the models, for each judgement whose rule is on and found nothing (a rule's finding
    is more precise: it points at the words)."""
    from . import classifier  # it builds Findings from this module: imported here to break the cycle

    if isinstance(context, dict):
        context = ScreeningContext(**context)
    context = replace(context) if context else ScreeningContext()
    text = text or ""
    context.language = language.language_of(text, context.language)
    rules = rules_for(kind)
    choices = rule_settings()
    findings: list[Finding] = []
    for rule_id, rule in rules:
        enabled, severity = choices.get(rule_id, (True, ""))
        if not enabled:
            continue
        findings.extend(_with_severity(f, severity) for f in rule(text, context))
    scores: dict[str, float] = {}
    model = classifier.load(kind)
    if model is not None:
        found = {f.rule_id for f in findings}
        skip = frozenset(
            j.label
            for j in classifier.JUDGEMENTS[kind]
            if found.intersection(j.rule_ids) or not choices.get(j.rule_id, (True,))[0]
        )
        scores, learned = model.findings(text, skip=skip)
        findings.extend(
            _with_severity(
                replace(f, data={**f.data, "language": context.language}), choices.get(f.rule_id, (True, ""))[1]
            )
            for f in learned
        )
    findings.sort(key=lambda f: (-SEVERITY_ORDER[Severity(f.severity)], f.start, f.rule_id))
    return Screening(findings, scores, context.language)
