"""Capacity gaps: the formulas, the shipped balance, and the view under disclosure control."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from critchem.accounts.roles import ANONYMOUS, Principal
from critchem.core.errors import ProjectNotFoundError, ReferenceDataError
from critchem.investment import Pipeline, Project, import_file
from critchem.investment.gaps import load_market_balance, parse_market_balance
from critchem.services.gaps import capacity_gaps

SECRETARIAT = Principal("sue", "secretariat", "Alliance")
HEADER = "molecule,year,production_t,imports_t,exports_t,source\n"


@pytest.fixture(scope="module")
def projects() -> list[Project]:
    pipeline = Pipeline()
    with resources.as_file(
        resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")
    ) as path:
        import_file(pipeline, path)
    return pipeline.current()


def test_shipped_balance_covers_the_critical_molecules_and_is_illustrative() -> None:
    balance = load_market_balance()
    assert len(balance) == 18
    assert all(b.illustrative and "ILLUSTRATIVE" in b.source for b in balance.values())
    # methanol: 1.26 Mt made, 6.5 Mt imported, 0.3 Mt exported -> 7.46 Mt used
    assert balance["methanol"].demand_t == 7_460_000.0


def test_bad_balance_rows_name_line_and_column() -> None:
    with pytest.raises(ReferenceDataError, match="line 2: imports_t 'many' is not a number"):
        parse_market_balance(HEADER + "ammonia,2024,1,many,0,x\n")
    with pytest.raises(ReferenceDataError, match="line 3: ammonia 2024 is given twice"):
        parse_market_balance(HEADER + "ammonia,2024,1,1,0,x\nammonia,2024,1,1,0,x\n")
    with pytest.raises(ReferenceDataError, match="must be zero or more"):
        parse_market_balance(HEADER + "ammonia,2024,-5,1,0,x\n")
    latest = parse_market_balance(HEADER + "ammonia,2023,1,1,0,x\nammonia,2024,2,1,0,x\n")
    assert latest["ammonia"].year == 2024


def test_ethylene_gap_after_one_project_by_hand(projects: list[Project]) -> None:
    out = capacity_gaps(["EX-018"], SECRETARIAT, projects=projects, molecules=["ethylene"])
    (eth,) = out.molecules
    # D = 9,150,000 + 600,000 - 300,000
    assert eth.demand_t == 9_450_000.0
    # C0: the 16 crackers of illustrative_member_capacities.csv, all operating (an illustrative
    # row carries no closure: closures are sourced facts, in the closure register only)
    # 650+1100+560+1800+1100+900+330+625+700+490+440+700+380+660+540+220 kt
    assert eth.capacity_now_t == 11_195_000.0
    # L: no closure declared
    assert eth.closures_t == 0.0
    # N: EX-018 adds 250 kt; C1 = 11,195 - 0 + 250 = 11,445 kt
    assert (eth.added_t, eth.capacity_after_t) == (250_000.0, 11_445_000.0)
    # gap = D - C: 9,450 - 11,195 = -1,745 kt now; 9,450 - 11,445 = -1,995 kt after
    assert (eth.gap_now_t, eth.gap_after_t) == (-1_745_000.0, -1_995_000.0)
    # R = min(250 kt, 600 kt imports); dependency 600/9,450 -> 350/9,450
    assert eth.imports_replaced_t == 250_000.0
    assert eth.dependency_now == pytest.approx(600 / 9450)
    assert eth.dependency_after == pytest.approx(350 / 9450)
    assert [(c.project_id, c.imports_replaceable_t) for c in out.projects] == [
        ("EX-018", 250_000.0)
    ]


def test_replaced_imports_are_capped_at_the_imports(projects: list[Project]) -> None:
    # EX-010 (100 kt) and EX-028 (500 kt) of hydrogen fluoride; imports are 120 kt
    out = capacity_gaps(
        ["EX-010", "EX-028"], SECRETARIAT, projects=projects, molecules=["hydrogen-fluoride"]
    )
    (hf,) = out.molecules
    assert (hf.added_t, hf.imports_replaced_t, hf.dependency_after) == (600_000.0, 120_000.0, 0.0)
    assert [c.imports_replaceable_t for c in out.projects] == [100_000.0, 120_000.0]


def test_public_view_withholds_capacities_of_fewer_than_three_companies(
    projects: list[Project],
) -> None:
    out = capacity_gaps(["EX-010"], ANONYMOUS, projects=projects)
    rows = {m.molecule: m for m in out.molecules}
    hf = rows["hydrogen-fluoride"]  # Example Chemicals X and AR only
    assert hf.suppressed and hf.capacity_now_t is None and hf.gap_now_t is None
    assert hf.withheld == [
        "capacity_now_t",
        "capacity_after_t",
        "gap_now_t",
        "gap_after_t",
    ]
    assert hf.demand_t == 190_000.0 and hf.imports_replaced_t == 100_000.0  # public
    # ammonia: capacity of 14 companies shown (the 14,550 kt of the producing plants plus the
    # 400 kt of EXS-071 and 180 kt of EXS-081, no longer marked closed); no closure to withhold
    nh3 = rows["ammonia"]
    assert nh3.capacity_now_t == 15_130_000.0
    assert nh3.closures_t == 0.0 and nh3.capacity_after_t == 15_130_000.0
    eth = rows["ethylene"]
    assert not eth.suppressed and eth.closures_t == 0.0


def test_default_selection_is_the_two_stage_selection(projects: list[Project]) -> None:
    out = capacity_gaps(None, ANONYMOUS, projects=projects)
    assert out.selection == "two-stage selection"
    assert out.selected and set(out.selected) < {p.id for p in projects}
    assert out.illustrative


def test_unknown_project_is_named(projects: list[Project]) -> None:
    with pytest.raises(ProjectNotFoundError, match="'NOPE'"):
        capacity_gaps(["EX-001", "NOPE"], ANONYMOUS, projects=projects)


def test_demand_from_the_store_replaces_the_illustrative_balance(
    projects: list[Project], tmp_path: Path
) -> None:
    """Ethylene's demand read from a store of miniature PRODCOM and Comext files
    (tests/investment/data/README.md): 1,750 t in 2023, the latest sourced year (2024 has an
    import without its net mass). Gap now = 1,750 - 11,195,000 (illustrative capacities)."""
    from critchem.production.prodcom import parse_prodcom, save_parse
    from critchem.services.gaps import DEMAND_DATASET
    from critchem.trade.store import TradeStore

    data = Path(__file__).parent / "data"
    store = tmp_path / "store"
    with TradeStore(store) as trade:
        trade.ingest(data / "demand_comext_DS-045409.csv", progress=False)
    save_parse(parse_prodcom(data / "demand_prodcom_DS-059358.csv"), store)
    out = capacity_gaps(
        ["EX-018"], SECRETARIAT, projects=projects, molecules=["ethylene"], store_root=store
    )
    (eth,) = out.molecules
    assert (eth.demand_basis, eth.year, eth.demand_t) == ("sourced", 2023, pytest.approx(1750))
    assert eth.gap_now_t == pytest.approx(1750 - 11_195_000)
    assert eth.dependency_now == pytest.approx(300 / 1750)
    assert "PRODCOM 20141130" in eth.demand_note
    assert DEMAND_DATASET in out.sources and out.illustrative  # capacities stay illustrative


def test_real_capacities_without_sourced_demand_show_no_gap() -> None:
    """With real (non-illustrative) capacities, the illustrative balance is never used."""
    from critchem.services.gaps import _demand

    balance = load_market_balance()["ethylene"]
    shown = _demand("ethylene", balance, False, None)
    assert shown is not None and shown.basis == "not_sourced" and shown.demand_t is None
    assert shown.note.startswith("demand not sourced")
    illustrative = _demand("ethylene", balance, True, None)
    assert illustrative is not None and illustrative.basis == "illustrative"
