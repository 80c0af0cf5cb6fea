"""The API's OpenAPI schema must not change silently: it is compared with the committed snapshot
(tests/api/openapi.json), and the documentation page serves it through vendored assets only."""

import json
from pathlib import Path

import pytest

from api.main import api

SNAPSHOT = Path(__file__).with_name("openapi.json")
REGENERATE = (
    ".venv/bin/python manage.py export_openapi_schema --api api.main.api --indent 2 --sorted "
    "--output tests/api/openapi.json"
)


def test_the_schema_is_the_committed_snapshot():
    generated = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert generated == committed, (
        "The API's OpenAPI schema differs from tests/api/openapi.json. If the change is intended (a new field, "
        f"endpoint or description), regenerate the snapshot with\n  {REGENERATE}\nand commit it with the change "
        "(API clients rely on it: say what changed in the commit message)."
    )


def test_the_schema_is_openapi_3_with_french_titles():
    schema = api.get_openapi_schema()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["description"].startswith("Données ouvertes de l'appel")
    summaries = {op["summary"] for path in schema["paths"].values() for op in path.values()}
    assert summaries == {
        "Campagnes",
        "Vagues",
        "Lauréats publiés",
        "Réseau des antennes",
        "Dossiers",
        "Dossier",
        "Avancement des évaluations",
    }
    assert schema["components"]["securitySchemes"]["StaffToken"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_the_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == api.get_openapi_schema()["paths"].keys()


@pytest.mark.django_db
def test_the_documentation_page_uses_vendored_swagger_ui_only(client):
    text = client.get("/api/documentation/").content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in text
    assert '<link rel="stylesheet" href="/static/ninja/swagger-ui.css">' in text
    assert "cdn" not in text.lower() and "https://" not in text
    assert 'data-schema-url="/api/v1/openapi.json"' in text
