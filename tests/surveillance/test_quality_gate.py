"""The data-quality gate: one reporter's tenfold unit-value jump with a flat value.

Miniature trade-store rows, product 39204990, imports (flow 1) from WORLD, three reporters.
IT: 500 t / EUR 1.5 M in Jan-Mar (EUR 3 / kg), then 15,000 t / EUR 1.5 M in April (EUR 0.1 / kg,
30-fold down, value flat): flagged; counted as 1,500,000 / 3 = 500,000 kg.
FR and DE: 100 t / EUR 0.3 M every month (no change).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from critchem.surveillance.quality import corrected, misdeclarations


def _table(rows: list[tuple[str, str, float, float]]) -> pa.Table:
    return pa.table(
        {
            "source": ["t"] * len(rows),
            "product": ["39204990"] * len(rows),
            "flow": pa.array([1] * len(rows), pa.int8()),
            "partner": ["WORLD"] * len(rows),
            "reporter": [r[0] for r in rows],
            "freq": ["M"] * len(rows),
            "period_start": [date.fromisoformat(r[1]) for r in rows],
            "net_mass_kg": [r[2] for r in rows],
            "value": [r[3] for r in rows],
        }
    )


MONTHS = ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]


def _rows(
    it_april_mass: float, fr_april_mass: float = 100_000.0, fr_april_value: float = 300_000.0
) -> list[tuple[str, str, float, float]]:
    rows = [("IT", m, 500_000.0, 1_500_000.0) for m in MONTHS[:3]]
    rows.append(("IT", MONTHS[3], it_april_mass, 1_500_000.0))
    rows += [("DE", m, 100_000.0, 300_000.0) for m in MONTHS]
    rows += [("FR", m, 100_000.0, 300_000.0) for m in MONTHS[:3]]
    rows.append(("FR", MONTHS[3], fr_april_mass, fr_april_value))
    return rows


def test_one_reporter_s_jump_with_flat_value_is_flagged_and_corrected() -> None:
    table = _table(_rows(15_000_000.0))
    (flag,) = misdeclarations(table)
    assert (flag.reporter, flag.period) == ("IT", date(2025, 4, 1))
    assert flag.unit_value == pytest.approx(0.1)
    assert flag.baseline_unit_value == pytest.approx(3.0)
    assert flag.corrected_mass_kg == pytest.approx(500_000.0)
    fixed = corrected(table, [flag])
    april_it = [
        m
        for r, p, m in zip(
            fixed.column("reporter").to_pylist(),
            fixed.column("period_start").to_pylist(),
            fixed.column("net_mass_kg").to_pylist(),
            strict=True,
        )
        if r == "IT" and p == date(2025, 4, 1)
    ]
    assert april_it == [pytest.approx(500_000.0)]
    assert fixed.column("net_mass_kg").to_pylist().count(100_000.0) == 8  # others untouched


def test_a_ninefold_jump_is_not_flagged() -> None:
    assert misdeclarations(_table(_rows(4_500_000.0))) == []  # EUR 0.333 / kg: 9-fold


def test_another_reporter_moving_the_same_way_corroborates_it() -> None:
    # FR adds 4,000 t - 100 t = 3,900 t at its usual EUR 3 / kg, at least 25 % of IT's own
    # +14,500 t (3,625 t): a real surge, not one reporter's keying error
    rows = _rows(15_000_000.0, fr_april_mass=4_000_000.0, fr_april_value=12_000_000.0)
    assert misdeclarations(_table(rows)) == []


def test_a_jump_that_persists_the_next_month_is_corroborated() -> None:
    rows = _rows(15_000_000.0)
    rows.append(("IT", "2025-05-01", 15_000_000.0, 1_500_000.0))
    assert [f.period for f in misdeclarations(_table(rows))] == []


def test_an_empty_table_has_no_flags() -> None:
    assert misdeclarations(_table([])) == []


# The baseline as first written: DuckDB's windowed median over the 3 rows before. The gate
# now spells the median out from the lags; both must give the same rows to the last bit.
WINDOWED_MEDIAN = """b AS (
    SELECT *,
        median(m) OVER w AS m0, median(v) OVER w AS v0, count(*) OVER w AS n0,
        lead(v / m) OVER (PARTITION BY source, product, flow, partner, reporter
                          ORDER BY period) AS uv_next,
        lag(v / m) OVER (PARTITION BY source, product, flow, partner, reporter
                         ORDER BY period) AS uv_prev
    FROM r
    WINDOW w AS (PARTITION BY source, product, flow, partner, reporter ORDER BY period
                 ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING)
),"""


def _rows_of(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    """Every row of the gate's ``j`` step (baseline medians, counts, jumps), and its flags."""
    head = sql.split("moved AS", 1)[0].rstrip().rstrip(",")
    steps = con.execute(
        f"{head} SELECT reporter, period, m0, v0, n0, uv_next, uv_prev, jump FROM j "
        "ORDER BY reporter, period"
    ).fetchall()
    flags = con.execute(sql, {"ratio": 2.0, "band": 0.9, "corroboration": 0.25}).fetchall()
    return [*steps, *flags]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["IT", "FR", "DE"]),
            st.integers(1, 9),
            st.sampled_from([1.0, 2.0, 3.0, 7.5, 1e3, 0.1, 123.456, 1e6 / 3]),
            st.sampled_from([1.0, 5.0, 9.0, 1e4, 0.3, 77.7, 2e5 / 7]),
        ),
        min_size=1,
        max_size=40,
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_the_spelled_out_median_is_the_windowed_median(
    rows: list[tuple[str, int, float, float]],
) -> None:
    from critchem.surveillance import quality

    start, end = quality._SQL.index("l AS ("), quality._SQL.index("j AS (")
    reference = quality._SQL[:start] + WINDOWED_MEDIAN + "\n" + quality._SQL[end:]
    table = _table([(r, f"2025-{m:02d}-01", mass, value) for r, m, mass, value in rows])
    with duckdb.connect() as con:
        con.register("flows", table)
        assert _rows_of(con, quality._SQL) == _rows_of(con, reference)
