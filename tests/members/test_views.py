import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members import services
from members.models import Authorization
from tests.factories import UserFactory, trained

pytestmark = pytest.mark.django_db


def _now():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def chief_client(client, chief):
    client.force_login(chief)
    session = client.session
    # Two-factor is proven in test_accounts; here the session is already verified.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=chief, name="phone", confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.mark.policy("385.3")
def test_chief_authorizes_through_the_page(chief_client, team, channel):
    response = chief_client.post(
        f"/members/{team.username}/authorize/",
        {"channels": [channel.pk], "valid_from": _now()},
    )
    assert response.status_code == 302
    assert Authorization.objects.filter(member=team).count() == 1
    page = chief_client.get(f"/members/{team.username}/").content.decode()
    assert "Department website" in page and "Active" in page


@pytest.mark.policy("385.8")
def test_refusal_is_shown_on_the_form_with_its_section(chief_client, member, channel):
    response = chief_client.post(
        f"/members/{member.username}/authorize/", {"channels": [channel.pk], "valid_from": _now()}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "No current social media training is on record" in html and "(385.8)" in html
    assert Authorization.objects.count() == 0


def test_wrong_date_order_is_shown_on_the_valid_until_field(chief_client, team, channel):
    response = chief_client.post(
        f"/members/{team.username}/authorize/",
        {"channels": [channel.pk], "valid_from": _now(), "valid_until": "2026-05-01T09:00"},
    )
    assert response.context["form"].errors["valid_until"] == ["“Valid until” must be after “Valid from”."]
    assert Authorization.objects.count() == 0


@pytest.mark.policy("385.3")
def test_supervisor_cannot_open_the_authorize_page(client, supervisor, team):
    client.force_login(supervisor)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get(f"/members/{team.username}/authorize/").status_code == 403
    assert client.post(f"/members/{team.username}/authorize/", {}).status_code == 403


def test_member_sees_own_page_but_not_others(client, member, team):
    client.force_login(member)
    assert client.get(f"/members/{member.username}/").status_code == 200
    assert client.get(f"/members/{team.username}/").status_code == 404
    assert client.get("/members/").status_code == 403


@pytest.mark.policy("385.3", "385.8")
def test_member_page_explains_why_posting_is_refused(client, member, channel):
    client.force_login(member)
    html = client.get(f"/members/{member.username}/").content.decode()
    assert "Not authorized by the Chief of Police or designee to post to Department website." in html
    assert "385.3" in html and "385.8" in html


def test_member_list_query_count_does_not_grow_with_members(chief_client, chief, channel):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert chief_client.get("/members/").status_code == 200
        return len(ctx)

    small = count_queries()
    for i in range(15):
        user = trained(UserFactory(username=f"officer{i}"), by=chief)
        services.grant_authorization(actor=chief, member=user, channels=[channel])
    assert count_queries() == small


def test_member_list_search_answers_htmx_with_rows_only(chief_client, team):
    response = chief_client.get("/members/?q=team", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "/members/team/" in html
    assert "/members/chief/" not in html


def test_training_form_refuses_bad_dates_on_the_field(chief_client, member):
    response = chief_client.post(
        f"/members/{member.username}/training/new/",
        {"course": "Annual", "topics": ["legal"], "completed_on": "2026-02-01", "expires_on": "2026-01-01"},
    )
    assert response.context["form"].errors["expires_on"] == ["“Expires on” must be after “Completed on”."]
