"""Change-point evaluation: the shipped annotated real series, the seeds kept apart, baselines."""

from __future__ import annotations

import hashlib
import re
from importlib.resources import files

import numpy as np
import pytest

from critchem.evaluation.changepoints import (
    BASELINES,
    HELD_OUT_SEEDS,
    TUNING_SEEDS,
    real_cases,
    scores,
    synthetic_cases,
    tune,
)
from critchem.surveillance import detect_breaks


def test_the_real_series_ship_with_their_annotators_and_their_recorded_hash() -> None:
    cases = {c.kind: c for c in real_cases()}
    assert len(cases) == 9
    assert all(c.real and len(c.annotations) == 5 for c in cases.values())
    assert cases["nile"].annotations.count([28]) == 3
    assert len(cases["uk_coal_employ"].values) == 105  # 1913-2017
    assert int(np.isnan(cases["uk_coal_employ"].values).sum()) == 2  # 1921 and 1926 missing
    folder = files("critchem.evaluation") / "data"
    digest = hashlib.sha256((folder / "tcpd.json").read_bytes()).hexdigest()
    recorded = re.search(r"sha256: `([0-9a-f]{64})`", (folder / "SOURCES.md").read_text())
    assert recorded is not None and recorded.group(1) == digest


def test_tuning_and_held_out_seeds_are_apart() -> None:
    assert not set(TUNING_SEEDS) & set(HELD_OUT_SEEDS)
    with pytest.raises(ValueError, match="tuning seeds only"):
        tune([3.0], [0.01], seeds=HELD_OUT_SEEDS[:1])


def test_the_nile_has_one_change_at_1899() -> None:
    nile = next(c for c in real_cases() if c.kind == "nile")
    assert detect_breaks(nile.values) == [28]


def test_no_change_gives_no_break_on_growth_without_change() -> None:
    growth = next(c for c in synthetic_cases(3) if c.kind.startswith("annual growth"))
    assert growth.annotations == [[]]
    assert detect_breaks(growth.values) == []


def test_every_baseline_scores_the_real_series() -> None:
    cases = [c for c in real_cases() if c.kind in {"nile", "uk_coal_employ"}]
    for name, method in BASELINES.items():
        rows = scores(method, cases)
        assert all(0.0 <= f <= 1.0 and 0.0 <= c <= 1.0 for _, f, c in rows), name
    (nile, _) = scores(BASELINES["ruptures KernelCPD + MBIC"], cases)
    assert nile[1] == 1.0  # finds 1899 within the margin (two annotators marked nothing)
