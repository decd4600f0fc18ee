"""The free-allocation adjustment with a CBAM benchmark, checked on published worked examples.

No worked example of the Commission could be read here (``src/critchem/carbon/data/SOURCES.md``);
these two are published by others and state their inputs and result:

* https://cbamreports.com/cbampayments ("CBAM payments evolution (example)", read 2026-12-07):
  embedded emissions 1.2 tCO2e/t, CBAM benchmark 1 tCO2e/t, CBAM factor 97.5 % in 2026:
  "1.2 – (1 × 0.975) = 0.225 t CO2 eq/t good, equivalent to around 19% of the embedded
  emissions".
* S&P Global Platts, subscriber note of 14 May 2025
  (https://www.spglobal.com/commodity-insights/en/pricing-benchmarks/our-methodology/subscriber-notes/051425-platts-opens-consultation-on-how-to-reflect-cbam-in-several-ammonia-fertilizer-assessments,
  read 2026-12-07): "in 2026, the CBAM benchmark for 1 mt calcium ammonium nitrate, which
  requires 0.33 mt of ammonia and 0.59 mt of nitric acid to produce, would be 0.64 mtCO2e/mt
  CAN (e.g., [0.33 x 1.57] + [0.59 x 0.23])" at 97.5 % in 2026; benchmarks 1.57 (ammonia) and
  0.23 (nitric acid) as stated there (provisional at the time). Published rounding: two
  decimals.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.carbon.cbam import CbamInputs, calculate
from critchem.carbon.free_allocation import emissions_due, specific_free_allocation
from critchem.cli.main import build_app

DATA = Path(__file__).parent / "data"


def test_simple_good_example() -> None:
    """SEFA = 0.975 · 1 = 0.975; due = 1.2 − 0.975 = 0.225 (published); 0.225/1.2 = 18.75 %."""
    sefa = specific_free_allocation(1.0, 0.975)
    due = emissions_due(1.2, sefa)
    assert due == pytest.approx(0.225)
    assert round(due / 1.2, 2) == 0.19


def test_calcium_ammonium_nitrate_example() -> None:
    """0.975 · (0.33 · 1.57 + 0.59 · 0.23) = 0.975 · 0.6538 = 0.637455 → 0.64 (published)."""
    sefa = specific_free_allocation(0.0, 0.975, precursors=[(0.33, 1.57), (0.59, 0.23)])
    assert round(sefa, 2) == 0.64
    assert sefa == pytest.approx(0.637455)


def test_calc_with_the_benchmark_form_by_hand() -> None:
    """``cbam_inputs_benchmark.json`` (ILLUSTRATIVE): 1000 t CAN (3102 40 10) from EG, 2026.

    SEE: no declared value, default EG 3102 40 10 total 2.05 · 1.01 = 2.0705 tCO2e/t
    SEFA = 0.637455 (the example above); due = 2.0705 − 0.637455 = 1.433045 tCO2e/t
    N = 1000 · 1.433045 = 1433.045 certificates; cost = 1433.045 · 80 = 114 643.60 EUR
    """
    result = calculate(
        CbamInputs.model_validate_json((DATA / "cbam_inputs_benchmark.json").read_text())
    )
    (row,) = result.shipments
    assert (row.method, row.emissions_basis) == ("free_allocation", "default")
    assert (row.see_tco2e_per_t, row.free_allocation_tco2e_per_t) == (2.0705, 0.637455)
    assert row.emissions_due_tco2e == pytest.approx(1433.045)
    assert row.certificates == pytest.approx(1433.045)
    assert row.cost_eur == pytest.approx(114643.6)
    assert result.cbam_share is None


def test_cli_table_names_the_free_allocation() -> None:
    result = CliRunner().invoke(
        build_app(),
        ["cbam", "calc", "--inputs", str(DATA / "cbam_inputs_benchmark.json"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["shipments"][0]["method"] == "free_allocation"
    assert payload["total_cost_eur"] == pytest.approx(114643.6)
