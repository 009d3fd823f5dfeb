import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_is_a_clear_error_unless_debug():
    result = run_manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert run_manage("check", env={"DEBUG": "1"}).returncode == 0


def test_bad_boolean_setting_names_the_variable():
    result = run_manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be" in result.stderr


def test_check_deploy_with_production_environment_prints_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "SECRET_KEY": "p" * 20 + "-Zq8vN3kT1xW6yB4mR9sL2cF7hJ0dG5aE-" + "q" * 20,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "social.police.example.gov",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(signed_in):
    response = _staff(signed_in).get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_says_unavailable_when_the_broker_is_down(monkeypatch, signed_in):
    from socialgov import views

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(views.celery_app, "connection_for_write", refuse)
    response = _staff(signed_in).get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == {"ok": False, "detail": "ConnectionRefusedError"}


def _staff(signed_in):
    """The checks' details are shown to signed-in staff only (tests/socialgov/test_health_and_limits.py)."""
    return signed_in(UserFactory(username="operator", is_staff=True))


def test_collectstatic_builds_the_production_manifest(tmp_path):
    result = run_manage(
        "collectstatic",
        "--noinput",
        "-v0",
        env={"DEBUG": "0", "SECRET_KEY": "k" * 60, "STATIC_MANIFEST": "1", "STATIC_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    for name in ("css/socialgov.css", "favicon.svg", "django_htmx/htmx-2.min.js"):
        hashed = manifest["paths"][name]
        assert (tmp_path / hashed).exists() and (tmp_path / (hashed + ".gz")).exists()


def test_favicon_requests_find_the_department_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
