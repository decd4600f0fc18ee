"""``/evidence``: coverage, one molecule's inputs and the verdicts, on the synthetic store."""

from __future__ import annotations

import shutil
from pathlib import Path

from critchem.api import create_app
from critchem.services import evidence
from critchem.settings import Settings
from tests.api.conftest import Api


def test_evidence_routes(tmp_path: Path, trade_store: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(trade_store, store)
    settings = Settings(home=tmp_path, store_path=store)
    app = create_app(settings)
    api = Api(app)
    try:
        assert api.get("/api/v1/evidence/2024/coverage").status_code == 404
        evidence.build(settings, year=2024, molecules=["ethylene", "benzene", "methane"])

        cover = api.get("/api/v1/evidence/2024/coverage")
        assert cover.status_code == 200, cover.text
        counts = cover.json()["indicators"]["hhi_extra_eu"]
        assert counts["synthetic"] == 2 and counts["missing"] == 1

        shown = api.get("/api/v1/evidence/2024/molecules/ethylene")
        assert shown.status_code == 200, shown.text
        body = shown.json()
        hhi = body["inputs"]["hhi_extra_eu"]
        assert hhi["source"] == "synthetic" and hhi["label"] == "SYNTHETIC"
        assert body["source"] == "synthetic" and "hhi_extra_eu" in body["synthetic_inputs"]
        assert any(g["indicator"] == "import_reliance" for g in body["missing"])

        verdicts = api.get("/api/v1/evidence/2024/assessment")
        assert verdicts.status_code == 200, verdicts.text
        ethylene = next(m for m in verdicts.json()["materials"] if m["molecule"] == "ethylene")
        assert ethylene["verdict"] == "undetermined" and ethylene["reasons"]
        assert ethylene["label"] == "SYNTHETIC"
    finally:
        app.state.alert_store.dispose()
