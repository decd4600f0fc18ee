"""Trade evidence from a miniature Comext v2 file; expectations computed by hand in data/README.md."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.core.settings import Settings
from critchem.evidence.base import COMPUTED, GROUP_UPPER_BOUND, MISSING
from critchem.evidence.builder import build_evidence
from critchem.evidence.codes import code_weights
from critchem.evidence.table import EvidenceTable, read_evidence
from critchem.molecules import load_mapping
from critchem.nomenclature.wgi_newest import wgi_by_partner
from critchem.services import evidence as service
from critchem.trade.store import TradeStore

DATA = Path(__file__).parent / "data"
MOLECULES = ["ethylene", "butadiene", "isoprene", "isobutylene", "benzene", "toluene"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    with TradeStore(root) as s:
        report = s.ingest(DATA / "comext_v2_evidence.dat", source="comext_bulk", progress=False)
    assert report.rows_stored == 15
    return root


@pytest.fixture(scope="module")
def table(store: Path) -> EvidenceTable:
    return build_evidence(Settings(home=store), year=2024, store_root=store, molecules=MOLECULES)


def value(table: EvidenceTable, molecule: str, indicator: str) -> object:
    found = table.get(molecule, indicator)
    assert found is not None
    return found.value


def test_ethylene_by_hand(table: EvidenceTable) -> None:
    assert value(table, "ethylene", "hhi_extra_eu") == pytest.approx(0.68)
    assert value(table, "ethylene", "extra_eu_share") == pytest.approx(1250 / 2250)
    assert value(table, "ethylene", "import_growth_3y") == pytest.approx(1250 / 750 - 1)
    assert value(table, "ethylene", "top_supplier") == "US"
    assert value(table, "ethylene", "top_supplier_share") == pytest.approx(0.8)
    assert value(table, "ethylene", "top_supplier_persistence") == pytest.approx(1.0)
    wgi, _ = wgi_by_partner()
    expected = 0.64 * wgi["US"] + 0.04 * wgi["NO"]
    assert value(table, "ethylene", "gov_hhi_extra_eu") == pytest.approx(expected)
    hhi = table.get("ethylene", "hhi_extra_eu")
    assert hhi is not None and hhi.status == COMPUTED
    assert hhi.codes == ("29012100",) and hhi.years == (2024,)
    assert hhi.provenance.dataset == "comext_bulk"
    assert len(hhi.provenance.load_ids) == 1 and len(hhi.provenance.file_hashes) == 1
    assert "confidential origin" in hhi.note


def test_monthly_rows_when_no_annual_row(table: EvidenceTable) -> None:
    hhi = table.get("toluene", "hhi_extra_eu")
    assert hhi is not None and hhi.value == pytest.approx(0.625)
    assert "2024 has only 2 months" in hhi.note
    assert value(table, "toluene", "top_supplier") == "CN"


def test_shared_group_code_uses_the_share(table: EvidenceTable) -> None:
    for molecule in ("butadiene", "isoprene"):
        hhi = table.get(molecule, "hhi_extra_eu")
        assert hhi is not None and hhi.status == COMPUTED
        assert hhi.value == pytest.approx(0.53125)
        assert value(table, molecule, "import_growth_3y") == pytest.approx(0.6)
    assert "0.85" in (table.get("butadiene", "hhi_extra_eu") or pytest.fail()).note


def test_unshared_group_code_is_an_upper_bound(table: EvidenceTable) -> None:
    hhi = table.get("isobutylene", "hhi_extra_eu")
    assert hhi is not None and hhi.status == GROUP_UPPER_BOUND and hhi.value == 1.0
    assert "group code, upper bound" in hhi.note
    growth = table.get("isobutylene", "import_growth_3y")
    assert growth is not None and growth.status == MISSING and growth.value is None


def test_no_data_is_missing_never_zero(table: EvidenceTable) -> None:
    for v in table.for_molecule("benzene"):
        if v.source == "registry":  # strategic sectors come from the registry, not from data
            continue
        assert v.value is None and v.status == MISSING and v.note
    prodcom = table.get("ethylene", "import_reliance")
    assert prodcom is not None and prodcom.status == MISSING
    world = table.get("ethylene", "world_export_hhi")
    assert world is not None and "BACI" in world.note


def test_group_code_case_table() -> None:
    mapping = load_mapping()
    with (Path(__file__).parent / "group_codes.tsv").open(encoding="utf-8") as handle:
        cases = list(csv.DictReader(handle, delimiter="\t"))
    assert cases
    for case in cases:
        weights = code_weights(mapping.for_molecule(case["molecule"]))
        assert weights.weights[case["code"]] == pytest.approx(float(case["weight"])), case["why"]
        assert weights.upper_bound is (case["upper_bound"] == "yes"), case["why"]


def test_table_round_trips_through_parquet(table: EvidenceTable, store: Path) -> None:
    table.write(store)
    again = read_evidence(store, 2024, table.build_id)
    assert again.values == table.values
    assert again.build_id == table.build_id


def test_cli_show_coverage_and_assess(
    store: Path, table: EvidenceTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    from critchem.cli.main import build_app

    table.write(store)
    monkeypatch.setenv("CRITCHEM_STORE_PATH", str(store))
    runner = CliRunner()
    app = build_app()
    shown = runner.invoke(app, ["evidence", "show", "ethylene", "--year", "2024", "-f", "json"])
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.stdout)
    assert {"molecule", "year", "inputs", "missing"} <= set(record)
    hhi = record["inputs"]["hhi_extra_eu"]
    assert {"value", "source", "years", "codes", "note"} <= set(hhi)
    assert hhi["source"] == "comext_bulk"
    assert any(g["indicator"] == "import_reliance" for g in record["missing"])
    cover = runner.invoke(app, ["evidence", "coverage", "--year", "2024", "-f", "json"])
    assert cover.exit_code == 0, cover.output
    counts = json.loads(cover.stdout)["indicators"]["hhi_extra_eu"]
    assert counts["computed"] == 4 and counts["group_upper_bound"] == 1 and counts["missing"] == 1


def test_assess_from_evidence_is_undetermined_with_reasons(
    store: Path, table: EvidenceTable
) -> None:
    table.write(store)
    out = service.assess(Settings(home=store), year=2024, store_root=store, build_id=table.build_id)
    ethylene = next(m for m in out["materials"] if m["molecule"] == "ethylene")
    assert ethylene["verdict"] == "undetermined" and ethylene["critical"] is None
    assert any("import_reliance" in r for r in ethylene["reasons"])
    assert ethylene["inputs"]["hhi_extra_eu"]["source"] == "comext_bulk"
    assert ethylene["class"] == "undetermined" and ethylene["class_reason"]
    assert out["classes_version"] == "0.2"
    ranged = service.assess(
        Settings(home=store), year=2024, store_root=store, build_id=table.build_id, impute="range"
    )
    eth = next(m for m in ranged["materials"] if m["molecule"] == "ethylene")
    assert eth["imputed"]["method"] == "range"
    assert "import_reliance" in eth["imputed"]["indicators"]


def test_molecule_screen_counts_group_codes_at_their_share(store: Path) -> None:
    from critchem.services.indicators import indicator_table

    rows = indicator_table(
        store,
        molecules={
            "butadiene": ["29012400"],
            "isoprene": ["29012400"],
            "isobutylene": ["29012300"],
        },
        year=2024,
        source="comext_bulk",
    )
    by_id = {r["molecule_id"]: r for r in rows}
    assert by_id["butadiene"]["import_value"] == pytest.approx(1600 * 0.85)
    assert by_id["isoprene"]["import_value"] == pytest.approx(1600 * 0.15)
    assert by_id["butadiene"]["group_upper_bound"] is False
    assert by_id["isobutylene"]["group_upper_bound"] is True
    assert "upper bound" in by_id["isobutylene"]["codes_note"]


def test_world_export_concentration_from_baci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from critchem.evidence.families import world_exports

    with TradeStore(tmp_path) as s:
        report = s.ingest(
            DATA / "BACI_HS92_Y2022_V202301_evidence.csv", source="baci", progress=False
        )
    assert report.rows_stored == 5
    settings = Settings(home=tmp_path)
    few = build_evidence(
        settings, year=2024, store_root=tmp_path, molecules=["ethylene"], families=["world_exports"]
    )
    slice_only = few.get("ethylene", "world_export_hhi")
    assert slice_only is not None and slice_only.status == MISSING
    assert "4 exporters only" in slice_only.note
    monkeypatch.setattr(world_exports, "MIN_EXPORTERS", 4)
    table = build_evidence(
        settings,
        year=2024,
        store_root=tmp_path,
        molecules=["ethylene", "benzene"],
        families=["world_exports"],
    )
    ethylene = table.get("ethylene", "world_export_hhi")
    assert ethylene is not None and ethylene.status == COMPUTED
    assert ethylene.value == pytest.approx(0.46)
    assert ethylene.years == (2022,) and ethylene.codes == ("290121",)
    assert ethylene.provenance.dataset == "baci" and ethylene.provenance.file_hashes
    assert value(table, "benzene", "world_export_hhi") == pytest.approx(1.0)


def test_dependency_screen_per_molecule_has_world_export_concentration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from critchem.evidence.families import world_exports
    from critchem.services.indicators import dependency_screen

    with TradeStore(tmp_path) as s:
        s.ingest(DATA / "comext_v2_evidence.dat", source="comext_bulk", progress=False)
        s.ingest(DATA / "BACI_HS92_Y2022_V202301_evidence.csv", source="baci", progress=False)
    args = {"last_year": 2024, "source": "comext_bulk", "window": 3, "min_years": 1}
    # four exporters are not the world: the fourth criterion is left out
    rows = dependency_screen(tmp_path, molecules=True, **args)
    assert rows and all("world_export_hhi_met" not in r for r in rows)
    monkeypatch.setattr(world_exports, "MIN_EXPORTERS", 4)
    rows = dependency_screen(tmp_path, molecules=True, **args)
    ethylene = next(r for r in rows if r["item"] == "ethylene")
    # BACI 2022, HS6 290121 exports: US 600, SA 300, DE 100 of 1000 (by hand):
    # 0.6² + 0.3² + 0.1² = 0.46 > 0.4, the same figure as the world_exports evidence family
    assert ethylene["world_export_hhi_2022"] == pytest.approx(0.46)
    assert ethylene["world_export_hhi_2023"] is None and ethylene["world_export_hhi_met"] is True
