"""The newest shipped World Bank governance indicators (WGI 2023), as trade-partner weights."""

from __future__ import annotations

import statistics
from functools import cache

from critchem.nomenclature._files import read_rows
from critchem.nomenclature.governance import WGI_DIMENSIONS, wgi_scaled

WGI_FILE = "wgi2023_estimates.csv"
WGI_EDITION = "WGI 2024 release, year 2023 (World Bank, CC BY 4.0)"
"""How the governance weights are cited in the provenance of the values that use them."""


@cache
def wgi_scaled_by_iso3() -> dict[str, float]:
    """The WGI 2023 mean of the six estimates, rescaled 0..10 (10 the worst), by ISO3.

    Economies with a missing dimension are left out (the indicators then impute the median).

    >>> scaled = wgi_scaled_by_iso3()
    >>> 0 < scaled["CHN"] < 10 and scaled["CHN"] > scaled["NOR"]
    True
    """
    out: dict[str, float] = {}
    for row in read_rows("critchem.nomenclature", WGI_FILE):
        values = [row[d] for d in WGI_DIMENSIONS]
        if any(not v for v in values):
            continue
        out[row["iso3"]] = wgi_scaled(sum(float(v) for v in values) / len(values))
    return out


@cache
def wgi_by_partner() -> tuple[dict[str, float], float]:
    """The scaled WGI 2023 by Comext partner code, and the median over all economies."""
    from critchem.nomenclature.countries import load_countries

    scaled = wgi_scaled_by_iso3()
    by_partner = {
        p.code: scaled[p.iso3]
        for p in load_countries()
        if p.is_geographic and p.iso3 is not None and p.iso3 in scaled
    }
    return by_partner, statistics.median(scaled.values())
