"""The daily verification of the audit trail is kept; a failure is e-mailed to the Chief and the records custodian
and shown on every page they open; the audit integrity page is for them, the designee and the annual reviewer."""

import pytest
from django.core import mail

from core.audit import record_event
from core.checkpoints import write_checkpoint
from core.models import AuditEvent, AuditVerification, Notification
from socialgov.tasks import verify_audit_trail_task
from tests.conftest import _with_role
from tests.core.test_audit_checkpoint import tamper

pytestmark = pytest.mark.django_db

BANNER = '<div class="alert" role="alert"><strong>Audit trail verification failed</strong>'


@pytest.fixture
def reviewer(db):
    return _with_role("Annual Reviewer", username="reviewer")


@pytest.fixture
def signed_trail(chief, custodian, designee, reviewer, member):
    """The roles' own events and a few more, all signed in a checkpoint."""
    for n in range(3):
        record_event("system", "test.event", details={"n": n}, ip="2001:db8::7" if n else "")
    checkpoint, written = write_checkpoint()
    assert written
    return checkpoint


@pytest.fixture
def cut_back(signed_trail):
    """The newest events deleted after they were signed."""
    tamper(("DELETE FROM socialgov_auditevent WHERE seq >= %s", [signed_trail.seq - 1]))
    return signed_trail


def run_daily(django_capture_on_commit_callbacks) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        return verify_audit_trail_task.delay().get()


def alerts():
    return Notification.objects.filter(event="audit.verification_failed")


def test_an_intact_trail_is_kept_as_verified_and_alerts_nobody(
    signed_trail, chief, signed_in, django_capture_on_commit_callbacks
):
    assert run_daily(django_capture_on_commit_callbacks) == {"ok": True, "checked_through_seq": signed_trail.seq}
    verification = AuditVerification.objects.get()
    assert verification.ok and verification.problems == []
    assert verification.checkpoint_seq == signed_trail.seq and verification.checkpoints == 1
    assert AuditEvent.objects.filter(verb="audit.verified", details__ok=True).exists()
    assert not alerts().exists()
    assert BANNER not in signed_in(chief).get("/").content.decode()


def test_a_failure_is_kept_and_e_mailed_to_the_chief_and_the_custodian_once(
    cut_back, chief, custodian, designee, member, django_capture_on_commit_callbacks
):
    gone = f"seq {cut_back.seq - 1}-{cut_back.seq}"
    assert run_daily(django_capture_on_commit_callbacks)["ok"] is False
    verification = AuditVerification.objects.get()
    assert not verification.ok and verification.checked_through_seq == cut_back.seq - 2
    assert [p["kind"] for p in verification.problems] == ["missing"]
    assert gone in verification.problems[0]["text"]

    assert {n.recipient for n in alerts()} == {chief, custodian}
    sent = [m for m in mail.outbox if m.subject == "Audit trail verification failed"]
    assert sorted(m.to[0] for m in sent) == [chief.email, custodian.email]
    assert gone in sent[0].body and "/audit/" in sent[0].body

    # The next day finds the same (its own event written where the deleted ones were): kept again, but nobody is
    # e-mailed twice for it; the banner stays.
    run_daily(django_capture_on_commit_callbacks)
    assert AuditVerification.objects.count() == 2
    assert alerts().count() == 2
    # A new problem is e-mailed again.
    tamper(("UPDATE socialgov_auditevent SET verb = %s WHERE seq = 1", ["test.innocent"]))
    run_daily(django_capture_on_commit_callbacks)
    assert alerts().count() == 4
    assert "altered event id" in alerts().latest("pk").body


def test_a_failure_is_on_every_page_the_chief_and_the_custodian_open(
    cut_back, chief, custodian, reviewer, member, signed_in, django_capture_on_commit_callbacks
):
    run_daily(django_capture_on_commit_callbacks)
    for user, page in [(chief, "/"), (chief, "/members/"), (custodian, "/"), (custodian, "/records/")]:
        html = signed_in(user).get(page).content.decode()
        assert BANNER in html, (user, page)
        assert 'href="/audit/">See the problems on the audit integrity page</a>' in html
    for user in (reviewer, member):
        assert BANNER not in signed_in(user).get("/").content.decode()


def test_the_audit_integrity_page_lists_verifications_and_the_newest_checkpoint(
    cut_back, chief, designee, custodian, reviewer, signed_in, django_capture_on_commit_callbacks
):
    run_daily(django_capture_on_commit_callbacks)
    for user in (chief, designee, custodian, reviewer):
        response = signed_in(user).get("/audit/")
        assert response.status_code == 200, user
        html = response.content.decode()
        assert "<h1>Audit integrity</h1>" in html
        assert "<caption>Recent verifications</caption>" in html
        assert f'<th scope="row">{cut_back.seq - 1}–{cut_back.seq}</th><td>missing</td>' in html
        assert f"<dt>Sequence number</dt><dd>{cut_back.seq}</dd>" in html
        assert cut_back.hash in html


def test_the_audit_integrity_page_is_refused_to_a_member(signed_trail, member, signed_in, client):
    response = signed_in(member).get("/audit/")
    assert response.status_code == 403
    assert "Only the Chief of Police, the designee, the records custodian and the annual reviewer" in (
        response.content.decode()
    )
    assert signed_trail.hash not in response.content.decode()
    assert client.get("/audit/").status_code == 302  # signed out: to the login page
