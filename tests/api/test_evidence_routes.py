"""``/evidence``: coverage, one molecule's inputs and the verdicts, on the synthetic store."""

from __future__ import annotations

import shutil
from pathlib import Path

from critchem.api import create_app
from critchem.core.settings import Settings
from critchem.services import evidence
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
        # the critical sites under these classes travel with the assessment
        sites = verdicts.json()["sites"]
        assert sites["classes_source"].startswith("cca from the evidence of 2024")
        assert sum(sites["counts"].values()) == len(sites["sites"]) > 0
        # no critical class here, so no site is critical; Moerdijk holds 971 of the 24,500 kt
        # of EU ethylene capacity (4.0 %): below the 10 % that cuts a chain
        assert "critical" not in sites["counts"]
        moerdijk = next(x for x in sites["sites"] if x["site"] == "Moerdijk")
        unit = next(u for u in moerdijk["units"] if u["molecule"] == "ethylene")
        assert unit["eu_share"] == 971_000 / 24_500_000

        from typer.testing import CliRunner

        from critchem.cli.main import build_app

        args = ["assess", "-m", "cca", "--evidence", "--year", "2024", "--store", str(store)]
        shown_json = CliRunner().invoke(build_app(), [*args, "--format", "json"])
        assert shown_json.exit_code == 0, shown_json.output
        import json

        cli_sites = json.loads(shown_json.stdout)["sites"]
        assert cli_sites["counts"] == sites["counts"]
        table = CliRunner().invoke(build_app(), args)
        assert table.exit_code == 0, table.output
        assert "Critical production sites" in table.stdout and "Moerdijk" in table.stdout
    finally:
        app.state.alert_store.dispose()
