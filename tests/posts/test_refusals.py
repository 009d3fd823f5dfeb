"""A refused action on channels, guidelines, incidents and media permissions shows its reason and section."""

import pytest
from django.utils.html import escape

from core.errors import PermissionRefused
from posts import services
from posts.models import Channel, GuidelineTemplate, Incident, MediaPermission, PostingSettings

pytestmark = pytest.mark.django_db


@pytest.mark.policy("385.3")
def test_the_social_media_officer_is_told_who_keeps_guidelines(signed_in, smo):
    client = signed_in(smo)
    assert client.get("/guidelines/new/").status_code == 403
    response = client.post(
        "/guidelines/new/",
        {"name": "Road closure", "category": "traffic", "body": "ROAD CLOSURE: {road} is closed.", "is_active": "on"},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only the Chief of Police or the authorized designee keeps content guidelines." in page
    assert '<strong class="section">385.3</strong>' in page
    assert not GuidelineTemplate.objects.exists()


@pytest.mark.policy("385.3")
def test_the_page_shows_the_reason_the_service_gives(signed_in, smo):
    response = signed_in(smo).post("/guidelines/settings/", {"require_approval_for_all": "on"})
    assert response.status_code == 403
    page = response.content.decode()
    with pytest.raises(PermissionRefused) as refused:
        services.set_posting_settings(actor=smo, require_approval_for_all=True)
    assert escape(refused.value.message) in page
    assert "decides whether every post needs a supervisor&#x27;s approval" in page
    assert f'<strong class="section">{refused.value.section}</strong>' in page and refused.value.section == "385.3"
    assert PostingSettings.load().require_approval_for_all is False


@pytest.mark.policy("385.4.1")
def test_a_member_cannot_open_an_incident(signed_in, member, commander, smo):
    response = signed_in(member).post(
        "/incidents/new/",
        {"name": "Brush fire", "kind": "disaster", "commander": commander.pk, "social_media_officer": smo.pk},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only a supervisor or the Social Media Officer opens incidents." in page
    assert '<strong class="section">385.4.1</strong>' in page
    assert not Incident.objects.exists()


@pytest.mark.policy("385.5.2(b)")
def test_media_permissions_are_recorded_by_the_team_only(signed_in, member):
    response = signed_in(member).get("/media-permissions/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "records written permission for photos and videos of department activities" in page
    assert '<strong class="section">385.5.2(b)</strong>' in page
    assert not MediaPermission.objects.exists()


def test_a_team_member_is_told_who_manages_channels(signed_in, team, channel):
    client = signed_in(team)
    response = client.post("/channels/new/", {"name": "Instagram", "slug": "instagram", "kind": "instagram"})
    assert response.status_code == 403
    assert "Only the Chief, a designee or the Social Media Officer may manage channels." in response.content.decode()
    response = client.get(f"/channels/{channel.slug}/credentials/")
    assert response.status_code == 403
    assert "may set a channel&#x27;s credentials." in response.content.decode()
    assert list(Channel.objects.values_list("slug", flat=True)) == [channel.slug]
