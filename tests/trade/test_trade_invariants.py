"""Invariants: rejected rows carry their true file line; periods survive a round trip."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from critchem.trade.periods import (
    Period,
    comext_period_code,
    parse_comext_period,
    parse_iso_period,
)
from critchem.trade.sources._vector import Encoded
from critchem.trade.sources.comext_bulk import V2_COLUMNS, ComextBulk

GOOD = "DE,CN,E,29051100,51211,2014,2014,220,211220,06,1,1,NO_SU,202402,{v},{v},100,0"
KINDS = {
    "good": GOOD,
    "not_a_number": GOOD.replace("{v},{v}", "x{v},x{v}"),
    "short": "DE,CN,E,29051100,51211,{v}",
    "long": GOOD + ",{v}",
    "blank": "",
    "bad_partner": GOOD.replace("DE,CN", "DE,ZZ"),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=60),
    block_size=st.integers(min_value=200, max_value=3000),
)
def test_rejected_rows_carry_their_file_line(kinds: list[str], block_size: int) -> None:
    lines = [KINDS[kind].format(v=i) for i, kind in enumerate(kinds)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "full_202402.dat"
        path.write_text(",".join(V2_COLUMNS) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
        batches = list(ComextBulk(block_size=block_size).parse(path))
    flows = pa.Table.from_batches([b.flows for b in batches])
    rejected = pa.Table.from_batches([b.rejected for b in batches]).sort_by("row_number")
    expected_bad = [i + 2 for i, kind in enumerate(kinds) if kind != "good"]
    assert rejected.column("row_number").to_pylist() == expected_bad
    for row in rejected.to_pylist():
        if row["raw"]:
            assert row["raw"] == lines[row["row_number"] - 2]
    assert sum(b.rows_read for b in batches) == len(kinds)
    good_values = [float(i) for i, kind in enumerate(kinds) if kind == "good"]
    assert flows.column("value").to_pylist() == good_values


@given(st.integers(1900, 2199), st.integers(1, 12))
def test_comext_month_round_trip(year: int, month: int) -> None:
    period = Period.month(year, month)
    assert parse_comext_period(comext_period_code(period)) == period
    assert parse_iso_period(period.label) == period


@given(st.integers(1900, 2199))
def test_comext_annual_total_round_trip(year: int) -> None:
    period = parse_comext_period(f"{year}52")
    assert (period.freq, period.label) == ("A", str(year))
    assert comext_period_code(period) == f"{year}52"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_daily_label_round_trip(day: date) -> None:
    assert parse_iso_period(day.isoformat(), "D") == Period.day(day)


@given(st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_comext_periods_are_months_or_annual_totals(text: str) -> None:
    month = int(text[4:])
    valid = 1900 <= int(text[:4]) <= 2199 and (1 <= month <= 12 or month == 52)
    try:
        parse_comext_period(text)
    except ValueError:
        assert not valid
    else:
        assert valid


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["1", "2", "9", "DE", "FR", "EL", "QU", "é", "WORLD", ""]),
            st.text(max_size=4),
        ),
        min_size=1,
        max_size=50,
    ),
    st.integers(0, 5),
)
def test_encoding_gives_back_the_column(values: list[str], offset: int) -> None:
    column = pa.array(values, pa.string()).slice(min(offset, len(values) - 1))
    encoded = Encoded.of(column)
    assert [encoded.entries[i] for i in encoded.indices] == column.to_pylist()
    assert len(set(encoded.entries)) == len(encoded.entries)
