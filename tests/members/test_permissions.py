from datetime import timedelta

import pytest
from django.utils import timezone

from members import services
from members.permissions import can_post_for_department, requires_two_factor
from tests.factories import trained

pytestmark = pytest.mark.django_db


def codes(decision):
    return [r.code for r in decision.reasons]


@pytest.mark.policy("385.3", "385.8")
def test_authorized_and_trained_member_may_post(chief, team, channel):
    services.grant_authorization(actor=chief, member=team, channels=[channel])
    decision = can_post_for_department(team, channel)
    assert decision.allowed and bool(decision) and decision.reasons == ()


@pytest.mark.policy("385.3")
def test_trained_but_unauthorized_member_is_refused_with_385_3(team, channel):
    decision = can_post_for_department(team, channel)
    assert not decision
    assert decision.sections == ["385.3"]
    assert codes(decision) == ["not_authorized"]


@pytest.mark.policy("385.3")
def test_authorization_for_another_channel_does_not_cover_this_one(chief, team, channel, other_channel):
    services.grant_authorization(actor=chief, member=team, channels=[other_channel])
    assert codes(can_post_for_department(team, channel)) == ["not_authorized"]
    assert can_post_for_department(team, other_channel)


@pytest.mark.policy("385.3")
def test_all_channels_authorization_covers_every_channel(chief, team, channel, other_channel):
    services.grant_authorization(actor=chief, member=team, all_channels=True)
    assert can_post_for_department(team, channel) and can_post_for_department(team, other_channel)


@pytest.mark.policy("385.8")
def test_training_that_lapses_after_the_grant_stops_posting_with_385_8(chief, team, channel):
    services.grant_authorization(actor=chief, member=team, channels=[channel])
    later = timezone.now() + timedelta(days=400)
    decision = can_post_for_department(team, channel, at=later)
    assert not decision
    assert codes(decision) == ["training_expired"]
    assert decision.sections == ["385.8"]


@pytest.mark.policy("385.3")
def test_expired_authorization_is_refused(chief, team, channel):
    services.grant_authorization(
        actor=chief, member=team, channels=[channel], valid_until=timezone.now() + timedelta(days=1)
    )
    decision = can_post_for_department(team, channel, at=timezone.now() + timedelta(days=2))
    assert codes(decision) == ["authorization_expired"]


@pytest.mark.policy("385.3")
def test_revoked_authorization_is_refused(chief, team, channel):
    auth = services.grant_authorization(actor=chief, member=team, channels=[channel])
    services.revoke_authorization(actor=chief, authorization=auth, reason="Transferred")
    assert codes(can_post_for_department(team, channel)) == ["authorization_revoked"]


@pytest.mark.policy("385.3", "385.8")
def test_member_without_anything_gets_both_reasons(member, channel):
    decision = can_post_for_department(member, channel)
    assert decision.sections == ["385.3", "385.8"]
    assert codes(decision) == ["not_authorized", "training_missing"]


@pytest.mark.policy("385.3")
def test_disabled_account_may_not_post(chief, team, channel):
    services.grant_authorization(actor=chief, member=team, channels=[channel])
    team.is_active = False
    team.save()
    assert codes(can_post_for_department(team, channel)) == ["account_disabled"]


@pytest.mark.policy("385.3")
class TestApprovedNetworks:
    @pytest.fixture
    def authorized(self, chief, team, channel, settings):
        settings.POSTING_NETWORKS = ["10.20.0.0/16", "192.0.2.0/24"]
        services.grant_authorization(actor=chief, member=team, channels=[channel])
        return team

    def test_inside_an_approved_network(self, authorized, channel):
        assert can_post_for_department(authorized, channel, ip="10.20.3.4")

    def test_outside_is_refused_with_385_3(self, authorized, channel):
        decision = can_post_for_department(authorized, channel, ip="198.51.100.7")
        assert codes(decision) == ["unapproved_network"]
        assert "198.51.100.7" in decision.reasons[0].message

    def test_supervisor_exception_allows_it_until_it_ends(self, authorized, channel, supervisor):
        exception = services.grant_remote_posting_exception(
            actor=supervisor,
            member=authorized,
            reason="Evacuation shelter duty",
            valid_until=timezone.now() + timedelta(hours=8),
        )
        assert can_post_for_department(authorized, channel, ip="198.51.100.7")
        assert not can_post_for_department(
            authorized, channel, ip="198.51.100.7", at=timezone.now() + timedelta(hours=9)
        )
        services.revoke_remote_posting_exception(actor=supervisor, exception=exception)
        assert not can_post_for_department(authorized, channel, ip="198.51.100.7")

    def test_no_restriction_when_setting_is_empty(self, authorized, channel, settings):
        settings.POSTING_NETWORKS = []
        assert can_post_for_department(authorized, channel, ip="198.51.100.7")


def test_two_factor_required_for_listed_roles(chief, supervisor, team, member, settings):
    assert requires_two_factor(chief) and requires_two_factor(supervisor)
    assert not requires_two_factor(team)
    settings.OTP_REQUIRED_FOR_ALL = True
    assert requires_two_factor(member)


@pytest.mark.policy("385.8")
def test_training_records_are_per_member(chief, team, member, channel):
    trained(member, by=chief, days_ago=400)
    assert codes(can_post_for_department(member, channel)) == ["not_authorized", "training_expired"]
