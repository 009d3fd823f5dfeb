"""A refused action on people shows the reason and the section behind it, and changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import PermissionRefused
from members import services
from members.models import Authorization, RemotePostingException

pytestmark = pytest.mark.django_db


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.policy("385.3")
def test_a_supervisor_is_told_who_authorizes_members(signed_in, supervisor, team, channel):
    client = signed_in(supervisor)
    page = client.get(f"/members/{team.username}/authorize/")
    assert page.status_code == 403
    response = client.post(
        f"/members/{team.username}/authorize/", {"channels": [channel.pk], "valid_from": _local(timezone.now())}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only the Chief of Police or the authorized designee may authorize members to post." in html
    assert '<strong class="section">385.3</strong>' in html
    assert not Authorization.objects.exists()


@pytest.mark.policy("385.3")
def test_the_page_and_the_service_give_the_same_reason_for_disabling(signed_in, supervisor, team):
    response = signed_in(supervisor).post(f"/members/{team.username}/disable/", {"reason": "Left the department"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only the Chief of Police or the authorized designee may disable an account." in html
    assert '<strong class="section">385.3</strong>' in html
    with pytest.raises(PermissionRefused) as refused:
        services.disable_member(actor=supervisor, member=team, reason="Left the department")
    assert refused.value.message in html and refused.value.section == "385.3"
    team.refresh_from_db()
    assert team.is_active


@pytest.mark.policy("385.3")
def test_a_member_cannot_grant_themselves_a_remote_posting_exception(signed_in, team):
    now = timezone.now()
    response = signed_in(team).post(
        f"/members/{team.username}/remote-exception/new/",
        {"reason": "Working from home", "valid_from": _local(now), "valid_until": _local(now + timedelta(days=2))},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only a supervisor may allow posting from other than department-approved equipment." in html
    assert '<strong class="section">385.3</strong>' in html
    assert not RemotePostingException.objects.exists()


def test_the_member_list_says_who_it_is_for(signed_in, member):
    response = signed_in(member).get("/members/")
    assert response.status_code == 403
    assert "The member list is for the Chief, the designee, supervisors" in response.content.decode()
