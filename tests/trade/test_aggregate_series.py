"""A store with Comext SDMX partner aggregates only (WORLD) still gives series: no 404."""

from __future__ import annotations

from pathlib import Path

import pytest

from critchem.services.indicators import trade_series
from critchem.services.trade import ingest_paths
from tests.trade.test_trade_sources import DATA

SAMPLE = DATA / "comext_sdmx_sample.csv"


@pytest.fixture(scope="module")
def sdmx_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sdmx") / "store"
    ingest_paths([SAMPLE], store_root=root, progress=False)
    return root


EXPECTED = {
    # lines 2-8 of the sample (AT imports of 32121000 from WORLD; the other rows of this code
    # are rejected: reporter XX, month 13, "n/a", a duplicate ...); 100 kg x 100 = kg
    "2023-01": (820844.0, 382.5 * 100),
    "2023-02": (760094.0, 280.62 * 100),
    "2023-03": (930271.0, 504.16 * 100),
    "2023-04": (876293.0, None),  # no quantity row: null, never 0
}


@pytest.mark.parametrize("reporter", ["EU27", "AT"])
def test_world_series_of_a_sdmx_store(sdmx_store: Path, reporter: str) -> None:
    rows = trade_series("32121000", store_root=sdmx_store, reporter=reporter, freq="M")
    got = {r["period"]: (r["import_value"], r["import_net_mass_kg"]) for r in rows}
    assert got.keys() == EXPECTED.keys()
    for period, (value, mass) in EXPECTED.items():
        assert got[period][0] == pytest.approx(value)
        assert got[period][1] == (None if mass is None else pytest.approx(mass))
    assert rows[0]["import_unit_value"] == pytest.approx(820844.0 / 38250.0)
    assert all(r["hhi"] is None and "WORLD" in r["partner_basis"] for r in rows)
