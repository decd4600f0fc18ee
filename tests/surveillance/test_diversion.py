"""Trade diversion after a trade-defence case: hand-made windows, and the command on a store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.events import RegisterEvent, load_events
from critchem.services.trade import ingest_paths
from critchem.surveillance.diversion import measure_month, suspects
from critchem.trade import synthetic

CASE = RegisterEvent(
    "td-x", "trade-defence", "p", ("2823",), "CN", ("CN",), "anti-dumping",
    date(2022, 1, 10), None, date(2022, 9, 5), None, None, None, None, "https://example.org", None,
)  # fmt: skip
PERIODS = [date(2021 + m // 12, m % 12 + 1, 1) for m in range(36)]


def test_hand_computed_diversion() -> None:
    # before = 2021-01..2021-12, after = 2022-09..2023-08 (the provisional measure)
    cn = np.r_[np.full(20, 100.0), np.full(16, 20.0)]
    vn = np.r_[np.full(20, 10.0), np.full(16, 60.0)]
    us = np.full(36, 50.0)
    (hit,) = suspects(CASE, "28230000", PERIODS, {"CN": cn, "VN": vn, "US": us})
    assert hit.partner == "VN" and hit.before == ("2021-01", "2021-12")
    assert hit.after == ("2022-09", "2023-08")
    assert hit.partner_change == pytest.approx(5.0)  # 60 / 10 - 1
    assert hit.share_before == pytest.approx(10 / 160)
    assert hit.share_after == pytest.approx(60 / 130)
    assert hit.targeted_change == pytest.approx(-0.8)
    assert hit.case_source == "https://example.org"


def test_no_suspect_when_the_named_country_did_not_lose() -> None:
    flat = np.full(36, 100.0)
    vn = np.r_[np.full(20, 10.0), np.full(16, 60.0)]
    assert suspects(CASE, "28230000", PERIODS, {"CN": flat, "VN": vn}) == []


def test_too_little_data_after_the_measure_gives_nothing() -> None:
    short = PERIODS[:22]  # four months after the measure, half a window is six
    data = {"CN": np.full(22, 100.0), "VN": np.r_[np.full(20, 1.0), np.full(2, 90.0)]}
    assert suspects(CASE, "28230000", short, data) == []
    assert measure_month(CASE) == date(2022, 9, 5)


@pytest.fixture(scope="module")
def diverted_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Synthetic TiO2 imports where CN falls after the 2023 case and a third country rises."""
    (tio2,) = [c for c in load_events("trade-defence") if c.id == "td-ad696-tio2-cn"]
    data = synthetic.generate(["28230000"], start="2021-01", end="2025-12", seed=5, plan=[])
    table = data.table
    imports = pc.and_(pc.equal(table["flow"], 1), pc.equal(table["trade_type"], "E"))
    by_partner: dict[str, float] = {}
    for row in table.filter(imports).select(["partner", "net_mass_kg"]).to_pylist():
        by_partner[row["partner"]] = by_partner.get(row["partner"], 0.0) + row["net_mass_kg"]
    other = sorted((k for k in by_partner if k not in ("CN", "QZ")), key=lambda k: by_partner[k])[
        -2
    ]
    after = pc.greater_equal(table["period"], "2024-07")
    since = pc.greater_equal(table["period"], tio2.start.isoformat()[:7])
    factor = pc.if_else(
        pc.and_(imports, pc.and_(pc.equal(table["partner"], other), after)),
        4.0,
        pc.if_else(pc.and_(imports, pc.and_(pc.equal(table["partner"], "CN"), since)), 0.2, 1.0),
    )
    mass = pc.round(pc.multiply(table["net_mass_kg"], factor))
    table = table.set_column(table.schema.get_field_index("net_mass_kg"), "net_mass_kg", mass)
    root = tmp_path_factory.mktemp("diversion")
    synthetic.write(
        synthetic.SyntheticDataset(table, [], 5, data.codes, data.start, data.end, data.reporters),
        root,
    )
    ingest_paths([root / "synthetic_flows.parquet"], store_root=root / "store", progress=False)
    return root / "store", other


def test_cli_finds_the_third_country_after_the_tio2_case(diverted_store: tuple[Path, str]) -> None:
    store, other = diverted_store
    args = ["diversion", "--product", "2823", "--store", str(store), "--format", "json"]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["synthetic"] is True
    assert [(s["case"], s["product"], s["partner"]) for s in out["suspects"]] == [
        ("td-ad696-tio2-cn", "28230000", other)
    ]
    (hit,) = out["suspects"]
    assert hit["before"] == ["2022-11", "2023-10"] and hit["after"][0] == "2024-07"
    assert hit["case_source"].startswith("https://eur-lex.europa.eu/")
