"""The OpenAPI document and a real uvicorn server (the fuzz of every route: test_schemathesis)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.api.conftest import Api, free_port, wait_for_health

V1 = "/api/v1"
ROUTES = {
    ("get", f"{V1}/health"),
    ("get", f"{V1}/ready"),
    ("get", f"{V1}/molecules"),
    ("get", f"{V1}/molecules/{{query}}"),
    ("get", f"{V1}/codes/{{code}}"),
    ("get", f"{V1}/trade/series/{{query}}"),
    ("get", f"{V1}/trade/suppliers/{{query}}"),
    ("get", f"{V1}/trade/dependencies"),
    ("get", f"{V1}/methodologies"),
    ("post", f"{V1}/assessments"),
    ("post", f"{V1}/assessments/compare"),
    ("get", f"{V1}/alerts"),
    ("get", f"{V1}/alerts/{{alert_id}}"),
    ("post", f"{V1}/alerts/{{alert_id}}/ack"),
    ("post", f"{V1}/alerts/{{alert_id}}/close"),
    ("post", f"{V1}/auth/token"),
    ("get", f"{V1}/auth/me"),
    ("post", f"{V1}/auth/logout"),
    ("get", f"{V1}/users"),
    ("post", f"{V1}/users"),
    ("get", f"{V1}/keys"),
    ("post", f"{V1}/keys"),
    ("delete", f"{V1}/keys/{{key_id}}"),
    ("get", f"{V1}/audit"),
    ("get", f"{V1}/projects"),
    ("post", f"{V1}/projects"),
    ("get", f"{V1}/projects/{{project_id}}"),
    ("get", f"{V1}/projects/{{project_id}}/history"),
    ("get", f"{V1}/projects/{{project_id}}/eligibility"),
    ("get", f"{V1}/pipeline/table"),
    ("get", f"{V1}/capacity/gaps"),
    ("get", f"{V1}/production/sites"),
    ("post", f"{V1}/funding/optimise"),
    ("post", f"{V1}/alliance/applications"),
    ("get", f"{V1}/alliance/members"),
    ("get", f"{V1}/alliance/motions/{{motion_id}}"),
    ("post", f"{V1}/alliance/motions/{{motion_id}}/votes"),
    ("get", f"{V1}/feeds/alerts.atom"),
    ("get", f"{V1}/evidence/{{year}}/coverage"),
    ("get", f"{V1}/evidence/{{year}}/molecules/{{molecule}}"),
    ("get", f"{V1}/evidence/{{year}}/assessment"),
    ("get", f"{V1}/sites/critical"),
    ("post", f"{V1}/funding/cost-items"),
    ("post", f"{V1}/lead-markets/scenario"),
    ("post", f"{V1}/projects/{{project_id}}/eligibility"),
    ("post", f"{V1}/custody/records"),
    ("get", f"{V1}/custody/records"),
    ("get", f"{V1}/custody/records/{{record_id}}"),
    ("get", f"{V1}/custody/records/{{record_id}}/trace"),
    ("get", f"{V1}/custody/records/{{record_id}}/footprints"),
    ("post", f"{V1}/custody/accounts"),
    ("get", f"{V1}/custody/accounts"),
    ("get", f"{V1}/custody/accounts/{{account_id}}/statement"),
    ("get", "/pact/.well-known/openid-configuration"),
    ("post", "/pact/auth/token"),
    ("get", "/pact/3/footprints"),
    ("get", "/pact/3/footprints/{footprint_id}"),
    ("post", "/pact/3/events"),
}


def test_openapi_lists_every_route(shared_api: Api) -> None:
    doc = shared_api.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "critchem"
    listed = {(method, path) for path, item in doc["paths"].items() for method in item}
    assert listed == ROUTES
    assert "Problem" in doc["components"]["schemas"]
    assert set(doc["components"]["securitySchemes"]) == {
        "OAuth2PasswordBearer",
        "APIKeyHeader",
        "PactBearer",
    }
    assert shared_api.get("/docs").status_code == 200


def test_real_uvicorn_server(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "CRITCHEM_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "uvicorn", "critchem.api.app:create_app", "--factory"]
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(server, base, 60)  # two test workers share two cores under CI
        response = httpx.get(f"{base}{V1}/molecules/74-85-1", timeout=10)
        assert response.status_code == 200
        assert response.json()["name"] == "Ethylene"
    finally:
        server.terminate()
        server.wait(timeout=10)
