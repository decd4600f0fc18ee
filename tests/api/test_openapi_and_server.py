"""The OpenAPI document, a real uvicorn server, and a small fuzz of every GET route."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Api

V1 = "/api/v1"
ROUTES = {
    ("get", f"{V1}/health"),
    ("get", f"{V1}/molecules"),
    ("get", f"{V1}/molecules/{{query}}"),
    ("get", f"{V1}/codes/{{code}}"),
    ("get", f"{V1}/trade/series/{{query}}"),
    ("get", f"{V1}/trade/suppliers/{{query}}"),
    ("post", f"{V1}/assessments/compare"),
    ("get", f"{V1}/trade/dependencies"),
    ("get", f"{V1}/methodologies"),
    ("post", f"{V1}/assessments"),
    ("get", f"{V1}/alerts"),
    ("get", f"{V1}/alerts/{{alert_id}}"),
    ("post", f"{V1}/alerts/{{alert_id}}/ack"),
    ("post", f"{V1}/alerts/{{alert_id}}/close"),
    ("post", f"{V1}/auth/token"),
    ("get", f"{V1}/auth/me"),
    ("get", f"{V1}/users"),
    ("post", f"{V1}/users"),
    ("get", f"{V1}/audit"),
    ("get", f"{V1}/projects"),
    ("post", f"{V1}/projects"),
    ("get", f"{V1}/projects/{{project_id}}"),
    ("get", f"{V1}/projects/{{project_id}}/history"),
    ("get", f"{V1}/projects/{{project_id}}/eligibility"),
    ("get", f"{V1}/capacity/gaps"),
    ("get", f"{V1}/production/sites"),
    ("post", f"{V1}/funding/optimise"),
}


def test_openapi_lists_every_route(shared_api: Api) -> None:
    doc = shared_api.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "critchem"
    listed = {(method, path) for path, item in doc["paths"].items() for method in item}
    assert listed == ROUTES
    assert "Problem" in doc["components"]["schemas"]
    assert set(doc["components"]["securitySchemes"]) == {"OAuth2PasswordBearer", "APIKeyHeader"}
    assert shared_api.get("/docs").status_code == 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_real_uvicorn_server(tmp_path: Path) -> None:
    port = _free_port()
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
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the server did not start in 20 s"
            time.sleep(0.1)
        response = httpx.get(f"{base}{V1}/molecules/74-85-1", timeout=10)
        assert response.status_code == 200
        assert response.json()["name"] == "Ethylene"
    finally:
        server.terminate()
        server.wait(timeout=10)


TEXT = st.text(min_size=1, max_size=30).filter(lambda s: s.strip("/. ") == s and "/" not in s)
PARAM = st.one_of(TEXT, st.integers(min_value=-(2**70), max_value=2**70).map(str))
FUZZED = [
    (f"{V1}/molecules/{{p}}", {}),
    (f"{V1}/molecules", {"q": PARAM, "limit": PARAM, "offset": PARAM}),
    (f"{V1}/codes/{{p}}", {"year": PARAM}),
    (f"{V1}/trade/series/{{p}}", {"reporter": PARAM, "freq": PARAM, "source": PARAM}),
    (f"{V1}/trade/suppliers/{{p}}", {"year": PARAM, "reporter": PARAM}),
    (f"{V1}/trade/dependencies", {"year": PARAM, "source": PARAM, "molecules": PARAM}),
    (f"{V1}/alerts", {"state": PARAM, "severity": PARAM, "limit": PARAM, "since": PARAM}),
    (f"{V1}/alerts/{{p}}", {}),
]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_get_routes_never_answer_5xx(shared_api: Api, data: st.DataObject) -> None:
    route, params = data.draw(st.sampled_from(FUZZED))
    url = route.replace("{p}", quote(data.draw(PARAM), safe=""))
    query = {name: data.draw(value) for name, value in params.items() if data.draw(st.booleans())}
    response = shared_api.get(url, params=query)
    assert response.status_code < 500, (url, query, response.text)
