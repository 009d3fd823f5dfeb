"""385.4.1: command of an incident is handed over, and a backup approver named, by the Incident Commander or the
Social Media Officer's supervisor; audited; the updates' numbering continues across handovers and reopening."""

import pytest
from django.contrib.auth.models import Group

from core.errors import InvalidInput, PermissionRefused, PolicyViolation
from core.models import AuditEvent, Notification
from moderation import services as review
from moderation.permissions import can_decide
from posts import services as posts
from tests.factories import UserFactory
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.4.1")]


@pytest.fixture
def lieutenant(db):
    user = UserFactory(username="lieutenant")
    user.groups.add(Group.objects.get(name="Member"))
    return user


def update(incident, author, channel, text="Evacuation warning east of Jackson St."):
    post = draft(author, [channel], incident=incident, body=text)
    review.submit_for_review(actor=author, post=post)
    post.refresh_from_db()
    return post


def test_the_commander_hands_over_command_and_only_the_new_commander_approves(
    incident, commander, lieutenant, author, channel
):
    first = update(incident, author, channel)
    posts.transfer_command(actor=commander, incident=incident, commander=lieutenant, reason="End of shift")
    incident.refresh_from_db()
    assert incident.commander == lieutenant
    assert not can_decide(commander, first) and can_decide(lieutenant, first)
    event = AuditEvent.objects.get(verb="incident.command_transferred")
    assert event.actor == commander and event.details == {
        "from": "commander",
        "to": "lieutenant",
        "reason": "End of shift",
    }
    assert Notification.objects.filter(recipient=lieutenant, event="incident.command_transferred").exists()
    second = update(incident, author, channel, "Shelter open at Indio High School.")
    assert (first.update_number, second.update_number) == (1, 2)


def test_the_smos_supervisor_hands_over_but_no_other_member(incident, supervisor, supervisor2, author, lieutenant):
    author.profile.supervisor = supervisor
    author.profile.save()
    with pytest.raises(PermissionRefused) as refused:
        posts.transfer_command(actor=supervisor2, incident=incident, commander=lieutenant, reason="x")
    assert refused.value.section == "385.4.1"
    with pytest.raises(PermissionRefused):
        posts.transfer_command(actor=lieutenant, incident=incident, commander=lieutenant, reason="x")
    posts.transfer_command(actor=supervisor, incident=incident, commander=lieutenant, reason="Commander injured")
    incident.refresh_from_db()
    assert incident.commander == lieutenant


def test_command_never_goes_to_the_social_media_officer_and_needs_a_reason(incident, commander, author, lieutenant):
    with pytest.raises(PolicyViolation):
        posts.transfer_command(actor=commander, incident=incident, commander=author, reason="x")
    with pytest.raises(InvalidInput) as no_reason:
        posts.transfer_command(actor=commander, incident=incident, commander=lieutenant, reason=" ")
    assert no_reason.value.field == "reason"
    incident.refresh_from_db()
    assert incident.commander == commander
    assert not AuditEvent.objects.filter(verb="incident.command_transferred").exists()


def test_a_backup_approver_approves_while_named_and_not_after(incident, commander, lieutenant, author, channel):
    pending = update(incident, author, channel)
    assert not can_decide(lieutenant, pending)
    posts.name_backup_approver(actor=commander, incident=incident, backup=lieutenant, reason="Commander in the field")
    assert can_decide(lieutenant, pending) and can_decide(commander, pending)
    posts.name_backup_approver(actor=commander, incident=incident, backup=None, reason="Back at the command post")
    assert not can_decide(lieutenant, pending)
    assert [e.verb for e in AuditEvent.objects.filter(verb__startswith="incident.backup").order_by("seq")] == [
        "incident.backup_named",
        "incident.backup_ended",
    ]


def test_a_reopened_incident_continues_its_numbers(incident, supervisor, author, channel):
    update(incident, author, channel)
    update(incident, author, channel, "Road reopened.")
    posts.close_incident(actor=supervisor, incident=incident)
    posts.reopen_incident(actor=supervisor, incident=incident, reason="Fire flared up again")
    third = update(incident, author, channel, "Evacuate again east of Jackson St.")
    assert third.update_number == 3
    assert AuditEvent.objects.filter(verb="incident.reopened").count() == 1


def test_the_commander_hands_over_on_the_incident_page(incident, commander, lieutenant, signed_in):
    client = signed_in(commander)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Hand over command" in page and 'for="id_transfer_commander"' in page and 'for="id_backup_reason"' in page
    done = client.post(
        f"/incidents/{incident.pk}/", {"action": "transfer", "commander": lieutenant.pk, "reason": "End of shift"}
    )
    assert done.status_code == 302
    incident.refresh_from_db()
    assert incident.commander == lieutenant
    assert "Hand over command" not in client.get(f"/incidents/{incident.pk}/").content.decode()
