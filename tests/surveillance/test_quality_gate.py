"""The data-quality gate: one reporter's tenfold unit-value jump with a flat value.

Miniature trade-store rows, product 39204990, imports (flow 1) from WORLD, three reporters.
IT: 500 t / EUR 1.5 M in Jan-Mar (EUR 3 / kg), then 15,000 t / EUR 1.5 M in April (EUR 0.1 / kg,
30-fold down, value flat): flagged; counted as 1,500,000 / 3 = 500,000 kg.
FR and DE: 100 t / EUR 0.3 M every month (no change).
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

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
