"""Methodologies and assessments over HTTP, from the demo and from uploaded CSV files."""

from __future__ import annotations

from critchem.criticality import demo_files
from critchem.services.criticality import assess
from tests.api.conftest import Api

V1 = "/api/v1"


def test_methodologies(shared_api: Api) -> None:
    assert "eu-crm" in shared_api.get(f"{V1}/methodologies").json()


def test_uploaded_demo_files_give_the_service_result(shared_api: Api) -> None:
    files = demo_files()
    assert files.end_uses is not None and files.value_added is not None
    uploads = {
        "inputs": ("inputs.csv", files.inputs.read_bytes(), "text/csv"),
        "end_uses": ("end_uses.csv", files.end_uses.read_bytes(), "text/csv"),
        "value_added": ("value_added.csv", files.value_added.read_bytes(), "text/csv"),
    }
    response = shared_api.post(f"{V1}/assessments", data={"methodology": "eu-crm"}, files=uploads)
    assert response.status_code == 200, response.text
    body = response.json()
    expected = assess(
        "eu-crm", files.inputs, end_uses=files.end_uses, value_added=files.value_added
    )
    assert [m["material"] for m in body["materials"]] == ["antimony", "cobalt"]
    assert [m["critical"] for m in body["materials"]] == [m.critical for m in expected.materials]
    demo = shared_api.post(f"{V1}/assessments", data={"demo": "true"}).json()
    assert [m["score"] for m in demo["materials"]] == [m["score"] for m in body["materials"]]


def test_malformed_upload_is_a_400_naming_the_line(shared_api: Api) -> None:
    text = demo_files().inputs.read_text(encoding="utf-8").splitlines()
    broken = "\n".join([text[0], text[1].replace(",", ",x", 1), *text[2:]])
    response = shared_api.post(
        f"{V1}/assessments", files={"inputs": ("inputs.csv", broken.encode(), "text/csv")}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "inputs.csv" in response.json()["detail"]


def test_unknown_methodology_and_missing_inputs(shared_api: Api) -> None:
    unknown = shared_api.post(f"{V1}/assessments", data={"methodology": "nope", "demo": "true"})
    assert unknown.status_code == 404
    missing = shared_api.post(f"{V1}/assessments", data={"methodology": "eu-crm"})
    assert missing.status_code == 400
    assert "inputs" in missing.json()["detail"]
