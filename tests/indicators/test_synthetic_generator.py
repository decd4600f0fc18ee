"""The synthetic generator: deterministic, canonical, and its ground truth is in the data."""

from __future__ import annotations

import json
from statistics import mean

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from critchem.core.errors import InvalidCnCodeError
from critchem.trade.schema import FLOW_SCHEMA
from critchem.trade.synthetic import (
    EXTRA_EU_PARTNERS,
    Event,
    SyntheticDataset,
    generate,
    read_events,
    write,
)

CODES = ["29012100", "29022000", "28041000", "38249996"]
REPORTERS = ["DE", "ES", "FR", "IT", "NL", "PL"]


@pytest.fixture(scope="module")
def data() -> SyntheticDataset:
    return generate(CODES, start="2021-01", end="2024-12", seed=7, reporters=REPORTERS)


def months(start: str, end: str) -> list[str]:
    out, (y, m) = [], (int(start[:4]), int(start[5:]))
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def imports(table: pa.Table, product: str) -> dict[tuple[str, str], tuple[float, float]]:
    """(partner, month) -> (value, mass) of the product's imports, all reporters summed."""
    rows = table.filter(pc.and_(pc.equal(table["product"], product), pc.equal(table["flow"], 1)))
    summed = rows.group_by(["partner", "period"]).aggregate(
        [("value", "sum"), ("net_mass_kg", "sum")]
    )
    return {
        (r["partner"], r["period"]): (r["value_sum"], r["net_mass_kg_sum"])
        for r in summed.to_pylist()
    }


def event(data: SyntheticDataset, event_type: str) -> Event:
    (found,) = [e for e in data.events if e.event_type == event_type]
    return found


def around(e: Event, before: int, after: int) -> tuple[list[str], list[str], list[str]]:
    """The ``before`` months before the event, its months, and ``after`` months after it."""
    every = months("2021-01", "2024-12")
    first, last = every.index(e.start), every.index(e.end)
    return (
        every[max(first - before, 0) : first],
        every[first : last + 1],
        every[last + 1 : last + 1 + after],
    )


def test_same_seed_same_data_other_seed_other_data(data) -> None:
    again = generate(CODES, start="2021-01", end="2024-12", seed=7, reporters=REPORTERS)
    assert again.table.equals(data.table)
    assert again.events == data.events
    other = generate(CODES, start="2021-01", end="2024-12", seed=8, reporters=REPORTERS)
    assert not other.table.equals(data.table)


def test_rows_are_canonical_and_labelled_synthetic(data) -> None:
    table = data.table
    assert table.schema.equals(FLOW_SCHEMA)
    assert table.schema.metadata[b"critchem.synthetic"] == b"true"
    assert set(table["source"].to_pylist()) == {"synthetic"}
    assert set(table["freq"].to_pylist()) == {"M"}
    assert set(table["reporter"].to_pylist()) == set(REPORTERS)
    assert set(table["product"].to_pylist()) == set(CODES)
    assert pc.min(table["value"]).as_py() > 0 and pc.min(table["net_mass_kg"]).as_py() >= 1
    assert table["value"].null_count == 0 and table["net_mass_kg"].null_count == 0
    partners = set(table["partner"].to_pylist())
    assert set(EXTRA_EU_PARTNERS) <= partners and "QZ" in partners
    sample = table.slice(0, 500).to_pylist()
    for row in sample:
        assert row["period"] == row["period_start"].strftime("%Y-%m")
        assert row["year"] == row["period_start"].year
        assert row["trade_type"] == ("E" if row["partner"] in {*EXTRA_EU_PARTNERS, "QZ"} else "I")


def test_one_event_of_each_type_on_its_own_product(data) -> None:
    assert [(e.event_type, e.product, e.reporter) for e in data.events] == [
        ("price_collapse", CODES[0], "EU27"),
        ("concentration_shift", CODES[1], "EU27"),
        ("import_surge", CODES[2], "EU27"),
        ("supplier_exit", CODES[3], "EU27"),
    ]


def test_the_import_surge_is_in_the_data(data) -> None:
    e = event(data, "import_surge")
    flows = imports(data.table, e.product)
    before, during, _ = around(e, 12, 0)
    baseline = mean(flows[(e.partner, m)][1] for m in before)
    assert all(flows[(e.partner, m)][1] >= 2.0 * baseline for m in during)


def test_the_price_collapse_is_in_the_data(data) -> None:
    e = event(data, "price_collapse")
    flows = imports(data.table, e.product)

    def unit_value(month: str) -> float:
        value, mass = flows[(e.partner, month)]
        return value / mass

    before, during, after = around(e, 6, 2)
    baseline = mean(unit_value(m) for m in before)
    assert all(unit_value(m) <= 0.7 * baseline for m in during)
    assert all(unit_value(m) >= 0.8 * baseline for m in after)  # prices recover


def test_the_supplier_exit_is_in_the_data(data) -> None:
    e = event(data, "supplier_exit")
    flows = imports(data.table, e.product)
    before, during, _ = around(e, 12, 0)
    assert sum((e.partner, m) in flows for m in before) >= 10
    assert not any((e.partner, m) in flows for m in during)
    assert during[-1] == "2024-12"


def test_the_concentration_shift_is_in_the_data(data) -> None:
    e = event(data, "concentration_shift")
    flows = imports(data.table, e.product)

    def share(month: str) -> float:
        known = sum(flows.get((p, month), (0.0, 0.0))[0] for p in EXTRA_EU_PARTNERS)
        return flows.get((e.partner, month), (0.0, 0.0))[0] / known

    before, during, after = around(e, 3, 3)
    assert len(during) == 3
    gain = mean(share(m) for m in after) - mean(share(m) for m in before)
    assert gain >= 0.10
    assert gain == pytest.approx(e.magnitude, abs=0.05)


def test_write_puts_data_truth_and_readme_side_by_side(data, tmp_path) -> None:
    folder = write(data, tmp_path / "synthetic")
    assert pq.read_table(folder / "synthetic_flows.parquet").equals(data.table)
    assert read_events(folder / "ground_truth.json") == data.events
    truth = json.loads((folder / "ground_truth.json").read_text())
    assert (truth["synthetic"], truth["seed"]) == (True, 7)
    readme = (folder / "README.md").read_text()
    assert "SYNTHETIC" in readme and "seed **7**" in readme
    assert all(e.partner in readme for e in data.events)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"codes": ["2901"]}, InvalidCnCodeError, "8-digit CN codes"),
        ({"codes": []}, ValueError, "at least one CN8 code"),
        ({"start": "2024-01", "end": "2024-12"}, ValueError, "it needs 24"),
        ({"start": "2024/01"}, ValueError, "'YYYY-MM'"),
        ({"reporters": ["DE", "GB"]}, ValueError, "not one: \\['GB'\\]"),
    ],
)
def test_bad_arguments_are_explained(kwargs, error, message) -> None:
    arguments = {"codes": ["29012100"], **kwargs}
    with pytest.raises(error, match=message):
        generate(**arguments)
