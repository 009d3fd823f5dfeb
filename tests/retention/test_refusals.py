"""A refused records action shows the service's reason and the section behind it, with the right status."""

import pytest
from django.utils import timezone

from retention.models import RecordsRequest

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.7")]


def test_a_member_without_a_records_role_is_told_why(signed_in, member):
    response = signed_in(member).get("/records/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Records are kept by the records custodian." in page
    assert "385.7" in page


def test_the_chief_may_read_records_but_logging_a_request_is_refused_with_its_reason(signed_in, chief):
    client = signed_in(chief)
    assert client.get("/records/requests/").status_code == 200
    response = client.post(
        "/records/requests/",
        {"requester": "A. Reporter", "description": "Posts about the parade", "received_on": timezone.localdate()},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only the records custodian logs public-records requests." in page
    assert '<strong class="section">385.7</strong>' in page
    assert not RecordsRequest.objects.exists()
