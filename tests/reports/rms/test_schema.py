"""The OpenAPI 3 schema served at /api/rms/v1/schema/ is valid and documents the errors."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from tests.reports.rms.helpers import rms_client

pytestmark = pytest.mark.django_db


def test_the_served_schema_passes_openapi_spec_validator():
    client, _key, _api_key = rms_client()

    response = client.get("/api/rms/v1/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    listing = schema["paths"]["/api/rms/v1/reports/"]["get"]
    assert {"200", "401", "429"} <= set(listing["responses"])
    imported = schema["paths"]["/api/rms/v1/reports/{report_id}/imported/"]["post"]
    assert {"200", "401", "404", "409", "429"} <= set(imported["responses"])
    assert schema["components"]["securitySchemes"]["ApiKey"]["in"] == "header"


def test_the_schema_needs_a_key(client):
    assert client.get("/api/rms/v1/schema/").status_code == 401
