"""The OpenAPI schema and its readers, served from the app itself."""

import re

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_and_names_the_token_scheme(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["apiToken"]["description"],
    }
    assert "/api/v1/posts/{id}/approve/" in schema["paths"]
    error = schema["components"]["schemas"]["Error"]["properties"]
    assert {"code", "section", "detail"} <= set(error)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_readers_load_nothing_from_another_site(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "fonts.googleapis" not in page and "<script>" not in page
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_the_swagger_reader_script_is_served_as_a_file(client):
    page = client.get("/api/docs/").content.decode()
    script = next(s for s in re.findall(r'<script src="([^"]+)"', page) if "script" in s)
    assert client.get(script).status_code == 200
