"""Every change to screening goes through these functions: permission first, one transaction, audited.

The audit trail names a confidential term by id and kind only: the trail is readable by people who are not
entitled to the registry.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, PermissionRefused
from core.history import stamp as _stamp
from moderation.models import ConfidentialTerm, ScreeningRuleSetting

from . import access
from .base import Severity, rule_ids

TERM_MAX_LENGTH = ConfidentialTerm._meta.get_field("term").max_length


@transaction.atomic
def set_rule_setting(*, actor, rule_id: str, enabled: bool, severity: str = "") -> ScreeningRuleSetting:
    """Turn one screening rule on or off and set its severity ("" keeps the rule's own)."""
    if not access.can_manage_screening(actor):
        raise PermissionRefused("Only a supervisor, the Chief of Police or the designee may change screening rules.")
    if rule_id not in rule_ids():
        raise InvalidInput(f"There is no screening rule {rule_id!r}.", field="rule_id")
    severity = severity or ""
    if severity and severity not in Severity.values:
        raise InvalidInput(f"Severity must be one of {', '.join(Severity.values)}, or empty.", field="severity")
    setting = ScreeningRuleSetting.objects.select_for_update().filter(rule_id=rule_id).first()
    before = (setting.enabled, setting.severity) if setting else (True, "")
    if setting is None:
        setting = ScreeningRuleSetting(rule_id=rule_id)
    setting.enabled = bool(enabled)
    setting.severity = severity
    setting.updated_by = actor
    setting.updated_at = timezone.now()
    setting.full_clean()
    _stamp(setting, actor, "screening rule setting changed").save()
    record_event(
        actor,
        "screening.rule_setting_changed",
        setting,
        details={
            "rule_id": rule_id,
            "enabled": setting.enabled,
            "severity": severity,
            "was_enabled": before[0],
            "was_severity": before[1],
        },
    )
    return setting


@transaction.atomic
def add_confidential_term(
    *,
    actor,
    term: str,
    kind: str,
    case_number: str = "",
    expires_on: date,
    note: str = "",
) -> ConfidentialTerm:
    """Register a name, number or description tied to an open case; posts that mention it are blocked."""
    if not access.can_manage_confidential_terms(actor):
        raise PermissionRefused(access.REGISTRY_KEEPERS_ONLY, section=access.REGISTRY_SECTION)
    term = " ".join((term or "").split())
    if not term:
        raise InvalidInput("Enter the term to keep out of posts.", field="term")
    if len(term) > TERM_MAX_LENGTH:
        raise InvalidInput(f"The term may be at most {TERM_MAX_LENGTH} characters.", field="term")
    if kind not in ConfidentialTerm.Kind.values:
        raise InvalidInput("Choose what kind of term this is.", field="kind")
    if expires_on is None:
        raise InvalidInput("Enter the date after which the term no longer blocks posts.", field="expires_on")
    if expires_on < timezone.localdate():
        raise InvalidInput("The expiry date is in the past: the term would never block anything.", field="expires_on")
    entry = ConfidentialTerm(
        term=term,
        kind=kind,
        case_number=(case_number or "").strip(),
        note=note or "",
        expires_on=expires_on,
        created_by=actor,
    )
    try:
        entry.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(" ".join(messages), field=field)
    _stamp(entry, actor, "confidential term added").save()
    record_event(
        actor,
        "screening.confidential_term_added",
        entry,
        details={"term_id": entry.pk, "kind": kind, "expires_on": expires_on.isoformat()},
    )
    return entry


@transaction.atomic
def withdraw_confidential_term(*, actor, term: ConfidentialTerm, reason: str = "") -> ConfidentialTerm:
    """Stop a term from blocking posts (the case closed, or it was entered by mistake). It stays on record."""
    if not access.can_manage_confidential_terms(actor):
        raise PermissionRefused(access.REGISTRY_KEEPERS_ONLY, section=access.REGISTRY_SECTION)
    entry = ConfidentialTerm.objects.select_for_update().get(pk=term.pk)
    if entry.withdrawn_at is not None:
        raise InvalidInput("This term was already withdrawn.", field="term")
    entry.withdrawn_at = timezone.now()
    entry.withdrawn_by = actor
    _stamp(entry, actor, "confidential term withdrawn").save(update_fields=["withdrawn_at", "withdrawn_by"])
    record_event(
        actor,
        "screening.confidential_term_withdrawn",
        entry,
        details={"term_id": entry.pk, "kind": entry.kind, "reason": reason[:500]},
    )
    term.withdrawn_at, term.withdrawn_by = entry.withdrawn_at, entry.withdrawn_by
    return entry
