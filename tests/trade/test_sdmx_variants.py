"""Comext SDMX-CSV with the columns the API adds (OBS_FLAG, CONF_STATUS) and as SDMX-CSV 2.0."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from critchem.trade.sources import detect_source, get_source
from tests.trade.test_trade_sources import DATA, parse_all

SAMPLE = DATA / "comext_sdmx_sample.csv"


def _variant(tmp_path: Path, name: str, before: list[str], after: list[str]) -> Path:
    """The sample with ``before`` columns first and ``after`` columns last (values filled in)."""
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    fill = {
        "STRUCTURE": "dataflow",
        "STRUCTURE_ID": "ESTAT:DS-045409(1.0)",
        "ACTION": "I",
        "OBS_FLAG": "p",
        "CONF_STATUS": "F",
    }
    out = tmp_path / name
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*before, *rows[0], *after])
        for row in rows[1:]:
            values = [fill[c] for c in before] + row + [fill[c] for c in after]
            writer.writerow(values if row else row)
    return out


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ([], ["OBS_FLAG", "CONF_STATUS"]),  # what the dissemination API adds
        (["STRUCTURE", "STRUCTURE_ID", "ACTION"], ["OBS_FLAG"]),  # SDMX-CSV 2.0
    ],
)
def test_extra_columns_are_detected_and_ignored(tmp_path: Path, before, after) -> None:
    path = _variant(tmp_path, "variant.csv", before, after)
    assert detect_source(path).name == "comext_sdmx"
    flows, rejected, *_ = parse_all(get_source("comext_sdmx"), path)
    expected, expected_rejected, *_ = parse_all(get_source("comext_sdmx"), SAMPLE)
    assert flows.equals(expected)
    assert rejected.num_rows == expected_rejected.num_rows
