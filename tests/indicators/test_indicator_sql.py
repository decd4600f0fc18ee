"""The compiled SQL of the EU27 indicators gives the rows of the Ibis pipeline, without Ibis."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import ibis
import pyarrow.parquet as pq
import pytest

from critchem.trade.indicators import compute_indicators, supplier_shares
from critchem.trade.indicators.sql import eu27_indicators, eu27_suppliers, series_sql
from tests.indicators.indicator_rows import flow, table
from tests.indicators.test_indicator_values import P2, P3, SCENARIO, P

# Annual rows for 2023 next to monthly ones (the annual rows win), and a second source.
EXTRA_ROWS = [
    flow("DE", "CN", 700.0, 70.0, product=P, period="2023"),
    flow("DE", "CN", 999.0, 99.0, product=P, period="2023-05"),
    flow("FR", "US", 300.0, 30.0, product=P, period="2023"),
    flow("DE", "CN", 10.0, 1.0, product=P, period="2024-01", source="other"),
]
MAPPING = [("ethylene", P, 1.0), ("ethylene", P2, 1.0), ("group", P3, 0.5)]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("flows")
    rows = SCENARIO + EXTRA_ROWS
    out = []
    for i, part in enumerate((rows[: len(rows) // 2], rows[len(rows) // 2 :])):
        path = folder / f"part-{i}.parquet"
        pq.write_table(table(part), path)
        out.append(path)
    return out


@pytest.fixture(autouse=True)
def cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.getbasetemp() / "sql-cache"
    monkeypatch.setenv("CRITCHEM_CACHE_DIR", str(folder))
    return folder


def _ibis_rows(files: list[Path], freq: str, source: str | None) -> list[dict[str, Any]]:
    con = ibis.duckdb.connect()
    flows = con.read_parquet([str(f) for f in files])
    mapping = ibis.memtable(
        {
            "molecule_id": [m[0] for m in MAPPING],
            "product": [m[1] for m in MAPPING],
            "weight": [m[2] for m in MAPPING],
        }
    )
    expr = compute_indicators(flows, level="molecule", mapping=mapping, freq=freq, source=source)
    return con.to_pyarrow(expr).to_pylist()  # type: ignore[no-any-return]


@pytest.mark.parametrize("freq", ["A", "M"])
@pytest.mark.parametrize("source", [None, "test"])
def test_the_compiled_sql_gives_the_rows_of_the_pipeline(
    files: list[Path], freq: str, source: str | None
) -> None:
    expected = _ibis_rows(files, freq, source)
    got = eu27_indicators(files, MAPPING, freq=freq, source=source)
    assert expected, "the scenario has rows"
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        assert list(mine) == list(theirs)
        for name, value in theirs.items():
            if isinstance(value, float):
                assert math.isclose(mine[name], value, rel_tol=1e-12), name
            else:
                assert mine[name] == value, name


def _same(got: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        assert list(mine) == list(theirs)
        for name, value in theirs.items():
            if isinstance(value, float):
                assert math.isclose(mine[name], value, rel_tol=1e-12), name
            else:
                assert mine[name] == value, name


@pytest.mark.parametrize("source", [None, "test"])
@pytest.mark.parametrize("weights", [None, {P2: 0.25}])
def test_the_suppliers_of_every_year_are_those_of_each_year(
    files: list[Path], source: str | None, weights: dict[str, float] | None
) -> None:
    codes = [P, P2]
    got = eu27_suppliers(files, codes, source=source, weights=weights)
    con = ibis.duckdb.connect()
    flows = con.read_parquet([str(f) for f in files])
    for year in (2023, 2024):
        expr = supplier_shares(
            flows, product_or_codes=codes, year=year, source=source, weights=weights
        )
        expected = con.to_pyarrow(expr).to_pylist()
        assert expected
        _same([r for r in got if r["year"] == year], expected)
    assert {r["year"] for r in got} == {2023, 2024}


def test_hand_computed_values(files: list[Path]) -> None:
    rows = eu27_indicators(files, MAPPING, freq="A", source="test")
    keyed = {(r["molecule_id"], r["period"]): r for r in rows}
    # 2024 from the months: known origins of P and P2 together CN 560, US 300, IN 200, AQ 40
    year = keyed[("ethylene", "2024")]
    assert year["basis"] == "M"
    shares = [560 / 1100, 300 / 1100, 200 / 1100, 40 / 1100]
    assert year["hhi"] == pytest.approx(sum(s * s for s in shares))
    assert year["top_supplier"] == "CN"
    # 2023: the annual rows (CN 700, US 300), the May row of DE/CN ignored
    annual = keyed[("ethylene", "2023")]
    assert annual["basis"] == "A"
    assert annual["extra_import_value"] == pytest.approx(1000.0)
    # P3 counted at its weight 0.5: US 25, CN 25
    assert keyed[("group", "2024")]["extra_import_value"] == pytest.approx(50.0)


def test_a_bad_frequency_is_refused() -> None:
    with pytest.raises(ValueError, match="freq must be 'A'"):
        series_sql("Q", with_source=False)


def test_the_warm_path_imports_neither_ibis_nor_pandas(files: list[Path], cache: Path) -> None:
    eu27_indicators(files, MAPPING, freq="A", source=None)  # compiles into the cache
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from critchem.trade.indicators.sql import eu27_indicators\n"
        f"rows = eu27_indicators([Path(p) for p in {[str(f) for f in files]!r}], "
        f"{MAPPING!r}, freq='A', source=None)\n"
        "assert rows\n"
        "print(sorted(m for m in ('ibis', 'pandas') if m in sys.modules))\n"
    )
    env = {**os.environ, "CRITCHEM_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
