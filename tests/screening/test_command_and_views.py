import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from moderation.models import ConfidentialTerm, ScreeningRuleSetting
from moderation.screening import services

pytestmark = pytest.mark.django_db


def _run(data: bytes, kind="post"):
    out = io.StringIO()
    call_command("screen_text", kind=kind, stdin=io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_command_reads_json_and_plain_lines():
    lines = _run(b'{"text": "SSN 532-48-1937"}\nThank you officers!\n')
    assert [f["rule_id"] for f in lines[0]["findings"]] == ["pii.ssn"]
    assert lines[1] == {"findings": []}


def test_command_screens_comments():
    (line,) = _run(b"I know where you live\n", kind="comment")
    assert line["findings"][0]["escalate"] is True


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (b'ok\n{"body": "x"}\n', "post", "line 2"),
        (b"ok\n\xff\xfe\n", "post", "line 2: not valid UTF-8"),
        (b"{not json\n", "post", "line 1: not valid JSON"),
        (b"ok\n", "tweet", "--kind"),
    ],
)
def test_command_refuses_bad_input(data, kind, message):
    with pytest.raises(CommandError, match=message):
        _run(data, kind=kind)


def _login(client, user):
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def test_try_page_shows_findings_with_their_section(client, supervisor):
    _login(client, supervisor)
    assert client.get("/screening/try/").status_code == 200
    html = client.post("/screening/try/", {"kind": "post", "text": "We caught the killer."}).content.decode()
    assert "385.5.2(b)" in html and "conduct.guilt" in html


def test_pages_refuse_members_without_the_role(client, smo):
    _login(client, smo)
    for url in ("/screening/try/", "/screening/rules/", "/screening/terms/", "/screening/terms/new/"):
        assert client.get(url).status_code == 403


def test_registry_pages_add_list_and_withdraw(client, supervisor):
    _login(client, supervisor)
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        "/screening/terms/new/",
        {"term": "Marcus Delgado", "kind": "suspect", "case_number": "24-1", "expires_on": expires},
    )
    assert response.status_code == 302
    term = ConfidentialTerm.objects.get()
    assert "Marcus Delgado" in client.get("/screening/terms/").content.decode()
    response = client.post(f"/screening/terms/{term.pk}/withdraw/", {"reason": "case closed"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.withdrawn_at is not None


def test_registry_add_shows_errors_on_the_field(client, supervisor):
    _login(client, supervisor)
    response = client.post("/screening/terms/new/", {"term": "X", "kind": "suspect", "expires_on": "2001-01-01"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert "expires_on" in response.context["form"].errors
    assert ConfidentialTerm.objects.count() == 0


def test_withdraw_page_hides_terms_from_others(client, supervisor, smo):
    term = services.add_confidential_term(
        actor=supervisor, term="Marcus Delgado", kind="suspect", case_number="",
        expires_on=timezone.localdate() + timedelta(days=3), note="",
    )  # fmt: skip
    _login(client, smo)
    assert client.get(f"/screening/terms/{term.pk}/withdraw/").status_code == 404


def test_rule_settings_page(client, supervisor):
    _login(client, supervisor)
    html = client.get("/screening/rules/").content.decode()
    assert "pii.ssn" in html and "comment.threat" in html
    response = client.post("/screening/rules/pii.dob/", {"pii-dob-enabled": "", "pii-dob-severity": "info"})
    assert response.status_code == 302
    setting = ScreeningRuleSetting.objects.get(rule_id="pii.dob")
    assert setting.enabled is False and setting.severity == "info"
    assert client.post("/screening/rules/no.such/", {}).status_code == 404
