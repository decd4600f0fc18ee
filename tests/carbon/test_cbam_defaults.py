"""CBAM default values (Annex I to Implementing Regulation (EU) 2025/2621 as replaced by
Implementing Regulation (EU) 2026/1740) and their use by ``critchem cbam calc``.

The shipped rows were copied from a transcription of the Commission's workbook (see
``src/critchem/carbon/data/SOURCES.md``). The values asserted in
``test_values_agree_with_a_second_copy`` were read a second time, in the February 2026 version
of the tables as published on https://cbamdefaults.com/cbam/product/31021019,
https://cbamdefaults.com/cbam/product/31021090 and https://cbamdefaults.com/cbam/product/31021012
(columns Direct, Indirect, Total, 2026; two decimals) and on https://autocbam.com/cn/28041000
(hydrogen, China and India), all read 2026-12-07.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.carbon.cbam import CbamInputs, calculate
from critchem.carbon.cbam_defaults import default_see, default_values, markup_pct
from critchem.cli.main import build_app
from critchem.core.errors import CarbonInputError

DATA = Path(__file__).parent / "data"
runner = CliRunner()

# (country, CN8): (direct, indirect, total) as read on the second copy.
SECOND_COPY = {
    ("OTHER", "31021019"): (2.60, 0.12, 2.72),
    ("OTHER", "31021090"): (2.54, 0.12, 2.66),
    ("OTHER", "31021012"): (0.86, 0.04, 0.90),
    ("CN", "31021019"): (2.70, 0.14, 2.85),
    ("CN", "31021090"): (2.64, 0.14, 2.78),
    ("CN", "31021012"): (0.90, 0.05, 0.94),
    ("IN", "31021019"): (2.05, 0.17, 2.22),
    ("IN", "31021090"): (2.00, 0.16, 2.17),
    ("US", "31021019"): (2.22, 0.07, 2.29),
    ("US", "31021090"): (2.17, 0.07, 2.24),
    ("US", "31021012"): (0.74, 0.02, 0.76),
    ("TT", "31021019"): (1.49, 0.12, 1.61),
    ("TT", "31021090"): (1.46, 0.11, 1.57),
    ("TT", "31021012"): (0.50, 0.04, 0.53),
}


@pytest.mark.parametrize(("key", "published"), sorted(SECOND_COPY.items()))
def test_values_agree_with_a_second_copy(
    key: tuple[str, str], published: tuple[float, float, float]
) -> None:
    row = default_values()[key]
    shipped = (row.direct_tco2e_per_t, row.indirect_tco2e_per_t, row.total_tco2e_per_t)
    assert shipped == pytest.approx(published, abs=0.005)


def test_hydrogen_agrees_with_a_second_copy_and_has_no_indirect_value() -> None:
    """autocbam.com/cn/28041000: China 26.64, India 14.03 (direct = total, no indirect)."""
    table = default_values()
    assert table[("CN", "28041000")].total_tco2e_per_t == 26.64
    assert table[("IN", "28041000")].total_tco2e_per_t == 14.03
    assert all(
        row.indirect_tco2e_per_t is None for (_, cn), row in table.items() if cn == "28041000"
    )


def test_every_row_is_consistent() -> None:
    """direct + indirect = total within the annex's independent rounding (0.02); 9 tables."""
    table = default_values()
    assert {c for c, _ in table} == {"OTHER", "CN", "DZ", "EG", "IN", "TR", "TT", "UA", "US"}
    for row in table.values():
        indirect = row.indirect_tco2e_per_t or 0.0
        assert row.direct_tco2e_per_t + indirect == pytest.approx(row.total_tco2e_per_t, abs=0.02)
        assert row.sector in {"Hydrogen", "Fertilisers"}


def test_markup_matches_the_published_2026_column() -> None:
    """The February 2026 tables printed the 2026 value with its mark-up (two decimals on the
    second copy): United States 3102 10 19, 2.29 · 1.01 = 2.3129 → 2.31; Other countries
    3102 10 19, 2.72 · 1.01 = 2.7472 → 2.75; China 3102 10 90, 2.78 · 1.01 = 2.8078 → 2.81.
    """
    assert round(default_see("US", "31021019", 2026).see_tco2e_per_t, 2) == 2.31
    assert round(default_see("OTHER", "31021019", 2026).see_tco2e_per_t, 2) == 2.75
    assert round(default_see("CHN", "31021090", 2026).see_tco2e_per_t, 2) == 2.81
    assert [markup_pct("Hydrogen", y) for y in (2026, 2027, 2028, 2034)] == [10, 20, 30, 30]
    assert markup_pct("Fertilisers", 2034) == 1


def test_unshipped_country_and_code_are_refused_by_name() -> None:
    with pytest.raises(
        CarbonInputError, match=r"no shipped CBAM default-value table for country 'SA'"
    ):
        default_see("SA", "28141000", 2026)
    with pytest.raises(CarbonInputError, match="no shipped CBAM default value for CN 31021010"):
        default_see("TR", "3102 10 10", 2026)


def test_calc_uses_defaults_when_no_see_is_declared() -> None:
    """``cbam_inputs_defaults.json`` (ILLUSTRATIVE), 2027, ETS 80 EUR/t, declared s = 0.05:

    D1 urea 3102 10 19 from TR: SEE = 1.51 · 1.01 = 1.5251; E = 1000 · 1.5251 = 1525.1 t;
       cost = 1525.1 · 0.05 · 80 = 6100.4 EUR; N = 76.255
    D2 hydrogen from EG: SEE = 10.82 · 1.20 = 12.984; E = 129.84 t;
       cost = 129.84 · 0.05 · (80 − 20) = 389.52 EUR; N = 4.869
    D3 ammonia from SA, declared table OTHER: SEE = 3.13 · 1.01 = 3.1613; E = 1580.65 t;
       cost = 1580.65 · 0.05 · 80 = 6322.6 EUR; N = 79.0325
    A1 ammonia from TR, actual 1.9: E = 950 t; cost = 950 · 0.05 · 80 = 3800 EUR; N = 47.5
    total cost = 16 612.52 EUR
    """
    result = calculate(
        CbamInputs.model_validate_json((DATA / "cbam_inputs_defaults.json").read_text())
    )
    d1, d2, d3, a1 = result.shipments
    assert (d1.see_tco2e_per_t, d1.embedded_tco2e, d1.cost_eur) == (1.5251, 1525.1, 6100.4)
    assert d1.certificates == pytest.approx(76.255)
    assert d1.emissions_basis == "default" and d1.default_markup_pct == 1.0
    assert "2026/1740, table 'Türkiye', CN 31021019" in d1.emissions_source
    assert (d2.see_tco2e_per_t, d2.cost_eur, d2.default_markup_pct) == (12.984, 389.52, 20.0)
    assert (d3.see_tco2e_per_t, d3.cost_eur) == (3.1613, 6322.6)
    assert "table 'Other countries and territories'" in d3.emissions_source
    assert (a1.emissions_basis, a1.cost_eur, a1.default_markup_pct) == ("actual", 3800.0, None)
    assert result.total_cost_eur == pytest.approx(16612.52)


def test_cli_names_the_shipment_without_a_default(tmp_path: Path) -> None:
    spec = json.loads((DATA / "cbam_inputs_defaults.json").read_text())
    del spec["shipments"][2]["default_table"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(spec))
    result = runner.invoke(build_app(), ["cbam", "calc", "--inputs", str(bad)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "shipment D3: no shipped CBAM default-value table for country 'SA'" in text
    assert "Traceback" not in result.output


def test_declared_see_needs_its_basis_and_source(tmp_path: Path) -> None:
    spec = json.loads((DATA / "cbam_inputs_defaults.json").read_text())
    del spec["shipments"][3]["emissions_source"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(spec))
    result = runner.invoke(build_app(), ["cbam", "calc", "--inputs", str(bad), "--format", "json"])
    assert result.exit_code == 2
    assert "needs emissions_basis (actual or default) and emissions_source" in " ".join(
        result.output.split()
    )


@pytest.mark.parametrize("name", ["cbam_default_values.csv", "cbam_default_markup.csv"])
def test_shipped_files_match_the_hash_in_sources(name: str) -> None:
    data = Path(__file__).parents[2] / "src" / "critchem" / "carbon" / "data"
    digest = hashlib.sha256((data / name).read_bytes()).hexdigest()
    assert digest in (data / "SOURCES.md").read_text(encoding="utf-8")
