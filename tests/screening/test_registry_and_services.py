from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from core.errors import InvalidInput, PermissionRefused
from core.models import AuditEvent
from moderation.models import ConfidentialTerm, ScreeningRuleSetting
from moderation.screening import access, screen, services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _add(actor, term="Marcus Delgado", kind="suspect", days=30):
    return services.add_confidential_term(
        actor=actor, term=term, kind=kind, case_number="24-018734",
        expires_on=timezone.localdate() + timedelta(days=days), note="",
    )  # fmt: skip


def _registry(text):
    return [f for f in screen(text) if f.rule_id == "investigation.registry"]


@pytest.mark.policy("385.5(c)")
@pytest.mark.parametrize(
    "text",
    [
        "Suspect MARCUS DELGADO fled.",
        "marcus\ndelgado",
        "Marcus-Delgado",
        "Márcus Delgado",
        "Marcus Delgdao",
        "Marcus Delagdo",
    ],
)
def test_registry_matches_case_accents_breaks_and_one_slip(supervisor, text):
    term = _add(supervisor)
    (f,) = _registry(text)
    assert f.severity == "block" and f.section == "385.5(c)"
    assert f.data == {"term_id": term.pk}
    assert f.excerpt == "[confidential term]" and "delgado" not in f.explanation.lower()


@pytest.mark.policy("385.5(c)")
@pytest.mark.parametrize("text", ["Marcus Garvey Day", "Delgado Street repaving", "Marcus Delgrande"])
def test_registry_leaves_near_misses_alone(supervisor, text):
    _add(supervisor)
    assert _registry(text) == []


@pytest.mark.policy("385.5(c)")
def test_case_numbers_match_across_punctuation_but_not_one_digit_off(supervisor):
    _add(supervisor, term="24-018734", kind="case_number")
    assert _registry("case 24 018734") and _registry("case 24018734")
    assert not _registry("case 24-018735")


@pytest.mark.policy("385.5(c)")
def test_a_new_term_applies_at_once_and_a_withdrawn_one_stops(supervisor):
    assert not _registry("Tomasz Kowalczyk came forward")
    term = _add(supervisor, term="Tomasz Kowalczyk", kind="witness")
    assert _registry("Tomasz Kowalczyk came forward")
    services.withdraw_confidential_term(actor=supervisor, term=term)
    assert not _registry("Tomasz Kowalczyk came forward")


@pytest.mark.policy("385.5(c)")
def test_audit_never_holds_the_term(supervisor):
    term = _add(supervisor)
    services.withdraw_confidential_term(actor=supervisor, term=term, reason="case closed")
    events = AuditEvent.objects.filter(verb__startswith="screening.confidential_term")
    assert events.count() == 2
    for event in events:
        assert "delgado" not in str(event.details).lower() and "delgado" not in event.object_repr.lower()
        assert event.details["term_id"] == term.pk and event.details["kind"] == "suspect"


@pytest.mark.policy("385.5(c)")
def test_who_may_keep_the_registry(supervisor, chief, smo, member):
    investigator = UserFactory(username="investigator")
    investigator.user_permissions.add(Permission.objects.get(codename="manage_confidential_terms"))
    assert access.can_manage_confidential_terms(supervisor) and access.can_manage_confidential_terms(chief)
    assert access.can_manage_confidential_terms(investigator)
    assert not access.can_manage_confidential_terms(smo) and not access.can_manage_confidential_terms(member)
    assert not access.can_manage_screening(investigator)


@pytest.mark.policy("385.5(c)")
def test_refusals_change_nothing(smo, supervisor):
    with pytest.raises(PermissionRefused):
        _add(smo)
    term = _add(supervisor)
    with pytest.raises(PermissionRefused):
        services.withdraw_confidential_term(actor=smo, term=term)
    with pytest.raises(PermissionRefused):
        services.set_rule_setting(actor=smo, rule_id="pii.ssn", enabled=False, severity="")
    term.refresh_from_db()
    assert term.withdrawn_at is None and ScreeningRuleSetting.objects.count() == 0


def test_invalid_input_names_the_field(supervisor):
    with pytest.raises(InvalidInput) as error:
        _add(supervisor, term="   ")
    assert error.value.field == "term"
    with pytest.raises(InvalidInput) as error:
        _add(supervisor, days=-1)
    assert error.value.field == "expires_on"
    with pytest.raises(InvalidInput) as error:
        services.set_rule_setting(actor=supervisor, rule_id="no.such", enabled=True, severity="")
    assert error.value.field == "rule_id"
    assert ConfidentialTerm.objects.count() == 0


def test_rule_settings_disable_and_override(supervisor):
    text = "Vote yes on Measure X!"
    assert {f.severity for f in screen(text) if f.rule_id == "conduct.political"} == {"block"}
    services.set_rule_setting(actor=supervisor, rule_id="conduct.political", enabled=True, severity="info")
    assert {f.severity for f in screen(text) if f.rule_id == "conduct.political"} == {"info"}
    services.set_rule_setting(actor=supervisor, rule_id="conduct.political", enabled=False, severity="")
    assert not [f for f in screen(text) if f.rule_id == "conduct.political"]
    event = AuditEvent.objects.filter(verb="screening.rule_setting_changed").latest("seq")
    assert event.details["enabled"] is False and event.details["was_severity"] == "info"
