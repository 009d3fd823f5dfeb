from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from guardian.models import UserObjectPermission

from core.errors import InvalidInput, PermissionRefused, PolicyViolation
from core.models import AuditEvent
from members import services
from members.models import Authorization, RemotePostingException, TrainingRecord
from members.permissions import can_post_for_department
from posts.models import Channel
from tests.factories import PASSWORD, ChannelFactory, trained

pytestmark = pytest.mark.django_db


def _counts():
    return (Authorization.objects.count(), AuditEvent.objects.count())


def posting_channels(user):
    """The channels the posting decision (385.3) lets `user` post to now."""
    return {c.slug for c in Channel.objects.all() if can_post_for_department(user, c)}


def channel_permission_copies() -> int:
    """Rows of the former `posts.post_to_channel` object permission: who may post is never copied anywhere."""
    permissions = Permission.objects.filter(content_type__app_label="posts", codename="post_to_channel")
    return permissions.count() + UserObjectPermission.objects.filter(permission__codename="post_to_channel").count()


@pytest.mark.policy("385.3")
class TestGrantAuthorization:
    def test_chief_grants_and_it_is_audited_with_history_and_no_permission_copy(self, chief, team, channel):
        auth = services.grant_authorization(actor=chief, member=team, channels=[channel])

        assert auth.is_active()
        assert list(auth.channels.all()) == [channel]
        assert auth.granted_by == chief
        event = AuditEvent.objects.get(verb="authorization.granted")
        assert event.actor == chief and event.object_id == str(auth.pk)
        assert event.details["channels"] == ["news"]
        history = auth.history.first()
        assert history.history_user == chief and history.history_change_reason == "Authorization granted"
        assert posting_channels(team) == {"news"}
        assert channel_permission_copies() == 0

    def test_designee_may_grant(self, designee, team, channel):
        assert services.grant_authorization(actor=designee, member=team, channels=[channel]).is_active()

    @pytest.mark.parametrize("granter", ["supervisor", "smo", "member"])
    def test_anyone_but_chief_or_designee_is_refused_and_nothing_changes(self, request, granter, team, channel):
        actor = request.getfixturevalue(granter)
        before = _counts()
        with pytest.raises(PolicyViolation) as refused:
            services.grant_authorization(actor=actor, member=team, channels=[channel])
        assert refused.value.section == "385.3"
        assert "Chief of Police or the authorized designee" in refused.value.message
        assert _counts() == before
        assert posting_channels(team) == set()

    @pytest.mark.policy("385.8")
    def test_expired_training_is_refused_citing_385_8(self, chief, member, channel):
        trained(member, by=chief, days_ago=400, valid_days=365)
        before = _counts()
        with pytest.raises(PolicyViolation) as refused:
            services.grant_authorization(actor=chief, member=member, channels=[channel])
        assert refused.value.section == "385.8"
        assert "expired on" in refused.value.message
        assert _counts() == before

    @pytest.mark.policy("385.8")
    def test_no_training_is_refused_citing_385_8(self, chief, member, channel):
        with pytest.raises(PolicyViolation) as refused:
            services.grant_authorization(actor=chief, member=member, channels=[channel])
        assert refused.value.section == "385.8"
        assert "No current social media training" in refused.value.message

    @pytest.mark.policy("385.8")
    def test_training_missing_a_topic_is_refused(self, chief, member, channel):
        trained(member, by=chief, topics=["legal", "privacy", "civil_rights", "dissemination"])
        with pytest.raises(PolicyViolation) as refused:
            services.grant_authorization(actor=chief, member=member, channels=[channel])
        assert "retention" in refused.value.message

    def test_overlapping_grant_is_refused_naming_the_existing_one(self, chief, team, channel, other_channel):
        first = services.grant_authorization(actor=chief, member=team, channels=[channel, other_channel])
        before = _counts()
        with pytest.raises(InvalidInput) as refused:
            services.grant_authorization(actor=chief, member=team, channels=[channel])
        assert refused.value.field == "channels"
        assert f"#{first.pk}" in refused.value.message
        assert _counts() == before

    def test_all_channels_grant_overlaps_any_channel_grant(self, chief, team, channel):
        services.grant_authorization(actor=chief, member=team, channels=[channel])
        with pytest.raises(InvalidInput):
            services.grant_authorization(actor=chief, member=team, all_channels=True)

    def test_non_overlapping_periods_and_channels_are_allowed(self, chief, team, channel, other_channel):
        now = timezone.now()
        services.grant_authorization(actor=chief, member=team, channels=[channel], valid_until=now + timedelta(days=10))
        later = services.grant_authorization(
            actor=chief, member=team, channels=[channel], valid_from=now + timedelta(days=10)
        )
        other = services.grant_authorization(actor=chief, member=team, channels=[other_channel])
        assert later.pk and other.pk
        assert Authorization.objects.filter(member=team).count() == 3

    def test_dates_in_the_wrong_order_are_refused_on_valid_until(self, chief, team, channel):
        now = timezone.now()
        before = _counts()
        with pytest.raises(InvalidInput) as refused:
            services.grant_authorization(
                actor=chief, member=team, channels=[channel], valid_from=now, valid_until=now - timedelta(days=1)
            )
        assert refused.value.field == "valid_until"
        assert "after" in refused.value.message
        assert _counts() == before

    def test_no_channel_chosen_is_refused(self, chief, team):
        with pytest.raises(InvalidInput) as refused:
            services.grant_authorization(actor=chief, member=team, channels=[])
        assert refused.value.field == "channels"

    def test_database_also_refuses_an_authorization_ending_before_it_starts(self, chief, team):
        from django.db import IntegrityError, transaction

        now = timezone.now()
        with pytest.raises(IntegrityError), transaction.atomic():
            Authorization.objects.create(
                member=team, granted_by=chief, valid_from=now, valid_until=now - timedelta(hours=1)
            )

    def test_all_channels_grant_covers_a_channel_created_later(self, chief, team, django_capture_on_commit_callbacks):
        services.grant_authorization(actor=chief, member=team, all_channels=True)
        with django_capture_on_commit_callbacks(execute=True):
            ChannelFactory(name="Mastodon", slug="mastodon", kind="mastodon")
        assert "mastodon" in posting_channels(team)


@pytest.mark.policy("385.3")
class TestRevokeAuthorization:
    def test_revoke_records_who_when_why_and_removes_permission(self, chief, team, channel):
        auth = services.grant_authorization(actor=chief, member=team, channels=[channel])
        services.revoke_authorization(actor=chief, authorization=auth, reason="Reassigned to patrol")
        auth.refresh_from_db()
        assert auth.revoked_by == chief and auth.revocation_reason == "Reassigned to patrol"
        assert not auth.is_active()
        assert posting_channels(team) == set()
        assert AuditEvent.objects.filter(verb="authorization.revoked", object_id=str(auth.pk)).exists()

    def test_reason_is_required(self, chief, team, channel):
        auth = services.grant_authorization(actor=chief, member=team, channels=[channel])
        with pytest.raises(InvalidInput) as refused:
            services.revoke_authorization(actor=chief, authorization=auth, reason="  ")
        assert refused.value.field == "reason"
        auth.refresh_from_db()
        assert auth.revoked_at is None

    def test_supervisor_cannot_revoke(self, chief, supervisor, team, channel):
        auth = services.grant_authorization(actor=chief, member=team, channels=[channel])
        with pytest.raises(PolicyViolation):
            services.revoke_authorization(actor=supervisor, authorization=auth, reason="No")
        auth.refresh_from_db()
        assert auth.revoked_at is None


@pytest.mark.policy("385.8")
class TestTraining:
    def test_record_training(self, supervisor, member):
        today = timezone.localdate()
        record = services.record_training(
            actor=supervisor,
            member=member,
            course="Annual",
            topics=["privacy", "legal"],
            completed_on=today,
            expires_on=today + timedelta(days=365),
        )
        assert record.topics == ["legal", "privacy"]
        assert AuditEvent.objects.filter(verb="training.recorded").count() == 1

    @pytest.mark.parametrize(
        "field,kwargs",
        [
            ("expires_on", {"completed_on": date(2026, 1, 10), "expires_on": date(2026, 1, 1)}),
            ("completed_on", {"completed_on": date(2999, 1, 1), "expires_on": date(2999, 12, 1)}),
            ("topics", {"topics": ["astrology"]}),
            ("topics", {"topics": []}),
            ("course", {"course": " "}),
        ],
    )
    def test_bad_input_names_the_field_and_changes_nothing(self, supervisor, member, field, kwargs):
        args = {
            "course": "Annual",
            "topics": ["legal"],
            "completed_on": date(2026, 1, 1),
            "expires_on": date(2027, 1, 1),
            **kwargs,
        }
        events = AuditEvent.objects.count()
        with pytest.raises(InvalidInput) as refused:
            services.record_training(actor=supervisor, member=member, **args)
        assert refused.value.field == field
        assert TrainingRecord.objects.count() == 0
        assert AuditEvent.objects.count() == events

    def test_member_cannot_record_training(self, member, team):
        with pytest.raises(PermissionRefused):
            services.record_training(
                actor=member,
                member=member,
                course="Self-taught",
                topics=["legal"],
                completed_on=date(2026, 1, 1),
                expires_on=date(2027, 1, 1),
            )


@pytest.mark.policy("385.3")
class TestRemotePostingException:
    def test_supervisor_grants_time_limited_exception(self, supervisor, team):
        exception = services.grant_remote_posting_exception(
            actor=supervisor, member=team, reason="Storm duty from home", valid_until=timezone.now() + timedelta(days=2)
        )
        assert exception.is_active()
        assert AuditEvent.objects.filter(verb="remote_exception.granted").exists()

    def test_longer_than_the_limit_is_refused(self, supervisor, team, settings):
        settings.REMOTE_POSTING_MAX_DAYS = 7
        with pytest.raises(InvalidInput) as refused:
            services.grant_remote_posting_exception(
                actor=supervisor, member=team, reason="x", valid_until=timezone.now() + timedelta(days=8)
            )
        assert refused.value.field == "valid_until"
        assert RemotePostingException.objects.count() == 0

    def test_team_member_cannot_grant(self, team, member):
        with pytest.raises(PolicyViolation):
            services.grant_remote_posting_exception(
                actor=team, member=member, reason="x", valid_until=timezone.now() + timedelta(days=1)
            )


@pytest.mark.policy("385.3")
class TestDisableMember:
    def test_disabling_ends_every_session_and_revokes_authorizations(self, chief, team, channel):
        auth = services.grant_authorization(actor=chief, member=team, channels=[channel])
        phone, desk = Client(), Client()
        for client in (phone, desk):
            client.post("/accounts/login/", {"username": "team", "password": PASSWORD})
        assert phone.get("/").status_code == 200

        ended = services.disable_member(actor=chief, member=team, reason="Left the department")

        assert ended == 2
        assert not any(str(s.get_decoded().get("_auth_user_id")) == str(team.pk) for s in Session.objects.all())
        assert phone.get("/").status_code == 302  # back to the login page
        auth.refresh_from_db()
        assert auth.revoked_at is not None
        assert posting_channels(team) == set()


def test_disabling_an_account_any_other_way_also_ends_its_sessions(team):
    client = Client()
    client.post("/accounts/login/", {"username": "team", "password": PASSWORD})
    assert client.get("/").status_code == 200
    team.is_active = False
    team.save()  # e.g. from the admin
    assert not Session.objects.exists()
    assert client.get("/").status_code == 302


def test_posting_decision_uses_a_fixed_number_of_queries(chief, team, channel, django_assert_num_queries):
    from members.permissions import can_post_for_department

    services.grant_authorization(actor=chief, member=team, channels=[channel])
    for _ in range(5):
        trained(team, by=chief)
    with django_assert_num_queries(2):
        assert can_post_for_department(team, channel)
