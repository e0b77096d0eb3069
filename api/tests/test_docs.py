"""The schema and its documentation page: served by the app, for users of the API."""

import re

from api.tests.conftest import ApiClient


def test_the_docs_page_loads_its_assets_from_the_app_not_a_cdn(client, recruiter):
    client.force_login(recruiter)

    page = client.get("/api/v1/docs/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(source.endswith("swagger-ui-bundle.js") for source in sources)
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == []


def test_the_docs_page_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_schema_is_openapi_3_and_lists_the_client_endpoints(alice_api):
    response = alice_api.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/portal/profiles/{id}/decline/" in schema["paths"]
    assert "/api/v1/missions/" in schema["paths"]


def test_the_schema_needs_credentials(db):
    assert ApiClient().get("/api/v1/schema/").status_code == 401


def test_the_client_profile_schema_has_exactly_the_card_fields(alice_api):
    schema = alice_api.get("/api/v1/schema/", {"format": "json"}).json()

    fields = set(schema["components"]["schemas"]["ClientProfileCard"]["properties"])

    assert {"display_name", "client_rate", "report", "skills", "experiences"} <= fields
    assert fields.isdisjoint({"email", "phone", "address", "day_rate", "margin", "last_name"})
