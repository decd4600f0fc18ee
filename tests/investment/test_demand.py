"""EU demand in tonnes from a real store built from miniature PRODCOM and Comext files.

Hand-computed expectations (tests/investment/data/README.md, section demand):

* ethylene (PRODCOM 20141130 -> CN 29012100), kg:
  - 2023: P 1,500,000 kg = 1,500 t; extra-EU imports DE<-US 2,000 + FR<-CN 1,000 (100 kg)
    = 300 t (the DE<-FR import is intra-EU); exports DE->US 500 (100 kg) = 50 t;
    D = 1,500 + 300 - 50 = 1,750 t;
  - 2022: P 1,200 t; imports 150 t; no export row: 0 t; D = 1,350 t;
  - 2024: an import value without its net mass: not sourced;
  - 2021: no PRODCOM row: not sourced.
* propylene (20141140): confidential in PRODCOM: not sourced.
* ammonia with a correspondence 20151075 -> 28141000 and 28142000, unit kg N:
  P = 1,000,000 kg N x 17.03056 / 14.00674 / 1000 = 1,215.88 t NH3; imports 28141000 100 t;
  exports 0; D = 1,315.88 t, an upper bound (the registry links ammonia's CN codes as forms).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from critchem.investment.demand import NOT_SOURCED, SOURCED, UPPER_BOUND, unit_factor
from critchem.production.prodcom import parse_prodcom, save_parse
from critchem.services.demand import sourced_demand
from critchem.trade.store import TradeStore

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demand") / "store"
    with TradeStore(root) as trade:
        trade.ingest(DATA / "demand_comext_DS-045409.csv", progress=False)
    save_parse(parse_prodcom(DATA / "demand_prodcom_DS-059358.csv"), root)
    return root


def test_ethylene_demand_by_hand(store: Path) -> None:
    figures = {
        f.year: f for f in sourced_demand("ethylene", [2021, 2022, 2023, 2024], store_root=store)
    }
    f23 = figures[2023]
    assert f23.status == SOURCED and f23.sourced
    assert (f23.production_t, f23.imports_t, f23.exports_t) == pytest.approx((1500, 300, 50))
    assert f23.demand_t == pytest.approx(1750)
    assert f23.codes == ("PRODCOM 20141130", "CN 29012100")
    # the PRODCOM file's SHA-256, then the trade load's source file; one trade load
    assert len(f23.file_hashes) == 2 and len(f23.load_ids) == 1
    assert "comext_sdmx" in f23.dataset and f23.method_version
    assert figures[2022].demand_t == pytest.approx(1350)
    assert figures[2022].exports_t == 0
    assert figures[2024].status == NOT_SOURCED and figures[2024].demand_t is None
    assert "net mass" in figures[2024].note
    assert figures[2021].status == NOT_SOURCED and "2021" in figures[2021].note


def test_confidential_production_is_not_sourced(store: Path) -> None:
    (figure,) = sourced_demand("propylene", [2023], store_root=store)
    assert figure.status == NOT_SOURCED and figure.demand_t is None
    assert figure.note.startswith("confidential in PRODCOM: 20141140")


def test_shipped_correspondence_without_ammonia_says_why(store: Path) -> None:
    (figure,) = sourced_demand("ammonia", [2023], store_root=store)
    assert figure.status == NOT_SOURCED
    assert "has no PRODCOM code in the PRODCOM-CN8 correspondence" in figure.note


def test_ammonia_in_kg_n_is_converted_and_flagged(store: Path, tmp_path: Path) -> None:
    own = tmp_path / "correspondence.csv"
    own.write_text("PRCCODE,CN8\n20151075,28141000\n20151075,28142000\n", encoding="utf-8")
    (figure,) = sourced_demand("ammonia", [2023], store_root=store, correspondence=own)
    assert figure.status == UPPER_BOUND and not figure.sourced
    assert figure.production_t == pytest.approx(1_000_000 * 17.03056 / 14.00674 / 1000)
    assert figure.demand_t == pytest.approx(1215.8832 + 100, abs=1e-3)
    assert "28142000 (form)" in figure.note
    assert "kg N -> t" in figure.conversions[0]


def test_empty_store_is_not_sourced(tmp_path: Path) -> None:
    (figure,) = sourced_demand("ethylene", [2023], store_root=tmp_path)
    assert figure.status == NOT_SOURCED and "no PRODCOM file in the store" in figure.note


def test_unit_factors_carry_their_source() -> None:
    kg = unit_factor("KG", "methanol")
    assert kg is not None and kg.tonnes_per_unit == 0.001 and kg.source.startswith("https://")
    assert unit_factor("m3", "methanol") is None


def test_timeline_gap_only_where_demand_is_sourced(store: Path) -> None:
    """Ethylene's timeline on the miniature store: a gap in 2022 and 2023 only."""
    from critchem.services.investment_ground import gap_timeline

    out = gap_timeline("ethylene", store_root=store)
    rows = {r.year: r for r in out.rows}
    assert rows[2023].demand_t == pytest.approx(1750)
    assert rows[2023].gap_t == pytest.approx(1750 - rows[2023].capacity_t)
    assert rows[2022].gap_t == pytest.approx(1350 - rows[2022].capacity_t)
    assert all(rows[y].gap_t is None and rows[y].demand_t is None for y in range(2024, 2031))
    assert "in 2022, 2023" in out.demand_note and "not sourced in 2024" in out.demand_note
    shown = {d.year: d for d in out.demand}
    assert shown[2023].status == SOURCED and shown[2023].file_hashes
    assert shown[2024].status == NOT_SOURCED and "net mass" in shown[2024].note
    # without a store, the gap says so
    bare = gap_timeline("ethylene")
    assert all(r.gap_t is None for r in bare.rows) and "demand not sourced" in bare.demand_note


def test_cli_timeline_reads_the_demand_from_the_store(store: Path) -> None:
    from typer.testing import CliRunner

    from critchem.cli.main import build_app

    args = ["funding", "timeline", "ethylene", "--store", str(store), "-f", "json"]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    rows = {r["year"]: r for r in out["rows"]}
    assert rows[2023]["demand_t"] == pytest.approx(1750) and rows[2024]["gap_t"] is None
    assert {d["year"]: d["status"] for d in out["demand"]}[2023] == "sourced"


def test_several_molecules_at_once_give_each_one_s_figures(store: Path, tmp_path: Path) -> None:
    """One trade query for many molecules gives each the figures of a query of its own."""
    from critchem.services.demand import sourced_demands

    molecules = ["ethylene", "propylene", "ammonia", "benzene"]
    years = [2021, 2022, 2023, 2024]
    together = sourced_demands(molecules, years, store_root=store)
    assert together == {m: sourced_demand(m, years, store_root=store) for m in molecules}
    assert together["ethylene"][2].demand_t == pytest.approx(1750)
    own = tmp_path / "correspondence.csv"
    own.write_text(
        "PRCCODE,CN8\n20151075,28141000\n20151075,28142000\n20141130,29012100\n",
        encoding="utf-8",
    )
    pair = sourced_demands(["ammonia", "ethylene"], [2023], store_root=store, correspondence=own)
    assert pair["ammonia"][0].demand_t == pytest.approx(1215.8832 + 100, abs=1e-3)
    assert pair["ethylene"][0].demand_t == pytest.approx(1750)
